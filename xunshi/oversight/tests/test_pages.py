"""The oversight pages: the city over its counties, the province over the city and its
counties, behind pace, one lower body, and the lower office's own filings; a body that is not
below gets 404, roles without the function 403, and no case content or case link appears."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.deadlines.actions import ruleset_create_version
from xunshi.lifecycle.actions import inspection_transition
from xunshi.oversight import actions, views
from xunshi.oversight.models import Filing
from xunshi.rectification import actions as rect
from xunshi.rounds import actions as rnd
from xunshi.testsupport.bodies import linked_body
from xunshi.testsupport.lifecycle import move_on_site, set_stage

from .conftest import MARKER

HREF = re.compile(r"""(?:href|action)=["']([^"'#?]+)""")
# The only pages an oversight page may link to (a lower body's case pages stay 404 above).
LINKABLE = {
    "home",
    "oversight_home",
    "oversight_behind",
    "oversight_body",
    "oversight_filing",
    "filing_return",
    "filing_accept",
    "point_create",
    "password_change",
    "logout",
    "set_language",
    # The search box at the top of every page: search applies the reader's own access
    # (xunshi/search/tests/test_crawl.py).
    "search",
}


def _rows(client: Any, **query: Any) -> dict[str, Any]:
    response = client.get(reverse("oversight_home"), query)
    assert response.status_code == 200
    return {r.body.name: r for r in response.context["rows"]}


def test_the_city_sees_its_counties_with_their_counts(linked, login):
    client = login(linked.city.office)
    rows = _rows(client)
    assert list(rows) == ["中共杞县委", "中共兰考县委"]  # by region code
    lankao, qixian = rows["中共兰考县委"], rows["中共杞县委"]
    assert (lankao.term.name, lankao.elapsed_pct) == ("十四届", 90)
    assert (lankao.covered, lankao.in_scope, lankao.coverage_pct) == (1, 4, 25)
    assert (qixian.term.name, qixian.elapsed_pct, qixian.coverage_pct) == ("十五届", 10, 33)
    for row in (lankao, qixian):
        assert row.rounds_this_year == 1
        assert dict(row.phase_counts) == {
            "准备": 0,
            "进驻": 0,
            "报告": 0,
            "整改": 1,
            "办结": 0,
            "暂停": 0,
        }
        assert (row.red, row.yellow, row.green) == (1, 0, 0)
        assert (row.clues_transferred, row.clues_overdue) == (1, 1)
    assert lankao.last_filing.date() == dt.date(2026, 6, 1)
    assert qixian.last_filing.date() == dt.date(2026, 8, 20)
    page = client.get(reverse("oversight_home")).content.decode()
    assert "届期已过 90%" in page and "25%" in page
    assert "全覆盖进度落后" in page


def test_each_county_s_items_are_coloured_by_its_own_deadline_rules(linked, login):
    # Both items fall due in 15 days: green under the deployment's rules (yellow from 10
    # days), yellow under 杞县's own (yellow from 20 days).
    for county in (linked.county_a, linked.county_b):
        rect.item_plan(
            actor=SYSTEM,
            item=county.item,
            measures="建立村级财务公开制度",
            responsible_leader="村党支部书记",
            responsible_department="乡镇经管站",
            deadline=dt.date(2026, 12, 16),
            kind="concentrated",
        )
    ruleset_create_version(
        actor=linked.county_b.office,
        changes={"warning_green": (30, "calendar_days"), "warning_yellow": (20, "calendar_days")},
        note="杞县委巡察办调整预警提前量",
        body_id=linked.county_b.body.pk,
    )
    rows = _rows(login(linked.city.office))
    lankao, qixian = rows["中共兰考县委"], rows["中共杞县委"]
    assert (lankao.red, lankao.yellow, lankao.green) == (0, 0, 1)
    assert (qixian.red, qixian.yellow, qixian.green) == (0, 1, 0)


def test_the_province_sees_the_city_with_its_counties_grouped_under_it(world, linked, login):
    client = login(world.users["alice"])
    response = client.get(reverse("oversight_home"))
    order = [(r.body.name, r.depth) for r in response.context["rows"]]
    assert order == [("中共开封市委", 0), ("中共杞县委", 1), ("中共兰考县委", 1)]
    # Drilling into the city keeps it and its counties.
    under = client.get(reverse("oversight_home"), {"under": linked.city.body.pk})
    assert [r.body.name for r in under.context["rows"]] == [n for n, _ in order]
    assert client.get(reverse("oversight_home"), {"under": world.body.pk}).status_code == 404
    # The leading group reads the same page.
    gina = login(world.users["gina"]).get(reverse("oversight_home"))
    assert len(gina.context["rows"]) == 3


def test_the_province_pages_its_bodies_keeping_each_city_with_its_counties(
    world, linked, login, monkeypatch
):
    monkeypatch.setattr(views, "BODIES_PER_PAGE", 2)
    linked_body(
        parent=world.body,
        name="中共洛阳市委",
        level="city",
        region_code="410300",
        abbreviation="洛",
        login="ly",
        term=("十三届", dt.date(2021, 9, 1), dt.date(2026, 8, 31)),  # ended: behind pace
        orgs=[("LY-01", "洛阳市直单位党组", "department")],
        cadres=[("LY01", "洛阳测试员", "男")],
    )
    client = login(world.users["alice"])
    first = client.get(reverse("oversight_home"))
    # 开封市委 with its two counties is more than a page: a page of its own.
    assert [r.body.name for r in first.context["rows"]] == [
        "中共开封市委",
        "中共杞县委",
        "中共兰考县委",
    ]
    page = first.content.decode()
    assert "第 1 / 2 页，共 4 个下级党组织" in page
    assert "落后进度（4）" in page  # counted over every page
    second = client.get(reverse("oversight_home"), {"bpage": 2})
    assert [r.body.name for r in second.context["rows"]] == ["中共洛阳市委"]


def test_a_county_office_gets_404_on_any_body_that_is_not_below_it(world, linked, login):
    lankao = linked.county_a
    client = login(lankao.office)
    for body in (linked.county_b.body, linked.city.body, world.body, lankao.body):
        assert client.get(reverse("oversight_body", args=[body.pk])).status_code == 404
    city = login(linked.city.office)
    assert city.get(reverse("oversight_body", args=[world.body.pk])).status_code == 404
    assert city.get(reverse("oversight_body", args=[lankao.body.pk])).status_code == 200
    other = Filing.objects.filter(from_body=linked.county_b.body).first()
    assert other is not None
    client = login(lankao.office)  # the one test client, signed in again
    assert client.get(reverse("oversight_filing", args=[other.pk])).status_code == 404


def test_team_cadres_liaisons_and_the_three_admins_get_403(world, linked, login):
    lankao = linked.county_a
    users = [lankao.users["leader"], lankao.users["liaison"], world.users["bob"]]
    users += [world.users[n] for n in ("erin", "sam", "sue", "aud")]
    for user in users:
        client = login(user)
        assert client.get(reverse("oversight_home")).status_code == 403, user
        assert client.get(reverse("oversight_body", args=[lankao.body.pk])).status_code == 403


def _behind_row(page: str, county: Any) -> str:
    """The behind-pace row of the county (empty when it is not listed)."""
    parts = page.split(f'id="behind-{county.body.pk}"')
    return parts[1].split("</tr>")[0] if len(parts) > 1 else ""


def test_behind_pace_lists_the_county_below_pace_and_says_why(linked, login):
    page = login(linked.city.office).get(reverse("oversight_behind")).content.decode()
    lankao, qixian = _behind_row(page, linked.county_a), _behind_row(page, linked.county_b)
    assert "全覆盖进度落后：十四届届期已过90%，仅覆盖25%（1/4个单位）。" in lankao
    assert "1项整改事项红色预警（已逾期未销号）。" in lankao
    assert "1条问题线索已超过处置反馈期限，未反馈处置结果。" in lankao
    # 杞县 is on pace for coverage (10 % of its term, 33 % covered) but has a red item.
    assert "全覆盖进度落后" not in qixian
    assert "1项整改事项红色预警（已逾期未销号）。" in qixian


def test_behind_pace_names_rounds_late_to_report(linked, login):
    qixian = linked.county_b
    late = rnd.inspection_create(
        actor=SYSTEM, team=qixian.inspection.team, target=qixian.orgs[2], kind="village"
    )
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False):
        move_on_site(late)
        inspection_transition(actor=SYSTEM, inspection=late, to="withdrawn")
    plan = Filing.objects.get(from_body=qixian.body, kind="plan")
    with time_machine.travel(dt.datetime(2026, 11, 1, 10, 0), tick=False):
        actions.filing_return(actor=linked.city.office, filing=plan, reason="请补充人员分工。")
    page = login(linked.city.office).get(reverse("oversight_behind")).content.decode()
    row = _behind_row(page, qixian)
    assert "1个巡察对象撤离已超过60天，未报备巡察报告情况。" in row
    assert "1轮巡察工作方案被退回已超过15天，未重新报备。" in row


def test_a_round_on_site_without_its_plan_filed_is_late_and_may_be_filed(linked, login):
    qixian = linked.county_b
    second = rnd.round_create(
        actor=SYSTEM,
        body=qixian.body,
        term=qixian.term,
        ordinal=2,
        name="杞县委十五届第二轮巡察",
        kind="village",
        sector_mode="mixed",
    )
    team = rnd.team_create(
        actor=SYSTEM, round=second, number=1, rule_set=qixian.inspection.team.rule_set
    )
    rnd.membership_add(actor=SYSTEM, team=team, cadre=qixian.cadres[0], role="leader")
    insp = rnd.inspection_create(actor=SYSTEM, team=team, target=qixian.orgs[0], kind="village")
    set_stage(inspection=insp, stage="on_site")  # past the authorization, by the back door
    page = login(linked.city.office).get(reverse("oversight_behind")).content.decode()
    assert "1轮巡察已进驻，未报备巡察工作方案。" in _behind_row(page, qixian)
    county = login(qixian.office)
    round_page = county.get(reverse("round_detail", args=[second.pk])).content.decode()
    assert "补报巡察工作方案" in round_page
    county.post(reverse("filing_refile", args=[second.pk]))
    assert Filing.objects.get(round=second, kind="plan").version == 1
    page = login(linked.city.office).get(reverse("oversight_behind")).content.decode()
    assert "未报备巡察工作方案" not in _behind_row(page, qixian)


def test_one_lower_body_shows_its_terms_rounds_filings_and_points(linked, login):
    lankao = linked.county_a
    actions.point_create(
        actor=linked.city.office,
        to_body=lankao.body,
        text="抓好村级“三资”问题整改。",
        due=dt.date(2026, 12, 31),
    )
    client = login(linked.city.office)
    page = client.get(reverse("oversight_body", args=[lankao.body.pk])).content.decode()
    assert "十四届" in page and "2027-05-31" in page
    assert "兰考县委十四届第一轮巡察" in page and "已反馈 1" in page
    for kind in ("巡察工作方案及组建情况", "巡察报告情况", "反馈情况"):
        assert kind in page
    assert "抓好村级“三资”问题整改。" in page
    plan = Filing.objects.get(from_body=lankao.body, kind="plan")
    filing = client.get(reverse("oversight_filing", args=[plan.pk])).content.decode()
    assert "韩光明" in filing and "张庄村党支部" in filing and "退回" in filing


def test_the_lower_office_sees_its_own_filings_and_their_review(linked, login):
    lankao = linked.county_a
    plan = Filing.objects.get(from_body=lankao.body, kind="plan")
    actions.filing_return(actor=linked.city.office, filing=plan, reason="请补充人员分工。")
    response = login(lankao.office).get(reverse("oversight_home"))
    page = response.content.decode()
    assert response.context["rows"] == []
    assert "本单位向中共开封市委的报备" in page
    assert page.count('href="/oversight/filings/') == 3
    assert "已退回" in page and "请补充人员分工。" in page
    filing = login(lankao.office).get(reverse("oversight_filing", args=[plan.pk])).content.decode()
    assert "请补充人员分工。" in filing
    assert 'id="review"' not in filing  # the county does not review its own filing


def _crawl(client: Any, start: str) -> dict[str, str]:
    """Every oversight page reachable from `start`, by URL."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
        # The page's own content; the navigation bar is the same on every page.
        main = seen[url].split("<main>", 1)[1]
        for href in HREF.findall(main):
            if href.startswith("/static/"):
                continue
            name = resolve(href).url_name
            assert name in LINKABLE, f"{url} links to {href} ({name})"
            if name in ("oversight_home", "oversight_behind", "oversight_body", "oversight_filing"):
                queue.append(href)
            if name == "point_create":
                queue.append(href)
    return seen


def test_no_case_content_and_no_case_link_on_any_oversight_page(world, linked, login):
    lankao = linked.county_a
    for user in (linked.city.office, world.users["alice"], world.users["gina"]):
        client = login(user)
        pages = _crawl(client, reverse("oversight_home"))
        text = "".join(pages.values())
        assert MARKER not in text
        # The crawl reached the summaries: the filings of both counties and their figures.
        assert any("/oversight/filings/" in u for u in pages)
        assert "韩光明" in text and "孔德华" in text and "张庄村党支部" in text
        # The case records themselves stay 404 above the county.
        insp = lankao.inspection
        for name, pk in [
            ("inspection_detail", insp.pk),
            ("ledger", insp.pk),
            ("talk_list", insp.pk),
            ("clue_detail", lankao.clue.pk),
            ("paper_detail", lankao.problem.paper.pk),
            ("round_detail", lankao.round.pk),
        ]:
            assert client.get(reverse(name, args=[pk])).status_code in (403, 404), name


def test_the_page_counts_in_a_fixed_number_of_queries(world, linked, login):
    client = login(world.users["alice"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("oversight_home"))
    for n in range(3):
        linked_body(
            parent=linked.city.body,
            name=f"中共测试{n}县委",
            level="county",
            region_code=f"41029{n}",
            abbreviation="",
            login=f"t{n}",
            term=("一届", dt.date(2025, 1, 1), dt.date(2029, 12, 31)),
            orgs=[(f"T{n}-01", f"测试{n}乡党委", "township")],
            cadres=[(f"T{n}01", f"测试员{n}", "男")],
        )
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("oversight_home"))
    assert len(response.context["rows"]) == 6
    assert len(more) == len(few)
