"""The knowledge base as its people use it: the office edits a regulation and the old version
stays readable; teams read; a liaison reads the public regulations only and the admins
nothing; the 定性 statements come up for the words a team types; a Word or Excel file with a
bad paragraph or row is refused naming it, and nothing is written."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.audit.names import field_name
from xunshi.demo.knowledge import demo_knowledge
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.knowledge import actions
from xunshi.knowledge.articles import parse_lines
from xunshi.knowledge.models import Regulation, RegulationVersion, Statement
from xunshi.testsupport.bodies import small_city

ARTICLES = "第一章 总则\n第一条 为了规范巡察工作，制定本办法。\n第二条 巡察工作坚持党的领导。"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _own_rule(world, text: str = ARTICLES) -> Regulation:  # type: ignore[no-untyped-def]
    return actions.regulation_create(
        actor=world.users["alice"],
        body=world.body,
        facts=actions.RegulationFacts(title="某某巡察工作实施办法", issuer="中共某某委员会"),
        articles=parse_lines(text.splitlines()),
        fictional=True,
    )


def _unnamed_fields() -> set[str]:
    """The keys of the knowledge base's audit events that the trail's page cannot name."""
    return {
        f"{e.action}: {key}"
        for e in AuditEvent.objects.filter(action__startswith="knowledge.")
        for values in (e.before or {}, e.after or {})
        for key in values
        if field_name(e.object_type, key) == key
    }


def _item() -> TaxonomyItem:
    return TaxonomyItem.objects.order_by("taxonomy__code", "position", "pk").first()  # type: ignore[return-value]


def test_it_keeps_the_old_version_readable_when_the_office_edits(world, login):
    client = login(world.users["alice"])
    response = client.post(
        reverse("regulation_create"),
        {
            "title": "某某巡察工作实施办法",
            "issuer": "中共某某委员会",
            "status": "current",
            "articles_text": ARTICLES,
        },
    )
    regulation = Regulation.objects.get(current__title="某某巡察工作实施办法")
    assert response.status_code == 302
    edit = reverse("regulation_edit", args=[regulation.pk])
    form = client.get(edit)
    assert "第二条　巡察工作坚持党的领导。" in _text(form)  # the box holds the text as typed
    changed = ARTICLES.replace("坚持党的领导", "坚持和加强党的全面领导")
    response = client.post(
        edit,
        {
            "title": "某某巡察工作实施办法",
            "issuer": "中共某某委员会",
            "status": "current",
            "articles_text": changed,
        },
        follow=True,
    )
    assert "已保存为第2版" in _text(response)
    assert "坚持和加强党的全面领导" in _text(response)
    old = client.get(reverse("regulation_detail", args=[regulation.pk]) + "?version=1")
    assert "巡察工作坚持党的领导。" in _text(old) and "旧版本" in _text(old)
    assert RegulationVersion.objects.filter(regulation=regulation).count() == 2
    assert AuditEvent.objects.filter(action="knowledge.regulation.revise").count() == 1
    assert not _unnamed_fields()


def test_a_bad_article_in_the_box_is_refused_naming_the_line(world, login):
    client = login(world.users["alice"])
    response = client.post(
        reverse("regulation_create"),
        {
            "title": "某办法",
            "issuer": "某委",
            "status": "current",
            "articles_text": "第一条 甲\n第三条 乙",
        },
    )
    assert response.status_code == 200
    assert "第2行：此处应为第二条，却是第三条" in _text(response)
    assert not Regulation.objects.filter(current__title="某办法").exists()


def test_teams_read_the_liaison_reads_public_regulations_only_and_admins_nothing(world, login):
    own = _own_rule(world)
    shipped = Regulation.objects.get(body=None, current__title="中国共产党巡视工作条例")
    for name in ("bob", "gina"):
        client = login(world.users[name])
        page = _text(client.get(reverse("knowledge_home")))
        assert "某某巡察工作实施办法" in page and "中国共产党巡视工作条例" in page
        assert client.get(reverse("regulation_detail", args=[own.pk])).status_code == 200
        assert client.get(reverse("case_list")).status_code == 200
        assert client.get(reverse("regulation_edit", args=[own.pk])).status_code == 403
    erin = login(world.users["erin"])
    page = _text(erin.get(reverse("knowledge_home")))
    assert "中国共产党巡视工作条例" in page and "某某巡察工作实施办法" not in page
    assert erin.get(reverse("regulation_detail", args=[shipped.pk])).status_code == 200
    assert erin.get(reverse("regulation_detail", args=[own.pk])).status_code == 404
    assert erin.get(reverse("case_list")).status_code == 403
    assert erin.get(reverse("statement_list")).status_code == 403
    for name in ("sam", "sue", "aud"):
        client = login(world.users[name])
        assert client.get(reverse("knowledge_home")).status_code == 403
        assert client.get(reverse("regulation_detail", args=[shipped.pk])).status_code == 403


def test_the_shipped_regulations_say_where_their_text_comes_from(world, login):
    page = login(world.users["bob"]).get(
        reverse(
            "regulation_detail",
            args=[Regulation.objects.get(body=None, current__title="中国共产党巡视工作条例").pk],
        )
        + "?version=1"
    )
    text = _text(page)
    assert "2017年7月修订" in text and "须以官方公布文本导入并核对" in text


def test_it_suggests_the_statements_for_the_class_and_the_words_typed(world, login):
    item = _item()
    rule = _own_rule(world)
    actions.statement_save(
        actor=world.users["alice"],
        body=world.body,
        item=item,
        text="违反中央八项规定精神，违规发放津贴补贴。",
        fictional=True,
        articles=list(rule.current.articles.filter(number=2)),  # type: ignore[union-attr]
    )
    actions.statement_save(
        actor=SYSTEM, body=world.body, item=item, text="落实全面从严治党主体责任不到位。"
    )
    client = login(world.users["bob"])
    url = reverse("statement_suggest")
    found = _text(client.post(url, {"category": item.pk, "qualification": "违规发放津贴"}))
    assert found.index("违规发放津贴补贴") < found.index("主体责任不到位")  # best match first
    assert "《某某巡察工作实施办法》第二条" in found and "示例（虚构）" in found
    typed_only = _text(client.post(url, {"category": "", "qualification": "主体责任"}))
    assert "主体责任不到位" in typed_only and "津贴" not in typed_only
    assert login(world.users["erin"]).post(url, {"qualification": "津贴"}).status_code == 403


def test_the_paper_form_asks_the_knowledge_base_as_the_team_types(onsite, login):
    page = _text(
        login(onsite.users["bob"]).get(reverse("paper_list", args=[onsite.inspection1.pk]))
    )
    assert f'hx-post="{reverse("statement_suggest")}"' in page
    assert 'class="suggestions"' in page


def _xlsx(rows: list[tuple[object, ...]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("章", "条", "条文"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        "条文.xlsx",
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _docx(paragraphs: list[str]) -> SimpleUploadedFile:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(
        "条文.docx",
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@pytest.mark.parametrize(
    ("upload", "named"),
    [
        (
            lambda: _xlsx([("第一章 总则", "第一条", "甲"), ("", "二", ""), ("", 3, "丙")]),
            "第3行：“条文”列为空",
        ),
        (lambda: _xlsx([("", 1, "甲"), ("", "第壹条", "乙")]), "第3行：“条”列的“第壹条”不是条号"),
        (lambda: _docx(["某办法", "第一章 总则", "第一条 甲", "第一条 乙"]), "第4段：第一条重复"),
    ],
)
def test_an_import_with_a_bad_row_is_refused_naming_it_and_writes_nothing(
    world, login, upload, named
):
    rule = _own_rule(world)
    client = login(world.users["alice"])
    events = AuditEvent.objects.count()
    response = client.post(reverse("regulation_import", args=[rule.pk]), {"file": upload()})
    assert response.status_code == 200
    assert named in _text(response)
    assert rule.versions.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "upload",
    [
        lambda: _xlsx(
            [("第一章 总则", "第一条", "甲"), ("第一章 总则", 2, "乙"), ("第二章 附则", "三", "丙")]
        ),
        lambda: _docx(
            [
                "某办法",
                "第一章 总则",
                "第一条　甲",
                "第二条 乙",
                "（一）乙的一项",
                "第二章 附则",
                "第三条 丙",
            ]
        ),
    ],
)
def test_an_import_makes_a_new_version_with_the_files_articles(world, login, upload):
    rule = _own_rule(world)
    response = login(world.users["alice"]).post(
        reverse("regulation_import", args=[rule.pk]), {"file": upload()}, follow=True
    )
    assert "已导入3条条文，形成第2版" in _text(response)
    rule.refresh_from_db()
    articles = list(rule.current.articles.values_list("chapter", "number"))  # type: ignore[union-attr]
    assert articles == [("第一章 总则", 1), ("第一章 总则", 2), ("第二章 附则", 3)]
    assert AuditEvent.objects.filter(action="knowledge.regulation.import").count() == 1


def test_a_case_is_kept_by_its_office_and_read_by_its_teams(world, login):
    item = _item()
    client = login(world.users["alice"])
    response = client.post(
        reverse("case_create"),
        {
            "title": "某县违规发放津贴补贴案",
            "facts": "某县某局2025年违规发放津贴。",
            "qualification": "违反中央八项规定精神。",
            "handling": "责令退还，给予党内警告处分。",
            "items": [item.pk],
            "fictional": "on",
        },
    )
    assert response.status_code == 302
    page = _text(login(world.users["bob"]).get(response["Location"]))
    assert "某县违规发放津贴补贴案" in page and "示例（虚构）" in page
    assert AuditEvent.objects.filter(action="knowledge.case.create").count() == 1
    assert not _unnamed_fields()


def test_the_demo_items_are_marked_invented_on_every_page(world, login):
    demo_knowledge(world.body)
    client = login(world.users["bob"])
    for name in ("knowledge_home", "case_list", "statement_list"):
        assert "示例（虚构）" in _text(client.get(reverse(name)))
    assert all(s.fictional for s in Statement.objects.filter(body=world.body))


def test_a_lower_office_reads_the_shared_rules_keeps_its_own_and_not_the_provinces(world, login):
    province_rule = _own_rule(world)
    shared = Regulation.objects.get(body=None, current__title="中国共产党巡视工作条例")
    city = small_city(world.body)
    client = login(city.office)
    assert client.get(reverse("regulation_detail", args=[shared.pk])).status_code == 200
    assert client.get(reverse("regulation_edit", args=[shared.pk])).status_code == 403
    assert client.get(reverse("regulation_detail", args=[province_rule.pk])).status_code == 404
    response = client.post(
        reverse("regulation_create"),
        {
            "title": "市委巡察工作办法",
            "issuer": "中共开封市委",
            "status": "current",
            "shared": "on",
        },
    )
    assert response.status_code == 302
    mine = Regulation.objects.get(current__title="市委巡察工作办法")
    assert mine.body == city.body  # a lower office is offered no 公开共享: the rule is its own
    assert "市委巡察工作办法" not in _text(
        login(world.users["alice"]).get(reverse("knowledge_home"))
    )
