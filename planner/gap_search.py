"""A local search for the generalized assignment problem: path and cyclic exchanges, kicked.

The start of ``planner.gap.solve_gap`` on mid-size instances improves the core solve's plan
with this search before the final model gets it. It pays on Chu and Beasley's D instances
(costs inversely correlated with loads, capacities tight): there every agent is nearly full, so
a plan improves only when several jobs move among several agents at once with loads that still
fit - shifts and swaps stall, and so do the solvers' own heuristics.

The neighbourhood is the *multi-exchange* of Ahuja, Orlin, Pallottino, Scaparra and Scutellà
("A multi-exchange heuristic for the single-source capacitated facility location problem",
Management Science 50, 2004), on the GAP: a chain of jobs j1, ..., jt on distinct agents where
each job takes the place of the next one on its agent, and the last one goes either to an agent
with room (a *path* exchange; t = 1 is a shift) or to j1's agent (a *cyclic* exchange; t = 2 is
a swap). Every agent in the chain loses one job and gains one, so the capacities are checked
exactly and the search never leaves the feasible plans. The best chain is found by shortest
paths in the improvement graph - an arc j -> l costs what j costs on l's agent less what l
costs there, and exists when j fits in the room l leaves - computed level by level for all
jobs at once with numpy (the levels are the chain's length, up to ``DEPTH``); a chain whose
agents repeat is skipped. Each step makes the best improving chain.

When no chain improves, the plan is a local optimum: the search goes back to the best plan found
and *kicks* it with a few random moves that fit - shifts, or swaps where every agent is full (an
iterated local search), then descends again. It stops after ``stall`` kicks and twice as many as
it took to find its best plan (a search still finding better plans late goes on), or at the time
limit, and returns the best plan found - never worse than its start, always within the
capacities.

Reproducible: the kicks are drawn from ``seed`` and the stop is a count of kicks, so the same
start gives the same plan unless the time limit cuts the search short. The improvement graph has
n x n arcs, a few arrays of them live at once: ``solve_gap`` uses the search up to
``planner.gap.SEARCH_UP_TO`` jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from planner.gap_instance import GapInstance
from planner.mip import FloatArray, IntArray

__all__ = ["search_gap", "search_plan"]

Sense = Literal["min", "max"]
DEPTH = 8  # the longest chain: enough to cross most agents of a 10-20 agent instance
KICK = 6  # random moves per kick: fewer fall back into the same optimum, more lose the plan
STALL = 150  # kicks at least; more when better plans still come late
Move = tuple[int, int]  # job, its new agent


def search_gap(
    inst: GapInstance,
    assignment: Sequence[int],
    *,
    sense: Sense = "min",
    seconds: float = 1.0,
    seed: int = 0,
    stall: int = STALL,
) -> tuple[int, ...]:
    """The best plan found from ``assignment`` (which must fit) within ``seconds``."""
    costs = np.asarray(inst.costs, dtype=np.int64)
    plan = search_plan(
        costs if sense == "min" else -costs,
        np.asarray(inst.loads, dtype=np.int64),
        np.asarray(inst.capacities, dtype=np.int64),
        np.asarray(assignment, dtype=np.int64),
        seconds=seconds,
        seed=seed,
        stall=stall,
    )
    return tuple(int(i) for i in plan)


def search_plan(
    cost: IntArray,
    loads: IntArray,
    caps: IntArray,
    start: IntArray,
    *,
    seconds: float,
    seed: int = 0,
    stall: int = STALL,
    on_plan: Callable[[float], None] | None = None,
) -> IntArray:
    """``search_gap`` on arrays, minimising ``cost``; ``on_plan`` hears each better value."""
    deadline = time.perf_counter() + seconds
    m, n = cost.shape
    jobs = np.arange(n)
    rng = np.random.default_rng(seed)
    plan = start.copy()
    used = np.bincount(plan, weights=loads[plan, jobs], minlength=m).astype(np.int64)
    if (used > caps).any():
        raise ValueError("the start plan does not fit the capacities")
    value = int(cost[plan, jobs].sum())
    best, best_value = plan.copy(), value
    kicks = last_gain = 0
    # a search still finding better plans late gets as many kicks again as it took to find them
    while kicks < stall + 2 * last_gain and time.perf_counter() < deadline:
        chain = _best_chain(cost, loads, caps, plan, used)
        if chain:
            for j, agent in chain:
                used[plan[j]] -= loads[plan[j], j]
                used[agent] += loads[agent, j]
                plan[j] = agent
            value = int(cost[plan, jobs].sum())
            if value < best_value:
                best, best_value, last_gain = plan.copy(), value, kicks
                if on_plan is not None:
                    on_plan(float(value))
            continue
        kicks += 1
        if value > best_value:
            plan = best.copy()
            used = np.bincount(plan, weights=loads[plan, jobs], minlength=m).astype(np.int64)
        _kick(loads, caps, plan, used, rng)
        value = int(cost[plan, jobs].sum())
    return best


def _kick(
    loads: IntArray, caps: IntArray, plan: IntArray, used: IntArray, rng: np.random.Generator
) -> None:
    """``KICK`` random moves that fit: a shift where one fits, else a swap (full agents)."""
    jobs = np.arange(plan.size)
    for j in rng.integers(plan.size, size=KICK):
        i = plan[j]
        room = loads[:, j] <= caps - used
        room[i] = False
        if room.any():
            moves = [(j, int(rng.choice(np.flatnonzero(room))))]
        else:
            other = plan
            swaps = (
                (other != i)
                & (loads[other, j] <= caps[other] - used[other] + loads[other, jobs])
                & (loads[i, jobs] <= caps[i] - used[i] + loads[i, j])
            )
            if not swaps.any():
                continue
            partner = int(rng.choice(np.flatnonzero(swaps)))
            moves = [(j, int(plan[partner])), (partner, int(i))]
        for job, agent in moves:
            used[plan[job]] -= loads[plan[job], job]
            used[agent] += loads[agent, job]
            plan[job] = agent


def _best_chain(
    cost: IntArray, loads: IntArray, caps: IntArray, plan: IntArray, used: IntArray
) -> list[Move]:
    """The most improving path or cyclic exchange found, as moves; empty if none improves."""
    n = cost.shape[1]
    jobs = np.arange(n)
    rest = caps - used
    here = cost[plan, jobs]
    # into[l, j]: j's cost on l's agent less l's cost there, when j takes l's place (rows by l,
    # so that each level below reads contiguous rows)
    into = cost[plan] - here[:, None]
    fits = loads[plan] <= (rest[plan] + loads[plan, jobs])[:, None]
    into = np.where(fits & (plan[:, None] != plan[None, :]), into, np.inf)
    # the cheapest agent with room for each job, to end a path
    room = loads <= rest[:, None]
    room[plan, jobs] = False
    end_cost = np.where(room, cost, np.inf)
    end_agent = end_cost.argmin(axis=0)
    end_cost = end_cost[end_agent, jobs]
    dist: FloatArray = -here.astype(np.float64)  # a chain starts by taking j1 off its agent
    first = jobs.copy()
    preds: list[IntArray] = []
    through = np.empty_like(into, dtype=np.float64)
    chosen: list[Move] = []
    chosen_gain = -1e-9
    for level in range(DEPTH):
        if level:
            through = np.add(into, dist[None, :], out=through)
            pred = through.argmin(axis=1)
            dist, first = through[jobs, pred], first[pred]
            preds.append(pred)
        home = plan[first]  # j1's agent, which a cyclic exchange ends on
        closes = (loads[home, jobs] <= rest[home] + loads[home, first]) & (home != plan)
        cyclic = np.where(closes, dist + cost[home, jobs], np.inf)
        for total, cyclic_end in ((dist + end_cost, False), (cyclic, True)):
            for last in np.argsort(total)[:3]:
                if not total[last] < chosen_gain:
                    break
                end = int(home[last] if cyclic_end else end_agent[last])
                moves = _moves(int(last), preds, plan, end)
                if moves is None:
                    continue
                chosen, chosen_gain = moves, float(total[last])
                break
        if not np.isfinite(dist).any():
            break
    return chosen


def _moves(last: int, preds: list[IntArray], plan: IntArray, end: int) -> list[Move] | None:
    """The chain ending at ``last``, whose job goes to ``end``, as moves; None when its agents
    repeat or ``end`` is one of them other than the first (which has only lost a job)."""
    chain = [last]
    for pred in reversed(preds):
        chain.append(int(pred[chain[-1]]))
    chain.reverse()
    agents = [int(plan[j]) for j in chain]
    if len(set(agents)) != len(agents) or end in agents[1:]:
        return None
    return [(chain[k], agents[k + 1]) for k in range(len(chain) - 1)] + [(last, end)]
