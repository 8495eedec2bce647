"""The models behind ``planner.term.solve_term``: the targets counted per class, and the two
exact methods on those counts.

A class is the targets of one sector, risk and latest round (``term_classes``); y[class, round] is
how many of the class go to the round. ``solve_by_mip`` builds the HiGHS model (with a boolean
s[sector, round] only where the sector-count limit can bind, see ``binding_rounds``) and
``solve_by_flow`` the OR-Tools min-cost flow class -> round -> year -> sink. Both return the status,
the plan's value, the bound and the counts, and both accept a ``Relax``: constraint families left
out, which is how ``planner.term_explain`` finds the families that clash.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.mip import MipModel, solve_mip

if TYPE_CHECKING:
    from planner.term import TermProblem

__all__ = [
    "Classes",
    "Relax",
    "binding_rounds",
    "rounds_to_hold",
    "solve_by_flow",
    "solve_by_mip",
    "term_classes",
]


@dataclass(frozen=True)
class Relax:
    """Constraint families left out, to find which ones clash."""

    deadline: bool = False  # constraint 1: latest_round
    capacity: bool = False  # constraint 2: capacity
    sectors: bool = False  # constraint 2: the round's allowed sectors
    sector_count: bool = False  # constraint 2: max_sectors_per_round
    year_minimum: bool = False  # constraint 3


@dataclass
class Classes:
    """Interchangeable targets: one class per sector, risk and latest round."""

    keys: list[tuple[str, int, int]]  # sector, risk, last allowed position (0-based)
    members: list[list[int]]  # target indices, in input order


def term_classes(problem: TermProblem) -> Classes:
    """The problem's targets in classes, in order of first appearance."""
    position = {r.id: k for k, r in enumerate(problem.rounds)}
    last = len(problem.rounds) - 1
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for k, t in enumerate(problem.targets):
        groups[t.sector, t.risk, position[t.latest_round] if t.latest_round else last].append(k)
    return Classes(list(groups), list(groups.values()))


def _allowed(problem: TermProblem, key: tuple[str, int, int], relax: Relax) -> list[int]:
    sector, _, latest = key
    return [
        r
        for r, rnd in enumerate(problem.rounds)
        if (relax.deadline or r <= latest)
        and (relax.sectors or rnd.sectors is None or sector in rnd.sectors)
    ]


def _years(problem: TermProblem, relax: Relax) -> list[tuple[int, list[int]]]:
    if relax.year_minimum:
        return []
    return [
        (least, [r for r, rnd in enumerate(problem.rounds) if str(rnd.year) == year])
        for year, least in problem.year_minimum
        if least > 0
    ]


def binding_rounds(problem: TermProblem, cls: Classes, relax: Relax) -> dict[int, list[str]]:
    """Rounds where more sectors could come than max_sectors_per_round allows, with the sectors."""
    limit = problem.max_sectors_per_round
    if limit is None or relax.sector_count:
        return {}
    candidates: dict[int, set[str]] = defaultdict(set)
    for key in cls.keys:
        for r in _allowed(problem, key, relax):
            candidates[r].add(key[0])
    return {r: sorted(s) for r, s in sorted(candidates.items()) if len(s) > limit}


def rounds_to_hold(size: int, caps: Sequence[int]) -> int:
    """How many of these rounds, biggest first, it takes to hold ``size`` targets."""
    held = 0
    for k, cap in enumerate(sorted(caps, reverse=True)):
        if held >= size:
            return k
        held += cap
    return len(caps) if held >= size else len(caps) + 1


def solve_by_mip(
    problem: TermProblem, cls: Classes, relax: Relax, time_limit_s: float, seed: int
) -> tuple[str, int | None, int | None, dict[tuple[int, int], int]]:
    total = len(problem.targets)
    caps = [total if relax.capacity else r.capacity for r in problem.rounds]
    binding = binding_rounds(problem, cls, relax)
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
        if tied and (need := rounds_to_hold(max(0, size - sum(free)), tied)) > 0:
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


def solve_by_flow(
    problem: TermProblem, cls: Classes, relax: Relax
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
