"""The ledger page as erin (the liaison of 兰考县) and alice (the office) use it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xunshi.files.models import Attachment
from xunshi.files.tests import samples
from xunshi.rectification.models import ItemStatus, ProgressReport

from .conftest import item_forms, items_of, plan_all, stored_files


def _plan_post(**over):  # type: ignore[no-untyped-def]
    data = {
        "measures": "逐笔核查拨付资金。",
        "responsible_leader": "县长 李明",
        "responsible_department": "县财政局",
        "deadline": "2026-12-31",
        "kind": "immediate",
        **over,
    }
    return {f"plan-{{pk}}-{k}": v for k, v in data.items()}


def _post(client, name, item, data, **kw):  # type: ignore[no-untyped-def]
    data = {k.replace("{pk}", str(item.pk)): v for k, v in data.items()}
    return client.post(reverse(name, args=[item.pk]), data, **kw)


def test_it_shows_erin_her_ledger_with_dues_stage_button_and_documents(feedback, clock, login):
    client = login(feedback.users["erin"])
    html = client.get(reverse("ledger", args=[feedback.inspection1.pk]))
    first = items_of(feedback)[0]
    # Each item's forms are fetched when it comes into view (htmx), not drawn with the page.
    assert f'hx-get="{reverse("item_forms", args=[first.pk])}"' in html.content.decode()
    text = html.content.decode() + item_forms(client, first)
    assert html.status_code == 200
    for part in [
        "扶贫资金拨付滞后",
        "违规发放津贴补贴",
        "报送整改方案",  # the due date and the stage button
        "15个工作日（期限规则第1版）",
        "2个月（期限规则第1版）",
        "填写整改措施",
        reverse("rect_report_docx", args=[feedback.inspection1.pk]),
        reverse("feedback_docx", args=[feedback.inspection1.pk]),
    ]:
        assert part in text, part
    assert "第2项“违规发放津贴补贴”缺少" in text  # the button's blocker
    assert "同意销号" not in text


def test_it_lands_erin_on_her_ledgers(feedback, clock, login):
    html = login(feedback.users["erin"]).get(reverse("ledger_home")).content.decode()
    assert reverse("ledger", args=[feedback.inspection1.pk]) in html
    assert "河南省财政厅" not in html


def test_it_re_renders_a_refused_plan_with_the_reason_and_saves_nothing(feedback, clock, login):
    client = login(feedback.users["erin"])
    item = items_of(feedback)[0]
    response = _post(client, "item_plan", item, _plan_post(measures="", deadline=""))
    assert response.status_code == 200
    text = response.content.decode()
    assert "第1项“扶贫资金拨付滞后”缺少：整改措施、整改时限。" in text
    assert "县财政局" in text  # the input is kept
    response = _post(client, "item_plan", item, _plan_post(deadline="2026-10-01"))
    assert "不能早于反馈日期（2026年11月2日）" in response.content.decode()
    item.refresh_from_db()
    assert item.measures == "" and item.deadline is None

    response = _post(client, "item_plan", item, _plan_post())
    assert response.status_code == 302
    assert response["Location"].endswith("#item-1")
    item.refresh_from_db()
    assert item.measures == "逐笔核查拨付资金。" and item.kind == "immediate"


def test_it_takes_progress_with_files_and_refuses_a_macro_document(
    feedback, clock, login, files_root
):
    from xunshi.lifecycle.actions import inspection_transition

    erin = feedback.users["erin"]
    plan_all(feedback)
    inspection_transition(actor=erin, inspection=feedback.inspection1, to="rectifying")
    client = login(erin)
    item = items_of(feedback)[0]
    pre = f"progress-{item.pk}-"
    bad = {
        pre + "text": "已整改。",
        pre + "evidence": [
            SimpleUploadedFile("凭证.pdf", samples.pdf()),
            SimpleUploadedFile("方案.docm", samples.docm()),
        ],
    }
    response = client.post(reverse("progress_report", args=[item.pk]), bad)
    assert response.status_code == 200
    assert "方案.docm" in response.content.decode()
    assert ProgressReport.objects.count() == 0 and stored_files(files_root) == []

    good = {
        pre + "text": "资金已全部拨付。",
        pre + "reported_on": "2026-11-09",
        pre + "evidence": [SimpleUploadedFile("拨付凭证.pdf", samples.pdf())],
        pre + "rules_revised": "2",
        pre + "funds_recovered": "12.5",
        pre + "persons_sanctioned": "",
    }
    response = client.post(reverse("progress_report", args=[item.pk]), good)
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "拨付凭证.pdf"
    html = client.get(reverse("ledger", args=[feedback.inspection1.pk])).content.decode()
    assert "资金已全部拨付。" in html and "挽回或追缴资金12.50万元" in html
    assert "申请销号" in item_forms(client, item)

    response = client.post(reverse("item_claim", args=[item.pk]), {})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLAIMED

    office = login(feedback.users["alice"])
    ver = f"verify-{item.pk}-"
    response = office.post(reverse("item_verify", args=[item.pk]), {ver + "decision": "return"})
    assert response.status_code == 200
    assert "须说明理由" in response.content.decode()
    response = office.post(
        reverse("item_verify", args=[item.pk]),
        {ver + "decision": "return", ver + "reason": "佐证材料不全。"},
    )
    assert response.status_code == 302
    html = office.get(reverse("ledger", args=[feedback.inspection1.pk])).content.decode()
    assert "佐证材料不全。" in html


def test_it_links_each_progress_reports_evidence(rectifying, login):
    from .conftest import report

    item = items_of(rectifying)[0]
    report(rectifying, item, files=[("拨付凭证.pdf", samples.pdf())])
    client = login(rectifying.users["erin"])
    html = client.get(reverse("ledger", args=[rectifying.inspection1.pk])).content.decode()
    link = reverse("attachment_download", args=[Attachment.objects.get().pk])
    assert f'href="{link}">拨付凭证.pdf</a>' in html
    assert client.get(link).status_code == 200
