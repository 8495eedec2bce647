"""Start plans and a lower bound for the rounds too large for set partitioning (一托N with N
beyond a handful: a county's round of 25–40 villages a team, a city's round of 150 targets).

The objective, 10 × workload spread + Σ regions per team, depends only on which targets share a
team, so a start is a partition of the targets, staffed afterwards (`planner.round_models._staff`).

**Lower bound.** Draw the plan as a graph between regions and teams, an edge where a team
inspects some of a region's targets: the regions per team summed are its edges. A graph with
R regions, T teams and c connected parts has at least R + T − c edges. When every team carries
the same workload L (spread 0), each part's regions weigh a multiple of L, so c is at most the
most groups the regions' workloads can be cut into with every group's sum a multiple of L —
`zero_sum_groups`, exact by dynamic programming over the regions (after the two cuts that are
always safe: a region that is a multiple of L alone, two regions that complete each other). Any
plan with spread 1 or more pays 10 for it, and then the regions' own bound applies (each region
in at least ⌈targets / N⌉ teams, and ⌈its targets of a sector / that sector's limit⌉).

**Starts.** `township_plan` turns those groups into teams when the workloads allow it (a
county's villages all weigh 1): it lays each group's regions end to end and cuts every L, which
gives exactly R + T − c edges, the bound — the plan is optimal if it can be staffed.
`greedy_plan` places whole regions, biggest first, into the team they fit best and splits a
region only when it fits nowhere. `improve` is simulated annealing over moves of one target,
swaps of two, and moves of a region's part of a team to another team that has the same region
(backfilled so that team keeps at most N); a team that no conflict-free cadres could staff
costs a penalty, so the search also repairs starts. It runs a fixed number of moves from the
seed, so the same input and seed give the same plan unless the deadline cuts it short.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.round_models import _Index

__all__ = [
    "greedy_plan",
    "improve",
    "lower_bound",
    "most_zero_sum_groups",
    "township_plan",
    "zero_sum_groups",
]

# Beyond this many regions left after the safe cuts, the dynamic programme (2^k states) is
# replaced by its counting bound: every group left needs at least three regions.
DP_REGIONS = 20
# A team that the cadres free of its conflicts could not staff costs this much in `improve`.
UNSTAFFABLE = 1000
# What `improve` adds for each unit of a team's load away from the most even split.
STEER = 1


def lower_bound(ix: _Index) -> int:
    """A lower bound on the objective of every plan of the round (staffing ignored)."""
    T, N, total = ix.p.teams, ix.p.targets_per_team, sum(ix.work)
    regions = max(_per_region(ix, N, None), -(-ix.n // N))
    if total == 0:
        return regions  # no workload, no spread
    if total % T or ix.n < T:
        return 10 + regions  # the loads cannot all be equal (or a team is empty)
    with_spread = 10 + regions
    L = total // T
    weights = list(_region_work(ix).values())
    even = max(_per_region(ix, N, L), len(weights) + T - most_zero_sum_groups(weights, L))
    return min(even, with_spread)


def most_zero_sum_groups(weights: Sequence[int], L: int) -> int:
    """The most groups the weights can be cut into with every group's sum a multiple of L
    (exact up to DP_REGIONS left after the safe cuts; beyond, an upper bound)."""
    groups, rest = _safe_cuts(weights, L)
    if len(rest) > DP_REGIONS:
        return len(groups) + len(rest) // 3  # no pair is left, so every group left has 3 or more
    return len(zero_sum_groups(weights, L) or ())


def zero_sum_groups(weights: Sequence[int], L: int) -> list[list[int]] | None:
    """A partition of range(len(weights)) into the most groups with every group's sum a
    multiple of L (the total must be one), or None if the programme would be too big."""
    groups, rest = _safe_cuts(weights, L)
    if len(rest) > DP_REGIONS:
        return None
    group: list[int] = []
    acc = 0
    for k in _best_order([weights[i] % L for i in rest], L) if rest else []:
        group.append(rest[k])
        acc += weights[rest[k]]
        if acc % L == 0:
            groups.append(group)
            group = []
    if group:  # only when the total is not a multiple of L
        groups.append(group)
    return groups


def _safe_cuts(weights: Sequence[int], L: int) -> tuple[list[list[int]], list[int]]:
    """The groups some best partition surely has, and the indices left: a weight that is a
    multiple of L alone (cutting it off any group gives one more group), and two weights that
    complete each other (if a partition had them in groups A and B, cutting the pair off A ∪ B
    leaves as many groups)."""
    groups: list[list[int]] = []
    waiting: dict[int, list[int]] = {}  # residue → indices not yet grouped
    for i, w in enumerate(weights):
        r = w % L
        if r == 0:
            groups.append([i])
        elif waiting.get((L - r) % L):
            groups.append([waiting[(L - r) % L].pop(), i])
        else:
            waiting.setdefault(r, []).append(i)
    return groups, sorted(i for idx in waiting.values() for i in idx)


def _best_order(residues: list[int], L: int) -> list[int]:
    """An order of the residues whose prefix sums hit a multiple of L as often as possible:
    f(S) = max over i in S of f(S − i) + [sum(S) ≡ 0], over all subsets S (numpy, by size)."""
    import numpy as np

    k = len(residues)
    size = 1 << k
    sums = np.zeros(size, dtype=np.int64)
    count = np.zeros(size, dtype=np.int8)
    for i, r in enumerate(residues):
        sums[1 << i : 1 << (i + 1)] = sums[: 1 << i] + r
        count[1 << i : 1 << (i + 1)] = count[: 1 << i] + 1
    closes = (sums % L == 0).astype(np.int8)
    f = np.zeros(size, dtype=np.int8)
    masks = np.arange(size, dtype=np.int64)
    for c in range(1, k + 1):
        layer = masks[count == c]
        best = np.zeros(len(layer), dtype=np.int8)
        for i in range(k):
            has = (layer >> i) & 1 == 1
            best[has] = np.maximum(best[has], f[layer[has] ^ (1 << i)])
        f[layer] = best + closes[layer]
    order: list[int] = []
    mask = size - 1
    while mask:
        for i in range(k):
            if mask >> i & 1 and f[mask ^ (1 << i)] + closes[mask] == f[mask]:
                order.append(i)
                mask ^= 1 << i
                break
    return order[::-1]


def _region_work(ix: _Index) -> dict[int, int]:
    work: dict[int, int] = {}
    for g in range(ix.n):
        work[ix.region[g]] = work.get(ix.region[g], 0) + ix.work[g]
    return work


def _per_region(ix: _Index, N: int, L: int | None) -> int:
    """Σ over regions of the teams each needs at least: its targets over N, its targets of a
    capped sector over the cap, and (when every team carries exactly L) its workload over L."""
    count = Counter(ix.region)
    by_sector = Counter(zip(ix.region, ix.sector, strict=True))
    work = _region_work(ix)
    need = {r: -(-k // N) for r, k in count.items()}
    for (r, s), k in by_sector.items():
        if ix.cap[s] > 0:
            need[r] = max(need[r], -(-k // ix.cap[s]))
    if L:
        for r, w in work.items():
            need[r] = max(need[r], -(-w // L))
    return sum(need.values())


def township_plan(ix: _Index) -> list[list[int]] | None:
    """The plan of `zero_sum_groups` when it can be cut into teams of exactly L each (None if
    the workloads, N or a sector limit do not allow it, or the programme was too big)."""
    T, N, total = ix.p.teams, ix.p.targets_per_team, sum(ix.work)
    if total % T or total == 0 or ix.n < T:
        return None
    L = total // T
    work = _region_work(ix)
    regions = list(work)
    weights = [work[r] for r in regions]
    groups = zero_sum_groups(weights, L)
    if groups is None:
        return None
    members: dict[int, list[int]] = {}
    for g in range(ix.n):
        members.setdefault(ix.region[g], []).append(g)
    teams: list[list[int]] = []
    for group in groups:
        team: list[int] = []
        load = 0
        for i in sorted(group, key=lambda i: -weights[i]):
            for g in members[regions[i]]:
                team.append(g)
                load += ix.work[g]
                if load > L:
                    return None  # a target would straddle two teams
                if load == L:
                    teams.append(team)
                    team, load = [], 0
    if len(teams) != T or sum(map(len, teams)) != ix.n or not all(_fits(ix, t, N) for t in teams):
        return None  # (targets of no workload would be left out)
    return teams


def _fits(ix: _Index, team: Sequence[int], N: int) -> bool:
    if len(team) > N:
        return False
    sectors = Counter(ix.sector[g] for g in team)
    return all(k <= ix.cap[s] for s, k in sectors.items())


def greedy_plan(ix: _Index) -> list[list[int]] | None:
    """Whole regions, heaviest first, each into the team it fits best (load kept near the
    average); a region that fits nowhere whole is split over the emptiest teams."""
    T, N = ix.p.teams, ix.p.targets_per_team
    target = sum(ix.work) / T
    members: dict[int, list[int]] = {}
    for g in sorted(range(ix.n), key=lambda g: -ix.work[g]):
        members.setdefault(ix.region[g], []).append(g)
    teams: list[list[int]] = [[] for _ in range(T)]
    load = [0] * T
    sectors = [Counter[int]() for _ in range(T)]

    def room(t: int, group: Sequence[int]) -> bool:
        if len(teams[t]) + len(group) > N:
            return False
        add = Counter(ix.sector[g] for g in group)
        return all(sectors[t][s] + k <= ix.cap[s] for s, k in add.items())

    def put(t: int, g: int) -> None:
        teams[t].append(g)
        load[t] += ix.work[g]
        sectors[t][ix.sector[g]] += 1

    for r in sorted(members, key=lambda r: (-sum(ix.work[g] for g in members[r]), r)):
        group = members[r]
        w = sum(ix.work[g] for g in group)
        whole = [t for t in range(T) if room(t, group) and load[t] + w <= target + 0.5]
        if whole:
            best = min(whole, key=lambda t: (target - load[t] - w, t))  # the tightest fit
            for g in group:
                put(best, g)
            continue
        for g in group:
            fit = [t for t in range(T) if room(t, [g])]
            if not fit:
                return None
            # Fill the team that already holds this region while it has room, else the lightest.
            held = [t for t in fit if any(ix.region[h] == r for h in teams[t])]
            pool = [t for t in held if load[t] + ix.work[g] <= target + 0.5] or fit
            put(min(pool, key=lambda t: (load[t], t)), g)
    return teams


class _State:
    """A partition under search: per team its targets, load, region counts, sector counts."""

    def __init__(self, ix: _Index, teams: Sequence[Sequence[int]]) -> None:
        self.ix = ix
        self.N = ix.p.targets_per_team
        self.capped = frozenset(k for k, cap in enumerate(ix.cap) if cap < self.N)
        self.full = (1 << ix.m) - 1
        self.team = [0] * ix.n
        self.members = [list(t) for t in teams]
        self.load = [sum(ix.work[g] for g in t) for t in teams]
        self.regions = [Counter(ix.region[g] for g in t) for t in teams]
        self.sectors = [Counter(ix.sector[g] for g in t) for t in teams]
        for t, group in enumerate(teams):
            for g in group:
                self.team[g] = t
        self.ok = [self.staffable(t) for t in range(len(teams))]
        self.region_total = sum(len(c) for c in self.regions)
        # The loads every team would have in the most even split: the search is steered towards
        # it by the distance of each load from it, which moves while the spread does not.
        total, T = sum(self.load), len(teams)
        self.even = (total // T, -(-total // T))

    def staffable(self, t: int) -> bool:
        return self.ix.may_staff(self.full & ~self.ix.blocked(self.members[t]))

    def allows(self, a: int, b: int, out: Sequence[int], into: Sequence[int]) -> bool:
        """Whether moving `out` from team a to b and `into` from b to a keeps both within N
        and the sector limits."""
        ix, capped = self.ix, self.capped
        for t, gain, loss in ((a, into, out), (b, out, into)):
            if len(self.members[t]) + len(gain) - len(loss) > self.N:
                return False
            if not capped:
                continue
            change = Counter(ix.sector[g] for g in gain if ix.sector[g] in capped)
            change.subtract(ix.sector[g] for g in loss if ix.sector[g] in capped)
            if any(self.sectors[t][k] + v > ix.cap[k] for k, v in change.items() if v > 0):
                return False
        return True

    def move(self, a: int, b: int, out: Sequence[int], into: Sequence[int]) -> int:
        """Move `out` from team a to b and `into` from b to a; the change in cost. The same
        call with a and b exchanged undoes it."""
        before = self.cost() + STEER * (self._off(a) + self._off(b))
        for g in out:
            self._shift(g, a, b)
        for g in into:
            self._shift(g, b, a)
        self.ok[a], self.ok[b] = self.staffable(a), self.staffable(b)
        return self.cost() + STEER * (self._off(a) + self._off(b)) - before

    def _off(self, t: int) -> int:
        lo, hi = self.even
        return max(0, self.load[t] - hi, lo - self.load[t])

    def _shift(self, g: int, a: int, b: int) -> None:
        ix = self.ix
        self.members[a].remove(g)
        self.members[b].append(g)
        self.team[g] = b
        self.load[a] -= ix.work[g]
        self.load[b] += ix.work[g]
        r = ix.region[g]
        self.region_total += (not self.regions[b][r]) - (self.regions[a][r] == 1)
        for counts, key in ((self.regions, r), (self.sectors, ix.sector[g])):
            counts[a][key] -= 1
            if not counts[a][key]:
                del counts[a][key]
            counts[b][key] += 1

    def cost(self) -> int:
        """The objective, plus the penalty for teams that cannot be staffed."""
        spread = max(self.load) - min(self.load)
        return 10 * spread + self.region_total + UNSTAFFABLE * self.ok.count(False)

    def guide(self) -> int:
        """What the search minimises: the cost and each load's distance from the even split."""
        return self.cost() + STEER * sum(self._off(t) for t in range(len(self.load)))


def improve(
    ix: _Index,
    teams: Sequence[Sequence[int]],
    *,
    moves: int,
    deadline: float,
    seed: int,
) -> list[list[int]]:
    """The best partition simulated annealing finds from `teams` in `moves` moves."""
    rng = random.Random(seed)  # noqa: S311 -- a search's reproducible choices, not secrets
    T = ix.p.teams
    if T < 2 or not ix.n:
        return [list(t) for t in teams]
    s = _State(ix, teams)
    current = s.guide()
    best, best_teams = s.cost(), [list(t) for t in s.members]
    hot, cold = 2.0, 0.05
    for step in range(moves):
        if step % 256 == 0 and time.monotonic() > deadline:
            break
        a = rng.randrange(T)
        if not s.members[a]:
            continue
        kind = rng.random()
        if kind < 0.35:
            b, out, into = _piece_move(s, a, rng)
        else:
            g = rng.choice(s.members[a])
            same = [t for t in range(T) if t != a and s.regions[t][ix.region[g]]]
            if same and kind < 0.7:
                b = rng.choice(same)
            else:
                b = rng.randrange(T - 1)
                b += b >= a
            out, into = [g], []
            if s.members[b] and (len(s.members[b]) >= s.N or rng.random() < 0.5):
                into = [_partner(s, a, b, rng)]
        if not out or not s.allows(a, b, out, into):
            continue
        delta = s.move(a, b, out, into)
        temperature = hot * (cold / hot) ** (step / moves)
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            current += delta
            if s.cost() < best:
                best, best_teams = s.cost(), [list(t) for t in s.members]
        else:
            s.move(b, a, out, into)
    return best_teams


def _partner(s: _State, a: int, b: int, rng: random.Random) -> int:
    """A target of team b to send to team a: one of a region team a already has, if any."""
    shared = [h for h in s.members[b] if s.regions[a][s.ix.region[h]]]
    return rng.choice(shared or s.members[b])


def _piece_move(s: _State, a: int, rng: random.Random) -> tuple[int, list[int], list[int]]:
    """Team a's part of one of its regions to another team with that region (or any team),
    and back from that team what keeps it within N and the two loads near each other: targets
    of regions team a has first, then of that team's smallest parts."""
    ix, T = s.ix, len(s.members)
    r = rng.choice(list(s.regions[a]))
    out = [g for g in s.members[a] if ix.region[g] == r]
    same = [t for t in range(T) if t != a and s.regions[t][r]]
    if same:
        b = rng.choice(same)
    else:
        b = rng.randrange(T - 1)
        b += b >= a
    back = max(0, len(s.members[b]) + len(out) - s.N)
    gap = (s.load[b] + sum(ix.work[g] for g in out) - s.load[a]) // 2
    candidates = [h for h in s.members[b] if ix.region[h] != r]
    rng.shuffle(candidates)
    candidates.sort(key=lambda h: (not s.regions[a][ix.region[h]], s.regions[b][ix.region[h]]))
    into: list[int] = []
    moved = 0
    for h in candidates:
        if len(into) >= back and moved >= gap:
            break
        into.append(h)
        moved += ix.work[h]
    return b, out, into
