"""Column generation and diving (planner.gap_price): plans that fit and beat their start, the
brute-force optimum on small instances, and a bound that never passes the optimum."""

from __future__ import annotations

import numpy as np
import pytest

from planner.gap import GapInstance, gap_objective, greedy_gap, solve_gap
from planner.gap_price import dive_plans
from planner.tests.gapcases import d_like


def _arrays(inst: GapInstance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.array(inst.costs), np.array(inst.loads), np.array(inst.capacities)


def _fits(inst: GapInstance, plan: np.ndarray) -> bool:
    _, loads, caps = _arrays(inst)
    used = np.bincount(plan, weights=loads[plan, np.arange(inst.jobs)], minlength=inst.agents)
    return len(plan) == inst.jobs and bool((used <= caps).all())


def test_the_dives_find_a_fitting_plan_better_than_their_start_and_a_true_bound() -> None:
    inst = d_like(8, 60, seed=3)
    cost, loads, caps = _arrays(inst)
    start = greedy_gap(inst)
    assert start is not None

    # the box may start anywhere: the cheapest cost of each job is a poor but valid point
    dives = dive_plans(
        cost, loads, caps, duals=cost.min(axis=0) * 1.0, plan=np.array(start), seconds=2
    )

    assert dives.plan is not None and _fits(inst, dives.plan)
    assert dives.value == gap_objective(inst, dives.plan.tolist())
    assert dives.value is not None and dives.value < gap_objective(inst, start)
    assert dives.bound <= dives.value


def _brute_force(inst: GapInstance) -> tuple[int, np.ndarray]:
    """The optimum and the worst plan that fits, over all m ** n plans at once."""
    cost, loads, caps = _arrays(inst)
    m, n = cost.shape
    plans = np.indices((m,) * n).reshape(n, -1).T
    jobs = np.arange(n)
    value = cost[plans, jobs].sum(axis=1)
    used = np.stack([np.where(plans == i, loads[i], 0).sum(axis=1) for i in range(m)], axis=1)
    fits = (used <= caps).all(axis=1)
    assert fits.any()
    best = int(value[fits].min())
    worst = plans[fits][value[fits].argmax()]
    return best, worst


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dives_reach_the_brute_force_optimum(seed: int) -> None:
    inst = d_like(5, 8, seed=seed)
    cost, loads, caps = _arrays(inst)
    best, worst = _brute_force(inst)

    dives = dive_plans(cost, loads, caps, duals=cost.min(axis=0) * 1.0, plan=worst, seconds=10)

    found = worst if dives.plan is None else dives.plan
    assert _fits(inst, found)
    assert gap_objective(inst, found.tolist()) == best
    assert dives.bound <= best + 1e-6


def test_a_mid_size_d_instance_gets_a_fitting_plan_and_an_honest_bound() -> None:
    inst = d_like(10, 100, seed=5)
    start = greedy_gap(inst)
    assert start is not None

    result = solve_gap(inst, time_limit_s=2)

    assert result.assignment is not None and _fits(inst, np.array(result.assignment))
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective < gap_objective(inst, start)
