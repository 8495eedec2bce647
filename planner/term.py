"""The term plan (`xunshi-term/1`): every still-uncovered organization into one round of the term.

The problem is the one ``shared/planning/FORMAT.md`` states, constraint numbers included:

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
  can bind. ``bound`` is HiGHS's dual bound rounded up (the objective is an integer).
- ``flow``: OR-Tools' SimpleMinCostFlow on class → round → year → sink. Capacities are arc
  capacities and year minimums are lower bounds on the year → sink arcs, moved into the node
  supplies (the standard transformation), so the flow is the whole problem whenever the sector-count
  limit cannot bind; then it is optimal by construction and ``bound`` equals the objective.

``method="auto"`` takes the flow from 50,000 targets up when it is exact, the MIP otherwise. An
infeasible problem gets ``explanation`` in Chinese, by constraint number with the ids involved:
first cheap counting arguments (capacity, deadlines, sectors, year minimums); if none applies, the
constraint families are relaxed one at a time (then two at a time) to say which ones clash.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np

from planner.gap import MipModel, highs_version, ortools_version, solve_mip

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


# --- the model on classes ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Relax:
    """Constraint families left out, to find which ones clash."""

    deadline: bool = False  # constraint 1: latest_round
    capacity: bool = False  # constraint 2: capacity
    sectors: bool = False  # constraint 2: the round's allowed sectors
    sector_count: bool = False  # constraint 2: max_sectors_per_round
    year_minimum: bool = False  # constraint 3


FAMILIES: dict[str, str] = {
    "deadline": "约束1（最晚轮次）",
    "capacity": "约束2（每轮容量）",
    "sectors": "约束2（每轮允许的板块）",
    "sector_count": "约束2（每轮板块数上限）",
    "year_minimum": "约束3（年度最低数）",
}


@dataclass
class _Classes:
    keys: list[tuple[str, int, int]]  # sector, risk, last allowed position (0-based)
    members: list[list[int]]  # target indices, in input order


def _classes(problem: TermProblem) -> _Classes:
    position = {r.id: k for k, r in enumerate(problem.rounds)}
    last = len(problem.rounds) - 1
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for k, t in enumerate(problem.targets):
        groups[t.sector, t.risk, position[t.latest_round] if t.latest_round else last].append(k)
    return _Classes(list(groups), list(groups.values()))


def _allowed(problem: TermProblem, key: tuple[str, int, int], relax: _Relax) -> list[int]:
    sector, _, latest = key
    return [
        r
        for r, rnd in enumerate(problem.rounds)
        if (relax.deadline or r <= latest)
        and (relax.sectors or rnd.sectors is None or sector in rnd.sectors)
    ]


def _years(problem: TermProblem, relax: _Relax) -> list[tuple[int, list[int]]]:
    if relax.year_minimum:
        return []
    return [
        (least, [r for r, rnd in enumerate(problem.rounds) if str(rnd.year) == year])
        for year, least in problem.year_minimum
        if least > 0
    ]


def _binding_rounds(problem: TermProblem, cls: _Classes, relax: _Relax) -> dict[int, list[str]]:
    """Rounds where more sectors could come than max_sectors_per_round allows, with the sectors."""
    limit = problem.max_sectors_per_round
    if limit is None or relax.sector_count:
        return {}
    candidates: dict[int, set[str]] = defaultdict(set)
    for key in cls.keys:
        for r in _allowed(problem, key, relax):
            candidates[r].add(key[0])
    return {r: sorted(s) for r, s in sorted(candidates.items()) if len(s) > limit}


def _need(size: int, caps: Sequence[int]) -> int:
    """How many of these rounds, biggest first, it takes to hold ``size`` targets."""
    held = 0
    for k, cap in enumerate(sorted(caps, reverse=True)):
        if held >= size:
            return k
        held += cap
    return len(caps) if held >= size else len(caps) + 1


def _solve_mip(
    problem: TermProblem, cls: _Classes, relax: _Relax, time_limit_s: float, seed: int
) -> tuple[str, int | None, int | None, dict[tuple[int, int], int]]:
    total = len(problem.targets)
    caps = [total if relax.capacity else r.capacity for r in problem.rounds]
    binding = _binding_rounds(problem, cls, relax)
    lower: list[float] = []
    upper: list[float] = []

    def row(lo: float, hi: float) -> int:
        lower.append(lo)
        upper.append(hi)
        return len(lower) - 1

    class_row = [row(len(m), len(m)) for m in cls.members]
    cap_row = [row(-np.inf, cap) for cap in caps]
    year_row: dict[int, int] = {}
    for least, rounds in _years(problem, relax):
        if rounds:
            shared = row(least, np.inf)
            year_row |= dict.fromkeys(rounds, shared)
    columns: list[tuple[float, float, list[tuple[int, float]]]] = []  # cost, upper, entries
    pairs: list[tuple[int, int]] = []
    s_entries: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
    for c, key in enumerate(cls.keys):
        size = len(cls.members[c])
        for r in _allowed(problem, key, relax):
            entries = [(class_row[c], 1.0), (cap_row[r], 1.0)]
            if r in year_row:
                entries.append((year_row[r], 1.0))
            if r in binding:  # y <= min(size, capacity) s[sector, round]
                link = row(-np.inf, 0.0)
                entries.append((link, 1.0))
                s_entries[key[0], r].append((link, -float(min(size, caps[r]))))
            pairs.append((c, r))
            columns.append((float(key[1] * (r + 1)), float(size), entries))
    sector_row = {s_key: row(-np.inf, 0.0) for s_key in s_entries}
    for col, (c, r) in enumerate(pairs):  # sum over the sector's classes <= capacity s
        if (s_key := (cls.keys[c][0], r)) in sector_row:
            columns[col][2].append((sector_row[s_key], 1.0))
    count_row = {r: row(-np.inf, float(problem.max_sectors_per_round or 0)) for r in binding}
    # A sector needs enough rounds to hold it: its binding rounds must make up what the rounds
    # that admit it freely cannot hold (a cover inequality; cuts fractional s a lot).
    sizes: dict[str, int] = defaultdict(int)
    for c, key in enumerate(cls.keys):
        sizes[key[0]] += len(cls.members[c])
    cover_row = {}
    for sector, size in sizes.items():
        free = [
            caps[r]
            for r, rnd in enumerate(problem.rounds)
            if r not in binding and (relax.sectors or rnd.sectors is None or sector in rnd.sectors)
        ]
        tied = [caps[r] for r in binding if sector in binding[r]]
        if tied and (need := _need(max(0, size - sum(free)), tied)) > 0:
            cover_row[sector] = row(need, np.inf)
    for s_key, entries in s_entries.items():
        entries += [(sector_row[s_key], -float(caps[s_key[1]])), (count_row[s_key[1]], 1.0)]
        if s_key[0] in cover_row:
            entries.append((cover_row[s_key[0]], 1.0))
        columns.append((0.0, 1.0, entries))
    model = MipModel(
        cost=np.array([cost for cost, _, _ in columns], dtype=np.float64),
        lower=np.zeros(len(columns)),
        upper=np.array([hi for _, hi, _ in columns], dtype=np.float64),
        integer=np.ones(len(columns), dtype=np.bool_),
        row_lower=np.array(lower, dtype=np.float64),
        row_upper=np.array(upper, dtype=np.float64),
        start=np.cumsum([0] + [len(e) for _, _, e in columns], dtype=np.int64),
        index=np.array([i for _, _, e in columns for i, _ in e], dtype=np.int64),
        value=np.array([v for _, _, e in columns for _, v in e], dtype=np.float64),
    )
    found = solve_mip(model, time_limit_s=time_limit_s, seed=seed)
    counts: dict[tuple[int, int], int] = {}
    if found.values is not None:
        for k, pair in enumerate(pairs):
            if (amount := round(found.values[k])) > 0:
                counts[pair] = amount
    bound = None if found.bound is None else math.ceil(found.bound - 1e-6)
    # the plan's own value, from the counts handed out (never the solver's float)
    objective = None
    if found.values is not None:
        objective = sum(cls.keys[c][1] * (r + 1) * n for (c, r), n in counts.items())
    return found.status, objective, bound, counts


def _solve_flow(
    problem: TermProblem, cls: _Classes, relax: _Relax
) -> tuple[str, int | None, int | None, dict[tuple[int, int], int]]:
    from ortools.graph.python import min_cost_flow

    n_rounds, total = len(problem.rounds), len(problem.targets)
    years = _years(problem, relax)
    year_node = {r: y for y, (_, rs) in enumerate(years) for r in rs}
    first_round = len(cls.keys)
    first_year = first_round + n_rounds
    other = first_year + len(years)  # rounds of years without a minimum
    sink = other + 1
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[: len(cls.keys)] = [len(m) for m in cls.members]
    tails: list[int] = []
    heads: list[int] = []
    capacity: list[int] = []
    cost: list[int] = []
    pairs: list[tuple[int, int]] = []
    for c, key in enumerate(cls.keys):
        for r in _allowed(problem, key, relax):
            pairs.append((c, r))
            tails.append(c)
            heads.append(first_round + r)
            capacity.append(len(cls.members[c]))
            cost.append(key[1] * (r + 1))
    for r, rnd in enumerate(problem.rounds):
        tails.append(first_round + r)
        heads.append(first_year + year_node[r] if r in year_node else other)
        capacity.append(total if relax.capacity else rnd.capacity)
        cost.append(0)
    for y, (least, _) in enumerate(years):  # the lower bound lives in the supplies
        tails.append(first_year + y)
        heads.append(sink)
        capacity.append(total - least)
        cost.append(0)
        supply[first_year + y] -= least
        supply[sink] += least
    tails.append(other)
    heads.append(sink)
    capacity.append(total)
    cost.append(0)
    supply[sink] -= total
    if min(capacity) < 0:
        return "infeasible", None, None, {}
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(capacity), np.array(cost)
    )
    flow.set_nodes_supplies(np.arange(sink + 1), supply)
    if flow.solve() != flow.OPTIMAL:
        return "infeasible", None, None, {}
    amounts = flow.flows(arcs[: len(pairs)])
    counts = {pair: int(a) for pair, a in zip(pairs, amounts, strict=True) if a > 0}
    objective = int(flow.optimal_cost())
    return "optimal", objective, objective, counts


# --- explanations -----------------------------------------------------------------------------


def _ids(ids: Sequence[str], most: int = 8) -> str:
    shown = "、".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} 等 {len(ids)} 个"


def _cheap_reasons(problem: TermProblem) -> list[str]:
    """Counting arguments that each prove infeasibility on their own."""
    rounds, targets = problem.rounds, problem.targets
    position = {r.id: k for k, r in enumerate(rounds)}
    last = len(rounds) - 1
    reasons: list[str] = []

    def allows(rnd: TermRound, sector: str) -> bool:
        return rnd.sectors is None or sector in rnd.sectors

    stranded: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for t in targets:
        latest = position[t.latest_round] if t.latest_round else last
        if not any(allows(rounds[r], t.sector) for r in range(latest + 1)):
            stranded[t.sector, t.latest_round].append(t.id)
    for (sector, latest_id), ids in stranded.items():
        where = f"最晚轮次 {latest_id} 及之前" if latest_id else "本届各轮"
        reasons.append(f"约束1、2：对象 {_ids(ids)}（板块 {sector}）在{where}没有允许该板块的轮次")
    capacity = sum(r.capacity for r in rounds)
    if capacity < len(targets):
        reasons.append(f"约束2：各轮容量合计 {capacity} 个，少于待安排的 {len(targets)} 个对象")
    due: list[list[str]] = [[] for _ in rounds]
    for t in targets:
        if t.latest_round:
            due[position[t.latest_round]].append(t.id)
    early: list[str] = []
    for k in range(last):
        early += due[k]
        room = sum(r.capacity for r in rounds[: k + 1])
        if len(early) > room:
            reasons.append(
                f"约束1、2：须在 {rounds[k].id} 及之前安排的对象有 {len(early)} 个"
                f"（{_ids(early)}），但 {rounds[0].id}–{rounds[k].id} 各轮容量合计只有 {room} 个"
            )
            break
    by_sector: dict[str, list[str]] = defaultdict(list)
    for t in targets:
        by_sector[t.sector].append(t.id)
    for sector, ids in by_sector.items():
        open_rounds = [r for r in rounds if allows(r, sector)]
        room = sum(r.capacity for r in open_rounds)
        if open_rounds and room < len(ids):
            reasons.append(
                f"约束2：板块 {sector} 有 {len(ids)} 个对象，但允许该板块的轮次"
                f"（{_ids([r.id for r in open_rounds])}）容量合计只有 {room} 个"
            )
    if (limit := problem.max_sectors_per_round) is not None:
        need = {
            sector: _need(len(ids), [r.capacity for r in rounds if allows(r, sector)])
            for sector, ids in by_sector.items()
        }
        slots = sum(min(limit, sum(1 for sector in by_sector if allows(r, sector))) for r in rounds)
        if sum(need.values()) > slots:
            each = "、".join(f"{sector} {k} 轮" for sector, k in need.items())
            reasons.append(
                f"约束2：每轮最多 {limit} 个板块，各板块按容量至少需要的轮次合计 "
                f"{sum(need.values())} 轮次（{each}），但 {len(rounds)} 个轮次最多只能容纳 "
                f"{slots} 个板块轮次"
            )
    wanted = sum(n for _, n in problem.year_minimum)
    if wanted > len(targets):
        reasons.append(
            f"约束1、3：各年最低数合计 {wanted} 个，多于待安排的对象总数 {len(targets)} 个"
            "（每个对象只安排一次）"
        )
    for year, least in problem.year_minimum:
        in_year = [k for k, r in enumerate(rounds) if str(r.year) == year]
        if least > 0 and not in_year:
            reasons.append(f"约束3：{year} 年至少安排 {least} 个对象，但本届没有该年的轮次")
            continue
        room = sum(rounds[k].capacity for k in in_year)
        if room < least:
            names = _ids([rounds[k].id for k in in_year])
            reasons.append(
                f"约束3：{year} 年至少安排 {least} 个对象，"
                f"但该年各轮（{names}）容量合计只有 {room} 个"
            )
            continue
        can = sum(
            1
            for t in targets
            if any(
                k <= (position[t.latest_round] if t.latest_round else last)
                and allows(rounds[k], t.sector)
                for k in in_year
            )
        )
        if can < least:
            reasons.append(
                f"约束1、3：{year} 年至少安排 {least} 个对象，但只有 {can} 个对象能安排在该年的轮次"
                "（其余对象的最晚轮次更早，或板块不被该年各轮允许）"
            )
    return reasons


def _clash(problem: TermProblem, cls: _Classes, time_limit_s: float, seed: int) -> list[str]:
    """Which constraint families clash: those whose removal (alone, else in pairs) helps."""
    present = [
        name
        for name, here in (
            ("deadline", any(t.latest_round for t in problem.targets)),
            ("capacity", True),
            ("sectors", any(r.sectors is not None for r in problem.rounds)),
            ("sector_count", problem.max_sectors_per_round is not None),
            ("year_minimum", any(n > 0 for _, n in problem.year_minimum)),
        )
        if here
    ]
    each = time_limit_s / max(1, len(present) + len(present) * (len(present) - 1) // 2)
    for size in (1, 2):
        fixes = [
            group
            for group in combinations(present, size)
            if _solve_mip(problem, cls, _Relax(**dict.fromkeys(group, True)), each, seed)[0]
            in ("optimal", "feasible")
        ]
        if size == 1 and len(fixes) > 1:
            named = "、".join(FAMILIES[name] for (name,) in fixes)
            return [f"约束不能同时满足：{named}，去掉其中任一类后可以安排。"]
        if size == 1 and fixes:
            name = FAMILIES[fixes[0][0]]
            return [f"{name}与其余约束不能同时满足，去掉{name}后可以安排。"]
        if fixes:
            return [
                "不能同时满足的约束要去掉两类才可以安排："
                + "；".join("和".join(FAMILIES[name] for name in group) for group in fixes)
                + "。"
            ]
    return ["约束1–3 不能同时满足，去掉任一类或任两类约束仍不可行，请检查输入数据。"]


# --- solving ----------------------------------------------------------------------------------


def _plan_rounds(
    problem: TermProblem, cls: _Classes, counts: Mapping[tuple[int, int], int]
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
    return not _binding_rounds(problem, _classes(problem), _Relax())


def solve_term(
    problem: TermProblem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    method: Literal["auto", "mip", "flow"] = "auto",
) -> TermPlan:
    """The optimal term plan (or the best in ``time_limit_s``), or why there is none."""
    began = time.perf_counter()
    cls = _classes(problem)
    exact_flow = not _binding_rounds(problem, cls, _Relax())
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
    meta.append(("classes", str(len(cls.keys))))
    empty = tuple((r.id, ()) for r in problem.rounds)

    def plan(status: str, explanation: Iterable[str] = ()) -> TermPlan:
        return TermPlan(
            status, None, None, time.perf_counter() - began, empty, tuple(meta), tuple(explanation)
        )

    if reasons := _cheap_reasons(problem):
        return plan("infeasible", reasons)
    if use_flow:
        status, objective, bound, counts = _solve_flow(problem, cls, _Relax())
    else:
        status, objective, bound, counts = _solve_mip(problem, cls, _Relax(), time_limit_s, seed)
    if status == "infeasible":
        left = max(1.0, time_limit_s - (time.perf_counter() - began))
        return plan("infeasible", _clash(problem, cls, left, seed))
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
