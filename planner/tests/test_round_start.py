"""The large rounds' starts and bound (planner.round_start): a county's village round proven
optimal, a bound that never passes an optimum, a search that keeps every limit."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest

from planner.check import check_plan
from planner.generate import round_problem, village_round
from planner.round import RoundProblem, RoundTarget, solve
from planner.round_models import _Index
from planner.round_start import (
    greedy_plan,
    improve,
    most_zero_sum_groups,
    township,
    zero_sum_groups,
)


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _partitions(rest):
        yield [[first], *partition]
        for i in range(len(partition)):
            yield [*partition[:i], [first, *partition[i]], *partition[i + 1 :]]


@pytest.mark.parametrize("seed", range(40))
def test_it_cuts_the_regions_into_the_most_groups_a_multiple_of_the_load(seed: int) -> None:
    rng = random.Random(seed)
    L = rng.randint(3, 12)
    weights = [rng.randint(1, 3 * L) for _ in range(rng.randint(1, 8))]
    weights.append(L - sum(weights) % L + L * rng.randint(0, 1))  # the total is a multiple
    groups = zero_sum_groups(weights, L)
    assert groups is not None
    assert sorted(i for g in groups for i in g) == list(range(len(weights)))
    assert all(sum(weights[i] for i in g) % L == 0 for g in groups)
    most = max(
        len(p)
        for p in _partitions(list(range(len(weights))))
        if all(sum(weights[i] for i in g) % L == 0 for g in p)
    )
    assert len(groups) == most == most_zero_sum_groups(weights, L)


def test_beyond_the_programme_it_still_bounds_the_groups() -> None:
    rng = random.Random(5)
    weights = [rng.choice([7, 11, 13, 17, 19]) for _ in range(40)]
    weights.append(50 - sum(weights) % 50)
    assert zero_sum_groups(weights, 50) is None
    assert most_zero_sum_groups(weights, 50) <= len(weights) // 3 + 1


@pytest.mark.parametrize("seed", range(30))
def test_its_bound_never_passes_a_proven_optimum(seed: int) -> None:
    rng = random.Random(seed)
    teams, per_team = rng.randint(2, 4), rng.randint(3, 4)
    problem = round_problem(
        seed,
        teams=teams,
        per_team=per_team,
        targets=rng.randint(teams * 2, teams * per_team),
        cadres=teams * 12,
        conflict_pairs=teams * 6,
        team_size=(2, 4),
    )
    plan = solve(problem, time_limit_s=10, seed=0)
    if plan.status == "optimal":
        assert plan.objective is not None
        assert township(_Index.of(problem)).bound <= plan.objective


@pytest.mark.parametrize("seed", range(60))
def test_its_bound_never_passes_the_best_partition(seed: int) -> None:
    """Against every assignment of up to 8 targets to 2–3 teams (staffing aside, as the bound)."""
    rng = random.Random(seed)
    teams, per_team = rng.randint(2, 3), rng.randint(2, 4)
    n = rng.randint(teams, min(8, teams * per_team))
    regions = rng.randint(1, 4)
    targets = tuple(
        RoundTarget(
            f"T{g}",
            f"对象{g}",
            rng.choice(["county", "soe"]),
            f"R{rng.randrange(regions)}",
            rng.choice([1, 1, 2, 3]) if seed % 2 else 1,
        )
        for g in range(n)
    )
    problem = RoundProblem("小轮次", teams, per_team, (1, 1), (), (("soe", 1),), targets, (), ())
    ix = _Index.of(problem)
    soe = {k for k, name in enumerate(ix.sector_names) if name == "soe"}
    values = [
        ix.objective(groups)
        for assign in itertools.product(range(teams), repeat=n)
        for groups in [_groups(assign, teams)]
        if all(len(g) <= per_team and sum(ix.sector[h] in soe for h in g) <= 1 for g in groups)
    ]
    best = min(values, default=None)
    found = township(ix)
    if best is not None:
        assert found.bound <= best
        assert found.plan is None or ix.objective(found.plan) >= best


def _groups(assign: tuple[int, ...], teams: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(teams)]
    for g, t in enumerate(assign):
        groups[t].append(g)
    return groups


@pytest.mark.parametrize(("seed", "per_team"), [(s, n) for s in range(4) for n in (25, 40)])
def test_the_township_plan_meets_the_bound_of_a_village_round(seed: int, per_team: int) -> None:
    ix = _Index.of(village_round(seed, per_team=per_team))
    found = township(ix)
    assert found.plan is not None and sorted(map(len, found.plan)) == [per_team] * 8
    assert ix.objective(found.plan) == found.bound


def test_it_proves_a_county_s_village_round_optimal() -> None:
    problem = village_round(1)  # 8 teams × 25 villages, 160 cadres
    assert (len(problem.targets), len(problem.cadres)) == (200, 160)

    plan = solve(problem, time_limit_s=30, seed=0)

    assert plan.status == "optimal" and plan.objective == plan.bound
    assert check_plan(problem, plan) == []
    assert sorted(len(team.targets) for team in plan.teams) == [25] * 8
    region = {t.id: t.region for t in problem.targets}
    teams_of = Counter(r for team in plan.teams for r in {region[g] for g in team.targets})
    # 11 townships and 8 teams, which the townships' sizes let fall into 3 separate groups
    # (each a multiple of 25 villages): 11 + 8 − 3 townships summed over the teams.
    assert len(teams_of) == 11 and sum(teams_of.values()) == plan.objective == 16


def test_the_search_keeps_the_limits_and_never_loses_its_start() -> None:
    problem = round_problem(3, teams=6, per_team=5, targets=28, cadres=240, conflict_pairs=400)
    ix = _Index.of(problem)
    start = greedy_plan(ix)
    assert start is not None

    found = improve(ix, start, moves=20_000, deadline=time.monotonic() + 60, seed=0)

    assert sorted(g for team in found for g in team) == list(range(ix.n))
    assert all(len(team) <= 5 for team in found)
    soe = [k for k, s in enumerate(ix.sector_names) if s == "soe"]
    assert all(sum(ix.sector[g] in soe for g in team) <= 1 for team in found)
    assert ix.objective(found) <= ix.objective(start)
    assert township(ix).bound <= ix.objective(found)


def test_a_generated_village_round_is_a_county_s() -> None:
    problem = village_round(2, per_team=40)
    townships = {t.region for t in problem.targets}
    assert all(len(code) == 12 and code.endswith("000") for code in townships)
    assert all(t.id[:9] == t.region[:9] and t.sector == "village" for t in problem.targets)
    assert {t.workload for t in problem.targets} == {1}
    # A home township's conflicts cover all of its villages in the round.
    origin: dict[tuple[str, str], set[str]] = {}
    region = {t.id: t.region for t in problem.targets}
    for c in problem.conflicts:
        if c.rule == "origin":
            origin.setdefault((c.cadre, region[c.target]), set()).add(c.target)
    assert origin
    size = Counter(region.values())
    assert all(len(v) == size[r] for (_, r), v in origin.items())


def test_it_gives_the_same_village_plan_for_the_same_input_and_seed() -> None:
    problem = village_round(4, per_team=30, villages=235)  # loads 29 and 30: the spread-1 MIP

    first = solve(problem, time_limit_s=30, seed=2)
    second = solve(problem, time_limit_s=30, seed=2)

    assert first.status == "optimal"
    assert replace(first, seconds=0) == replace(second, seconds=0)
