"""Column generation and diving: the start of ``planner.gap.solve_gap`` on mid-size instances.

The Dantzig-Wolfe master of the generalized assignment problem has one column per agent and
feasible job set (its cost, the jobs' costs with that agent): every job is covered exactly once,
every agent takes at most one column. Its LP bound is the Lagrangian bound with one knapsack per
agent - on Chu and Beasley's D instances well above the compact model's LP (d20100: 6,176
against 6,142.5; the optimum is 6,185), and its fractional solutions are nearly plans. This is
Savelsbergh's branch and price for the GAP ("A branch-and-price algorithm for the generalized
assignment problem", Operations Research 45, 1997) without the branching: after the root, a
*dive* (Sadykov, Vanderbeck, Pessoa, Tahiri and Uchoa, "Primal heuristics for branch and
price: the assets of diving methods", INFORMS Journal on Computing 31, 2019) fixes the column
of largest value (or all columns at 1), generates columns again for the jobs and agents left,
and goes on until the rest is small enough for HiGHS to solve exactly (``FINISH_AT`` agents).
Each dive after the first starts with the first choices of the earlier dives forbidden (their
tabu list), and a dive stops as soon as its bound shows it cannot beat the best plan; after
``STALL`` dives in a row without a better plan the time left goes back to the caller.

Column generation: the master is one HiGHS LP changed in place (columns added, bounds changed)
so each solve starts from the last basis; pricing is one 0/1 knapsack per agent by dynamic
programming over capacities. Plain column generation tails off on these instances (hundreds of
iterations while the master's duals jump about); the master's job duals are kept within ``BOX``
of the best dual point so far (the BoxStep method: Marsten, Hogan and Blankenship, "The Boxstep
method for large-scale optimization", Operations Research 23, 1975), by a surplus and a slack
column per job whose costs are the box's ends.

The bound is honest whether or not column generation converged: for any job duals u,
sum(u) - sum over agents of the best knapsack of u - cost is a Lagrangian lower bound (relax
"each job once", keep every agent's capacity), and the knapsacks are solved exactly; the best
such value of the root is what ``Dives.bound`` reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from highspy import _core as highs_core

from planner.mip import BoolArray, FloatArray, IntArray, MipModel, solve_mip

__all__ = ["Dives", "dive_plans"]

BOX = 0.3  # half-width of the dual box; 1 takes twice the iterations on d10200, 10 four times
FINISH_AT = 3  # agents left when a dive hands the rest to HiGHS (4 or 6: no better, slower)
FINISH_S = 0.5  # what HiGHS gets for that rest; it proves most of them well within
ROUNDS = 300  # column generation rounds at most per dive level: a safety net, not a setting
# Dives in a row without a better plan before the rest of the time goes back to the caller
# (b05100: its optimum in the 2nd dive, then 36 more in vain; the D instances improve as late
# as the 5th).
STALL = 10
INF = highs_core.kHighsInf


@dataclass(frozen=True)
class Dives:
    """The best plan the dives found (None if none beat ``plan``) and the root's bound."""

    plan: IntArray | None
    value: int | None
    bound: float
    dives: int
    columns: int


class _Master:
    """The restricted master LP: rows 0..n-1 "job j once", rows n..n+m-1 "agent i at most once".

    Columns 0..n-1 and n..2n-1 are each job's surplus and slack (the dual box; a large cost
    when the box is off, so a master with fixed columns stays feasible), then the agents' sets.
    """

    def __init__(self, cost: IntArray, loads: IntArray, caps: IntArray) -> None:
        m, n = cost.shape
        self.cost, self.loads, self.caps, self.m, self.n = cost, loads, caps, m, n
        self.big = float(np.abs(cost).max() + 1) * n
        h = highs_core._Highs()
        for option, value in (
            ("output_flag", False),
            ("threads", 1),
            ("presolve", "off"),  # it would throw away the basis at every solve
            ("simplex_strategy", 4),  # primal: a new column keeps the basis primal feasible
        ):
            h.setOptionValue(option, value)
        none = np.array([], dtype=np.int32)
        h.addRows(
            n + m,
            np.concatenate([np.ones(n), np.full(m, -INF)]),
            np.ones(n + m),
            0,
            none,
            none,
            np.array([]),
        )
        rows = np.tile(np.arange(n, dtype=np.int32), 2)
        h.addCols(
            2 * n,
            np.full(2 * n, self.big),
            np.zeros(2 * n),
            np.full(2 * n, INF),
            2 * n,
            np.arange(2 * n, dtype=np.int32),
            rows,
            np.concatenate([np.ones(n), -np.ones(n)]),
        )
        self.h = h
        self.agent: list[int] = []
        self.sets: list[BoolArray] = []
        self.value: list[int] = []
        self.seen: set[tuple[int, bytes]] = set()
        self.open: list[bool] = []  # upper bound not zero

    def add(self, i: int, jobs: BoolArray) -> bool:
        key = (i, np.packbits(jobs).tobytes())
        if key in self.seen:
            return False
        self.seen.add(key)
        index = np.append(np.flatnonzero(jobs), self.n + i).astype(np.int32)
        value = int(self.cost[i, jobs].sum())
        self.h.addCols(
            1,
            np.array([float(value)]),
            np.zeros(1),
            np.array([INF]),
            index.size,
            np.zeros(1, dtype=np.int32),
            index,
            np.ones(index.size),
        )
        self.agent.append(i)
        self.sets.append(jobs.copy())
        self.value.append(value)
        self.open.append(True)
        return True

    def box(self, center: FloatArray | None, delta: float) -> None:
        n = self.n
        costs = (
            np.full(2 * n, self.big)
            if center is None
            else np.concatenate([center + delta, delta - center])
        )
        self.h.changeColsCost(2 * n, np.arange(2 * n, dtype=np.int32), costs)

    def solve(self) -> tuple[float, FloatArray, float, FloatArray]:
        """Objective, the sets' values, how much the surplus and slack columns carry, duals."""
        self.h.run()
        solution = self.h.getSolution()
        x = np.asarray(solution.col_value)
        objective = float(self.h.getInfo().objective_function_value)
        return (
            objective,
            x[2 * self.n :],
            float(x[: 2 * self.n].sum()),
            np.asarray(solution.row_dual),
        )

    def bounds(self, columns: IntArray, lower: float, upper: float) -> None:
        if columns.size:
            k = columns.size
            self.h.changeColsBounds(
                k,
                (columns + 2 * self.n).astype(np.int32),
                np.full(k, lower),
                np.full(k, upper),
            )
            for c in columns:
                self.open[int(c)] = upper > 0

    def fix(self, c: int) -> None:
        """Column c is in the plan: every other set of its agent or with one of its jobs is out."""
        agents = np.asarray(self.agent)
        sets = np.asarray(self.sets)
        clash = (agents == self.agent[c]) | sets[:, self.sets[c]].any(axis=1)
        clash[c] = False
        self.bounds(np.flatnonzero(clash & np.asarray(self.open)), 0.0, 0.0)
        self.bounds(np.array([c]), 1.0, INF)

    def reset(self) -> None:
        self.bounds(np.arange(len(self.agent)), 0.0, INF)


@dataclass
class _Rest:
    """What a dive has left: the jobs and agents not yet fixed, and what the fixed sets cost."""

    jobs: BoolArray
    agents: BoolArray
    fixed: list[int]
    cost: float = 0.0


def _knapsack(profit: FloatArray, loads: IntArray, cap: int) -> tuple[float, BoolArray]:
    """One agent's best 0/1 knapsack by dynamic programming over its capacity.

    Agent by agent rather than ``planner.gap_exact.knapsacks``'s lock step: here the agents'
    useful items differ in number, and on 10 x 200 this takes a dive 40 % less time.
    """
    items = np.flatnonzero((profit > 1e-9) & (loads <= cap))
    chosen = np.zeros(profit.size, dtype=np.bool_)
    if items.size == 0:
        return 0.0, chosen
    table = np.zeros(cap + 1)
    took = np.zeros((items.size, cap + 1), dtype=np.bool_)
    for k, j in enumerate(items):
        w = int(loads[j])
        candidate = table[: cap + 1 - w] + profit[j]  # a copy: reads the table before this item
        np.greater(candidate, table[w:], out=took[k, w:])
        np.maximum(table[w:], candidate, out=table[w:])
    left = int(table.argmax())
    value = float(table[left])
    for k in range(items.size - 1, -1, -1):
        if took[k, left]:
            chosen[items[k]] = True
            left -= int(loads[items[k]])
    return value, chosen


def _price(ms: _Master, rest: _Rest, u: FloatArray) -> tuple[float, FloatArray, BoolArray]:
    """The Lagrangian bound of the rest for job duals u, and each agent's best knapsack."""
    m, n = ms.m, ms.n
    best = np.zeros(m)
    chosen = np.zeros((m, n), dtype=np.bool_)
    for i in np.flatnonzero(rest.agents):
        profit = np.where(rest.jobs, u - ms.cost[i], 0.0)
        best[i], chosen[i] = _knapsack(profit, ms.loads[i], int(ms.caps[i]))
    return rest.cost + float(u[rest.jobs].sum()) - float(best.sum()), best, chosen


def _generate(
    ms: _Master, rest: _Rest, center: FloatArray, *, cutoff: float, deadline: float
) -> tuple[float, FloatArray, FloatArray, float]:
    """Column generation on the rest (BoxStep): its bound, the best duals, the sets' values and
    what the surplus and slack still carry (0 when the values are a solution of the rest)."""
    bound, best, chosen = _price(ms, rest, center)
    for i in np.flatnonzero(rest.agents & (best > 1e-9)):
        ms.add(int(i), chosen[i])
    delta = BOX
    ms.box(center, delta)
    for _ in range(ROUNDS):
        objective, _, carried, duals = ms.solve()
        u = duals[: ms.n]
        v = np.minimum(duals[ms.n :], 0.0)
        found, best, chosen = _price(ms, rest, u)
        added = 0
        for i in np.flatnonzero(rest.agents & (best + v > 1e-6)):
            added += ms.add(int(i), chosen[i])
        if found > bound + 1e-9:
            bound, center = found, u.copy()
            ms.box(center, delta)
        if added == 0:
            if carried < 1e-9:
                break  # the master's duals are feasible for every column: converged
            delta *= 2
            ms.box(center, delta)
        if bound > cutoff or time.perf_counter() > deadline:
            break
        if carried < 1e-9 and np.ceil(bound - 1e-6) >= np.ceil(objective - 1e-6):
            break  # costs are integers: the bound cannot round up any further
    ms.box(None, 0.0)
    objective, values, carried, _ = ms.solve()
    return bound, center, values, carried


def _finish(ms: _Master, rest: _Rest, seconds: float) -> IntArray | None:
    """The rest as a compact GAP, solved by HiGHS: its jobs' agents, or None."""
    jobs, agents = np.flatnonzero(rest.jobs), np.flatnonzero(rest.agents)
    a, b = agents.size, jobs.size
    loads = ms.loads[np.ix_(agents, jobs)]
    cost = ms.cost[np.ix_(agents, jobs)]
    index = np.empty(2 * a * b, dtype=np.int64)
    index[0::2] = np.tile(np.arange(b), a)
    index[1::2] = b + np.repeat(np.arange(a), b)
    value = np.ones(2 * a * b)
    value[1::2] = loads.reshape(-1)
    model = MipModel(
        cost=cost.reshape(-1).astype(np.float64),
        lower=np.zeros(a * b),
        upper=(loads <= ms.caps[agents, None]).reshape(-1).astype(np.float64),
        integer=np.ones(a * b, dtype=np.bool_),
        row_lower=np.concatenate([np.ones(b), np.full(a, -np.inf)]),
        row_upper=np.concatenate([np.ones(b), ms.caps[agents].astype(np.float64)]),
        start=np.arange(0, 2 * a * b + 1, 2, dtype=np.int64),
        index=index,
        value=value,
    )
    found = solve_mip(model, time_limit_s=seconds)
    if found.values is None:
        return None
    left: IntArray = agents[found.values.reshape(a, b).argmax(axis=0)]
    return left


def _dive(
    ms: _Master, center: FloatArray, tabu: set[int], cutoff: float, deadline: float
) -> tuple[IntArray | None, int | None]:
    """One dive: its plan (None if it cannot beat ``cutoff``) and its first choice."""
    m, n = ms.m, ms.n
    ms.reset()
    rest = _Rest(np.ones(n, dtype=np.bool_), np.ones(m, dtype=np.bool_), [])
    first: int | None = None
    while True:
        bound, center, values, carried = _generate(
            ms, rest, center, cutoff=cutoff, deadline=deadline
        )
        if np.ceil(bound - 1e-6) > cutoff or time.perf_counter() > deadline:
            return None, first
        values[rest.fixed] = 0.0
        support = np.flatnonzero(values > 1e-6)
        whole = carried < 1e-9 and bool((values[support] > 1 - 1e-6).all())
        if whole or int(rest.agents.sum()) <= FINISH_AT:
            plan = np.full(n, -1, dtype=np.int64)
            for c in rest.fixed + (support.tolist() if whole else []):
                plan[ms.sets[c]] = ms.agent[c]
            if not whole and rest.jobs.any():
                left = _finish(ms, rest, min(FINISH_S, deadline - time.perf_counter()))
                if left is None:
                    return None, first
                plan[rest.jobs] = left
            return plan, first
        chosen = [int(c) for c in support if values[c] > 1 - 1e-6]
        if not chosen:
            order = [int(c) for c in support[np.argsort(-values[support])] if c not in tabu]
            if not order:
                return None, first
            chosen = order[:1]
            first = chosen[0] if first is None else first
        for c in chosen:
            ms.fix(c)
            rest.fixed.append(c)
            rest.agents[ms.agent[c]] = False
            rest.jobs &= ~ms.sets[c]
            rest.cost += ms.value[c]


def dive_plans(
    cost: IntArray,
    loads: IntArray,
    caps: IntArray,
    *,
    duals: FloatArray,
    plan: IntArray | None,
    seconds: float,
    on_plan: Callable[[float], None] | None = None,
) -> Dives:
    """Dives from the root of the master (module doc) for at most ``seconds``, minimising.

    ``duals`` are the compact LP's job duals, where the dual box starts; ``plan``, if any, gives
    the first columns and the value to beat. The result's plan fits every capacity.
    """
    deadline = time.perf_counter() + seconds
    m, n = cost.shape
    ms = _Master(cost, loads, caps)
    jobs = np.arange(n)
    best = None if plan is None else int(cost[plan, jobs].sum())
    if plan is not None:
        for i in range(m):
            ms.add(i, plan == i)
    root = _Rest(np.ones(n, dtype=np.bool_), np.ones(m, dtype=np.bool_), [])
    bound, center, _, _ = _generate(ms, root, duals.copy(), cutoff=np.inf, deadline=deadline)
    found: IntArray | None = None
    tabu: set[int] = set()
    dives = stalled = 0
    while (
        time.perf_counter() < deadline
        and (best is None or best > np.ceil(bound - 1e-6))
        and stalled < STALL
    ):
        cutoff = np.inf if best is None else best - 1
        got, first = _dive(ms, center.copy(), tabu, cutoff, deadline)
        dives += 1
        stalled += 1
        if got is not None and (got >= 0).all():
            used = np.bincount(got, weights=loads[got, jobs], minlength=m)
            value = int(cost[got, jobs].sum())
            if (used <= caps).all() and (best is None or value < best):
                found, best, stalled = got, value, 0
                if on_plan is not None:
                    on_plan(value)
        if first is None:
            break  # nothing to forbid: the next dive would repeat this one
        tabu.add(first)
    return Dives(found, None if found is None else best, bound, dives, len(ms.agent))
