"""Planning a round in a real browser: parameters and proposed targets, the solver's plan, a
swap of two targets with its live check, acceptance, the teams on the round page.

Its own server process on its own SQLite file, like test_browser.py, with the test world
grown by a second round to plan: four counties (嵩县 and 栾川县 in 洛阳, 沈丘县 in 周口, the
world's 新县), a department and an SOE, and a pool of leaders and members from different
units, two of them born in a county of the round. The plan (3 teams, 一托2) is unique, so
every swap between teams makes the objective worse, which is what the test sees.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM
ROUND = "十一届省委第二轮巡视"
# (cadre code, target code) of the origin-place hits the setup below creates.
CONFLICTS = {("C105", "410325"), ("C106", "411624")}

SETUP = """
import datetime as dt
import django

django.setup()

from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.rounds import actions as rnd
from xunshi.testsupport.world import build_world
from xunshi.accounts.actors import SYSTEM

w = build_world()
reg.regions_load(actor=SYSTEM, rows=[
    ("410300", "洛阳市", "city", "410000"),
    ("410324", "栾川县", "county", "410300"),
    ("410325", "嵩县", "county", "410300"),
    ("411600", "周口市", "city", "410000"),
    ("411624", "沈丘县", "county", "411600"),
])
for code, name, sector, region, tags in [
    ("410324", "栾川县", "county", "410324", ("贫困县",)),
    ("410325", "嵩县", "county", "410325", ("贫困县",)),
    ("411624", "沈丘县", "county", "411624", ()),
    ("D020", "河南省教育厅", "department", "", ()),
    ("S001", "河南能源集团有限公司", "soe", "", ()),
]:
    reg.org_upsert(actor=SYSTEM, body=w.body, data=reg.OrgInput(
        code=code, name=name, sector=sector, region_code=region, tags=tags))
for seq, (code, name, unit, post, lead, skills, origin) in enumerate([
    ("C101", "赵国强", "省纪委监委", "监督检查室主任", True, ("纪检监察",), ""),
    ("C102", "钱志远", "省委组织部", "干部监督处处长", True, ("组织人事",), ""),
    ("C103", "孙明", "省审计厅", "副厅长", True, ("财务审计",), ""),
    ("C104", "周涛", "省委宣传部", "处长", False, ("文字综合",), ""),
    ("C105", "郑华", "省信访局", "处长", False, ("信访",), "410325"),
    ("C106", "冯军", "省统计局", "副处长", False, ("财务审计",), "411624"),
    ("C107", "王芳", "省国资委", "处长", False, ("国资国企",), ""),
    ("C108", "陈静", "省委政法委", "副处长", False, ("法律",), ""),
], start=11):
    reg.cadre_upsert(actor=SYSTEM, body=w.body, data=reg.CadreInput(
        code=code, name=name, gender="男", unit_name=unit, post=post, can_lead=lead,
        skills=skills, origin_code=origin, rank="正处级",
        id_number=make_id_number("410102", dt.date(1972, 1, seq), seq * 2 + 1)))
rnd.round_create(
    actor=SYSTEM, body=w.body, term=w.term, ordinal=2, name="十一届省委第二轮巡视", kind="regular",
    sector_mode="mixed", targets_per_team=2, theme="脱贫攻坚",
    start=dt.date(2027, 3, 1), end=dt.date(2027, 4, 30))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real server process holding the grown test world."""
    with serve(tmp_path_factory.mktemp("browser-planning"), SETUP) as url:
        yield url


@pytest.fixture
def page() -> Iterator:  # type: ignore[no-untyped-def]
    with chromium_page(timeout_ms=30_000, accept_downloads=True) as p:
        yield p


def _clean_swap(teams: list[dict]) -> tuple[int, str, str]:  # type: ignore[type-arg]
    """A swap between team 1 and another team that brings no member onto a target he must
    avoid: (the other team's number, team 1's target, the other team's target)."""
    first = teams[0]
    for number, other in enumerate(teams[1:], start=2):
        for mine in first["targets"]:
            for theirs in other["targets"]:
                hits = {(c, theirs) for c in first["members"]} | {
                    (c, mine) for c in other["members"]
                }
                if not hits & CONFLICTS:
                    return number, mine, theirs
    raise AssertionError("no swap without an avoidance hit")


def test_it_plans_a_round_swaps_two_targets_and_accepts(server, page):
    from xunshi.testsupport.world import PASSWORD

    base = server
    sign_in(page, base, "alice", PASSWORD)  # the office enrols its authenticator on the way
    page.wait_for_url(f"{base}/desk/")  # the office lands on its desk
    page.goto(f"{base}/rounds/coverage/")

    # The round page links to its planning page.
    page.goto(f"{base}/rounds/")
    page.get_by_role("link", name=ROUND).click()
    page.click("#plan-round")
    page.wait_for_selector("#plan-form")

    # Proposed from coverage: the four counties, the department and the SOE, each with why.
    proposed = page.locator("li[data-proposed]")
    assert proposed.count() == 6
    assert page.locator("li[data-proposed] input:checked").count() == 6
    first = proposed.filter(has_text="嵩县").first.inner_text()
    assert "由全覆盖推荐" in first and "贫困县" in first
    assert page.input_value("#id_teams") == "3"
    assert page.locator("#picked-count").inner_text() == "6"
    assert page.locator("#capacity").inner_text() == "6"
    # The filter narrows the list as one types, by pinyin initials too.
    page.fill("#f-q", "lc")
    assert page.locator("li[data-search]:visible").count() == 1
    page.fill("#f-q", "")
    page.fill("#id_size_lo", "2")
    page.fill("#id_size_hi", "3")
    shot(page, "11-plan-parameters")

    page.click("#start-planning")
    page.wait_for_selector("#plan-result", timeout=90_000)
    assert "最优" in page.locator(".status-line").inner_text()
    cards = page.locator(".team-card")
    assert cards.count() == 3
    assert page.locator(".team-card .ok").count() == 3  # 未发现回避情形, three times
    before = page.locator("#objective-value").inner_text().strip()
    assert before.isdigit()
    shot(page, "12-plan-result")

    # Put 郑华, born in 嵩县, into the team that inspects 嵩县: the conflict shows at once.
    teams = json.loads(page.input_value("#working-plan"))
    n = next(i for i, t in enumerate(teams, start=1) if "410325" in t["targets"])
    member = next(c for c in teams[n - 1]["members"] if c != teams[n - 1]["leader"])
    page.locator(f"#team-{n} button.open-editor").click()
    replace = page.locator(f"#team-{n} .editor form").nth(1)
    replace.locator("select[name=member]").select_option(member)
    replace.locator("select[name=replacement]").select_option("C105")
    replace.locator("button").click()
    page.wait_for_selector("#violations.violations")
    assert "约束7" in page.locator("#violations").inner_text()
    hit = page.locator(f"#team-{n} .avoidance").inner_text()
    assert "郑华" in hit and "地域回避" in hit
    assert page.locator("#accept-plan").is_disabled()
    shot(page, "13-plan-conflict")
    page.get_by_role("button", name="恢复求解结果").click()
    page.wait_for_selector("#violations", state="detached")
    assert page.locator("#objective-value").inner_text().strip() == before

    # Swap a target of team 1 with one of another team: checked at once, objective worse.
    teams = json.loads(page.input_value("#working-plan"))
    number, mine, theirs = _clean_swap(teams)
    cards.first.locator("button.open-editor").click()
    editor = page.locator("#team-1 .editor")
    editor.wait_for()
    swap = editor.locator("form").first
    swap.locator("select[name=target]").select_option(mine)
    swap.locator("select[name=other]").select_option(theirs)
    swap.locator("button").click()
    page.wait_for_selector("#team-1 .tag.red")  # 已调整
    after = page.locator("#objective").inner_text()
    assert f"目标值 {before} →" in after and "比求解结果差" in after
    assert json.loads(page.input_value("#working-plan"))[0]["targets"].count(theirs) == 1
    assert page.locator(f"#team-{number} .tag.red").count() == 1
    assert "调整后的方案满足全部约束" in page.locator("#violations").inner_text()
    shot(page, "14-plan-swapped")

    # Accept: the teams appear on the round page with the swapped target.
    page.click("#accept-plan")
    page.wait_for_url(f"{base}/rounds/*/")
    assert "已采用方案，组建了3个巡视组" in page.locator(".messages").inner_text()
    rows = page.locator("table.teams tbody tr")
    assert rows.count() == 3
    assert rows.first.locator("td").nth(1).inner_text() == "第一巡视组"
    first_row = rows.first.inner_text()
    names = {"410324": "栾川县", "410325": "嵩县", "411624": "沈丘县", "411523": "新县"}
    names |= {"D020": "河南省教育厅", "S001": "河南能源集团有限公司"}
    assert names[theirs] in first_row and names[mine] not in first_row
    shot(page, "15-round-with-teams")
