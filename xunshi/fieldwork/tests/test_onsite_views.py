"""The on-site pages per role, and what the team sees when it writes through them: the
office reads, the team reads and writes, anyone else outside the team gets 404, a role
without the function 403, a stranger the login page."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.fieldwork import actions
from xunshi.fieldwork.models import DocumentRequest, ImmediateFix, Petition, Talk
from xunshi.fieldwork.tests.test_onsite_talks import NOW, SHANGHAI, at
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]
OWN_READ = {"alice": 200, "gina": 403, "bob": 200, "carol": 200, "dave": 404, "erin": 403}
OTHER_READ = OWN_READ | {"bob": 404, "carol": 404, "dave": 200}
OWN_WRITE = OWN_READ | {"alice": 403}
OTHER_WRITE = OTHER_READ | {"alice": 403}
ADMINS = {"sam": 403, "sue": 403, "aud": 403}


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(world, clock):  # type: ignore[no-untyped-def]
    move_on_site(world.inspection1)
    world.inspection1.refresh_from_db()
    return world


def _records(w: Any, inspection: Any, leader: str, members: list[str]) -> dict[str, Any]:
    """One record of each kind in the inspection, made by its team."""
    actor = w.users[leader]
    cadres = [w.cadres[m] for m in members]
    talk = actions.talk_create(
        actor=actor,
        inspection=inspection,
        interviewee="赵有才",
        interviewee_post="县委书记",
        category="required",
        interviewers=cadres,
        recorder=cadres[-1],
        held_at=at(10),
        place="会议室",
    )
    petition = actions.petition_create(
        actor=actor,
        inspection=inspection,
        channel="letter",
        received_on=D(2026, 9, 5),
        content="反映扶贫资金被截留。",
        real_name=False,
    )
    req = actions.docrequest_create(
        actor=actor,
        inspection=inspection,
        documents="县委常委会会议记录\n扶贫资金台账",
        provider="县委办公室",
        requested_on=D(2026, 9, 3),
    )
    fix = actions.fix_create(
        actor=actor,
        inspection=inspection,
        issue="公务用车登记不全",
        measure="补登",
        responsible_unit="县委办公室",
    )
    return {"talk": talk, "petition": petition, "req": req, "fix": fix}


@pytest.fixture
def scene(site):  # type: ignore[no-untyped-def]
    """Records in team 1's inspection; team 2's (one cadre, so no talk) by `_make_other`."""
    move_on_site(site.inspection2)
    site.inspection2.refresh_from_db()
    own = _records(site, site.inspection1, "bob", ["bob", "carol"])
    return site, own


def _gets(w: Any, rec: dict[str, Any], inspection: Any) -> list[tuple[str, int]]:
    i = inspection.pk
    return [
        ("talk_list", i),
        ("petition_list", i),
        ("docrequest_list", i),
        ("fix_list", i),
        *[(name, rec[key].pk) for name, key in _DETAILS if key in rec],
    ]


_DETAILS = [
    ("talk_detail", "talk"),
    ("petition_detail", "petition"),
    ("docrequest_slip", "req"),
]
_POSTS = [
    ("talk_update", "talk"),
    ("talk_sign_off", "talk"),
    ("petition_route", "petition"),
    ("petition_reply", "petition"),
    ("docrequest_handover", "req"),
    ("docrequest_return", "req"),
    ("fix_done", "fix"),
]
_CREATES = ["talk_create", "petition_create", "docrequest_create", "fix_create"]


def _other_records(w: Any) -> dict[str, Any]:
    petition = Petition.objects.get(inspection=w.inspection2)
    return {
        "petition": petition,
        "req": DocumentRequest.objects.get(inspection=w.inspection2),
        "fix": ImmediateFix.objects.get(inspection=w.inspection2),
    }


def _make_other(w: Any) -> None:
    dave = w.users["dave"]
    actions.petition_create(
        actor=dave,
        inspection=w.inspection2,
        channel="call",
        received_on=D(2026, 9, 5),
        content="反映违规发放津贴。",
        real_name=False,
    )
    actions.docrequest_create(
        actor=dave,
        inspection=w.inspection2,
        documents="财务凭证",
        provider="办公室",
        requested_on=D(2026, 9, 3),
    )
    actions.fix_create(
        actor=dave, inspection=w.inspection2, issue="问题", measure="措施", responsible_unit="处室"
    )


@pytest.mark.parametrize("who", ROLES)
def test_it_gives_each_role_its_status_on_own_and_other_pages(scene, login, who):
    w, own = scene
    _make_other(w)
    other = _other_records(w)
    client = login(w.users[who])
    for scope, rec, insp, expected in (
        ("own", own, w.inspection1, OWN_READ),
        ("other", other, w.inspection2, OTHER_READ),
    ):
        for name, pk in _gets(w, rec, insp):
            status = client.get(reverse(name, args=[pk])).status_code
            assert status == (expected | ADMINS)[who], (scope, name, status)


@pytest.mark.parametrize("who", ROLES)
def test_it_lets_only_the_team_write(scene, login, who):
    w, own = scene
    _make_other(w)
    other = _other_records(w)
    client = login(w.users[who])
    counts = [m.objects.count() for m in (Talk, Petition, DocumentRequest, ImmediateFix)]
    for scope, rec, insp, expected in (
        ("own", own, w.inspection1, OWN_WRITE),
        ("other", other, w.inspection2, OTHER_WRITE),
    ):
        targets = [(n, insp.pk) for n in _CREATES]
        targets += [(n, rec[key].pk) for n, key in _POSTS if key in rec]
        for name, pk in targets:
            status = client.post(reverse(name, args=[pk]), {}).status_code
            want = (expected | ADMINS)[who]
            # The team's empty form comes back with its errors (200) or as a message (302).
            assert status in ((200, 302) if want == 200 else (want,)), (scope, name, status)
    # Empty forms save nothing, whoever sends them.
    assert counts == [m.objects.count() for m in (Talk, Petition, DocumentRequest, ImmediateFix)]


def test_it_sends_a_stranger_to_the_login_page(scene, client):
    _w, own = scene
    for name, pk in (("talk_list", own["talk"].inspection_id), ("talk_detail", own["talk"].pk)):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _html(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def test_it_offers_the_forms_to_the_team_and_not_to_the_office(scene, login):
    w, _own = scene
    url = reverse("talk_list", args=[w.inspection1.pk])
    assert 'id="new-talk"' in _html(login(w.users["carol"]).get(url))
    office = _html(login(w.users["alice"]).get(url))
    assert 'id="new-talk"' not in office and "赵有才" in office
    assert "当前阶段为" not in office


def test_it_tells_the_team_why_it_cannot_record_yet(world, clock, login):
    html = _html(login(world.users["bob"]).get(reverse("talk_list", args=[world.inspection1.pk])))
    assert 'id="new-talk"' not in html
    assert "当前阶段为“已计划”，不能在此登记或修改。" in html


def _talk_data(w: Any, **kw: Any) -> dict[str, Any]:
    return {
        "interviewee": "钱进",
        "interviewee_post": "县长",
        "category": "optional",
        "interviewers": [w.cadres["bob"].pk, w.cadres["carol"].pk],
        "recorder": w.cadres["carol"].pk,
        "held_at": "2026-09-12T15:00",
        "place": "县政府",
    } | kw


def test_it_records_a_talk_from_the_form(site, login):
    client = login(site.users["carol"])
    url = reverse("talk_create", args=[site.inspection1.pk])
    response = client.post(url, _talk_data(site), follow=True)
    html = _html(response)
    assert response.redirect_chain[-1][0] == reverse("talk_list", args=[site.inspection1.pk])
    assert "已登记与钱进的谈话。" in html and "2026-09-12 15:00" in html
    talk = Talk.objects.get()
    assert talk.category == "optional" and talk.held_at == dt.datetime(
        2026, 9, 12, 15, tzinfo=SHANGHAI
    )


def test_it_shows_a_refused_talk_on_its_form_and_saves_nothing(site, login):
    client = login(site.users["bob"])
    data = _talk_data(site, interviewers=[site.cadres["bob"].pk])
    response = client.post(reverse("talk_create", args=[site.inspection1.pk]), data)
    assert response.status_code == 200
    html = _html(response)
    assert "个别谈话须有两名以上谈话人。" in html and 'value="钱进"' in html
    assert not Talk.objects.exists()


def test_it_signs_off_a_talk_and_then_refuses_to_edit_it(scene, login):
    w, own = scene
    talk = own["talk"]
    client = login(w.users["carol"])
    edit = reverse("talk_update", args=[talk.pk])
    client.post(edit, {"outline": "提纲", "record": "谈话记录正文"})
    html = _html(client.post(reverse("talk_sign_off", args=[talk.pk]), follow=True))
    assert "谈话记录已签认，此后不能再修改。" in html and 'id="edit-talk"' not in html
    response = client.post(edit, {"outline": "", "record": "改过的记录"})
    assert response.status_code == 200 and "谈话记录已签认，不能修改。" in _html(response)
    talk.refresh_from_db()
    assert talk.record == "谈话记录正文"


def test_it_refuses_to_sign_off_an_empty_record_with_a_message(scene, login):
    w, own = scene
    client = login(w.users["bob"])
    html = _html(client.post(reverse("talk_sign_off", args=[own["talk"].pk]), follow=True))
    assert "谈话记录为空，不能签认。" in html
    assert Talk.objects.get().signed_off_at is None


def test_it_registers_a_petition_and_numbers_it(site, login):
    client = login(site.users["carol"])
    url = reverse("petition_create", args=[site.inspection1.pk])
    data = {"channel": "visit", "received_on": "2026-09-14", "content": "反映问题。"}
    html = _html(client.post(url, data))
    assert "反映问题类别" in html and "这个字段是必填项" in html
    data["category"] = "public_interest"
    html = _html(client.post(url, data | {"real_name": "on", "petitioner_name": "孙某"}))
    assert "实名信访件须填写反映人联系方式。" in html
    assert not Petition.objects.exists()
    html = _html(client.post(url, data, follow=True))
    assert "已登记第1号信访件。" in html and "匿名" in html
    petition = Petition.objects.get()
    assert petition.get_category_display() == "侵害群众利益问题"
    detail = _html(client.get(reverse("petition_detail", args=[petition.pk])))
    assert "侵害群众利益问题" in detail


def test_it_routes_a_petition_and_shows_what_is_missing(scene, login):
    w, own = scene
    petition = own["petition"]
    client = login(w.users["bob"])
    url = reverse("petition_route", args=[petition.pk])
    data = {"in_scope": "no", "routing": "forwarded", "forwarded_to": "县信访局"}
    response = client.post(url, data)
    assert response.status_code == 200 and "转交其他机关须填写转交日期。" in _html(response)
    html = _html(client.post(url, data | {"forwarded_on": "2026-09-06"}, follow=True))
    assert "第1号信访件已处理：转交其他机关。" in html
    petition.refresh_from_db()
    assert petition.forwarded_on == D(2026, 9, 6) and petition.in_scope is False


def test_it_offers_no_reply_to_an_anonymous_petition_and_refuses_one(scene, login):
    w, own = scene
    petition = own["petition"]
    client = login(w.users["bob"])
    assert 'id="reply"' not in _html(client.get(reverse("petition_detail", args=[petition.pk])))
    data = {"reply": "答复", "replied_on": "2026-09-10"}
    response = client.post(reverse("petition_reply", args=[petition.pk]), data)
    assert response.status_code == 200 and "匿名信访件无法答复。" in _html(response)


def test_it_hands_documents_over_from_the_list(scene, login):
    w, own = scene
    req = own["req"]
    client = login(w.users["carol"])
    url = reverse("docrequest_handover", args=[req.pk])
    data = {"handed_over_on": "2026-09-02", "handed_over_by": "孙明"}
    data |= {"received_by": w.cadres["carol"].pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "移交日期（2026年9月2日）早于调阅日期（2026年9月3日）。" in _html(response)
    html = _html(client.post(url, data | {"handed_over_on": "2026-09-04"}, follow=True))
    assert "第1号调阅资料已移交。" in html and "孙明 → 李秀英" in html
    html = _html(
        client.post(
            reverse("docrequest_return", args=[req.pk]), {"returned_on": "2026-09-15"}, follow=True
        )
    )
    assert "第1号调阅资料已归还。" in html and "2026-09-15" in html


def test_it_records_an_immediate_fix_and_marks_it_done(site, login):
    client = login(site.users["bob"])
    data = {"issue": "公车私用", "measure": "收回车辆", "responsible_unit": "机关事务局"}
    html = _html(client.post(reverse("fix_create", args=[site.inspection1.pk]), data, follow=True))
    assert "已登记立行立改事项。" in html and "整改中" in html
    fix = ImmediateFix.objects.get()
    done = reverse("fix_done", args=[fix.pk])
    response = client.post(done, {"done_on": "2026-09-20"})
    assert response.status_code == 200 and "完成日期（2026年9月20日）不能晚于今天。" in _html(
        response
    )
    html = _html(client.post(done, {"done_on": "2026-09-15"}, follow=True))
    assert "立行立改事项已登记完成。" in html
    fix.refresh_from_db()
    assert fix.done_on == D(2026, 9, 15)


def test_it_lists_talks_and_documents_in_a_fixed_number_of_queries(scene, login):
    w, _own = scene
    client = login(w.users["bob"])

    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, args=[w.inspection1.pk])).status_code == 200
        return len(ctx.captured_queries)

    before = {name: count(name) for name in ("talk_list", "docrequest_list", "petition_list")}
    _records(w, w.inspection1, "bob", ["bob", "carol"])
    _records(w, w.inspection1, "bob", ["bob", "carol"])
    after = {name: count(name) for name in before}
    assert after == before
