"""A large-neighbourhood search over the partition of a large round's targets (30 teams × 5,
20 × 4 …), from a staffed start plan (`planner.round_start`).

The objective, 10 × (heaviest − lightest team workload) + Σ regions per team, depends only on
which targets share a team. Each step frees a few teams (a neighbourhood) and keeps the others
as they are; CP-SAT then deals the freed teams' targets among the freed teams again, exactly,
with every limit of the partition (N targets a team, the sector limits) and the fixed teams'
loads as constants in the spread. The freed teams are chosen so that a better deal is likely:
teams sharing a region (joining a region's parts saves a region), the heaviest and the lightest
team (the spread), or a few at random.

Staffing stays possible: a freed team whose targets leave no conflict-free cadres enough to
staff it (`_Index.may_staff_group`, a necessary test) is cut off: the smallest subset of its
targets that fails the test is learnt as a set no team may hold whole, added to this and every
later neighbourhood that frees it, and the neighbourhood is solved again. The plan is staffed
by CP-SAT afterwards (`planner.round_models._staff`); the caller keeps its staffed start when
that fails.

Each neighbourhood is solved with a deterministic limit, one worker and a seed drawn from the
search's own random generator, so the same input and seed give the same sequence of plans: only
where the wall-clock deadline stops it depends on the machine.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.round_models import _Index

__all__ = ["Search", "search"]

# Teams freed per neighbourhood at first, and at most; the size grows while the search stalls
# and shrinks when a neighbourhood is not solved to optimality in its limit.
FIRST_SIZE = 4
MOST_SIZE = 10
# CP-SAT's deterministic time for one neighbourhood (about a second of one core here).
STEP_DETERMINISTIC = 0.5
# Neighbourhoods without an improvement before the size grows by one.
STALL = 12


@dataclass
class Search:
    """What `search` found: the best partition, its objective, and what the search did."""

    groups: list[list[int]]
    objective: int
    steps: int = 0
    improvements: int = 0
    learnt: list[frozenset[int]] = field(default_factory=list)


def search(
    ix: _Index,
    groups: Sequence[Sequence[int]],
    *,
    deadline: float,
    seed: int,
    bound: int = 0,
    steps: int | None = None,
    effort: float = STEP_DETERMINISTIC,
) -> Search:
    """The best partition found from `groups` (never worse: it is kept unless beaten) until the
    deadline, `steps` neighbourhoods, or a plan that meets `bound`; `effort` is CP-SAT's
    deterministic time for each neighbourhood."""
    rng = random.Random(seed)  # noqa: S311 -- a search's reproducible choices, not secrets
    teams = [sorted(g) for g in groups]
    found = Search([list(t) for t in teams], ix.objective(teams))
    T = ix.p.teams
    if T < 2 or not ix.n:
        return found
    size, stalled = min(FIRST_SIZE, T), 0
    while time.monotonic() < deadline and found.objective > bound:
        if steps is not None and found.steps >= steps:
            break
        freed = _neighbourhood(ix, teams, size, rng)
        found.steps += 1
        seed_k = rng.randrange(1 << 30)
        deal, exact = _deal(ix, teams, freed, found.learnt, deadline, seed_k, effort)
        if deal is not None:
            trial = list(teams)
            for t, group in zip(freed, deal, strict=True):
                trial[t] = sorted(group)
            value = ix.objective(trial)
            if value <= found.objective:  # equal plans too: the search moves on plateaus
                teams = trial
                if value < found.objective:
                    found.groups, found.objective = [list(t) for t in teams], value
                    found.improvements += 1
                    stalled = 0
                    continue
        stalled += 1
        if not exact and size > 2:
            size -= 1
        elif stalled >= STALL and size < min(MOST_SIZE, T):
            size, stalled = size + 1, 0
    return found


def _neighbourhood(ix: _Index, teams: list[list[int]], size: int, rng: random.Random) -> list[int]:
    """About `size` teams to free. Mostly whole parts of the graph between teams and regions
    (teams joined by a shared region), drawn at random until there are enough: the objective's
    regions are R + T − (number of parts) at best, so a better plan usually cuts some part in
    two, which only a neighbourhood holding whole parts can do. Else the heaviest and lightest
    teams with others (the spread), or teams at random."""
    T = len(teams)
    kind = rng.random()
    loads = [sum(ix.work[g] for g in t) for t in teams]
    chosen: list[int] = []
    if kind < 0.7:
        parts = _parts(ix, teams)
        rng.shuffle(parts)
        big = [part for part in parts if len(part) > size]
        if big and kind < 0.35:
            chosen = _connected(ix, teams, rng.choice(big), size, rng)
        for part in parts:
            if len(chosen) + len(part) <= size and not set(part) & set(chosen):
                chosen += part
        return sorted(chosen)
    if kind < 0.85 and max(loads) > min(loads):
        chosen = [loads.index(max(loads)), loads.index(min(loads))]
    rest = [t for t in range(T) if t not in chosen]
    rng.shuffle(rest)
    return sorted(chosen + rest[: size - len(chosen)])


def _connected(
    ix: _Index, teams: list[list[int]], part: list[int], size: int, rng: random.Random
) -> list[int]:
    """`size` teams of a part too big to free whole, grown from one of them through shared
    regions."""
    regions = [{ix.region[g] for g in t} for t in teams]
    chosen = [rng.choice(part)]
    while len(chosen) < size:
        near = [t for t in part if t not in chosen and any(regions[t] & regions[c] for c in chosen)]
        if not near:
            break
        chosen.append(rng.choice(near))
    return chosen


def _parts(ix: _Index, teams: list[list[int]]) -> list[list[int]]:
    """The teams in groups joined by shared regions (the connected parts)."""
    of_region: dict[int, list[int]] = {}
    for t, group in enumerate(teams):
        for r in {ix.region[g] for g in group}:
            of_region.setdefault(r, []).append(t)
    seen: set[int] = set()
    parts = []
    for first in range(len(teams)):
        if first in seen:
            continue
        part, todo = [], [first]
        seen.add(first)
        while todo:
            t = todo.pop()
            part.append(t)
            for r in {ix.region[g] for g in teams[t]}:
                for u in of_region[r]:
                    if u not in seen:
                        seen.add(u)
                        todo.append(u)
        parts.append(sorted(part))
    return parts


def _deal(
    ix: _Index,
    teams: list[list[int]],
    freed: list[int],
    learnt: list[frozenset[int]],
    deadline: float,
    seed: int,
    effort: float = STEP_DETERMINISTIC,
) -> tuple[list[list[int]] | None, bool]:
    """The freed teams' targets dealt among them again, best first; whether that deal is proven
    best for the neighbourhood. None when CP-SAT finds nothing in its limit."""
    from ortools.sat.python import cp_model

    p, K = ix.p, len(freed)
    targets = sorted(g for t in freed for g in teams[t])
    fixed = [t for t in range(len(teams)) if t not in freed]
    fixed_loads = [sum(ix.work[g] for g in teams[t]) for t in fixed]
    total = sum(ix.work)
    exact = True
    for _ in range(10):  # at most this many unstaffable teams cut off per neighbourhood
        model = cp_model.CpModel()
        # Freed teams are interchangeable: the i-th freed target goes to one of teams 0..i.
        y = {
            (g, k): model.new_bool_var("")
            for i, g in enumerate(targets)
            for k in range(min(i + 1, K))
        }
        start = _canonical([teams[t] for t in freed])
        for (g, k), var in y.items():
            model.add_hint(var, g in start[k])
        for g in targets:
            model.add_exactly_one(y[g, k] for k in range(K) if (g, k) in y)
        sectors = Counter(ix.sector[g] for g in targets)
        for k in range(K):
            mine = [(g, y[g, k]) for g in targets if (g, k) in y]
            model.add(sum(v for _, v in mine) <= p.targets_per_team)
            for s, count in sectors.items():
                if ix.cap[s] < min(p.targets_per_team, count):
                    model.add(sum(v for g, v in mine if ix.sector[g] == s) <= ix.cap[s])
            for cut in learnt:
                if cut <= set(targets):
                    model.add(sum(y[g, k] for g in cut if (g, k) in y) <= len(cut) - 1)
        top = model.new_int_var(max(fixed_loads, default=0), total, "")
        low = model.new_int_var(0, min(fixed_loads, default=total), "")
        start_loads = [sum(ix.work[g] for g in group) for group in start]
        model.add_hint(top, max([*fixed_loads, *start_loads]))
        model.add_hint(low, min([*fixed_loads, *start_loads]))
        used = []
        for k in range(K):
            load = sum(ix.work[g] * y[g, k] for g in targets if (g, k) in y)
            model.add(top >= load)
            model.add(low <= load)
            by_region: dict[int, list[cp_model.IntVar]] = {}
            for g in targets:
                if (g, k) in y:
                    by_region.setdefault(ix.region[g], []).append(y[g, k])
            for r, same in by_region.items():
                u = model.new_bool_var("")
                for var in same:
                    model.add_implication(var, u)
                if len(same) > 1:  # the linear form too: a tighter relaxation
                    model.add(sum(same) <= min(p.targets_per_team, len(same)) * u)
                model.add_hint(u, any(ix.region[g] == r for g in start[k]))
                used.append(u)
        model.minimize(10 * (top - low) + sum(used))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = effort
        solver.parameters.max_time_in_seconds = max(0.05, min(10.0, deadline - time.monotonic()))
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, False
        exact = status == cp_model.OPTIMAL
        deal: list[list[int]] = [[] for _ in range(K)]
        for (g, k), var in y.items():
            if solver.value(var):
                deal[k].append(g)
        bad = [group for group in deal if not ix.may_staff_group(group)]
        if not bad:
            return deal, exact
        for group in bad:
            learnt.append(_smallest_unstaffable(ix, group))
    return None, exact


def _canonical(groups: list[list[int]]) -> list[set[int]]:
    """The groups in the order of their first (smallest) targets, as the model's symmetry
    breaking wants them; empty groups last."""
    return [set(g) for g in sorted(groups, key=lambda g: (not g, min(g, default=0)))]


def _smallest_unstaffable(ix: _Index, group: list[int]) -> frozenset[int]:
    """A subset of `group` that no team could be staffed for, each of its targets needed."""
    keep = list(group)
    for g in list(group):
        trial = [h for h in keep if h != g]
        if not ix.may_staff_group(trial):
            keep = trial
    return frozenset(keep)
