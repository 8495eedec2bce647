"""The internal app's API: only with the token; envelopes in pages of 20 by seq; statuses,
replies, announcements and disclosures pushed in."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from portal.conftest import ANNOUNCEMENT, opened
from portal.reports.actions import followup_submit, report_submit
from portal.reports.models import Announcement, Submission

pytestmark = pytest.mark.django_db


def send_reports(announced: Any, count: int) -> list[Submission]:
    made = []
    for n in range(count):
        submitted = report_submit(
            announcement=announced,
            persons="",
            content=f"第{n + 1}件反映",
            real_name=False,
            name="",
            phone="",
            id_number="",
            attachments=[],
            daily_cap=1000,
        )
        assert submitted is not None
        made.append(submitted[0])
    return made


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/submissions/"),
        ("post", "/api/v1/submissions/0123456789abcdef0123456789abcdef/status/"),
        ("put", "/api/v1/announcements/"),
        ("put", "/api/v1/disclosures/"),
    ],
)
def test_it_refuses_without_the_right_token(client: Any, api: Any, method: str, url: str) -> None:
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    missing = getattr(client, method)(url, **body)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert missing.json()["error"].startswith("缺少访问令牌")
    wrong = getattr(client, method)(url, **body, HTTP_AUTHORIZATION=f"Bearer {api.token}x")
    assert wrong.status_code == 403 and wrong.json() == {"error": "访问令牌无效。"}
    other = getattr(client, method)(url, **body, HTTP_AUTHORIZATION=f"Basic {api.token}")
    assert other.status_code == 401


def test_it_pages_envelopes_by_seq_and_marks_what_was_fetched(
    api: Any, announced: Any, office_key: str
) -> None:
    reports = send_reports(announced, 22)
    followup = followup_submit(report=reports[3], content="补充", attachments=[])
    first = api.get("/api/v1/submissions/?after=0").json()
    assert len(first["items"]) == 20
    seqs = [item["seq"] for item in first["items"]]
    assert seqs == sorted(seqs) and first["next"] == seqs[-1]
    assert first["items"][0]["kind"] == "report" and first["items"][0]["parent"] is None
    assert opened(office_key, base64.b64decode(first["items"][0]["envelope"]))["content"] == (
        "第1件反映"
    )
    assert not Submission.objects.filter(pulled=True).exists()
    second = api.get(f"/api/v1/submissions/?after={first['next']}").json()
    assert [i["seq"] for i in second["items"]] == [r.seq for r in reports[20:]] + [followup.seq]
    last = second["items"][-1]
    assert (last["kind"], last["parent"], last["ref"]) == ("followup", reports[3].ref, followup.ref)
    assert len(last["day"]) == 10
    assert Submission.objects.filter(pulled=True).count() == 20
    empty = api.get(f"/api/v1/submissions/?after={second['next']}").json()
    assert empty == {"items": [], "next": second["next"]}
    assert Submission.objects.filter(pulled=True).count() == 23
    assert api.get("/api/v1/submissions/?after=-1").json() == {"error": "after 应为非负整数。"}


def test_it_takes_a_status_and_a_reply(api: Any, announced: Any) -> None:
    (report,) = send_reports(announced, 1)
    url = f"/api/v1/submissions/{report.ref}/status/"
    assert api.post(url, {"status": "accepted"}).json() == {"ok": True}
    report.refresh_from_db()
    assert report.status == "accepted" and not report.replies.exists()
    api.post(url, {"status": "answered", "reply": "已转有关部门核查。"})
    report.refresh_from_db()
    assert report.status == "answered"
    assert [r.text for r in report.replies.all()] == ["已转有关部门核查。"]
    bad = api.post(url, {"status": "deleted"})
    assert bad.status_code == 400 and "status 应为" in bad.json()["error"]
    unknown = api.post("/api/v1/submissions/ffffffffffffffffffffffffffffffff/status/", {})
    assert unknown.status_code == 404 and unknown.json() == {"error": "没有这条提交。"}
    wrong_method = api.get(url)
    assert wrong_method.status_code == 405


def test_it_replaces_the_announcements(api: Any, client: Any, announced: Any) -> None:
    other = {**ANNOUNCEMENT, "token": "qixian-2026-t2", "org_name": "杞县人民政府"}
    done = api.put("/api/v1/announcements/", {"items": [other]})
    assert done.json() == {"ok": True, "count": 1}
    html = client.get("/").content.decode()
    assert "杞县人民政府" in html and "兰考县人民政府" not in html
    assert not Announcement.objects.get(token=ANNOUNCEMENT["token"]).active
    assert client.get(f"/r/{ANNOUNCEMENT['token']}/").status_code == 404
    assert client.get("/r/qixian-2026-t2/").status_code == 200
    broken = {**ANNOUNCEMENT, "phone": ""}
    refused = api.put("/api/v1/announcements/", {"items": [other, broken]})
    assert refused.status_code == 400
    assert refused.json() == {"error": "第2条缺少 phone，或它不是文字。"}
    assert Announcement.objects.filter(active=True).count() == 1  # nothing changed
    late = api.put("/api/v1/announcements/", {"items": [{**other, "end": "2026-01-01"}]})
    assert late.json() == {"error": "第1条的 end 早于 start。"}


def test_it_upserts_the_disclosures(api: Any, client: Any) -> None:
    first = {
        "key": "lankao-2026",
        "org_name": "兰考县人民政府",
        "title": "关于巡察整改进展情况的通报",
        "published_on": "2026-12-20",
        "text": "已整改问题12个。",
    }
    second = {
        **first,
        "key": "qixian-2026",
        "org_name": "杞县人民政府",
        "title": "杞县整改通报",
        "text": "杞县已整改问题8个。",
    }
    assert api.put("/api/v1/disclosures/", {"items": [first, second]}).json()["count"] == 2
    api.put("/api/v1/disclosures/", {"items": [{**first, "text": "已整改问题15个。"}]})
    html = client.get("/disclosures/").content.decode()
    assert "已整改问题15个。" in html and "已整改问题12个。" not in html
    assert "杞县整改通报" in html
    bad = api.put("/api/v1/disclosures/", {"items": [{**first, "published_on": "20日"}]})
    assert bad.json() == {"error": "第1条的 published_on 应为 YYYY-MM-DD 格式的日期。"}
    assert api.put("/api/v1/disclosures/", [1]).json() == {"error": "请求体应为 JSON 对象。"}


def test_it_empties_fetched_envelopes_after_the_retention(
    api: Any, announced: Any, citizen: Any, settings: Any
) -> None:
    import datetime as dt

    import time_machine
    from django.core.management import call_command

    from portal.conftest import receipt_of

    settings.PORTAL_ENVELOPE_DAYS = 30
    code = receipt_of(citizen.report())
    late = send_reports(announced, 1)[0]
    first = Submission.objects.order_by("seq").first()
    assert first is not None
    api.get(f"/api/v1/submissions/?after={first.seq}")  # the first one has arrived
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=31)):
        call_command("portal_purge")
    first.refresh_from_db()
    late.refresh_from_db()
    assert bytes(first.envelope) == b"" and bytes(late.envelope) != b""
    assert "已收到" in citizen.lookup(code).content.decode()  # the status stays readable
