"""The models behind ``planner.term.solve_term``: the targets counted per class, and the two
exact methods on those counts.

A class is the targets of one sector, risk and latest round (``term_classes``); y[class, round] is
how many of the class go to the round. ``solve_by_mip`` builds the HiGHS model (with a boolean
s[sector, round] only where the sector-count limit can bind, see ``binding_rounds``) and
``solve_by_flow`` the OR-Tools min-cost flow class -> round -> year -> sink (``SectorFlow``). Both
return the status, the plan's value, the bound and the counts, and both accept a ``Relax``:
constraint families left out, which is how ``planner.term_explain`` finds the families that clash.

Where the limit binds, the MIP starts from a plan (``_first_plan``): which sectors each round takes,
chosen among those the LP relaxation leaves open, then the flow for that choice. HiGHS then only has
to close the bound; the bound is still HiGHS's own, so the method stays exact.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from planner.mip import FloatArray, MipModel, solve_mip

if TYPE_CHECKING:
    from planner.term import TermProblem

__all__ = [
    "Classes",
    "Relax",
    "SectorFlow",
    "binding_rounds",
    "rounds_to_hold",
    "solve_by_flow",
    "solve_by_mip",
    "term_classes",
]


SEARCH_SOLVES = 400  # flows the first plan's search may take (the country's term: about 130)
IMPROVE_SOLVES = 400  # and then its local search
MAX_OPTIONS = 20  # sector choices a round keeps, by their LP value


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
    problem: TermProblem,
    cls: Classes,
    relax: Relax,
    time_limit_s: float,
    seed: int,
    *,
    with_start: bool = True,
) -> tuple[str, int | None, int | None, dict[tuple[int, int], int]]:
    """HiGHS on the class counts; with a binding sector limit it starts from ``_first_plan``."""
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
    start = None
    if with_start and binding and problem.max_sectors_per_round:
        began = time.perf_counter()
        start = _first_plan(
            SectorFlow(problem, cls, relax),
            model,
            pairs,
            list(s_entries),  # the s columns follow the y columns in this order
            problem.max_sectors_per_round,
            time_limit_s,
            seed,
        )
        time_limit_s -= time.perf_counter() - began
    # With a start HiGHS's own heuristics only slow the proof: once the s are fixed the y part is a
    # network, so the node LPs give integer plans by themselves.
    found = solve_mip(
        model, time_limit_s=time_limit_s, seed=seed, start=start, heuristics=start is None
    )
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


def _first_plan(
    network: SectorFlow,
    model: MipModel,
    pairs: list[tuple[int, int]],
    s_keys: list[tuple[str, int]],
    limit: int,
    time_limit_s: float,
    seed: int,
) -> FloatArray | None:
    """A plan for HiGHS to start from, so that it only has to close the bound.

    HiGHS proves the country's term quickly once it holds the optimum (reduced-cost fixing then
    removes most columns), but left alone it spends its time in root cut rounds before its own
    heuristics find it. The LP relaxation nearly says which sectors each round takes: on the
    country's term s is 0 or 1 for most, and the optimum took one of the two sectors with a
    fractional s (about a half each) wherever there were such. So the sectors with s > 0 are a
    round's candidates (those with s = 1 must stay), and a depth-first search over the candidate
    choices, each node bounded by the flow with the undecided rounds open to all their candidates,
    finds the best choice among them (within ``SEARCH_SOLVES`` flows); ``_improve`` then looks
    outside the candidates. Each flow takes milliseconds; the country's term needs about 250.
    """
    relaxed = solve_mip(
        replace(model, integer=np.zeros_like(model.integer)), time_limit_s=time_limit_s, seed=seed
    )
    if relaxed.values is None or network.pairs != pairs:
        return None
    share: dict[int, dict[str, float]] = defaultdict(dict)
    for (sector, r), value in zip(s_keys, relaxed.values[len(pairs) :], strict=True):
        share[r][sector] = float(value)
    candidates = {r: tuple(s for s, v in here.items() if v > 1e-6) for r, here in share.items()}
    options: dict[int, list[tuple[str, ...]]] = {}
    for r, here in share.items():
        must = {s for s, v in here.items() if v > 1 - 1e-6}
        size = min(limit, len(candidates[r]))
        combos = [c for c in combinations(sorted(candidates[r]), size) if must <= set(c)]
        options[r] = sorted(combos, key=lambda c: -sum(here[s] for s in c))[:MAX_OPTIONS]
        if not options[r]:
            return None
    fixed = {r: combos[0] for r, combos in options.items() if len(combos) == 1}
    order = sorted((r for r in options if r not in fixed), key=lambda r: -len(options[r]))
    best: list[tuple[int, dict[int, tuple[str, ...]]]] = []

    def search(k: int, chosen: dict[int, tuple[str, ...]]) -> None:
        for combo in options[order[k]] if k < len(order) else [()]:
            if network.solves >= SEARCH_SOLVES:
                return
            trial = {**chosen, order[k]: combo} if k < len(order) else chosen
            value = network.solve({**{r: candidates[r] for r in order[k + 1 :]}, **trial})
            if value is None or (best and value >= best[0][0]):
                continue
            if k + 1 >= len(order):
                best[:] = [(value, trial)]
            else:
                search(k + 1, trial)

    search(0, fixed)
    if not best:
        return None
    admitted = {r: sorted(here) for r, here in share.items()}
    value, chosen = _improve(network, *best[0], admitted, limit)
    if network.solve(chosen) is None:
        return None
    counts = network.counts()
    y = [float(counts.get(pair, 0)) for pair in pairs]
    s = [1.0 if sector in chosen.get(r, ()) else 0.0 for sector, r in s_keys]
    return np.array(y + s, dtype=np.float64)


def _improve(
    network: SectorFlow,
    value: int,
    chosen: dict[int, tuple[str, ...]],
    admitted: dict[int, list[str]],
    limit: int,
) -> tuple[int, dict[int, tuple[str, ...]]]:
    """Local search from the search's choice where the LP candidates missed the optimum: add a
    sector to a round below the limit, swap one sector of a round for another, or exchange a
    sector between two rounds, while that helps."""
    rounds = sorted(chosen)

    def moves() -> Iterator[dict[int, tuple[str, ...]]]:
        for r in rounds:
            if len(chosen[r]) < limit:
                for b in admitted[r]:
                    if b not in chosen[r]:
                        yield {**chosen, r: tuple(sorted({*chosen[r], b}))}
        for r in rounds:
            for a in chosen[r]:
                for b in admitted[r]:
                    if b not in chosen[r]:
                        yield {**chosen, r: tuple(sorted({*chosen[r], b} - {a}))}
        for k, r in enumerate(rounds):
            for q in rounds[k + 1 :]:
                for a in set(chosen[r]) - set(chosen[q]):
                    for b in set(chosen[q]) - set(chosen[r]):
                        if b in admitted[r] and a in admitted[q]:
                            yield {
                                **chosen,
                                r: tuple(sorted({*chosen[r], b} - {a})),
                                q: tuple(sorted({*chosen[q], a} - {b})),
                            }

    until = network.solves + IMPROVE_SOLVES
    better = True
    while better and network.solves < until:
        better = False
        for trial in moves():
            if network.solves >= until:
                break
            if (found := network.solve(trial)) is not None and found < value:
                value, chosen, better = found, trial, True
                break
    return value, chosen


class SectorFlow:
    """The min-cost flow class -> round -> year -> sink, built once and solved many times.

    Capacities are arc capacities and year minimums are lower bounds on the year -> sink arcs,
    moved into the node supplies (the standard transformation). ``solve`` can limit some rounds to
    chosen sectors (the arcs of the others get capacity 0): given which sectors each round takes,
    the rest of the problem is this network, so one solve is the best plan for that choice.
    """

    def __init__(self, problem: TermProblem, cls: Classes, relax: Relax) -> None:
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
        self.pairs: list[tuple[int, int]] = []  # (class, round) of the first arcs
        for c, key in enumerate(cls.keys):
            for r in _allowed(problem, key, relax):
                self.pairs.append((c, r))
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
        self.feasible = min(capacity) >= 0
        self._capacity = np.array(capacity, dtype=np.int64)
        self._sectors = sorted({key[0] for key in cls.keys})
        index = {sector: k for k, sector in enumerate(self._sectors)}
        self._sector = np.array([index[cls.keys[c][0]] for c, _ in self.pairs], dtype=np.int64)
        self._round = np.array([r for _, r in self.pairs], dtype=np.int64)
        self._n_rounds = n_rounds
        self._flow = min_cost_flow.SimpleMinCostFlow()
        if self.feasible:
            self._arcs = self._flow.add_arcs_with_capacity_and_unit_cost(
                np.array(tails), np.array(heads), self._capacity, np.array(cost)
            )
            self._flow.set_nodes_supplies(np.arange(sink + 1), supply)
        self.solves = 0

    def solve(self, chosen: Mapping[int, Collection[str]] | None = None) -> int | None:
        """The least cost with round r limited to the sectors ``chosen[r]`` (None: infeasible)."""
        if not self.feasible:
            return None
        capacity = self._capacity
        if chosen:
            admits = np.ones((self._n_rounds, len(self._sectors)), dtype=np.bool_)
            for r, sectors in chosen.items():
                admits[r] = [s in sectors for s in self._sectors]
            capacity = capacity.copy()
            capacity[: len(self.pairs)] *= admits[self._round, self._sector]
        self._flow.set_arc_capacities(self._arcs, capacity)
        self.solves += 1
        if self._flow.solve() != self._flow.OPTIMAL:
            return None
        return int(self._flow.optimal_cost())

    def counts(self) -> dict[tuple[int, int], int]:
        """y[class, round] of the last successful ``solve``."""
        amounts = self._flow.flows(self._arcs[: len(self.pairs)])
        return {pair: int(a) for pair, a in zip(self.pairs, amounts, strict=True) if a > 0}


def solve_by_flow(
    problem: TermProblem, cls: Classes, relax: Relax
) -> tuple[str, int | None, int | None, dict[tuple[int, int], int]]:
    network = SectorFlow(problem, cls, relax)
    objective = network.solve()
    if objective is None:
        return "infeasible", None, None, {}
    return "optimal", objective, objective, network.counts()
