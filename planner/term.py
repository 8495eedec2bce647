"""The term plan (`xunshi-term/1`): every still-uncovered organization into one round of the term.

The problem is the one docs/planning-format.md states, constraint numbers included:

1. every target goes to exactly one round, not after its ``latest_round``;
2. a round takes at most ``capacity`` targets, only of its allowed ``sectors``, of at most
   ``max_sectors_per_round`` distinct sectors (1 is 板块轮动);
3. the rounds of a year take at least ``year_minimum[year]`` targets together;

minimising Σ risk × (1-based position of the target's round): riskier targets earlier.

Targets with the same sector, risk and latest round are interchangeable, so the models count them
per class instead of deciding them one by one: y[class, round] is how many of the class go to the
round. That is exact - any counts that satisfy the constraints are a plan, handed out in input
order, earliest round first - and it keeps the model small whatever the number of targets (risk has
101 values, so 600,000 villages in five sectors make at most a few thousand classes).

Two exact methods, both deterministic:

- ``mip``: HiGHS, one thread, fixed seed, zero gap. Sector-count limits use a boolean s[sector,
  round] with y ≤ min(class size, capacity) · s and Σ s ≤ the limit, only in rounds where the limit
  can bind. ``bound`` is HiGHS's dual bound rounded up (the objective is an integer). There HiGHS
  starts from a plan that the LP relaxation and a search over min-cost flows find (the sectors of
  each round, then the flow), which is usually the optimum, so it only has to prove it.
- ``flow``: OR-Tools' SimpleMinCostFlow on class → round → year → sink. Capacities are arc
  capacities and year minimums are lower bounds on the year → sink arcs, moved into the node
  supplies (the standard transformation), so the flow is the whole problem whenever the sector-count
  limit cannot bind; then it is optimal by construction and ``bound`` equals the objective.

``method="auto"`` takes the flow from 50,000 targets up when it is exact, the MIP otherwise. An
infeasible problem gets ``explanation`` in Chinese, by constraint number with the ids involved
(``planner.term_explain``): first cheap counting arguments (capacity, deadlines, sectors, year
minimums); if none applies, the constraint families are relaxed one at a time (then two at a
time) to say which ones clash. The two models on class counts live in ``planner.term_models``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from planner.mip import highs_version, ortools_version
from planner.term_explain import clashing_families, counting_reasons
from planner.term_models import (
    Classes,
    Relax,
    binding_rounds,
    solve_by_flow,
    solve_by_mip,
    term_classes,
)

__all__ = [
    "TermPlan",
    "TermProblem",
    "TermRound",
    "TermTarget",
    "solve_term",
    "term_objective",
    "term_violations",
]

FLOW_FROM = 50_000  # targets; below this the MIP is fast enough and handles every rule


@dataclass(frozen=True)
class TermRound:
    id: str
    year: int
    capacity: int
    sectors: tuple[str, ...] | None = None  # None: any sector


@dataclass(frozen=True)
class TermTarget:
    id: str
    sector: str
    risk: int  # 0-100
    latest_round: str | None = None


@dataclass(frozen=True)
class TermProblem:
    name: str
    rounds: tuple[TermRound, ...]  # in time order
    year_minimum: tuple[tuple[str, int], ...]
    max_sectors_per_round: int | None
    targets: tuple[TermTarget, ...]

    def __post_init__(self) -> None:
        round_ids = [r.id for r in self.rounds]
        if len(set(round_ids)) != len(round_ids):
            raise ValueError("round ids must be unique")
        if len({t.id for t in self.targets}) != len(self.targets):
            raise ValueError("target ids must be unique")
        if len({y for y, _ in self.year_minimum}) != len(self.year_minimum):
            raise ValueError("a year appears twice in year_minimum")
        if any(r.capacity < 0 for r in self.rounds) or any(n < 0 for _, n in self.year_minimum):
            raise ValueError("capacities and year minimums cannot be negative")
        if self.max_sectors_per_round is not None and self.max_sectors_per_round < 1:
            raise ValueError("max_sectors_per_round must be at least 1")
        known = set(round_ids)
        for t in self.targets:
            if not 0 <= t.risk <= 100:
                raise ValueError(f"target {t.id}: risk {t.risk} is not within 0-100")
            if t.latest_round is not None and t.latest_round not in known:
                raise ValueError(f"target {t.id}: latest_round {t.latest_round} is not a round")


@dataclass(frozen=True)
class TermPlan:
    status: str  # optimal | feasible | infeasible | unknown
    objective: int | None
    bound: int | None
    seconds: float
    rounds: tuple[tuple[str, tuple[str, ...]], ...]  # every round in order, with its target ids
    solver: tuple[tuple[str, str], ...]  # what produced it: solver, version, parameters, seed
    explanation: tuple[str, ...] = ()

    def round_of(self) -> dict[str, str]:
        return {t: r for r, ids in self.rounds for t in ids}


# --- what a plan must satisfy (the test and the baseline use it too) --------------------------


def term_objective(problem: TermProblem, rounds: Mapping[str, Sequence[str]]) -> int:
    position = {r.id: k for k, r in enumerate(problem.rounds, start=1)}
    risk = {t.id: t.risk for t in problem.targets}
    return sum(risk[t] * position[r] for r, ids in rounds.items() for t in ids)


def term_violations(problem: TermProblem, rounds: Mapping[str, Sequence[str]]) -> list[str]:
    """Every broken constraint of a plan, recomputed from the problem alone (empty if none)."""
    position = {r.id: k for k, r in enumerate(problem.rounds)}
    targets = {t.id: t for t in problem.targets}
    broken: list[str] = []
    seen: dict[str, str] = {}
    for r, ids in rounds.items():
        if r not in position:
            broken.append(f"约束1：轮次 {r} 不在本届轮次中")
        for t in ids:
            if t in seen or t not in targets:
                broken.append(f"约束1：对象 {t} 重复安排或不在待安排名单中")
            seen[t] = r
    broken += [f"约束1：对象 {t} 没有安排" for t in targets if t not in seen]
    for t, r in seen.items():
        latest = targets[t].latest_round if t in targets else None
        if latest and r in position and position[r] > position[latest]:
            broken.append(f"约束1：对象 {t} 安排在 {r}，晚于最晚轮次 {latest}")
    for rnd in problem.rounds:
        ids = [t for t in rounds.get(rnd.id, ()) if t in targets]
        if len(ids) > rnd.capacity:
            broken.append(f"约束2：{rnd.id} 安排 {len(ids)} 个，超过容量 {rnd.capacity}")
        sectors = {targets[t].sector for t in ids}
        if rnd.sectors is not None and not sectors <= set(rnd.sectors):
            broken.append(f"约束2：{rnd.id} 含不允许的板块 {'、'.join(sorted(sectors))}")
        k = problem.max_sectors_per_round
        if k is not None and len(sectors) > k:
            broken.append(f"约束2：{rnd.id} 含 {len(sectors)} 个板块，超过 {k} 个")
    for year, least in problem.year_minimum:
        got = sum(len(rounds.get(r.id, ())) for r in problem.rounds if str(r.year) == year)
        if got < least:
            broken.append(f"约束3：{year} 年安排 {got} 个，少于 {least} 个")
    return broken


# --- solving ----------------------------------------------------------------------------------


def _plan_rounds(
    problem: TermProblem, cls: Classes, counts: Mapping[tuple[int, int], int]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    buckets: list[list[str]] = [[] for _ in problem.rounds]
    per_class: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (c, r), amount in counts.items():
        per_class[c].append((r, amount))
    for c, members in enumerate(cls.members):
        k = 0
        for r, amount in sorted(per_class[c]):
            buckets[r].extend(problem.targets[i].id for i in members[k : k + amount])
            k += amount
    return tuple((rnd.id, tuple(ids)) for rnd, ids in zip(problem.rounds, buckets, strict=True))


def flow_is_exact(problem: TermProblem) -> bool:
    """True when the sector-count limit cannot bind, so the min-cost flow is the whole problem."""
    return not binding_rounds(problem, term_classes(problem), Relax())


def solve_term(
    problem: TermProblem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    method: Literal["auto", "mip", "flow"] = "auto",
) -> TermPlan:
    """The optimal term plan (or the best in ``time_limit_s``), or why there is none."""
    began = time.perf_counter()
    cls = term_classes(problem)
    exact_flow = not binding_rounds(problem, cls, Relax())
    if method == "flow" and not exact_flow:
        raise ValueError("the flow leaves out max_sectors_per_round, which can bind here")
    use_flow = method == "flow" or (
        method == "auto" and exact_flow and len(problem.targets) >= FLOW_FROM
    )
    meta: list[tuple[str, str]] = [("method", "flow" if use_flow else "mip")]
    if use_flow:
        meta.append(("solver", f"{ortools_version()} SimpleMinCostFlow"))
    else:
        meta += [
            ("solver", highs_version()),
            ("threads", "1"),
            ("mip_rel_gap", "0"),
            ("random_seed", str(seed)),
            ("time_limit_s", f"{time_limit_s:g}"),
        ]
        if not exact_flow:
            meta.append(("start", "LP relaxation's sectors, searched with min-cost flows"))
    meta.append(("classes", str(len(cls.keys))))
    empty = tuple((r.id, ()) for r in problem.rounds)

    def plan(status: str, explanation: Iterable[str] = ()) -> TermPlan:
        return TermPlan(
            status, None, None, time.perf_counter() - began, empty, tuple(meta), tuple(explanation)
        )

    if reasons := counting_reasons(problem):
        return plan("infeasible", reasons)
    if use_flow:
        status, objective, bound, counts = solve_by_flow(problem, cls, Relax())
    else:
        status, objective, bound, counts = solve_by_mip(problem, cls, Relax(), time_limit_s, seed)
    if status == "infeasible":
        left = max(1.0, time_limit_s - (time.perf_counter() - began))
        return plan("infeasible", clashing_families(problem, cls, left, seed))
    if objective is None:
        return plan("unknown", ["在时限内没有找到方案，请延长求解时间。"])
    if bound is not None and bound >= objective:
        status, bound = "optimal", objective
    elif status == "optimal":
        status = "feasible"
    return TermPlan(
        status=status,
        objective=objective,
        bound=bound,
        seconds=time.perf_counter() - began,
        rounds=_plan_rounds(problem, cls, counts),
        solver=tuple(meta),
    )
