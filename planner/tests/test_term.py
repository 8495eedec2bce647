"""The term plan: optimal plans that keep every rule, explanations when none exists, same input
same plan, and the flow and the MIP agreeing where both apply."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest

from planner.term import (
    TermPlan,
    TermProblem,
    TermRound,
    TermTarget,
    solve_term,
    term_violations,
)
from planner.term_models import Relax, solve_by_mip, term_classes


def _broken(problem: TermProblem, plan: TermPlan) -> list[str]:
    """The test's own checker: recomputes every rule of the format from the problem alone."""
    order = [r.id for r in problem.rounds]
    by_id = {t.id: t for t in problem.targets}
    placed = [(r, t) for r, ids in plan.rounds for t in ids]
    broken = []
    if sorted(t for _, t in placed) != sorted(by_id):
        broken.append("1: not every target exactly once")
    for r, t in placed:
        latest = by_id[t].latest_round
        if latest and order.index(r) > order.index(latest):
            broken.append(f"1: {t} after {latest}")
    for rnd in problem.rounds:
        ids = dict(plan.rounds)[rnd.id]
        sectors = {by_id[t].sector for t in ids}
        if len(ids) > rnd.capacity:
            broken.append(f"2: {rnd.id} over capacity")
        if rnd.sectors is not None and not sectors <= set(rnd.sectors):
            broken.append(f"2: {rnd.id} takes a sector it may not")
        if problem.max_sectors_per_round and len(sectors) > problem.max_sectors_per_round:
            broken.append(f"2: {rnd.id} has {len(sectors)} sectors")
    for year, least in problem.year_minimum:
        got = sum(len(ids) for r, ids in plan.rounds if str(_round(problem, r).year) == year)
        if got < least:
            broken.append(f"3: {year} has {got}")
    return broken


def _round(problem: TermProblem, round_id: str) -> TermRound:
    return next(r for r in problem.rounds if r.id == round_id)


def _objective(problem: TermProblem, plan: TermPlan) -> int:
    risk = {t.id: t.risk for t in problem.targets}
    return sum(risk[t] * k for k, (_, ids) in enumerate(plan.rounds, start=1) for t in ids)


def _small() -> TermProblem:
    """Eight organizations, three rounds over two years; every rule has a say."""
    return TermProblem(
        name="小届",
        rounds=(
            TermRound("R1", 2019, 3, None),
            TermRound("R2", 2019, 3, ("county", "soe")),
            TermRound("R3", 2020, 4, None),
        ),
        year_minimum=(("2019", 5),),
        max_sectors_per_round=2,
        targets=(
            TermTarget("410102", "county", 90),
            TermTarget("410103", "county", 20),
            TermTarget("410104", "county", 55),
            TermTarget("D01", "department", 70, latest_round="R1"),
            TermTarget("D02", "department", 10),
            TermTarget("S01", "soe", 80),
            TermTarget("S02", "soe", 35, latest_round="R2"),
            TermTarget("U01", "university", 60),
        ),
    )


def _brute_force(problem: TermProblem) -> int:
    best = None
    ids = [r.id for r in problem.rounds]
    for choice in itertools.product(ids, repeat=len(problem.targets)):
        rounds: dict[str, list[str]] = {r: [] for r in ids}
        for t, r in zip(problem.targets, choice, strict=True):
            rounds[r].append(t.id)
        plan = TermPlan("", None, None, 0.0, tuple((r, tuple(v)) for r, v in rounds.items()), ())
        if not _broken(problem, plan):
            value = _objective(problem, plan)
            best = value if best is None else min(best, value)
    assert best is not None
    return best


SECTORS = ("county", "department", "soe")
FIVE_SECTORS = (*SECTORS, "finance", "university")


def _random(
    seed: int, targets: int, *, limit: int | None, sectors: tuple[str, ...] = SECTORS
) -> TermProblem:
    rng = random.Random(seed)
    rounds = tuple(
        TermRound(f"R{k}", 2019 + (k - 1) // 2, rng.randint(12, 16), None) for k in range(1, 9)
    )
    return TermProblem(
        name=f"random-{seed}",
        rounds=rounds,
        year_minimum=(("2019", 18), ("2021", 20)),
        max_sectors_per_round=limit,
        targets=tuple(
            TermTarget(
                f"T{k:03d}",
                rng.choice(sectors),
                rng.randint(0, 100),
                latest_round=f"R{rng.randint(3, 8)}" if rng.random() < 0.2 else None,
            )
            for k in range(targets)
        ),
    )


def test_it_finds_the_best_plan_and_keeps_every_rule() -> None:
    problem = _small()

    plan = solve_term(problem, time_limit_s=10, seed=0)

    assert plan.status == "optimal"
    assert _broken(problem, plan) == []
    assert plan.objective == _objective(problem, plan) == plan.bound
    assert plan.objective == _brute_force(problem)
    assert dict(plan.round_of())["D01"] == "R1"


def test_it_records_what_produced_the_plan() -> None:
    plan = solve_term(_small(), time_limit_s=5, seed=7)

    solver = dict(plan.solver)
    assert solver["solver"].startswith("HiGHS 1.")
    assert solver["random_seed"] == "7"
    assert solver["threads"] == "1"
    assert solver["time_limit_s"] == "5"


def test_it_explains_when_the_rounds_are_too_small() -> None:
    problem = _small()
    rounds = tuple(TermRound(r.id, r.year, 2, r.sectors) for r in problem.rounds)

    plan = solve_term(TermProblem("小届", rounds, (), None, problem.targets))

    assert plan.status == "infeasible"
    assert plan.objective is None
    assert "约束2：各轮容量合计 6 个，少于待安排的 8 个对象" in plan.explanation


def test_it_explains_a_year_minimum_above_the_years_capacity() -> None:
    problem = _small()
    wanting = TermProblem("小届", problem.rounds, (("2019", 7),), 2, problem.targets)

    plan = solve_term(wanting)

    assert plan.status == "infeasible"
    assert any(
        line.startswith("约束3：2019 年至少安排 7 个对象") and "R1、R2" in line and "6 个" in line
        for line in plan.explanation
    ), plan.explanation


def test_it_names_a_target_no_round_can_take() -> None:
    problem = _small()
    late = TermTarget("U02", "university", 40, latest_round="R2")  # R2 takes counties and SOEs
    departments_first = (TermRound("R1", 2019, 4, ("department",)), *problem.rounds[1:])

    plan = solve_term(TermProblem("小届", departments_first, (), None, (*problem.targets, late)))

    assert plan.status == "infeasible"
    assert plan.explanation == (
        "约束1、2：对象 U02（板块 university）在最晚轮次 R2 及之前没有允许该板块的轮次",
    )


def test_it_says_which_rules_clash_when_counting_is_not_enough() -> None:
    # 2019 needs both targets in R1, but R1 may hold one sector only.
    problem = TermProblem(
        name="冲突",
        rounds=(TermRound("R1", 2019, 2, None), TermRound("R2", 2020, 2, None)),
        year_minimum=(("2019", 2),),
        max_sectors_per_round=1,
        targets=(TermTarget("410102", "county", 50), TermTarget("D01", "department", 50)),
    )

    plan = solve_term(problem)

    assert plan.status == "infeasible"
    assert plan.explanation == (
        "约束不能同时满足：约束2（每轮板块数上限）、约束3（年度最低数），去掉其中任一类后可以安排。",
    )


def test_it_gives_the_same_plan_for_the_same_input() -> None:
    problem = _random(3, 80, limit=2)

    first = solve_term(problem, seed=1)
    second = solve_term(problem, seed=1)

    assert first.status == "optimal"
    assert first.rounds == second.rounds
    assert first.objective == second.objective


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_gets_the_same_optimum_from_the_flow_and_the_mip(seed: int) -> None:
    problem = _random(seed, 90, limit=None)

    flow = solve_term(problem, method="flow")
    mip = solve_term(problem, method="mip")

    assert flow.status == mip.status == "optimal"
    assert flow.objective == mip.objective == flow.bound == mip.bound
    assert _broken(problem, flow) == _broken(problem, mip) == []
    assert dict(flow.solver)["method"] == "flow"


@pytest.mark.parametrize(
    ("seed", "limit", "sectors"),
    [(1, 1, SECTORS), (2, 2, SECTORS), (3, 2, FIVE_SECTORS), (4, 3, FIVE_SECTORS)],
)
def test_it_proves_the_same_optimum_from_its_first_plan(
    seed: int, limit: int, sectors: tuple[str, ...]
) -> None:
    # The first plan (LP-guided sector choices, then flows) only gives HiGHS a start: the optimum
    # and the proof must be those of the MIP alone.
    problem = _random(seed, 100, limit=limit, sectors=sectors)
    cls = term_classes(problem)

    started = solve_by_mip(problem, cls, Relax(), 20, 0)
    alone = solve_by_mip(problem, cls, Relax(), 20, 0, with_start=False)
    plan = solve_term(problem, method="mip")

    assert started[0] == alone[0] == plan.status == "optimal"
    assert started[1] == started[2] == alone[1] == alone[2] == plan.objective
    assert _broken(problem, plan) == term_violations(problem, dict(plan.rounds)) == []


def test_it_refuses_the_flow_when_the_sector_limit_can_bind() -> None:
    with pytest.raises(ValueError, match="max_sectors_per_round"):
        solve_term(_random(1, 40, limit=1), method="flow")


def test_it_rejects_a_latest_round_that_is_not_a_round() -> None:
    with pytest.raises(ValueError, match="R9"):
        TermProblem("x", (TermRound("R1", 2019, 1),), (), None, (TermTarget("A", "c", 1, "R9"),))


def test_it_does_not_import_django() -> None:
    code = "import sys, planner.term, planner.gap; assert 'django' not in sys.modules"
    root = Path(__file__).resolve().parents[2]

    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, check=False)

    assert done.returncode == 0, done.stderr.decode()
