"""Start plans and a lower bound for the rounds too large for set partitioning (一托N with N
beyond a handful: a county's round of 25–40 villages a team, a city's round of 150 targets).

The objective, 10 × workload spread + Σ regions per team, depends only on which targets share a
team, so a start is a partition of the targets, staffed afterwards (`planner.round_models._staff`).

**Lower bound** (`township`). Draw a plan as a graph between regions and teams, an edge where a
team inspects some of a region's targets: the regions per team summed are its edges. A graph
with R regions, T teams and c connected parts has at least R + T − c edges, and each part's
regions weigh what its teams carry. With spread 0 every team carries L, so a part's regions
weigh a multiple of L: c is at most the most groups the regions' workloads can be cut into with
every sum a multiple of L — `zero_sum_groups`, exact by a programme over subsets of the regions
after the two cuts that are always safe (a region that is a multiple of L alone; two that
complete each other). With spread 1 the teams carry lo or lo + 1, so a part of m teams weighs
m·lo to m·(lo + 1) and holds at most m·N targets: `_closable_groups` maximises the groups under
those conditions with HiGHS, whose dual bound is kept when time runs out. A spread of 2 or more
costs 20. Each region also needs ⌈its targets / N⌉ teams, ⌈its targets of a capped sector /
the cap⌉ and ⌈its workload / the most a team carries⌉. The bound is the least over the spreads.

**Starts.** The groups are cut into teams (`_cut`: a group's regions end to end, cut at each
team's load) when the workloads allow it — a county's villages all weigh 1 — which gives R + T
− c edges: the plan meets the bound of its spread, optimal if it can be staffed. `greedy_plan`
places whole regions, heaviest first, into the team they fit best and splits a region only when
it fits nowhere. `improve` is simulated annealing over moves of one target, swaps of two, and
moves of a region's part of a team to another team with that region (backfilled so that team
keeps at most N), steered towards the most even loads; a team that no conflict-free cadres
could staff costs a penalty, so the search also repairs starts. It makes a fixed number of moves
from the seed, so the same input and seed give the same plan unless the deadline cuts it short.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.round_models import _Index

__all__ = [
    "Township",
    "greedy_plan",
    "improve",
    "most_zero_sum_groups",
    "township",
    "zero_sum_groups",
]

# Beyond this many regions left after the safe cuts, the dynamic programme (2^k states) is
# replaced by its counting bound: every group left needs at least three regions.
DP_REGIONS = 20
# Beyond this many regions the groups' MIP for spread 1 runs only when it may give a plan (all
# workloads equal): a city's 77 prefectures and 30 teams make 2,000 symmetric binaries, whose
# bound stays below the regions' own in the seconds it would get.
MIP_REGIONS = 40
# A team that the cadres free of its conflicts could not staff costs this much in `improve`.
UNSTAFFABLE = 1000
# What `improve` adds for each unit of a team's load away from the most even split.
STEER = 1


@dataclass(frozen=True)
class Township:
    """What `township` finds: a lower bound on every plan's objective (staffing ignored) and
    the township plan, or None when the workloads, N or a sector limit do not allow it."""

    bound: int
    plan: list[list[int]] | None


def township(ix: _Index, *, seconds: float = 5.0, seed: int = 0) -> Township:
    """The bound and the township plan: for spread 0 from `zero_sum_groups`, for spread 1 from
    `_closable_groups` (HiGHS for at most `seconds`); the smaller bound of the two, or of 20 for
    a spread of 2 or more, is the bound."""
    T, N, total = ix.p.teams, ix.p.targets_per_team, sum(ix.work)
    simple = max(_per_region(ix, N, None), -(-ix.n // N))
    if total == 0:
        return Township(simple, None)  # no workload, no spread
    work = _region_work(ix)
    weights = list(work.values())
    R, lo = len(weights), total // T
    # One option a spread: 0 (every team carries lo), 1 (lo or lo + 1), 2 or more.
    options: list[tuple[int, list[list[int]] | None]] = [(10 + simple, None), (20 + simple, None)]
    if ix.n < T:
        pass  # a team is empty: the spread is at least the heaviest team's load
    elif total % T == 0:
        groups = zero_sum_groups(weights, lo)
        parts = most_zero_sum_groups(weights, lo) if groups is None else len(groups)
        even = [(g, sum(weights[i] for i in g) // lo) for g in groups or ()]
        plan = _cut(ix, work, even, lo) if groups is not None else None
        options.append((max(_per_region(ix, N, lo), R + T - parts), plan))
    elif lo > 0:
        per_region = _per_region(ix, N, lo + 1)
        if R <= MIP_REGIONS or len(set(ix.work)) == 1:
            most, found = _closable_groups(ix, work, lo, seconds, seed)
            plan = _cut(ix, work, found, lo) if found else None
            options[0] = (10 + max(per_region, R + T - most), plan)
        else:
            options[0] = (10 + max(simple, per_region), None)
    bound = min(b for b, _ in options)
    plans = [p for _, p in options if p is not None]
    best = min(plans, key=ix.objective) if plans else None
    return Township(bound, best)


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
    import numpy as np  # here, like the solvers: planner.check imports this module

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
    capped sector over the cap, and (when no team carries more than L) its workload over L."""
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


def _cut(
    ix: _Index, work: dict[int, int], groups: list[tuple[list[int], int]], lo: int
) -> list[list[int]] | None:
    """Each group of regions (indices into `work`) laid end to end and cut into its m teams,
    W − m·lo of them carrying lo + 1 and the others lo; None if a target would straddle two
    teams, or N or a sector limit would be broken."""
    regions = list(work)
    members: dict[int, list[int]] = {}
    for g in range(ix.n):
        members.setdefault(ix.region[g], []).append(g)
    teams: list[list[int]] = []
    for group, m in groups:
        extra = sum(work[regions[i]] for i in group) - m * lo
        if not 0 <= extra <= m:
            return None
        quotas = [lo + 1] * extra + [lo] * (m - extra)
        team: list[int] = []
        load = 0
        for i in sorted(group, key=lambda i: -work[regions[i]]):
            for g in members[regions[i]]:
                team.append(g)
                load += ix.work[g]
                if not quotas or load > quotas[0]:
                    return None  # a target would straddle two teams
                if load == quotas[0]:
                    teams.append(team)
                    quotas.pop(0)
                    team, load = [], 0
        if team or quotas:
            return None
    if len(teams) != ix.p.teams or sum(map(len, teams)) != ix.n:
        return None  # (targets of no workload would be left out)
    if not all(_fits(ix, t, ix.p.targets_per_team) for t in teams):
        return None
    return teams


def _closable_groups(
    ix: _Index, work: dict[int, int], lo: int, seconds: float, seed: int
) -> tuple[int, list[tuple[list[int], int]]]:
    """The most groups of regions that could each be a connected part of a plan whose loads
    are lo or lo + 1 — a part of m teams weighs m·lo to m·(lo + 1) and has at most m·N targets
    — by HiGHS: an upper bound on their number, and the groups of the best partition found,
    each with its number of teams."""
    import numpy as np  # here, like the solvers: planner.check imports this module

    from planner.mip import MipModel, solve_mip  # HiGHS: see the module docstring of round.py

    T, N = ix.p.teams, ix.p.targets_per_team
    regions = list(work)
    count = Counter(ix.region)
    R = len(regions)
    G = min(R, T)
    # Columns: x[r, g] for g ≤ r (a group is named by its first region), then z[g], then m[g].
    xs = [(r, g) for r in range(R) for g in range(min(r, G - 1) + 1)]
    z0, m0 = len(xs), len(xs) + G
    columns: list[list[tuple[int, float]]] = [[] for _ in range(m0 + G)]
    row_lower: list[float] = []
    row_upper: list[float] = []

    def row(entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        for col, value in entries:
            columns[col].append((len(row_lower), value))
        row_lower.append(low)
        row_upper.append(high)

    inf = math.inf
    at = {key: j for j, key in enumerate(xs)}
    for r in range(R):
        row([(at[r, g], 1.0) for g in range(min(r, G - 1) + 1)], 1, 1)
    for (_, g), j in at.items():
        row([(j, 1.0), (z0 + g, -1.0)], -inf, 0)
    for g in range(G):
        mine = [(at[r, g], r) for r in range(g, R)]
        row([(j, work[regions[r]]) for j, r in mine] + [(m0 + g, -lo)], 0, inf)
        row([(j, work[regions[r]]) for j, r in mine] + [(m0 + g, -lo - 1.0)], -inf, 0)
        row([(j, count[regions[r]]) for j, r in mine] + [(m0 + g, -N)], -inf, 0)
        row([(m0 + g, 1.0), (z0 + g, -1.0)], 0, inf)
        row([(m0 + g, 1.0), (z0 + g, -float(T))], -inf, 0)
        if g:
            row([(z0 + g - 1, 1.0), (z0 + g, -1.0)], 0, inf)
    row([(m0 + g, 1.0) for g in range(G)], T, T)
    n_cols = m0 + G
    model = MipModel(
        cost=np.array([0.0] * z0 + [1.0] * G + [0.0] * G),
        lower=np.zeros(n_cols),
        upper=np.array([1.0] * m0 + [float(T)] * G),
        integer=np.ones(n_cols, dtype=bool),
        row_lower=np.array(row_lower),
        row_upper=np.array(row_upper),
        start=np.cumsum([0] + [len(c) for c in columns]).astype(np.int32),
        index=np.array([i for c in columns for i, _ in c], dtype=np.int32),
        value=np.array([v for c in columns for _, v in c], dtype=np.float64),
        maximize=True,
    )
    # A start: all regions in one group of T teams (the loads allow it, or no plan has spread 1).
    start = np.zeros(n_cols)
    start[[at[r, 0] for r in range(R)]] = 1.0
    start[z0], start[m0] = 1.0, float(T)
    result = solve_mip(model, time_limit_s=seconds, seed=seed, start=start)
    if result.status == "infeasible":
        return 0, []  # no plan has spread 1
    most = G if result.bound is None else min(G, math.floor(result.bound + 1e-6))
    if result.values is None:
        return most, []
    groups: dict[int, list[int]] = {}
    for (r, g), j in at.items():
        if result.values[j] > 0.5:
            groups.setdefault(g, []).append(r)
    return most, [(groups[g], round(result.values[m0 + g])) for g in sorted(groups)]


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
        self.members = [list(t) for t in teams]
        self.load = [sum(ix.work[g] for g in t) for t in teams]
        self.regions = [Counter(ix.region[g] for g in t) for t in teams]
        self.sectors = [Counter(ix.sector[g] for g in t) for t in teams]
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
