"""Each role lands on its desk and finds there what waits for it, counted and dated."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.audit.models import AuditHead
from xunshi.registry import actions as reg
from xunshi.testsupport.lifecycle import set_stage
from xunshi.testsupport.signin import authenticator_of
from xunshi.testsupport.world import PASSWORD
from xunshi.users import actions as accounts

from .scene import NOW, SECRET, build_scene

BACKEND = "django.contrib.auth.backends.ModelBackend"
ROW = re.compile(
    r'data-rule="(?P<rule>[a-z_]+)">\s*<h2><a href="(?P<link>[^"]*)">[^<]*</a> '
    r'<a class="desk-count" href="[^"]*">(?P<n>\d+) 项</a>'
)


@pytest.fixture
def scene(world):  # type: ignore[no-untyped-def]
    return build_scene(world)


def _desk(user: User, when: dt.datetime = NOW) -> tuple[str, dict[str, int], dict[str, str]]:
    """The user's desk on `when` (signed in then: a session ends after 30 idle minutes)."""
    client = Client()
    with time_machine.travel(when, tick=False):
        client.force_login(user, backend=BACKEND)
        response = client.get(reverse("desk_home"))
        assert response.status_code == 200
        page = response.content.decode()
    counts = {m["rule"]: int(m["n"]) for m in ROW.finditer(page)}
    links = {m["rule"]: m["link"].replace("&amp;", "&") for m in ROW.finditer(page)}
    return page, counts, links


def _section(page: str, rule: str) -> str:
    start = page.index(f'data-rule="{rule}"')
    return page[start : page.index("</section>", start)]


def test_every_role_lands_on_its_desk(world, login) -> None:  # type: ignore[no-untyped-def]
    for name, user in world.users.items():
        response = login(user).get("/")
        assert response.status_code == 302, name
        assert response["Location"] == reverse("desk_home"), name
        assert login(user).get(reverse("desk_home")).status_code == 200, name


def test_the_office_sees_the_overdue_clues_reports_red_items_and_the_portal(scene) -> None:  # type: ignore[no-untyped-def]
    page, counts, links = _desk(scene.world.users["alice"])
    assert counts == {
        "report_due": 1,
        "clue_transfer": 1,
        "clue_disposal": 2,
        "items_red": 1,
        "items_claimed": 1,
        "portal_unrouted": 1,
    }
    # Both clue feedbacks were due on 20 December 2026: 113 days ago.
    assert _section(page, "clue_disposal").count("逾期113天") == 2
    assert "逾期100天" in _section(page, "report_due")  # the report was due on 2 January
    assert "逾期102天" in _section(page, "items_red")  # the first item's 31 December
    assert "已等待11天" in _section(page, "items_claimed")  # claimed on 1 April
    assert "兰考县" in _section(page, "items_red")
    assert links["clue_disposal"] == reverse("clue_overdue") + "?overdue=1"
    assert links["items_red"] == reverse("supervision") + "?colour=red"
    assert links["items_claimed"] == reverse("ledger_home") + "?status=claimed"
    # The strip: one red, one yellow (15 April) item of the body's ledgers; nothing on site.
    assert re.search(r'desk-figure red"[^>]*><span class="value">1<', page)
    assert SECRET not in page


def test_the_leader_sees_papers_talks_letters_blockers_and_a_pledge(scene) -> None:  # type: ignore[no-untyped-def]
    page, counts, links = _desk(scene.world.users["dave"])
    assert counts == {
        "papers_to_review": 2,
        "talks_to_sign": 1,
        "petitions_pending": 1,
        "stage_blockers": 1,
        "pledges_unsigned": 1,
    }
    blockers = _section(page, "stage_blockers")
    assert "还有1份谈话记录未签认。" in blockers and "还有1件信访件未处理。" in blockers
    assert "刘红梅" in _section(page, "pledges_unsigned")
    insp = scene.world.inspection2.pk
    assert links["papers_to_review"] == reverse("paper_list", args=[insp])
    assert links["petitions_pending"] == reverse("petition_list", args=[insp]) + "?status=pending"
    # bob's team is past its site work: nothing waits for him.
    _page, bob, _links = _desk(scene.world.users["bob"])
    assert bob == {}


def test_the_member_sees_her_pledge_and_her_papers(scene) -> None:  # type: ignore[no-untyped-def]
    _page, counts, links = _desk(scene.hong)
    assert counts == {"own_pledge": 1, "own_papers": 2}
    assert links["own_pledge"] == reverse("team_detail", args=[scene.world.team2.pk])


def test_the_liaison_sees_the_late_report_and_this_week_s_deadline(scene) -> None:  # type: ignore[no-untyped-def]
    page, counts, _links = _desk(scene.world.users["erin"])
    assert counts == {"report_due": 1, "deadlines_week": 1}
    assert "逾期100天" in _section(page, "report_due")
    assert "3天后到期" in _section(page, "deadlines_week")  # 15 April
    assert "线索" not in page


def test_the_leading_group_sees_the_reports_to_hear_and_the_decisions(world, login) -> None:  # type: ignore[no-untyped-def]
    set_stage(inspection=world.inspection1, stage="office_reviewed")
    set_stage(inspection=world.inspection2, stage="leading_group_heard")
    page, counts, links = _desk(world.users["gina"])
    assert counts == {"reports_to_hear": 1, "decisions": 1}
    assert links["reports_to_hear"] == reverse("report_page", args=[world.inspection1.pk])
    assert "兰考县" in _section(page, "reports_to_hear")


def test_the_admins_see_lockouts_the_audit_chain_and_unused_accounts(world, login, client) -> None:  # type: ignore[no-untyped-def]
    # Locked after failures from many clients together (xunshi/accounts/throttle.py).
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "carol", "password": "wrong-password-1"},
            REMOTE_ADDR=f"10.1.0.{n + 1}",
        )
    now = dt.datetime.now(dt.UTC)  # the lockout lasts half an hour from now
    _page, counts, _links = _desk(world.users["sue"], now)
    assert counts["locked_accounts"] == 1

    page, counts, _links = _desk(world.users["aud"])
    assert "audit_chain" not in counts and "完整（核验最近" in page
    head = AuditHead.objects.get(pk=1)
    # A head that names the last event but was written without the audit key (set by hand).
    AuditHead.objects.filter(pk=1).update(mac="0" * 64)
    page, counts, _links = _desk(world.users["aud"])
    assert counts["audit_chain"] == 1 and "断裂" in page
    AuditHead.objects.filter(pk=1).update(mac=head.mac, last_hash="0" * 64)
    page, counts, _links = _desk(world.users["aud"])
    assert counts["audit_chain"] == 1 and "断裂" in page

    # The accounts whose role needs a second factor and that have none: gina has not enrolled
    # (carol, a team member, need not); once she has, she leaves the row.
    page, counts, links = _desk(world.users["sam"])
    waiting = counts["without_second_factor"]
    assert "（gina）" in _section(page, "without_second_factor")
    assert "（carol）" not in _section(page, "without_second_factor")
    assert links["without_second_factor"] == reverse("user_list") + "?no2fa=1"
    authenticator_of(world.users["gina"])
    page, counts, _links = _desk(world.users["sam"])
    assert counts.get("without_second_factor", 0) == waiting - 1
    assert "（gina）" not in page


def test_another_body_s_office_sees_nothing_of_this_body(scene) -> None:  # type: ignore[no-untyped-def]
    other = reg.body_create(
        actor=SYSTEM,
        name="中共信阳市委",
        level="city",
        region_code="411500",
        parent=scene.world.body,
    )
    user = accounts.user_create(
        actor=SYSTEM, username="xy", full_name="信阳", password=PASSWORD, must_change_password=False
    )
    accounts.user_grant_role(actor=SYSTEM, user=user, role=Role.OFFICE, body=other)
    page, counts, _links = _desk(user)
    assert counts == {}
    assert "兰考县" not in page and "目前没有待办事项。" in page


def test_every_link_on_each_desk_opens(scene, client) -> None:  # type: ignore[no-untyped-def]
    people = {**scene.world.users, "hong": scene.hong}
    for name, user in people.items():
        with time_machine.travel(NOW, tick=False):
            client.force_login(user, backend=BACKEND)
            page = client.get(reverse("desk_home")).content.decode()
            main = page[page.index("<main>") :]
            urls = {u.replace("&amp;", "&") for u in re.findall(r'href="(/[^"]*)"', main)}
            for url in sorted(urls):
                status = client.get(url).status_code
                assert status == 200, f"{name}: {url} answers {status}"


def test_the_rules_count_in_sql_not_per_row(scene, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(scene.world.users["alice"], backend=BACKEND)
        with django_assert_max_num_queries(40):
            assert client.get(reverse("desk_home")).status_code == 200


def test_a_due_in_the_future_reads_as_days_left(scene) -> None:  # type: ignore[no-untyped-def]
    page, _counts, _links = _desk(scene.world.users["erin"], dt.datetime(2027, 4, 14, 9, 0))
    assert "1天后到期" in _section(page, "deadlines_week")
