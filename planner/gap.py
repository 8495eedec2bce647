"""The generalized assignment core: jobs to agents under per-agent workload capacities.

A generalized assignment problem (GAP) has m agents and n jobs. Giving job j to agent i costs
``costs[i][j]`` and uses ``loads[i][j]`` of agent i's ``capacities[i]``; every job goes to exactly
one agent. Giving targets to inspection teams is this problem once the pairs with an avoidance hit
are removed, which is why the benchmark measures the engine on the literature's GAP instances.

``solve_gap`` gives the plain compact model - a binary x[i, j] per pair, "exactly one agent" per
job, a knapsack row per agent - to HiGHS (one thread) or CP-SAT (two workers), after cheap
steps that keep large instances honest when time is short:

1. The LP relaxation (HiGHS simplex). Its duals give a Lagrangian lower bound and a reduced cost
   rc[i, j] per pair; an infeasible LP proves the instance infeasible.
2. A start: from ``MAX_JOBS`` to ``DIVE_UP_TO`` jobs, column generation over the agents' job
   sets and dives from its root (``planner.gap_price``: Savelsbergh's master for the GAP, whose
   bound is the Lagrangian one and is reported) for at most 70 % of the time and 7 s; above
   that size (from ``CORE_FROM`` pairs), or when no dive found a plan, the same solver on the
   *core* (each job's two pairs of smallest reduced cost plus the LP's support) for 40 % of the
   remaining time. Then shift and swap moves, then the exchange search of ``planner.gap_search``
   (chains of jobs moving among several agents at once) for at most 40 % of the time left and
   3 s, up to ``SEARCH_UP_TO`` jobs. A regret greedy (Martello and Toth's MTHG idea) is the
   start below ``CORE_FROM`` (where the core is nearly the whole model, solved twice) and the
   fallback. Without a start an LP-based solver may spend the whole limit in the root node of an
   80 x 1,600 instance and return a plan 3x the optimum.
3. Reduced-cost fixing: a pair with ``lower bound + rc > start - 1`` cannot be in a plan better than
   the start (costs are integers), so it is left out of the final model. This is exact: the final
   model's bound is a bound for the whole instance, and ``bound`` in the result is honest.
4. With HiGHS, up to ``MAX_JOBS`` jobs and ``MAX_CAPACITY`` (gap1-gap12): a branch and bound of
   our own with a Lagrangian bound, one knapsack per agent (``planner.gap_exact``), from the
   LP's duals and the start. It proves all 120 gap1-gap12 runs alone, in a fraction of HiGHS's
   time; the result's ``solver`` then ends in "LP + Lagrangian branch and bound". What it leaves
   unsettled in 80 % of the time goes to HiGHS, restricted to the pairs it left. CP-SAT runs
   without it: its column in the benchmark is the general solver on the same model.

``start="greedy"`` skips the LP (greedy and local search only); ``start="none"`` is the plain
model as the solvers get it, the benchmark's baseline. Costs and loads are integers, so a proven
bound is rounded to the integer it implies. ``GapResult.trace`` lists when the plan and the bound
improved, so one 60 s run also tells what a 10 s run would have had.

The instance, its result and ``read_gap`` (which reads the benchmark files, both layouts of
``shared/bench/gap/FORMAT.md``) live in ``planner.gap_instance``; ``MipModel``/``solve_mip``, the
small HiGHS runner the term planner shares, in ``planner.mip``. Both are importable from here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from ortools.sat.python import cp_model

from planner.gap_exact import MAX_CAPACITY, MAX_JOBS, Fixed, prove, regret_fill
from planner.gap_instance import Event, GapInstance, GapResult, gap_objective, read_gap
from planner.gap_price import dive_plans
from planner.gap_search import search_plan
from planner.mip import (
    BoolArray,
    FloatArray,
    IntArray,
    MipModel,
    MipResult,
    highs_version,
    ortools_version,
    solve_mip,
)

__all__ = [
    "GapInstance",
    "GapResult",
    "MipModel",
    "MipResult",
    "gap_objective",
    "greedy_gap",
    "highs_version",
    "improve_gap",
    "ortools_version",
    "read_gap",
    "solve_gap",
    "solve_mip",
]

Sense = Literal["min", "max"]
# The core start pays from this many pairs on. Below it (gap1-gap12: at most 10 x 60) solving
# the core is nearly the whole problem solved twice; the greedy start and its moves are enough.
CORE_FROM = 1_000
# The exchange search (planner.gap_search) after the core solve, up to this many jobs (its
# improvement graph has n x n arcs: about 100 MB at 1,600 jobs), for at most this share of the
# time left and never more than SEARCH_MAX_S: its gains come in the first seconds, and the
# final solve needs the rest (at 60 s it proves the E instances); the core gets CORE_SHARE first.
SEARCH_UP_TO = 1_600
SEARCH_SHARE = 0.4
SEARCH_MAX_S = 3.0
CORE_SHARE = 0.4
# From MAX_JOBS (gap1-gap12 stay with planner.gap_exact) up to this many jobs the start is
# column generation and diving (planner.gap_price) instead of the core solve or the greedy, for
# at most this share of the time: on the D instances its plans are near 0.1 % where
# the core solve's are 0.5-1.4 % off. From 400 jobs a pricing round costs 0.03-0.07 s and the
# root alone 5-6 s (d20400, d40400), which leaves no time to dive in 10 s.
DIVE_UP_TO = 200
DIVE_SHARE = 0.7
# ... and never more than this: at 60 s the final solve proves e10200 and e20200, which 42 s of
# dives left it no time for (e10200 proven at 59.5 s instead of main's 16.7 s).
DIVE_MAX_S = 7.0
# Its knapsacks keep a table of jobs x capacity booleans (d05200: 1,699); a workload measured in
# minutes instead of days would make it too large to fill 10 s with dives.
DIVE_MAX_CAPACITY = 2_000


# --- greedy start and local search ------------------------------------------------------------


def _arrays(inst: GapInstance) -> tuple[IntArray, IntArray, IntArray]:
    return (
        np.asarray(inst.costs, dtype=np.int64),
        np.asarray(inst.loads, dtype=np.int64),
        np.asarray(inst.capacities, dtype=np.int64),
    )


def _fits(inst: GapInstance, assignment: Sequence[int]) -> bool:
    used = [0] * inst.agents
    for j, i in enumerate(assignment):
        used[i] += inst.loads[i][j]
    return len(assignment) == inst.jobs and all(
        u <= b for u, b in zip(used, inst.capacities, strict=True)
    )


def _regret_greedy(desire: FloatArray, loads: IntArray, caps: IntArray) -> IntArray | None:
    """Assign next the job that would lose most by not getting its best agent with room."""
    plan = np.full(loads.shape[1], -1, dtype=np.int64)
    return regret_fill(plan, desire, loads, caps.copy())


def greedy_gap(inst: GapInstance, *, sense: Sense = "min") -> tuple[int, ...] | None:
    """The best regret-greedy plan under four desirability measures, or None if all fail."""
    costs, loads, caps = _arrays(inst)
    gain = (-costs if sense == "min" else costs).astype(np.float64)
    rel = loads / np.maximum(caps, 1)[:, None]
    scale = float(np.abs(gain).mean()) / max(float(rel.mean()), 1e-9)
    best: IntArray | None = None
    best_value = 0
    for desire in (gain, -rel, gain - rel * scale, gain / np.maximum(loads, 1)):
        found = _regret_greedy(desire, loads, caps)
        if found is None:
            continue
        value = int(costs[found, np.arange(inst.jobs)].sum())
        if best is None or (value < best_value if sense == "min" else value > best_value):
            best, best_value = found, value
    return None if best is None else tuple(int(i) for i in best)


def improve_gap(
    inst: GapInstance, assignment: Sequence[int], *, sense: Sense = "min", seconds: float = 1.0
) -> tuple[int, ...]:
    """Shift and swap moves, each job in turn, until none improves or ``seconds`` have passed."""
    costs, loads, caps = _arrays(inst)
    cost = costs if sense == "min" else -costs
    jobs = np.arange(inst.jobs)
    asg = np.asarray(assignment, dtype=np.int64).copy()
    rest = caps - np.bincount(asg, weights=loads[asg, jobs], minlength=inst.agents).astype(np.int64)
    deadline = time.perf_counter() + seconds
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for j in range(inst.jobs):
            i = int(asg[j])
            delta = np.where(loads[:, j] <= rest, cost[:, j] - cost[i, j], 0)
            k = int(delta.argmin())
            if delta[k] < 0:  # shift j to a cheaper agent with room
                asg[j] = k
                rest[i] += loads[i, j]
                rest[k] -= loads[k, j]
                improved = True
                continue
            # swap: j goes to the agent of job l, l comes to i
            gain = cost[i, j] + cost[asg, jobs] - cost[i, jobs] - cost[asg, j]
            fits = (loads[i, jobs] <= rest[i] + loads[i, j]) & (
                loads[asg, j] <= rest[asg] + loads[asg, jobs]
            )
            gain = np.where(fits & (asg != i), gain, 0)
            other = int(gain.argmax())
            if gain[other] > 0:
                k = int(asg[other])
                rest[i] += loads[i, j] - loads[i, other]
                rest[k] += loads[k, other] - loads[k, j]
                asg[j], asg[other] = k, i
                improved = True
            if time.perf_counter() > deadline:
                break
    return tuple(int(i) for i in asg)


# --- the GAP model, for either solver ---------------------------------------------------------


@dataclass
class _Run:
    """What one ``solve_gap`` call knows so far, in minimisation form (max: costs negated)."""

    cost: IntArray  # m x n, minimised
    loads: IntArray
    caps: IntArray
    sense: Sense
    began: float = field(default_factory=time.perf_counter)
    events: list[Event] = field(default_factory=list)
    best: int | None = None  # best plan value, min form
    lower: int | None = None  # best proven bound, min form

    def out(self, value: int) -> int:
        return value if self.sense == "min" else -value

    def plan(self, value: float) -> None:
        v = round(value)
        if self.best is None or v < self.best:
            self.best = v
            self.events.append((self.clock(), self.out(v), None))

    def bound(self, value: float) -> None:
        b = math.ceil(value - 1e-6)
        if self.best is not None:
            b = min(b, self.best)
        if self.lower is None or b > self.lower:
            self.lower = b
            self.events.append((self.clock(), None, self.out(b)))

    def clock(self) -> float:
        return time.perf_counter() - self.began


def _highs_gap(
    run: _Run,
    keep: BoolArray,
    hint: IntArray | None,
    time_limit_s: float,
    seed: int,
    *,
    final: bool,
    relax: bool = False,
) -> MipResult:
    m, n = keep.shape
    cols = m * n
    index = np.empty(2 * cols, dtype=np.int64)
    index[0::2] = np.tile(np.arange(n), m)  # row j: job j goes to exactly one agent
    index[1::2] = n + np.repeat(np.arange(m), n)  # row n + i: agent i's capacity
    value = np.empty(2 * cols, dtype=np.float64)
    value[0::2] = 1.0
    value[1::2] = run.loads.reshape(-1)
    model = MipModel(
        cost=run.cost.reshape(-1).astype(np.float64),
        lower=np.zeros(cols),
        upper=keep.reshape(-1).astype(np.float64),
        integer=np.full(cols, not relax, dtype=np.bool_),
        row_lower=np.concatenate([np.ones(n), np.full(m, -np.inf)]),
        row_upper=np.concatenate([np.ones(n), run.caps.astype(np.float64)]),
        start=np.arange(0, 2 * cols + 1, 2, dtype=np.int64),
        index=index,
        value=value,
    )
    start = None
    if hint is not None:
        start = np.zeros(cols)
        start[hint * n + np.arange(n)] = 1.0
    return solve_mip(
        model,
        time_limit_s=time_limit_s,
        seed=seed,
        start=start,
        on_plan=run.plan,
        on_bound=run.bound if final else None,
    )


class _Heard(cp_model.CpSolverSolutionCallback):
    def __init__(self, run: _Run) -> None:
        super().__init__()
        self.run = run

    def on_solution_callback(self) -> None:
        self.run.plan(self.objective_value)


def _cpsat_gap(
    run: _Run,
    keep: BoolArray,
    hint: IntArray | None,
    time_limit_s: float,
    seed: int,
    *,
    final: bool,
) -> MipResult:
    began = time.perf_counter()
    m, n = keep.shape
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {
        (i, j): model.new_bool_var(f"x{i}_{j}") for i, j in zip(*np.nonzero(keep), strict=True)
    }
    by_job: list[list[cp_model.IntVar]] = [[] for _ in range(n)]
    by_agent: list[list[tuple[cp_model.IntVar, int]]] = [[] for _ in range(m)]
    for (i, j), var in x.items():
        by_job[j].append(var)
        by_agent[i].append((var, int(run.loads[i, j])))
    for job_vars in by_job:
        model.add_exactly_one(job_vars)
    for i, pairs in enumerate(by_agent):
        if pairs:
            expr = cp_model.LinearExpr.weighted_sum([v for v, _ in pairs], [w for _, w in pairs])
            model.add(expr <= int(run.caps[i]))
    model.minimize(
        cp_model.LinearExpr.weighted_sum(list(x.values()), [int(run.cost[i, j]) for i, j in x])
    )
    if hint is not None:
        for (i, j), var in x.items():
            model.add_hint(var, bool(hint[j] == i))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    # building the model is part of the time allowed
    solver.parameters.max_time_in_seconds = max(time_limit_s - (time.perf_counter() - began), 0.01)
    if final:
        solver.best_bound_callback = run.bound
    code = solver.solve(model, _Heard(run))
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    values = None
    if status in ("optimal", "feasible"):
        values = np.zeros(m * n)
        for (i, j), var in x.items():
            values[i * n + j] = float(solver.boolean_value(var))
    bound = float(solver.best_objective_bound) if status != "infeasible" else None
    return MipResult(status, None, bound, values, time.perf_counter() - began)


def _assignment(values: FloatArray | None, m: int, n: int) -> IntArray | None:
    return None if values is None else values.reshape(m, n).argmax(axis=0).astype(np.int64)


def _lagrangian(run: _Run, duals: FloatArray) -> tuple[float, FloatArray]:
    """Bound and reduced costs from any duals with the right signs (so exact for any LP)."""
    n = run.cost.shape[1]
    u = duals[:n]
    v = np.minimum(duals[n:], 0.0)
    rc = run.cost - u[None, :] - v[:, None] * run.loads
    return float(u.sum() + (v * run.caps).sum() + np.minimum(rc, 0.0).sum()), rc


def _prove_small(
    inst: GapInstance, run: _Run, keep: BoolArray, hint: IntArray | None, u: FloatArray, s: float
) -> Fixed:
    """``planner.gap_exact.prove``; its plan and bound go to ``run``, its pairs within ``keep``."""

    def polish(plan: IntArray) -> IntArray:
        moved = improve_gap(inst, plan.tolist(), sense=run.sense, seconds=0.05)
        return np.asarray(moved, dtype=np.int64)

    exact = prove(
        run.cost, run.loads, run.caps, duals=u, plan=hint, improve=polish, heard=run.plan, seconds=s
    )
    if math.isfinite(exact.bound):
        run.bound(exact.bound)
    better = keep & exact.better
    if exact.plan is not None:
        better[exact.plan, np.arange(inst.jobs)] = True
    return Fixed(exact.plan, exact.value, exact.bound, better, exact.nodes)


def solve_gap(
    inst: GapInstance,
    *,
    sense: Sense = "min",
    time_limit_s: float = 10.0,
    seed: int = 0,
    solver: Literal["highs", "cpsat"] = "highs",
    start: Literal["lp", "greedy", "none"] = "lp",
) -> GapResult:
    """Best plan found within ``time_limit_s`` and the bound proven for it (see module doc)."""
    costs, loads, caps = _arrays(inst)
    run = _Run(costs if sense == "min" else -costs, loads, caps, sense)
    m, n = inst.agents, inst.jobs
    keep = loads <= caps[:, None]
    hint: IntArray | None = None
    solve = _highs_gap if solver == "highs" else _cpsat_gap
    name = highs_version() if solver == "highs" else f"{ortools_version()} CP-SAT"

    def left() -> float:
        return time_limit_s - run.clock()

    def result(status: str, plan: IntArray | None) -> GapResult:
        assignment = None if plan is None else tuple(int(i) for i in plan)
        if assignment is not None and not _fits(inst, assignment):
            assignment, status = None, "unknown"  # a tolerance let a load slip: never report it
        objective = None if assignment is None else gap_objective(inst, assignment)
        bound = None if run.lower is None else run.out(run.lower)
        if objective is not None and bound == objective:
            status = "optimal"
        elif status == "optimal":
            status = "feasible"
        return GapResult(status, objective, bound, run.clock(), assignment, name, tuple(run.events))

    if not keep.any(axis=0).all():
        return result("infeasible", None)
    rc: FloatArray | None = None
    duals: FloatArray | None = None
    lp_bound = 0.0
    if start == "lp":
        lp = _highs_gap(run, keep, None, left(), seed, final=False, relax=True)
        if lp.status == "infeasible":
            return result("infeasible", None)
        if lp.row_duals is not None and lp.values is not None:
            duals = lp.row_duals
            lp_bound, rc = _lagrangian(run, lp.row_duals)
            run.bound(lp_bound)
            if MAX_JOBS < n <= DIVE_UP_TO and caps.max() <= DIVE_MAX_CAPACITY:
                greedy = greedy_gap(inst, sense=sense)
                dives = dive_plans(
                    run.cost,
                    loads,
                    caps,
                    duals=lp.row_duals[:n],
                    plan=None if greedy is None else np.asarray(greedy, dtype=np.int64),
                    seconds=min(DIVE_SHARE * left(), DIVE_MAX_S),
                    on_plan=run.plan,
                )
                run.bound(dives.bound)
                hint = dives.plan  # None: the core solve, then the greedy, as below
            if m * n >= CORE_FROM and hint is None:
                core = np.zeros((m, n), dtype=np.bool_)
                core[np.argsort(rc, axis=0)[:2], np.arange(n)] = True
                core = (core | (lp.values.reshape(m, n) > 1e-6)) & keep
                found = solve(run, core, None, CORE_SHARE * left(), seed, final=False)
                hint = _assignment(found.values, m, n)
    if hint is None and start != "none":
        greedy = greedy_gap(inst, sense=sense)
        hint = None if greedy is None else np.asarray(greedy, dtype=np.int64)
    if hint is not None:
        better = improve_gap(inst, hint.tolist(), sense=sense, seconds=min(0.5, 0.05 * left()))
        hint = np.asarray(better, dtype=np.int64)
        value = int(run.cost[hint, np.arange(n)].sum())
        run.plan(value)
        if run.lower is not None and run.lower >= value:
            return result("optimal", hint)
        if rc is not None and m * n >= CORE_FROM and n <= SEARCH_UP_TO:
            seconds = min(SEARCH_SHARE * left(), SEARCH_MAX_S)
            hint = search_plan(
                run.cost, loads, caps, hint, seconds=seconds, seed=seed, on_plan=run.plan
            )
            value = int(run.cost[hint, np.arange(n)].sum())
        if rc is not None:
            keep = keep & (rc <= value - 1 - lp_bound + 1e-6)
            keep[hint, np.arange(n)] = True
    small = n <= MAX_JOBS and m * n < CORE_FROM and int(caps.max()) <= MAX_CAPACITY
    if duals is not None and solver == "highs" and small:
        exact = _prove_small(inst, run, keep, hint, duals[:n], 0.8 * left())
        name = f"{name} LP + Lagrangian branch and bound"
        if exact.infeasible:
            return result("infeasible", None)
        if exact.proven:
            return result("optimal", exact.plan)
        keep, hint = exact.better, exact.plan  # what the search left to HiGHS
    found = solve(run, keep, hint, left(), seed, final=True)
    if found.bound is not None:
        run.bound(found.bound)
    if found.status == "infeasible" and hint is None:
        return result("infeasible", None)
    plan = _assignment(found.values, m, n)
    if plan is None or (
        hint is not None and run.cost[hint, np.arange(n)].sum() < run.cost[plan, np.arange(n)].sum()
    ):
        plan = hint
    return result("feasible" if plan is not None else "unknown", plan)
