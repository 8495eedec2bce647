"""A county's village round (对村巡察) in a real browser, and the two bodies above it following it
(上下联动).

The linked province of xunshi/testsupport/bodies.py (the province, 中共开封市委, 兰考县 and
杞县, each county with a first round taken to the feedback), grown by 兰考县's village registry:
23 villages under five of its real townships (东坝头镇, 堌阳镇, 南彰镇, 考城镇, 红庙镇), and four
cadres from four other units of the county with logins, so that 韩光明 of the county's 巡察办
and they make one team (a team's members come from different units).

On 24 August 2026 兰考县's office creates the village round, picks the 20 villages of four
townships, plans one team to them (一托20), applies the plan and lays the villages on the
working days from 1 September (驻村安排); the five members sign their pledge and the office
authorizes the team and sends the entry notice for the first village. On 1 September the
leader takes the team in, registers a letter, writes a working paper on it, takes it through
the group meeting and his own review and makes it a problem. The report, the feedback and the
ledger item's plan (deadline 20 November) go through the actions, on their days; on 1 December
the item is red: 开封市委's office sees 兰考县's round by stage and two red items on 上下联动,
and the province's office finds 兰考县 behind pace with its reasons.

Each server restart is a new process: sessions live in it, so every person logs in again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD

from .browser import (
    NEEDS_CHROMIUM,
    chromium_page,
    main_text,
    nav_click,
    run,
    serve,
    shot,
    sign_in,
    stage_button,
)

pytestmark = NEEDS_CHROMIUM

ROUND = "兰考县委十四届第二轮巡察"
# 兰考县's townships (their real names; codes as in xunshi/rounds/tests/lankao_villages.py)
# with invented villages. The first four hold the 20 villages of the round; 红庙镇 waits.
TOWNSHIPS = [
    ("410225101", "东坝头镇", ["东坝头村", "杨庄村", "雷新庄村", "双杨树村", "邵寨村", "夏武营村"]),
    ("410225102", "堌阳镇", ["徐场村", "范场村", "堌阳村", "南马庄村", "八里湾村"]),
    ("410225103", "南彰镇", ["南彰村", "陈庄村", "孟庄村", "王楼村", "刘寨村"]),
    ("410225104", "考城镇", ["考城村", "周庄村", "黄庄村", "赵楼村"]),
    ("410225105", "红庙镇", ["红庙村", "夏庄村", "张寨村"]),
]
CHOSEN = ["东坝头镇", "堌阳镇", "南彰镇", "考城镇"]
# (code, name, gender, unit, login): with 韩光明 (lk_leader) of the 巡察办, one team of five.
CADRES = [
    ("LK004", "李振华", "男", "兰考县纪委监委", "lk_lizh"),
    ("LK005", "王秀兰", "女", "兰考县委组织部", "lk_wangxl"),
    ("LK006", "陈国栋", "男", "兰考县审计局", "lk_chengd"),
    ("LK007", "刘文静", "女", "兰考县财政局", "lk_liuwj"),
]
LOGINS = {"韩光明": "lk_leader"} | {name: login for _c, name, _g, _u, login in CADRES}

SETUP = f"""
import datetime as dt

import django

django.setup()

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.testsupport.bodies import build_linked_world
from xunshi.testsupport.world import PASSWORD, build_world
from xunshi.users import actions as accounts

lankao = build_linked_world(build_world()).county_a.body
for code, township, villages in {TOWNSHIPS!r}:
    reg.org_upsert(actor=SYSTEM, body=lankao, data=reg.OrgInput(
        code=f"{{code}}000", name=f"{{township}}党委", sector="township"))
    for n, village in enumerate(villages, start=1):
        reg.org_upsert(actor=SYSTEM, body=lankao, data=reg.OrgInput(
            code=f"{{code}}{{200 + n}}", name=f"{{village}}党支部", sector="village",
            parent_code=f"{{code}}000"))
for n, (code, name, gender, unit, login) in enumerate({CADRES!r}, start=4):
    cadre = reg.cadre_upsert(actor=SYSTEM, body=lankao, data=reg.CadreInput(
        code=code, name=name, gender=gender, unit_name=unit,
        id_number=make_id_number("410225", dt.date(1980, 3, n), n * 2 + (gender == "男"))))[0]
    user = accounts.user_create(
        actor=SYSTEM, username=login, full_name=name, password=PASSWORD,
        must_change_password=False)
    accounts.user_grant_role(actor=SYSTEM, user=user, role=Role.INSPECTOR, cadre=cadre)
"""

PAPER = "村集体土地承包费收支未公开"
# From the entry to the feedback, each step on its day, then the ledger item's plan with a
# deadline that 1 December has passed. Through the actions: the report, the office's stages
# and the village's plan are the lifecycle browser test's walk, not what this test is about.
TO_FEEDBACK = """
import datetime as dt
import zoneinfo

import django
import time_machine

django.setup()

from xunshi.accounts.actors import SYSTEM
from xunshi.demo.group import hear_or_decide
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rounds.models import Inspection

insp = Inspection.objects.get(round__name=__ROUND__, stage="on_site")
for day, stage in [
    ((2026, 9, 2), "withdrawn"),
    ((2026, 9, 4), "report_drafted"),
    ((2026, 9, 10), "office_reviewed"),
    ((2026, 9, 15), "leading_group_heard"),
    ((2026, 9, 22), "committee_decided"),
    ((2026, 9, 29), "feedback_given"),
]:
    at = dt.datetime(*day, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=False):
        if stage == "report_drafted":
            report_text_save(
                actor=SYSTEM, inspection=insp, overview="村党支部能够落实上级决策部署。",
                suggestions="规范村集体“三资”管理。")
        if stage in ("leading_group_heard", "committee_decided"):
            hear_or_decide(insp, stage, dt.date(*day))  # the county's leading group records it
        else:
            inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
at = dt.datetime(2026, 10, 9, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
with time_machine.travel(at, tick=False):
    rect.item_plan(
        actor=SYSTEM, item=insp.rectification_items.get(), measures="按月公开土地承包费收支",
        responsible_leader="村党支部书记", responsible_department="镇农村经营管理站",
        deadline=dt.date(2026, 11, 20), kind="concentrated")
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=30_000) as p:
        yield p


def _said(page: Any, text: str) -> None:
    """The page reports success with text, and shows no form error."""
    page.wait_for_load_state()
    messages = page.locator(".messages")
    assert messages.count() == 1, f"no message on {page.url}: {main_text(page)[:800]}"
    said = messages.inner_text()
    assert text in said, said
    assert "error" not in (page.locator(".messages li").first.get_attribute("class") or ""), said
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def _stage(page: Any, label: str, now: str) -> None:
    """Press the stage button label; the page says the inspection is now in stage `now`."""
    button = stage_button(page, label)
    assert button.is_enabled(), f"“{label}” is blocked: {main_text(page)[:800]}"
    button.click()
    _said(page, f"已转入“{now}”阶段")


def _tab(page: Any, label: str) -> None:
    page.locator("nav.tabs").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def test_a_county_plans_a_village_round_and_the_city_and_the_province_follow_it(  # type: ignore[no-untyped-def]
    tmp_path, page
) -> None:
    with serve(tmp_path, SETUP, freeze="2026-08-24T09:00:00") as base:
        first = _plan_the_round(page, base)
        _sign_and_authorize(page, base, first)
    with serve(tmp_path, freeze="2026-09-01T09:00:00", fresh=False) as base:
        _record_a_problem(page, base, first)
    run(tmp_path, TO_FEEDBACK.replace("__ROUND__", repr(ROUND)))
    with serve(tmp_path, freeze="2026-12-01T10:00:00", fresh=False) as base:
        _the_city_follows(page, base, first)
        _the_province_follows(page, base)


def _plan_the_round(page: Any, base: str) -> str:
    """兰考县's office: the round, its 20 villages by township, one team, 驻村安排; the name
    of the first village the team goes to."""
    sign_in(page, base, "lk_office", PASSWORD)
    nav_click(page, "轮次与巡察组")
    form = page.locator("form[action$='/rounds/new/']")
    form.locator("[name=term]").select_option(label="十四届")
    form.locator("[name=ordinal]").fill("2")
    form.locator("[name=name]").fill(ROUND)
    form.locator("[name=kind]").select_option("village")
    form.locator("[name=theme]").fill("惠民政策落实、集体“三资”管理、基层组织建设")
    form.locator("[name=targets_per_team]").fill("20")
    form.locator("[name=start]").fill("2026-09-01")
    form.locator("[name=end]").fill("2026-11-30")
    form.locator("button").click()
    _said(page, f"已新建{ROUND}")
    assert "对村巡察" in main_text(page) and "一托20" in main_text(page)
    assert "本轮尚未组建巡察组。" in page.locator("table.teams").inner_text()
    shot(page, "villages-01-round-created")

    # The villages by township: none at first, then four townships at once, 20 in all.
    page.get_by_role("link", name="编制巡察方案").click()
    page.wait_for_selector("#plan-form")
    villages = page.locator("fieldset.sector-group[data-sector=village]")
    villages.locator("legend button[data-select=none]").first.click()
    assert page.locator("#picked-count").inner_text() == "0"
    for name in CHOSEN:
        township = villages.locator("fieldset.township-group", has_text=f"{name}党委")
        township.locator("legend button[data-select=all]").click()
    assert page.locator("#picked-count").inner_text() == "20"
    assert page.locator("#plan-form input[name=targets]:checked").count() == 20
    page.fill("#id_teams", "1")
    page.fill("#id_targets_per_team", "20")
    assert page.locator("#capacity").inner_text() == "20"
    shot(page, "villages-02-plan-parameters")

    # One team: 韩光明 of the 巡察办 leads, one cadre from each of the four other units.
    page.click("#start-planning")
    page.wait_for_selector("#plan-result", timeout=90_000)
    assert "最优" in page.locator(".status-line").inner_text()
    card = page.locator(".team-card")
    assert card.count() == 1
    team = card.inner_text()
    assert "第一巡察组" in team and "韩光明" in team, team
    assert "郑州市" not in team  # 兰考县's villages lie in 开封市, not in the provincial capital
    assert all(name in team for name in LOGINS)
    assert team.count("村党支部") == 20
    shot(page, "villages-03-plan-result")
    page.click("#accept-plan")
    page.wait_for_url(f"{base}/rounds/*/schedule/")
    _said(page, "已采用方案，组建了1个巡察组，分配了20个巡察对象。")

    # 驻村安排: one village after another, two working days each, from 1 September.
    form = page.locator("#schedule-form form")
    assert form.locator("[name=first]").input_value() == "2026-09-01"
    form.locator("[name=mode][value=sequence]").check()
    form.locator("[name=days_per_village]").fill("2")
    form.locator("button").click()
    _said(page, "已排定20个村（社区）的驻村时间。")
    shot(page, "villages-04-schedule")

    # The team's page: the 20 villages in the order of the visits, township by township.
    page.locator("#team-1 h2 a").click()
    assert "（一托20，已分配20个）" in page.locator("main h2", has_text="已分配").inner_text()
    rows = [r.split("\t") for r in page.locator("table.targets tbody tr").all_inner_texts()]
    assert [r[0] for r in rows] == [f"第{n}批" for n in range(1, 21)]
    assert list(dict.fromkeys(r[1] for r in rows)) == [f"{name}党委" for name in CHOSEN]
    assert rows[0][2] == "东坝头村党支部" and rows[0][5] == "2026-09-01 — 2026-09-02"
    spans = [r[5].split(" — ") for r in rows]
    days = [dt.date.fromisoformat(d) for span in spans for d in span]
    assert days == sorted(days) and len(set(days)) == 40, spans  # each village its own days
    assert days[-1] <= dt.date(2026, 11, 30)
    shot(page, "villages-05-team")
    return rows[0][2]


def _sign_and_authorize(page: Any, base: str, first: str) -> None:
    """Each member signs the pledge; the office authorizes the team for the first village and
    sends the entry notice."""
    members = page.locator("table.members tbody tr td:first-child").all_inner_texts()
    assert sorted(members) == sorted(LOGINS)
    for name in members:
        sign_in(page, base, LOGINS[name], PASSWORD)
        nav_click(page, "轮次与巡察组")
        page.get_by_role("link", name=ROUND).click()
        page.locator("table.teams a", has_text="第一巡察组").click()
        page.locator("#pledge").get_by_role("button", name="签署承诺").click()
        _said(page, "")
        assert "您已于" in page.locator("#pledge").inner_text()
    shot(page, "villages-06-pledges-signed")

    # The county's leading group approves the round's plan at its meeting.
    sign_in(page, base, "lk_group", PASSWORD)
    nav_click(page, "轮次与巡察组")
    page.get_by_role("link", name=ROUND).click()
    card = page.locator("#round-approval")
    card.locator("[name=meeting_number]").fill("2")
    card.locator("[name=held_on]").fill("2026-08-20")
    card.get_by_role("button", name="审批通过").click()
    _said(page, "已记录：领导小组第2次会议审批巡察工作方案。")

    sign_in(page, base, "lk_office", PASSWORD)
    nav_click(page, "轮次与巡察组")
    page.get_by_role("link", name=ROUND).click()
    page.locator("table.teams a", has_text="第一巡察组").click()
    page.locator("table.members").wait_for()
    assert page.locator("table.members .tag.red").count() == 0  # nobody left to sign
    page.get_by_role("link", name=first).click()
    page.get_by_role("link", name="进入巡察工作台").click()
    _stage(page, "授权", "已授权")
    _stage(page, "发出进驻通知", "已通知")
    shot(page, "villages-07-notified")


def _record_a_problem(page: Any, base: str, first: str) -> None:
    """1 September: the leader takes the team into the first village and, from a letter, makes
    a problem through the working paper's two reviews."""
    sign_in(page, base, "lk_leader", PASSWORD)
    nav_click(page, "轮次与巡察组")
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name=first).click()
    page.get_by_role("link", name="进入巡察工作台").click()
    _stage(page, "进驻", "进驻中")

    _tab(page, "信访")
    form = page.locator("#new-petition form")
    form.locator("[name=channel]").select_option("letter")
    form.locator("[name=category]").select_option(label="侵害群众利益问题")
    form.locator("[name=received_on]").fill("2026-09-01")
    form.locator("[name=reported_persons]").fill("村委会主任")
    form.locator("[name=content]").fill("反映村里土地承包费多年没有公开，去向不明。")
    form.locator("button").click()
    _said(page, "已登记第1号信访件")
    page.get_by_role("link", name="第1号").click()
    route = page.locator("#route form")
    route.locator("[name=in_scope][value=yes]").check()
    route.locator("[name=routing]").select_option("problem")
    route.locator("button").click()
    _said(page, "")

    _tab(page, "问题底稿")
    page.locator("[name=title]").fill(PAPER)
    page.locator("[name=category]").select_option(index=1)
    page.locator("[name=facts]").fill(
        "2023年至2025年村集体土地承包费收入共计12.6万元，未在村务公开栏公开。"
    )
    page.locator("[name=qualification]").fill("违反《村民委员会组织法》关于村务公开的规定。")
    page.locator("[name=responsibility_main]").fill("村党支部承担主体责任。")
    page.get_by_role("button", name="保存底稿").click()
    _said(page, "已新建问题底稿")
    letter = page.locator("[name=record] option", has_text="第1号信访件").first
    page.locator("[name=record]").select_option(letter.get_attribute("value"))
    page.get_by_role("button", name="关联证据").click()
    _said(page, "已添加证据材料")
    page.get_by_role("button", name="提交组务会审议").click()
    _said(page, "底稿已提交组务会审议")
    page.locator("[name=approve][value=yes]").check()
    page.locator("[name=meeting_on]").fill("2026-09-01")
    page.locator("[name=opinion]").fill("事实清楚，同意报组长审定。")
    page.get_by_role("button", name="登记审议意见").click()
    _said(page, "已登记组务会审议意见")
    page.locator("[name=approve][value=yes]").check()
    page.get_by_role("button", name="提交审定结果").click()
    _said(page, "")
    page.locator("[name=summary]").fill("村集体土地承包费收支未按规定公开。")
    page.get_by_role("button", name="形成问题").click()
    _said(page, "已形成第1个问题")
    shot(page, "villages-08-paper-problem")
    _tab(page, "问题")
    assert "村集体土地承包费收支未按规定公开" in main_text(page)
    shot(page, "villages-09-problems")


def _the_city_follows(page: Any, base: str, first: str) -> None:
    """1 December: 开封市委's office sees 兰考县's 20 villages by stage and two red items (the
    first round's and this one's), then the round on 兰考县's page."""
    sign_in(page, base, "kf_office", PASSWORD)
    nav_click(page, "上下联动")
    row = page.locator("table.oversight-bodies tbody tr", has_text="中共兰考县委")
    cells = row.locator("td").all_inner_texts()
    phases = page.locator("table.oversight-bodies thead tr").nth(1).locator("th")
    by_phase = dict(zip(phases.all_inner_texts(), cells[4:], strict=False))
    # 19 villages still to enter; the first round's village and this one's at the rectification.
    assert by_phase["准备"] == "19" and by_phase["进驻"] == "0" and by_phase["整改"] == "2"
    assert by_phase["红"] == "2" and row.locator(".tag.red", has_text="2").count() >= 1
    assert "2/32" in cells[2]  # 兰考县's 32 units: 5+1 townships, 23+3 villages
    assert "整改红色预警" in cells[-1] and "覆盖落后" in cells[-1]
    shot(page, "villages-10-city-oversight")

    row.get_by_role("link", name="中共兰考县委").click()
    village_round = page.locator("#rounds tr", has_text=ROUND).inner_text()
    assert "对村巡察" in village_round and "已计划 19" in village_round
    assert "已反馈 1" in village_round and "已报备" in village_round
    filed = page.locator("tr", has_text="反馈情况").filter(has_text=first).inner_text()
    assert ROUND in filed and "2026-09-29" in filed
    shot(page, "villages-11-city-county-page")


def _the_province_follows(page: Any, base: str) -> None:
    """The province's office finds 兰考县 behind pace, with its reasons."""
    sign_in(page, base, "alice", PASSWORD)
    nav_click(page, "上下联动")
    page.locator("#behind-link").click()
    row = page.locator("table.behind tbody tr", has_text="中共兰考县委")
    reasons = row.locator("ul.reasons li").all_inner_texts()
    assert row.locator("td").nth(1).inner_text() == "中共开封市委"
    assert reasons[0] == "全覆盖进度落后：十四届届期已过90%，仅覆盖6%（2/32个单位）。", reasons
    assert "2项整改事项红色预警（已逾期未销号）。" in reasons
    shot(page, "villages-12-province-behind")
