"""The generalized assignment core: the literature's optima in both senses with both solvers,
infeasibility proven, and the benchmark files read exactly."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from planner.gap import GapInstance, gap_objective, greedy_gap, read_gap, solve_gap
from planner.gap_exact import prove
from planner.gap_search import search_gap
from planner.tests.gapcases import d_like

# OR-Library gap1.txt (c515-1 ... c515-5), number for number; kept here so the test needs no
# file outside the repository (the benchmark reads the shared copy).
GAP1 = """
5
5 15
17 21 22 18 24 15 20 18 19 18 16 22 24 24 16
23 16 21 16 17 16 19 25 18 21 17 15 25 17 24
16 20 16 25 24 16 17 19 19 18 20 16 17 21 24
19 19 22 22 20 16 19 17 21 19 25 23 25 25 25
18 19 15 15 21 25 16 16 23 15 22 17 19 22 24
8 15 14 23 8 16 8 25 9 17 25 15 10 8 24
15 7 23 22 11 11 12 10 17 16 7 16 10 18 22
21 20 6 22 24 10 24 9 21 14 11 14 11 19 16
20 11 8 14 9 5 6 19 19 7 6 6 13 9 18
8 13 13 13 10 20 25 16 16 17 10 10 5 12 23
36 34 38 27 33
5 15
19 23 24 20 20 25 16 21 24 15 17 17 20 20 20
25 24 16 21 19 17 17 19 23 21 21 23 20 15 16
16 21 25 22 24 24 16 17 15 18 15 17 18 24 18
25 24 18 19 15 18 20 22 23 18 16 19 17 15 22
25 19 21 22 20 15 20 19 18 18 17 23 17 25 25
16 12 8 20 18 10 12 8 14 23 19 14 15 15 24
16 18 19 22 13 20 9 7 25 10 20 13 11 15 16
6 20 20 5 14 12 6 15 22 18 13 23 23 18 25
18 23 25 17 25 13 23 23 13 20 20 23 17 19 24
12 17 15 25 22 5 24 19 12 25 23 21 23 19 18
36 37 38 48 44
5 15
22 21 16 17 21 15 17 22 22 25 18 20 24 15 22
23 24 19 15 16 21 15 25 16 21 20 19 16 23 20
21 20 21 25 21 20 21 19 17 16 25 19 15 15 15
17 21 25 25 23 22 20 19 20 25 15 20 21 25 23
15 25 23 19 17 17 25 24 24 17 24 19 18 19 16
23 10 15 13 17 10 13 6 9 21 20 7 9 25 8
17 13 8 23 11 18 7 22 13 5 24 24 15 10 22
22 17 22 23 20 11 17 25 23 9 22 20 15 9 25
5 19 25 16 15 10 18 9 11 20 7 21 15 8 25
22 9 10 23 19 21 17 15 15 17 25 19 10 9 21
32 37 44 35 40
5 15
15 25 20 18 19 21 18 22 24 15 25 17 17 15 22
20 18 25 25 16 24 22 24 17 18 23 25 21 25 24
25 19 18 18 23 18 15 22 23 16 25 22 22 15 16
19 19 23 17 19 19 22 19 23 22 24 22 25 19 16
25 24 17 19 25 19 23 19 25 15 19 21 18 19 22
20 20 18 9 18 5 16 18 13 24 21 23 15 19 9
5 12 18 8 22 19 19 11 7 19 20 17 21 25 5
18 8 8 9 20 20 23 13 15 12 6 12 25 25 23
17 19 24 9 16 22 10 17 12 17 15 21 16 18 6
14 6 20 6 21 5 11 23 20 21 20 18 13 13 21
39 36 37 38 37
5 15
25 25 18 24 20 19 25 24 23 15 18 18 25 15 22
25 18 17 22 21 23 20 23 16 19 15 18 16 23 16
18 16 19 15 15 18 15 20 19 24 22 20 25 16 21
18 21 16 18 17 24 18 23 22 16 17 22 22 18 16
17 18 15 21 23 21 24 23 20 22 19 15 22 22 25
16 20 9 22 17 19 20 22 20 13 6 20 23 19 7
12 22 18 18 6 13 17 17 17 14 20 12 17 14 22
5 19 19 14 24 16 7 8 9 22 13 23 24 15 20
20 8 6 9 5 17 23 18 14 12 14 17 15 23 21
6 6 24 24 8 7 5 25 21 18 12 20 20 7 12
40 38 38 35 34
"""
# OR-Library's maximisation optima and the minimisation optima (shared/bench/gap/KNOWN.md).
KNOWN = {
    "max": [336, 327, 339, 341, 326],
    "min": [261, 269, 256, 274, 251],
}


@pytest.fixture(scope="module")
def gap1(tmp_path_factory: pytest.TempPathFactory) -> tuple[GapInstance, ...]:
    path = tmp_path_factory.mktemp("gap") / "gap1.txt"
    path.write_text(GAP1, encoding="ascii")
    return read_gap(path)


def _fits(inst: GapInstance, assignment: tuple[int, ...]) -> bool:
    used = [0] * inst.agents
    for j, i in enumerate(assignment):
        used[i] += inst.loads[i][j]
    return all(u <= b for u, b in zip(used, inst.capacities, strict=True))


def test_it_reads_the_or_library_file_with_the_literature_names(
    gap1: tuple[GapInstance, ...],
) -> None:
    assert [inst.name for inst in gap1] == [f"c515-{k}" for k in range(1, 6)]
    assert (gap1[0].agents, gap1[0].jobs) == (5, 15)
    assert gap1[0].costs[0][:3] == (17, 21, 22)
    assert gap1[0].capacities == (36, 34, 38, 27, 33)


@pytest.mark.parametrize("solver", ["highs", "cpsat"])
@pytest.mark.parametrize("sense", ["min", "max"])
def test_it_proves_the_known_optimum_of_gap1(
    gap1: tuple[GapInstance, ...], solver: str, sense: str
) -> None:
    for inst, known in zip(gap1, KNOWN[sense], strict=True):
        result = solve_gap(inst, sense=sense, solver=solver, time_limit_s=20)  # type: ignore[arg-type]

        assert result.status == "optimal", inst.name
        assert result.objective == result.bound == known, inst.name
        assert result.assignment is not None
        assert _fits(inst, result.assignment)
        assert gap_objective(inst, result.assignment) == known


@pytest.mark.parametrize("start", ["greedy", "none"])
def test_it_proves_the_optimum_without_the_lp_start(
    gap1: tuple[GapInstance, ...], start: str
) -> None:
    result = solve_gap(gap1[0], start=start, time_limit_s=20)  # type: ignore[arg-type]

    assert (result.status, result.objective, result.bound) == ("optimal", 261, 261)


def test_it_keeps_a_trace_of_when_the_plan_and_the_bound_improved(
    gap1: tuple[GapInstance, ...],
) -> None:
    result = solve_gap(gap1[1], time_limit_s=20)

    assert result.trace
    assert result.at(result.seconds + 1) == (269, 269)
    assert result.at(-1) == (None, None)


@pytest.mark.parametrize("solver", ["highs", "cpsat"])
def test_it_reports_an_instance_that_cannot_be_assigned(solver: str) -> None:
    # Each job fits on each agent alone, the LP even fits them all, but no 0-1 plan does.
    inst = GapInstance("tight", ((1, 1, 1), (1, 1, 1)), ((2, 2, 2), (2, 2, 2)), (3, 3))

    result = solve_gap(inst, solver=solver, time_limit_s=10)  # type: ignore[arg-type]

    assert (result.status, result.objective, result.assignment) == ("infeasible", None, None)


def test_it_reports_a_job_too_big_for_every_agent() -> None:
    inst = GapInstance("big", ((1, 1), (1, 1)), ((1, 9), (1, 9)), (5, 5))

    assert solve_gap(inst).status == "infeasible"


# c848-2 (gap8.txt, 8 x 48) and c1040-3 (gap10.txt, 10 x 40), the two that need the most branch
# and bound nodes of gap1-gap12, with their optima (KNOWN.csv: max OR-Library, min proved).
HARD = Path(__file__).with_name("gap_hard.txt")
HARD_KNOWN = {"min": [783, 654], "max": [1134, 960]}


@pytest.mark.parametrize("sense", ["min", "max"])
def test_it_proves_the_hardest_small_optima_by_its_own_branch_and_bound(sense: str) -> None:
    for inst, known in zip(read_gap(HARD), HARD_KNOWN[sense], strict=True):
        result = solve_gap(inst, sense=sense, time_limit_s=20)  # type: ignore[arg-type]

        assert (result.status, result.objective, result.bound) == ("optimal", known, known)
        assert result.assignment is not None and _fits(inst, result.assignment)
        assert gap_objective(inst, result.assignment) == known
        assert "Lagrangian branch and bound" in result.solver


def test_it_hands_on_a_search_cut_short_with_a_true_bound_and_the_optimum_still_open() -> None:
    # What solve_gap gives HiGHS when the branch and bound runs out of nodes or time.
    inst = read_gap(HARD)[0]
    cost, loads, caps = (
        np.asarray(a, dtype=np.int64) for a in (inst.costs, inst.loads, inst.capacities)
    )
    u = np.zeros(inst.jobs)  # any multipliers give a true bound; the LP's are only better
    start = np.asarray(greedy_gap(inst), dtype=np.int64)

    full = prove(cost, loads, caps, duals=u, plan=start, improve=lambda plan: plan)
    cut = prove(cost, loads, caps, duals=u, plan=start, improve=lambda plan: plan, node_limit=1)

    assert full.proven and full.value == HARD_KNOWN["min"][0] and full.plan is not None
    assert cut.plan is not None and cut.value is not None and not cut.proven
    assert cut.bound <= full.value <= cut.value
    assert _fits(inst, tuple(int(i) for i in cut.plan))
    # every pair of the optimum is among the pairs left open (or is the incumbent's)
    jobs = np.arange(inst.jobs)
    assert (cut.better[full.plan, jobs] | (cut.plan == full.plan)).all()


def _brute_force(inst: GapInstance, sense: str) -> int | None:
    values = [
        gap_objective(inst, plan)
        for plan in itertools.product(range(inst.agents), repeat=inst.jobs)
        if _fits(inst, plan)
    ]
    if not values:
        return None
    return min(values) if sense == "min" else max(values)


def test_it_agrees_with_brute_force_on_small_random_instances() -> None:
    rng = random.Random(13)
    seen = {"optimal": 0, "infeasible": 0}
    for k in range(40):
        m, n = rng.choice([(2, 8), (3, 6), (3, 7), (4, 5)])
        loads = tuple(tuple(rng.randint(3, 9) for _ in range(n)) for _ in range(m))
        # from loose to so tight that some have no plan, a few of them with a feasible LP
        caps = tuple(rng.randint(int(0.8 * 6 * n / m), int(1.5 * 6 * n / m)) for _ in range(m))
        costs = tuple(tuple(rng.randint(1, 20) for _ in range(n)) for _ in range(m))
        inst = GapInstance(f"random-{k}", costs, loads, caps)
        for sense in ("min", "max"):
            best = _brute_force(inst, sense)

            result = solve_gap(inst, sense=sense, time_limit_s=10)  # type: ignore[arg-type]

            if best is None:
                assert result.status == "infeasible", inst
            else:
                assert (result.status, result.objective, result.bound) == ("optimal", best, best)
                assert result.assignment is not None and _fits(inst, result.assignment)
            seen[result.status] += 1
    assert seen["optimal"] > 60 and seen["infeasible"] >= 4  # both kinds were tried


def test_it_reads_a_single_instance_file_and_refuses_left_over_numbers(tmp_path: Path) -> None:
    path = tmp_path / "e02003"
    path.write_text("2 3\n1 2 3\n4 5 6\n1 1 1\n1 1 1\n2 2\n", encoding="ascii")
    (inst,) = read_gap(path)
    assert (inst.name, inst.costs, inst.capacities) == ("e02003", ((1, 2, 3), (4, 5, 6)), (2, 2))

    path.write_text("1\n2 3\n1 2 3\n4 5 6\n1 1 1\n1 1 1\n2 2\n7\n", encoding="ascii")
    with pytest.raises(ValueError, match="left over"):
        read_gap(path)


def test_the_exchange_search_keeps_a_fitting_plan_never_worse_than_its_start() -> None:
    inst = d_like(8, 60, seed=3)
    start = greedy_gap(inst)
    assert start is not None

    found = search_gap(inst, start, seconds=20, stall=200)

    assert _fits(inst, found)
    assert gap_objective(inst, found) < gap_objective(inst, start)
    again = search_gap(inst, found, seconds=20, seed=1, stall=200)
    assert _fits(inst, again)
    assert gap_objective(inst, again) <= gap_objective(inst, found)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_exchange_search_reaches_the_brute_force_optimum(seed: int) -> None:
    inst = d_like(3, 9, seed=seed)
    plans = [p for p in itertools.product(range(3), repeat=9) if _fits(inst, p)]
    best = min(gap_objective(inst, p) for p in plans)
    worst = max(plans, key=lambda p: gap_objective(inst, p))

    found = search_gap(inst, worst, seconds=10)

    assert _fits(inst, found)
    assert gap_objective(inst, found) == best


def test_the_exchange_search_refuses_a_start_that_does_not_fit() -> None:
    inst = GapInstance("over", ((1, 1), (1, 1)), ((3, 3), (3, 3)), (5, 5))

    with pytest.raises(ValueError, match="does not fit"):
        search_gap(inst, (0, 0))
