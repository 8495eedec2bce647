"""The large rounds' neighbourhood search (planner.round_lns) and greedy staffing: every hard rule
kept, never worse than its start, the bound never above the plan."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from planner.check import check_plan
from planner.generate import round_problem
from planner.round import RoundPlan, RoundProblem, TeamPlan, solve
from planner.round_lns import search
from planner.round_models import _Index, _staff_greedy, _staff_large
from planner.round_start import greedy_plan, township


def mid_round(seed: int, *, conflicts: int = 300) -> RoundProblem:
    """4–5 teams of up to 7 targets: too many target sets for set partitioning, so a round of
    the large path, small enough to check by hand."""
    rng = random.Random(seed)
    teams = rng.randint(4, 5)
    return round_problem(
        seed,
        teams=teams,
        per_team=7,
        targets=teams * 7 - rng.randint(0, 2),
        cadres=teams * 30,
        conflict_pairs=conflicts,
    )


def _staffed(problem: RoundProblem, ix: _Index, groups: list[list[int]]) -> RoundPlan:
    found, staff, _ = _staff_large(ix, groups, time.monotonic() + 30, 0)
    assert found == "ok"
    teams = tuple(
        TeamPlan(
            problem.cadres[leader].id,
            tuple(problem.cadres[c].id for c in [leader, *sorted(set(members) - {leader})]),
            tuple(problem.targets[g].id for g in group),
        )
        for group, (leader, members) in zip(groups, staff, strict=True)
    )
    return RoundPlan("feasible", ix.objective(groups), None, 0.0, teams)


@pytest.mark.parametrize("seed", range(6))
def test_the_search_keeps_every_rule_and_never_loses_its_start(seed: int) -> None:
    problem = mid_round(seed)
    ix = _Index.of(problem)
    start = greedy_plan(ix)
    assert start is not None

    found = search(ix, start, deadline=time.monotonic() + 60, seed=seed, steps=12, effort=0.05)

    assert found.objective == ix.objective(found.groups) <= ix.objective(start)
    assert sorted(g for team in found.groups for g in team) == list(range(ix.n))
    assert len(found.groups) == problem.teams
    assert all(len(team) <= 7 for team in found.groups)
    soe = [k for k, s in enumerate(ix.sector_names) if s == "soe"]
    assert all(sum(ix.sector[g] in soe for g in team) <= 1 for team in found.groups)
    # Staffed, the plan keeps avoidance, team sizes, units, skills and one team per cadre.
    assert check_plan(problem, _staffed(problem, ix, found.groups)) == []
    assert township(ix).bound <= found.objective


def test_it_improves_a_poor_start() -> None:
    problem = mid_round(1)
    ix = _Index.of(problem)
    # Targets dealt in turn: regions scattered over every team.
    poor = [list(range(t, ix.n, problem.teams)) for t in range(problem.teams)]

    found = search(ix, poor, deadline=time.monotonic() + 60, seed=0, steps=20, effort=0.05)

    assert found.improvements > 0
    assert found.objective < ix.objective(poor)


def test_it_gives_no_team_targets_that_nobody_could_staff() -> None:
    """Three targets that every leader but one must avoid together: no team may hold all three,
    so the search learns the set and keeps it apart."""
    problem = mid_round(2, conflicts=0)
    ix = _Index.of(problem)
    leaders = [c for c in range(ix.m) if ix.lead[c]]
    clash = [0, 1, 2]
    for g, barred in zip(clash, (leaders[0::3], leaders[1::3], leaders[2::3]), strict=True):
        for c in barred:
            ix.block[g] |= 1 << c
    assert not ix.may_staff_group(clash)
    start = [clash + list(range(3, 7)), *[list(range(g, g + 7)) for g in range(7, ix.n, 7)]]
    start += [[] for _ in range(problem.teams - len(start))]

    found = search(ix, start, deadline=time.monotonic() + 60, seed=0, steps=12, effort=0.05)

    assert all(ix.may_staff_group(team) for team in found.groups if set(team) >= set(clash))
    assert not any(set(team) >= set(clash) for team in found.groups)


def test_it_gives_the_same_plan_for_the_same_seed() -> None:
    problem = mid_round(3)
    ix = _Index.of(problem)
    start = greedy_plan(ix)
    assert start is not None

    runs = [
        search(ix, start, deadline=time.monotonic() + 60, seed=4, steps=8, effort=0.05)
        for _ in range(2)
    ]

    assert runs[0].groups == runs[1].groups


@pytest.mark.parametrize("seed", range(4))
def test_greedy_staffing_keeps_every_rule(seed: int) -> None:
    problem = round_problem(seed, teams=8, per_team=4, cadres=400, conflict_pairs=900)
    ix = _Index.of(problem)
    groups = greedy_plan(ix)
    assert groups is not None
    staff = _staff_greedy(ix, groups)
    assert staff is not None

    teams = tuple(
        TeamPlan(
            problem.cadres[leader].id,
            tuple(problem.cadres[c].id for c in [leader, *sorted(set(members) - {leader})]),
            tuple(problem.targets[g].id for g in group),
        )
        for group, (leader, members) in zip(groups, staff, strict=True)
    )
    plan = RoundPlan("feasible", ix.objective(groups), None, 0.0, teams)
    assert check_plan(problem, plan) == []
    assert not Counter(c for _, members in staff for c in members) - Counter(range(ix.m))


@pytest.mark.parametrize("seed", range(3))
def test_a_large_round_s_plan_keeps_every_rule_and_its_bound_stays_below(seed: int) -> None:
    problem = mid_round(10 + seed)

    plan = solve(problem, time_limit_s=4, seed=0)

    assert plan.status in ("optimal", "feasible")
    assert plan.objective is not None and plan.bound is not None
    assert plan.bound <= plan.objective
    assert check_plan(problem, plan) == []
    assert "start by region" in dict(plan.solver)["method"]
