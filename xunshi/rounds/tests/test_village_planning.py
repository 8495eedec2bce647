"""Planning a village round (对村巡察): the planner groups a team's villages by township, so that
a team is sent to whole townships where it can, and the plan names each team's townships."""

from __future__ import annotations

from collections import Counter

import pytest

from xunshi.accounts.actors import SYSTEM
from xunshi.registry import actions as reg
from xunshi.rounds import actions
from xunshi.rounds.plan_sheet import plan_sheet
from xunshi.rounds.planning import RoundParams, build_problem, region_of

from .lankao_villages import County, build_county

# Two teams of a 纪委监委 leader and one member of the 巡察办, up to 7 villages each.
PARAMS = RoundParams(2, 7, (2, 2), (), (), time_limit_s=20)


@pytest.fixture
def county(world) -> County:  # type: ignore[no-untyped-def]
    county = build_county(world)
    # 城关镇 is among the regions loaded (统计用区划代码 410225100000) and the registry says so;
    # of 堌阳镇 only one village, 徐场村, has its own twelve-digit code; the others have none.
    reg.regions_load(
        actor=SYSTEM,
        rows=[
            ("410225100000", "城关镇", "township", ""),
            ("410225102201", "徐场村委会", "village", ""),
        ],
    )
    county.townships["城关镇"] = reg.org_upsert(
        actor=SYSTEM,
        body=county.body,
        data=reg.OrgInput(
            code="410225100000", name="城关镇党委", sector="township", region_code="410225100000"
        ),
    )[0]
    county.villages["堌阳镇徐场村"] = reg.org_upsert(
        actor=SYSTEM,
        body=county.body,
        data=reg.OrgInput(
            code="410225102201",
            name="徐场村党支部",
            sector="village",
            region_code="410225102201",
            parent_code="410225102000",
        ),
    )[0]
    return county


def test_a_village_is_grouped_by_its_township(county):
    villages = county.villages
    # The township's 统计用区划代码 …
    assert region_of(villages["城关镇张庄村"]) == "410225100000"
    assert region_of(villages["城关镇东街社区"]) == "410225100000"
    assert region_of(county.townships["城关镇"]) == "410225100000"
    # … or the township part of the village's own code …
    assert region_of(villages["堌阳镇徐场村"]) == "410225102000"
    # … or, with neither in the registry, the township's own code: still one group a township.
    assert region_of(villages["东坝头镇杨庄村"]) == county.townships["东坝头镇"].code
    assert region_of(villages["东坝头镇张庄村"]) == region_of(villages["东坝头镇雷新庄村"])
    assert region_of(villages["堌阳镇范场村"]) == region_of(villages["堌阳镇徐场村"])
    assert region_of(villages["南彰镇南彰村"]) != region_of(villages["考城镇考城村"])


def test_the_round_s_problem_has_one_region_a_township(county):
    problem = build_problem(
        round=county.round, params=PARAMS, targets=list(county.villages.values())
    )
    assert sorted(Counter(t.region for t in problem.targets).values()) == [2, 2, 2, 3, 4]


def test_the_plan_sends_each_team_to_whole_townships_and_names_them(county):
    job = actions.planning_job_create(
        actor=county.office,
        round=county.round,
        params=PARAMS,
        targets=list(county.villages.values()),
    )
    job.refresh_from_db()
    assert job.plan is not None and job.plan["status"] == "optimal"
    # 13 villages: 7 and 6 (10 for the spread of one) over the five townships, none split.
    assert job.plan["objective"] == 10 + 5

    sheet = plan_sheet(job)
    townships = [set(team.regions) for team in sheet.teams]
    assert sum(len(t) for t in townships) == 5
    assert set.union(*townships) == {
        "城关镇",
        "东坝头镇党委",
        "堌阳镇党委",
        "南彰镇党委",
        "考城镇党委",
    }
    for team in sheet.teams:
        assert len({t.region for t in team.targets}) == len(team.regions)
