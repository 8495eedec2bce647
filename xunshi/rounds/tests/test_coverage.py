"""Full coverage (全覆盖) of a term: what counts, by sector, and who is left."""

from __future__ import annotations

import datetime as dt

from xunshi.accounts.actors import SYSTEM
from xunshi.registry import actions as reg
from xunshi.rounds import actions
from xunshi.rounds.queries import term_coverage
from xunshi.testsupport.lifecycle import set_stage


def _previous_term_inspection(world, org, *, end: dt.date, stage: str = "closed"):
    """An inspection of org in the previous term (十届省委), moved to the given stage."""
    term = reg.term_create(
        actor=SYSTEM,
        body=world.body,
        name="十届省委",
        start=dt.date(2017, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=term,
        ordinal=3,
        name="十届省委第三轮巡视",
        kind="regular",
        sector_mode="rotating",
        start=end - dt.timedelta(days=60),
        end=end,
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)
    insp = actions.inspection_create(actor=SYSTEM, team=team, target=org, kind="regular")
    return set_stage(inspection=insp, stage=stage)


def _by_sector(cov):
    return {s.sector: (s.total, s.covered) for s in cov.sectors}


def test_it_counts_nothing_while_every_team_is_still_to_go(world):
    cov = term_coverage(world.term)
    assert (cov.total, cov.covered, cov.share) == (5, 0, 0.0)
    assert _by_sector(cov) == {
        "city": (1, 0),
        "county": (2, 0),
        "department": (1, 0),
        "university": (1, 0),
    }


def test_it_counts_a_closed_inspection_as_covered(world):
    set_stage(inspection=world.inspection1, stage="closed")
    cov = term_coverage(world.term)
    county = next(s for s in cov.sectors if s.sector == "county")
    assert (county.total, county.covered, county.share) == (2, 1, 0.5)
    assert (cov.covered, cov.total) == (1, 5)
    left = [u.org.name for u in cov.uncovered]
    assert "兰考县" not in left and "新县" in left


def test_it_counts_an_inspection_once_the_team_has_withdrawn(world):
    set_stage(inspection=world.inspection1, stage="on_site")
    assert term_coverage(world.term).covered == 0
    set_stage(inspection=world.inspection1, stage="withdrawn")
    assert term_coverage(world.term).covered == 1


def test_it_leaves_out_an_inspection_that_does_not_count_for_coverage(world):
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="mobile",
        sector_mode="mixed",
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)
    insp = actions.inspection_create(
        actor=SYSTEM, team=team, target=world.xinxian, kind="mobile", counts_for_coverage=False
    )
    set_stage(inspection=insp, stage="closed")
    assert term_coverage(world.term).covered == 0


def test_it_does_not_carry_an_earlier_terms_inspection_over(world):
    _previous_term_inspection(world, world.xinxian, end=dt.date(2019, 6, 1))
    assert "新县" in [u.org.name for u in term_coverage(world.term).uncovered]


def test_it_lists_the_never_inspected_first_then_the_longest_ago(world):
    _previous_term_inspection(world, world.xinxian, end=dt.date(2019, 6, 1))
    cov = term_coverage(world.term, today=dt.date(2026, 6, 1))
    # Never inspected (by code), then 新县, last inspected in 2019.
    assert [u.org.code for u in cov.uncovered] == ["410200", "410225", "D014", "U001", "411523"]
    xinxian = cov.uncovered[-1]
    assert xinxian.last_end == dt.date(2019, 6, 1)
    assert xinxian.years_since(cov.today) == 7.0
    assert cov.uncovered[0].years_since(cov.today) is None
