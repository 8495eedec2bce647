"""Proving small GAP optima: a Lagrangian bound with one knapsack per agent, branch and bound.

``planner.gap.solve_gap`` uses this with HiGHS up to ``MAX_JOBS`` jobs and ``MAX_CAPACITY``
(gap1-gap12: at most 10 agents x 60 jobs, capacities below 80), where HiGHS's own branch and
bound spends most of its time looking for the last plan. The compact model's LP bound is weak
there, but its Lagrangian bound over the assignment rows is strong. Relaxing "every job to
exactly one agent" with multipliers u (minimisation form) leaves one 0/1 knapsack per agent:

    L(u) = sum_j u_j - sum_i max { sum_j (u_j - c_ij) x_ij : sum_j a_ij x_ij <= b_i }.

Each knapsack is solved exactly by dynamic programming over the capacity, all agents at once
in numpy and over the items of positive profit only (``knapsacks``), so L(u) costs a few
tenths of a millisecond. The search starts from the LP's duals, where L(u) is at least the LP
bound, and takes subgradient steps (Polyak's rule towards the incumbent's value). Each step
also does three things:

- **Pair fixing.** A plan that gives job j to agent i is worth at least
  L(u) + P_i - p_ij - K_i(b_i - a_ij) (P_i agent i's best knapsack, K_i its table of best
  knapsacks by capacity, p_ij the pair's profit): agent i's knapsack with the pair forced in,
  bounded from above by the table. When that reaches the incumbent's value the pair cannot be
  in a better plan and is left out: the incumbent only gets better, so it stays out, and the
  knapsacks of later steps lose it, which raises L. A job with one pair left is assigned: its
  load leaves its agent's capacity and its cost becomes a constant of the bound.
- **Plans.** Every ``REPAIR_EVERY`` steps the knapsacks' choice is repaired into a plan (jobs
  chosen once keep their agent, the others go by regret) and improved by shift and swap moves.
  When the knapsacks choose every job exactly once, their choice is the best plan there is.
- **Proof.** When L rounded up reaches the incumbent's value, or some job has no pair left, no
  plan beats the incumbent. Before there is an incumbent, a bound above what any plan can cost
  (``ceiling``) proves that there is no plan at all.

A depth-first branch and bound (``prove``) finishes what the root leaves: it branches on the
job whose second-best pair has the highest forced bound, giving it its best pair in one child
(searched first) and taking that pair away in the other, and each node takes a few subgradient
steps from its parent's multipliers, keeping the pairs its parent left. On gap1-gap12 the root
settles about half of the 120 runs and the largest tree has about a hundred nodes
(BENCHMARKS.md, section 1). Every bound is exact (costs are integers, so a bound is rounded up),
so ``Fixed.proven`` is a proof and ``Fixed.infeasible`` a proof that no plan exists. If the
node or time limit (80 % of ``solve_gap``'s) stops the search first, the root's bound and
remaining pairs go back to ``solve_gap``, whose solver gets the model restricted to those pairs
with the incumbent as its start: a bound proven there is a bound for the whole instance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner.mip import BoolArray, FloatArray, IntArray

__all__ = ["MAX_CAPACITY", "MAX_JOBS", "Fixed", "knapsacks", "prove", "regret_fill"]

# Where solve_gap uses this: what gap1-gap12 need (60 jobs, capacities below 80), with room.
# The knapsack tables grow with the capacity (a step costs agents x capacity). gapa-gapd's
# 5 x 100 instances are proven too (d05100 in 5-8 s, where HiGHS proves nothing in 10 s), but
# cut short their plan is worse than HiGHS's (d05100 at 2 s: 6497 against 6357): the depth-first
# search finds its first plan better than the greedy one only after about 2 s, so they stay
# with HiGHS until it finds plans sooner.
MAX_JOBS = 60
MAX_CAPACITY = 1_000
# Repair the knapsacks' choice into a plan every this many steps (a repair costs a few steps;
# every 6, 8 or 12 steps needs more nodes than it saves).
REPAIR_EVERY = 4
# Polish a repaired plan by moves only when it is this close to the incumbent (0.5 %, at least
# 2): the moves cost as much as ten knapsack steps, and plans further off rarely win.
POLISH_WITHIN = 0.005


def knapsacks(
    profit: FloatArray, loads: IntArray, caps: IntArray, allowed: BoolArray
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Each agent's best 0/1 knapsack: its value, the items chosen, and its table by capacity.

    ``table[i, w]`` is the best profit of agent i's items within a load of w; items of no profit
    or not allowed are never chosen. The items are taken in lock step across agents, the k-th
    useful item of every agent at step k, so the loop has as many steps as the busiest agent
    has useful items, not one per job.
    """
    m, n = profit.shape
    top = int(caps.max())
    useful = allowed & (profit > 1e-9) & (loads <= caps[:, None])
    count = useful.sum(axis=1)
    steps = int(count.max()) if m else 0
    rows = np.arange(m)
    items = np.argsort(~useful, axis=1, kind="stable")[:, :steps].T  # step x agent
    weight = loads[rows, items]
    gain = profit[rows, items]
    past = np.arange(steps)[:, None] >= count[None, :]
    weight[past] = top + 1  # padding: never fits
    gain[past] = 0.0
    width = top + 2  # column 0 is "no such load" (-inf); column w + 1 is load w
    table = np.zeros((m, width))
    table[:, 0] = -np.inf
    flat = table.reshape(-1)
    body = table[:, 1:]
    # where each step reads from: agent i's column w + 1 - weight, or column 0 when it cannot fit
    source = np.arange(1, width)[None, None, :] - weight[:, :, None]
    np.maximum(source, 0, out=source)
    source += (rows * width)[None, :, None]
    gain = np.repeat(gain[:, :, None], top + 1, axis=2)  # adding it unbroadcast is faster
    took = np.empty((steps, m, top + 1), dtype=np.bool_)
    for k in range(steps):
        candidate = flat[source[k]]
        candidate += gain[k]
        np.greater(candidate, body, out=took[k])
        np.maximum(body, candidate, out=body)
    best = table[rows, caps + 1]
    picked = np.empty((steps, m), dtype=np.bool_)
    left = caps.copy()
    for k in range(steps - 1, -1, -1):
        picked[k] = took[k, rows, left]
        np.subtract(left, weight[k], out=left, where=picked[k])
    chosen = np.zeros((m, n), dtype=np.bool_)
    at_step, agent = np.nonzero(picked)
    chosen[agent, items[at_step, agent]] = True
    return best, chosen, body


@dataclass(frozen=True)
class Fixed:
    """What the search proved: the best plan, a bound, and the pairs still open at the root.

    ``better[i, j]`` is False when no plan better than ``plan`` gives job j to agent i;
    ``bound`` (minimisation form, not rounded) holds for every plan. ``nodes`` counts the
    branch and bound's nodes, the root included.
    """

    plan: IntArray | None
    value: int | None
    bound: float
    better: BoolArray
    nodes: int

    @property
    def proven(self) -> bool:
        # costs are integers: a bound above value - 1 is value rounded up
        return self.value is not None and self.bound > self.value - 1 + 1e-6

    @property
    def infeasible(self) -> bool:
        return self.value is None and self.bound == math.inf


@dataclass
class _Search:
    """The instance (minimisation form), the incumbent, and the plans already improved."""

    cost: IntArray
    loads: IntArray
    caps: IntArray
    improve: Callable[[IntArray], IntArray]
    heard: Callable[[int], None]  # told each better plan's value as it is found
    ceiling: int  # more than any plan is worth: a bound above it proves there is no plan
    plan: IntArray | None = None
    value: int | None = None
    seen: set[bytes] = field(default_factory=set)
    nodes: int = 0

    @property
    def cutoff(self) -> int:
        return self.ceiling if self.value is None else self.value

    def offer(self, plan: IntArray, *, polish: bool) -> None:
        value = int(self.cost[plan, np.arange(plan.size)].sum())
        key = plan.tobytes()
        near = self.value is None or value <= self.value + max(2, abs(self.value) * POLISH_WITHIN)
        if polish and near and key not in self.seen:
            self.seen.add(key)
            plan = self.improve(plan)
            value = int(self.cost[plan, np.arange(plan.size)].sum())
        if self.value is None or value < self.value:
            self.plan, self.value = plan, value
            self.heard(value)

    def beaten(self, bound: float) -> bool:
        """Nothing below a node of this bound beats the incumbent (or is a plan at all)."""
        return min(bound, self.ceiling) > self.cutoff - 1 + 1e-6


@dataclass(frozen=True)
class _Node:
    bound: float  # inf: nothing better than the incumbent below this node
    better: BoolArray
    forced: FloatArray  # a bound on the plans below this node that use each pair
    u: FloatArray


def _lagrange(
    search: _Search, mask: BoolArray, u: FloatArray, *, steps: int, theta: float
) -> _Node:
    """Subgradient steps on the plans within ``mask``, fixing pairs and offering plans."""
    cost, loads, caps = search.cost, search.loads, search.caps
    m, n = cost.shape
    better = mask.copy()
    best_bound, best_u, stale = -math.inf, u, 0
    forced_best = np.full((m, n), -math.inf)
    for step in range(1, steps + 1):
        count = better.sum(axis=0)
        fixed = count == 1
        if not count.all():
            return _Node(math.inf, better, forced_best, best_u)
        # a job with one pair left is assigned: its load and cost leave the knapsacks
        agent_of = better[:, fixed].argmax(axis=0)
        fixed_jobs = np.flatnonzero(fixed)
        room = caps - np.bincount(agent_of, loads[agent_of, fixed_jobs], minlength=m).astype(
            np.int64
        )
        if (room < 0).any():
            return _Node(math.inf, better, forced_best, best_u)
        free = better & ~fixed[None, :]
        profit = u[None, :] - cost
        best, chosen, table = knapsacks(profit, loads, room, free)
        bound = float(cost[agent_of, fixed_jobs].sum() + u[~fixed].sum() - best.sum())
        if bound > best_bound + 1e-9:
            best_bound, best_u, stale = bound, u, 0
        else:
            stale += 1
        taken = chosen | (better & fixed[None, :])
        slack = 1.0 - taken.sum(axis=0)
        if not slack.any():  # the knapsacks assign every job once: the node's best plan
            search.offer(taken.argmax(axis=0).astype(np.int64), polish=False)
            return _Node(math.inf, better, forced_best, best_u)
        if step % REPAIR_EVERY == 1 and (found := _repair(taken, cost, loads, caps)) is not None:
            search.offer(found, polish=True)
        # a plan giving job j to agent i is worth at least this (the pair forced in)
        left = room[:, None] - loads
        forced = bound + best[:, None] - profit - np.take_along_axis(table, np.maximum(left, 0), 1)
        forced = np.where(left < 0, math.inf, forced)
        forced[:, fixed] = bound
        np.maximum(forced_best, forced, out=forced_best)
        if search.beaten(best_bound):
            return _Node(math.inf, better, forced_best, best_u)
        better &= forced_best <= search.cutoff - 1 + 1e-6
        target = float(search.cutoff)
        if search.value is None:  # no plan yet: aim above the bound by a share of a plan's cost
            target = min(target, bound + 0.05 * (abs(bound) + abs(search.ceiling)) + 1.0)
        if stale >= 6:  # back to the best multipliers with shorter steps
            theta, stale, u = theta / 2, 0, best_u
            if theta < 1e-3:
                break
            continue
        u = u + theta * (target - bound) / float((slack * slack).sum()) * slack
    return _Node(best_bound, better, forced_best, best_u)


def _repair(chosen: BoolArray, cost: IntArray, loads: IntArray, caps: IntArray) -> IntArray | None:
    """A plan from the knapsacks' choice: jobs chosen once keep their agent, then by regret."""
    m, n = cost.shape
    plan = np.full(n, -1, dtype=np.int64)
    once = np.flatnonzero(chosen.sum(axis=0) == 1)
    plan[once] = chosen[:, once].argmax(axis=0)  # each agent's knapsack fits, so these do
    rest = caps - np.bincount(plan[once], loads[plan[once], once], minlength=m).astype(np.int64)
    # the others: cheapest agent with room, the job with most to lose first
    rel = loads / np.maximum(caps, 1)[:, None]
    desire = np.where(chosen, 1.0, 0.0) - 0.5 * rel - cost / max(float(np.abs(cost).max()), 1.0)
    return regret_fill(plan, desire, loads, rest)


def regret_fill(
    plan: IntArray, desire: FloatArray, loads: IntArray, rest: IntArray
) -> IntArray | None:
    """The jobs of ``plan`` still at -1 given out by regret (Martello and Toth's MTHG): next
    the job that would lose most by not getting its most desired agent with room left in
    ``rest``. Fills ``plan`` and ``rest`` in place; None when a job fits nowhere. The regret
    greedy of `planner.gap` is this from an empty plan."""
    m = loads.shape[0]
    open_jobs = np.flatnonzero(plan < 0)
    while open_jobs.size:
        d = np.where(loads[:, open_jobs] <= rest[:, None], desire[:, open_jobs], -np.inf)
        agent = d.argmax(axis=0)
        first = d[agent, np.arange(open_jobs.size)]
        if np.isneginf(first).any():
            return None
        second = np.partition(d, m - 2, axis=0)[m - 2] if m > 1 else np.full_like(first, -np.inf)
        k = int((first - second).argmax())
        j, i = int(open_jobs[k]), int(agent[k])
        plan[j] = i
        rest[i] -= loads[i, j]
        open_jobs = np.delete(open_jobs, k)
    return plan


def prove(
    cost: IntArray,
    loads: IntArray,
    caps: IntArray,
    *,
    duals: FloatArray,
    plan: IntArray | None,
    improve: Callable[[IntArray], IntArray],
    heard: Callable[[int], None] = lambda value: None,
    root_steps: int = 50,
    node_steps: int = 6,
    node_limit: int = 5_000,
    seconds: float = 60.0,
) -> Fixed:
    """The Lagrangian search at the root, then a depth-first branch and bound (module doc).

    ``cost`` is in minimisation form; ``improve`` turns a plan into a plan at least as good;
    ``heard`` is told the value of each better plan when it is found.
    When ``node_limit`` nodes or ``seconds`` do not settle it, the result has the root's bound
    and pairs.
    """
    deadline = time.perf_counter() + seconds
    allowed = loads <= caps[:, None]
    ceiling = int(np.where(allowed, cost, cost.min()).max(axis=0).sum()) + 1
    search = _Search(cost, loads, caps, improve, heard, ceiling)
    if plan is not None:
        search.offer(plan, polish=False)
    root = _lagrange(search, allowed, duals.astype(np.float64), steps=root_steps, theta=1.0)
    search.nodes = 1
    stack = [root]
    while stack and search.nodes < node_limit and time.perf_counter() < deadline:
        node = stack.pop()
        if search.beaten(node.bound):
            continue
        open_jobs = node.better.sum(axis=0) > 1
        if not open_jobs.any():  # one plan left: one more step settles it
            search.nodes += 1
            _lagrange(search, node.better, node.u, steps=1, theta=0.5)
            continue
        # branch on the job whose second-best pair is worst: its other child dies soonest
        forced = np.where(node.better, node.forced, math.inf)
        two = np.partition(forced, 1, axis=0)[:2]
        j = int(np.where(open_jobs, two[1], -math.inf).argmax())
        i = int(forced[:, j].argmin())
        without = node.better.copy()
        without[i, j] = False
        only = node.better.copy()
        only[:, j] = False
        only[i, j] = True
        for mask in (without, only):  # the pair's own child is searched first
            search.nodes += 1
            child = _lagrange(search, mask, node.u, steps=node_steps, theta=0.5)
            if not search.beaten(child.bound):
                stack.append(child)
    bound = root.bound if stack else math.inf  # no node left: nothing beats the incumbent
    if search.value is not None:
        bound = min(bound, float(search.value))  # a bound above the incumbent is the incumbent
    better = root.better if search.value is not None else allowed
    return Fixed(search.plan, search.value, bound, better, search.nodes)
