"""The models behind `planner.round.solve`: the problem index, the candidate target sets,
the HiGHS set-partitioning runs, CP-SAT staffing and the compact CP-SAT model of all seven
constraints. Split from round.py, which keeps the public types and the strategy."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from planner.round import RoundProblem


@dataclass
class _Index:
    """The problem in integer indices, with cadre sets as bitmasks (bit c = cadre c)."""

    p: RoundProblem
    n: int
    m: int
    work: list[int]
    region: list[int]
    sector: list[int]
    cap: list[int]  # per sector index
    block: list[int]  # per target: the cadres in conflict with it
    lead: list[bool]
    lead_mask: int
    unit: list[int]
    unit_masks: list[int]
    skills: list[tuple[str, int, list[int], list[int]]]  # skill, min, unit masks, holders
    sector_names: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, p: RoundProblem) -> _Index:
        target_at = {t.id: g for g, t in enumerate(p.targets)}
        cadre_at = {c.id: i for i, c in enumerate(p.cadres)}
        regions = {r: k for k, r in enumerate(dict.fromkeys(t.region for t in p.targets))}
        sectors = {s: k for k, s in enumerate(dict.fromkeys(t.sector for t in p.targets))}
        limits = dict(p.max_per_team)
        units = {u: k for k, u in enumerate(dict.fromkeys(c.unit for c in p.cadres))}
        block = [0] * len(p.targets)
        for conflict in p.conflicts:
            if conflict.cadre not in cadre_at or conflict.target not in target_at:
                raise ValueError(
                    f"回避关系指向未知的干部或对象：{conflict.cadre} / {conflict.target}"
                )
            block[target_at[conflict.target]] |= 1 << cadre_at[conflict.cadre]
        unit_masks = [0] * len(units)
        for i, c in enumerate(p.cadres):
            unit_masks[units[c.unit]] |= 1 << i
        skills = []
        for skill, need in p.team_skills:
            holders = [i for i, c in enumerate(p.cadres) if skill in c.skills]
            masks: dict[int, int] = {}
            for i in holders:
                u = units[p.cadres[i].unit]
                masks[u] = masks.get(u, 0) | 1 << i
            skills.append((skill, need, list(masks.values()), holders))
        lead = [c.can_lead for c in p.cadres]
        return cls(
            p=p,
            n=len(p.targets),
            m=len(p.cadres),
            work=[t.workload for t in p.targets],
            region=[regions[t.region] for t in p.targets],
            sector=[sectors[t.sector] for t in p.targets],
            cap=[min(limits.get(s, p.targets_per_team), p.targets_per_team) for s in sectors],
            block=block,
            lead=lead,
            lead_mask=sum(1 << i for i, can in enumerate(lead) if can),
            unit=[units[c.unit] for c in p.cadres],
            unit_masks=unit_masks,
            skills=skills,
            sector_names=list(sectors),
        )

    def blocked(self, group: Sequence[int]) -> int:
        mask = 0
        for g in group:
            mask |= self.block[g]
        return mask

    def may_staff(self, allowed: int) -> bool:
        """Necessary for one team to be staffed from the `allowed` cadres alone."""
        if not allowed & self.lead_mask or not _units_at_least(
            self.unit_masks, allowed, self.p.team_size[0]
        ):
            return False
        return all(_units_at_least(masks, allowed, need) for _, need, masks, _ in self.skills)

    def may_staff_group(self, group: Sequence[int]) -> bool:
        """Necessary for a team inspecting `group` to be staffed (its conflicts removed)."""
        return self.may_staff(((1 << self.m) - 1) & ~self.blocked(group))

    def objective(self, groups: Sequence[Sequence[int]]) -> int:
        loads = [sum(self.work[g] for g in group) for group in groups]
        regions = sum(len({self.region[g] for g in group}) for group in groups)
        return 10 * (max(loads) - min(loads)) + regions


def _units_at_least(masks: list[int], allowed: int, need: int) -> bool:
    if need <= 0:
        return True
    count = 0
    for mask in masks:
        if mask & allowed:
            count += 1
            if count >= need:
                return True
    return False


@dataclass(frozen=True)
class _Column:
    targets: tuple[int, ...]
    work: int
    regions: int


def _columns(ix: _Index) -> list[_Column]:
    full = (1 << ix.m) - 1
    out: list[_Column] = []

    def grow(prefix: tuple[int, ...], start: int, blocked: int, sectors: tuple[int, ...]) -> None:
        for g in range(start, ix.n):
            if sectors.count(ix.sector[g]) >= ix.cap[ix.sector[g]]:
                continue
            b = blocked | ix.block[g]
            if not ix.may_staff(full & ~b):
                continue  # and so every superset: the test is monotone
            col = (*prefix, g)
            regions = len({ix.region[h] for h in col})
            out.append(_Column(col, sum(ix.work[h] for h in col), regions))
            if len(col) < ix.p.targets_per_team:
                grow(col, g + 1, b, (*sectors, ix.sector[g]))

    grow((), 0, 0, ())
    return out


@dataclass(frozen=True)
class _Cut:
    """Target sets that no plan may hold, learnt from staffing failures. With `apart`: its
    targets may not all be in different teams; with `within`: no team may hold all of it; else
    the columns `together` may not all be chosen."""

    apart: frozenset[int] = frozenset()
    within: frozenset[int] = frozenset()
    together: tuple[tuple[int, ...], ...] = ()

    def weight(self, column: tuple[int, ...]) -> int:
        """The column's coefficient in the cut's row Σ weight·z ≥ 1 (`apart` cuts only)."""
        return max(0, len(self.apart.intersection(column)) - 1)

    def broken_by(self, groups: Sequence[tuple[int, ...]]) -> bool:
        if self.apart:
            return not any(self.weight(g) for g in groups)
        if self.within:
            return any(self.within <= set(g) for g in groups)
        return set(self.together) <= set(groups)


@dataclass
class _Partition:
    groups: list[tuple[int, ...]] | None  # nonempty groups, then empty ones
    bound: int | None
    proven: bool


def _highs_run(
    columns: list[_Column],
    ix: _Index,
    *,
    allow_empty: bool,
    cuts: list[_Cut],
    seconds: float,
    seed: int,
) -> tuple[str, list[tuple[int, ...]], float]:
    """Min Σ regions over partitions of the targets into T columns (empty ones if allowed)."""
    import highspy
    import numpy as np
    from highspy import _core

    T = ix.p.teams
    if not columns and not (allow_empty and ix.n == 0):
        return "infeasible", [], math.inf
    at = {c.targets: j for j, c in enumerate(columns)}
    entries: list[list[tuple[int, float]]] = [
        [(g, 1.0) for g in (*c.targets, ix.n)] for c in columns
    ]
    lower, upper = [1.0] * ix.n + [float(T)], [1.0] * ix.n + [float(T)]
    for cut in cuts:
        row = len(lower)
        if cut.apart:
            for j, c in enumerate(columns):
                if cut.weight(c.targets):
                    entries[j].append((row, float(cut.weight(c.targets))))
            lower.append(1.0)
            upper.append(highspy.kHighsInf)
        elif cut.together and all(key in at for key in cut.together):
            for key in cut.together:
                entries[at[key]].append((row, 1.0))
            lower.append(-highspy.kHighsInf)
            upper.append(float(len(cut.together) - 1))
    if allow_empty:
        entries.append([(ix.n, 1.0)])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(entries), len(lower)
    lp.col_cost_ = np.array([c.regions for c in columns] + [0] * allow_empty, dtype=float)
    lp.col_lower_ = np.zeros(len(entries))
    lp.col_upper_ = np.array([1.0] * len(columns) + [float(T)] * allow_empty)
    lp.row_lower_, lp.row_upper_ = np.array(lower), np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.cumsum([0] + [len(x) for x in entries]).astype(np.int32)
    lp.a_matrix_.index_ = np.array([r for x in entries for r, _ in x], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for x in entries for _, v in x])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(entries)
    # The raw class: highspy.Highs() prints a banner on C stdout, corrupting the CLI's JSON.
    h = _core._Highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("mip_rel_gap", 0.0),
        # Presolve finds nothing in these tiny-row models but can take a minute on large ones
        # (probing and column dominance) without looking at the time limit.
        ("presolve", "off"),
        ("random_seed", seed),
        ("time_limit", max(seconds, 0.01)),
    ):
        h.setOptionValue(option, value)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    chosen: list[tuple[int, ...]] = []
    if info.primal_solution_status == 2:  # a feasible point exists
        x = h.getSolution().col_value
        chosen = [c.targets for j, c in enumerate(columns) if x[j] > 0.5]
        chosen += [()] * (T - len(chosen))
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", chosen, info.objective_function_value
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible", [], math.inf
    return "timeout", chosen, info.mip_dual_bound


def _regions_bound(ix: _Index) -> int:
    """Σ regions ≥ Σ over regions of the teams its targets need at least, and ≥ nonempty teams."""
    N = ix.p.targets_per_team
    return max(sum(-(-k // N) for k in Counter(ix.region).values()), -(-ix.n // N))


def _partition(
    ix: _Index,
    columns: list[_Column],
    cuts: list[_Cut],
    memo: dict[tuple[int, int], tuple[str, list[tuple[int, ...]]]],
    deadline: float,
    seed: int,
) -> _Partition:
    """The best partition of the targets, searched band by band; `memo` keeps each band's result
    across calls (a band's optimum stays optimal after new cuts unless a cut removes it)."""
    T, n = ix.p.teams, ix.n
    total = sum(ix.work)
    widest = max((c.work for c in columns), default=0)
    regions_lb = _regions_bound(ix)
    if any(cut.apart and not any(cut.weight(c.targets) for c in columns) for cut in cuts):
        return _Partition(None, None, True)  # no team can hold two of those targets
    best: tuple[int, list[tuple[int, ...]]] | None = None
    open_bounds: list[int] = []  # bands whose MIP ran out of time
    for d in range(widest + 1):
        if best is not None and 10 * d + regions_lb >= best[0]:
            break
        for lo in range(max(0, -(-(total - d * T) // T)), total // T + 1):
            if lo > 0 and n < T:
                continue  # some team must stay empty, so the lightest team has workload 0
            known = memo.get((lo, d))
            if known is None or any(cut.broken_by(known[1]) for cut in cuts):
                left = deadline - time.monotonic()
                if left <= 0:
                    bound = min([10 * d + regions_lb, *open_bounds, *([best[0]] if best else [])])
                    return _Partition(best[1] if best else None, bound, False)
                band = [c for c in columns if lo <= c.work <= lo + d]
                status, groups, dual = _highs_run(
                    band, ix, allow_empty=lo == 0, cuts=cuts, seconds=left, seed=seed
                )
                if status == "timeout":
                    dual = dual if math.isfinite(dual) else 0
                    open_bounds.append(10 * d + max(regions_lb, math.ceil(dual - 1e-6)))
                else:
                    memo[lo, d] = (status, groups)
            else:
                groups = known[1]
            if groups:
                value = ix.objective(groups)
                if best is None or value < best[0]:
                    best = (value, groups)
    if best is None:
        return _Partition(None, min(open_bounds, default=None), not open_bounds)
    return _Partition(best[1], min([best[0], *open_bounds]), not open_bounds)


def _cp_solver(seconds: float, seed: int) -> cp_model.CpSolver:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker: the same input and seed give the same plan
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    return solver


def _staff(
    ix: _Index, groups: Sequence[Sequence[int]], deadline: float, seed: int, *, minimal: bool = True
) -> tuple[str, list[tuple[int, list[int]]], list[int]]:
    """Leader and members for each target group. Returns ("ok", teams, []), ("unknown", [], []) or
    ("infeasible", [], core): the indices of a minimal set of groups that cannot all be staffed."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    lo, hi = ix.p.team_size
    per_cadre: list[list[cp_model.IntVar]] = [[] for _ in range(ix.m)]
    teams: list[tuple[dict[int, cp_model.IntVar], dict[int, cp_model.IntVar]]] = []
    wanted = [model.new_bool_var(f"team{t}") for t in range(len(groups))]
    for group, on in zip(groups, wanted, strict=True):
        blocked = ix.blocked(group)
        x = {c: model.new_bool_var(f"x{c}") for c in range(ix.m) if not blocked >> c & 1}
        lead = {c: model.new_bool_var(f"l{c}") for c in x if ix.lead[c]}
        for c, var in lead.items():
            model.add_implication(var, x[c])
        model.add(sum(lead.values()) == 1).only_enforce_if(on)
        model.add_linear_constraint(sum(x.values()), lo, hi).only_enforce_if(on)
        by_unit: dict[int, list[cp_model.IntVar]] = {}
        for c, var in x.items():
            by_unit.setdefault(ix.unit[c], []).append(var)
            per_cadre[c].append(var)
        for same in by_unit.values():
            if len(same) > 1:
                model.add_at_most_one(same)
        for _, need, _, holders in ix.skills:
            model.add(sum(x[c] for c in holders if c in x) >= need).only_enforce_if(on)
        teams.append((x, lead))
    for vars_ in per_cadre:
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    status, solver, core = _assume(model, wanted, list(range(len(groups))), deadline, seed)
    if core is not None:
        return "infeasible", [], _shrink(model, wanted, core, deadline, seed) if minimal else core
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", [], []
    out = []
    for x, lead in teams:
        leader = next(c for c, var in lead.items() if solver.value(var))
        out.append((leader, [c for c, var in x.items() if solver.value(var)]))
    return "ok", out, []


def _staff_large(
    ix: _Index, groups: Sequence[Sequence[int]], deadline: float, seed: int
) -> tuple[str, list[tuple[int, list[int]]], list[int]]:
    """`_staff` for the large rounds: a greedy staffing first (a city's 30 teams from 2,000
    cadres: milliseconds, where the CP-SAT model of 60,000 choices takes seconds), CP-SAT only
    when the greedy one fails."""
    quick = _staff_greedy(ix, groups)
    if quick is not None:
        return "ok", quick, []
    return _staff(ix, groups, deadline, seed, minimal=False)


def _staff_greedy(
    ix: _Index, groups: Sequence[Sequence[int]]
) -> list[tuple[int, list[int]]] | None:
    """Leader and members for each group, the most constrained team first, each taking the
    cadres others need least (not leaders, fewest skills); None when it gets stuck."""
    lo, hi = ix.p.team_size
    needs = [(set(holders), need) for _, need, _, holders in ix.skills if need > 0]
    free = (1 << ix.m) - 1
    allowed = [free & ~ix.blocked(g) for g in groups]
    worth = [ix.lead[c] * 10 + sum(c in h for h, _ in needs) for c in range(ix.m)]
    out: dict[int, tuple[int, list[int]]] = {}
    for t in sorted(range(len(groups)), key=lambda t: (allowed[t].bit_count(), t)):
        pool = _bits(allowed[t] & free)
        # The leader who brings the most of the skills still needed.
        leaders = [c for c in pool if ix.lead[c]]
        if not leaders:
            return None
        members = [min(leaders, key=lambda c: (-sum(c in h for h, _ in needs), c))]
        units = {ix.unit[members[0]]}
        rest = sorted((c for c in pool if c != members[0]), key=lambda c: (worth[c], c))
        for holders, need in [*needs, (None, lo)]:
            have = len(members) if holders is None else sum(c in holders for c in members)
            for c in rest:
                if have >= need:
                    break
                if ix.unit[c] not in units and (holders is None or c in holders):
                    members.append(c)
                    units.add(ix.unit[c])
                    have += 1
            if have < need:
                return None
            rest = [c for c in rest if ix.unit[c] not in units]
        if len(members) > hi:
            return None
        for c in members:
            free &= ~(1 << c)
        out[t] = (members[0], members)
    return [out[t] for t in range(len(groups))]


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _reason(
    ix: _Index, groups: list[tuple[int, ...]], deadline: float, seed: int
) -> list[tuple[int, ...]]:
    """The clashing groups with every target dropped that the clash does not need; the groups
    that end up empty are left out (any team is at least as hard to staff as an empty one)."""
    for i in range(len(groups)):
        for g in groups[i]:
            trial = [*groups[:i], tuple(h for h in groups[i] if h != g), *groups[i + 1 :]]
            clash = _staff(ix, trial, deadline, seed, minimal=False)[0] == "infeasible"
            if clash and time.monotonic() < deadline:
                groups = trial
    return [g for g in groups if g]


def _assume(
    model: cp_model.CpModel,
    lits: list[cp_model.IntVar],
    assumed: list[int],
    deadline: float,
    seed: int,
) -> tuple[Any, cp_model.CpSolver, list[int] | None]:
    """Solve with the literals `assumed` (indices into `lits`) true; the third item is a subset of
    them that is already infeasible, or None if the model was not proven infeasible."""
    from ortools.sat.python import cp_model

    model.clear_assumptions()
    model.add_assumptions([lits[i] for i in assumed])
    solver = _cp_solver(deadline - time.monotonic(), seed)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return status, solver, None
    found = set(solver.sufficient_assumptions_for_infeasibility())
    return status, solver, [i for i in assumed if lits[i].index in found]


def _shrink(
    model: cp_model.CpModel,
    lits: list[cp_model.IntVar],
    core: list[int],
    deadline: float,
    seed: int,
) -> list[int]:
    """Drop assumptions the infeasibility does not need, while time lasts (deletion filter)."""
    i = 0
    while i < len(core) and time.monotonic() < deadline:
        smaller = _assume(model, lits, core[:i] + core[i + 1 :], deadline, seed)[2]
        if smaller is None:
            i += 1
        else:
            core = smaller
    return core


def _joint_model(
    ix: _Index,
    *,
    optimise: bool,
    lower: int = 0,
    hint: Sequence[Sequence[int]] = (),
    staff: Sequence[tuple[int, Sequence[int]]] = (),
) -> tuple[
    cp_model.CpModel,
    dict[int, tuple[int, str]],
    Callable[[Any], tuple[list[tuple[int, ...]], list[tuple[int, list[int]]]]],
]:
    """All seven constraints in one CP-SAT model; each family is enforced by an assumption literal
    (returned as index → (constraint number, key)) when not optimising."""
    from ortools.sat.python import cp_model

    p, T, model = ix.p, ix.p.teams, cp_model.CpModel()
    families: dict[int, tuple[int, str]] = {}

    def on(number: int, key: str = "") -> list[cp_model.IntVar]:
        if optimise:
            return []
        lit = model.new_bool_var(f"a{number}{key}")
        families[lit.index] = (number, key)
        return [lit]

    # Teams are interchangeable: target g may only go to teams 0..g.
    y = [
        [model.new_bool_var("") if t <= g else model.new_constant(0) for t in range(T)]
        for g in range(ix.n)
    ]
    x = [[model.new_bool_var("") for _ in range(T)] for _ in range(ix.m)]
    lead = {c: [model.new_bool_var("") for _ in range(T)] for c in range(ix.m) if ix.lead[c]}
    # A start, teams in the order of their first targets (so that target g is in team ≤ g),
    # each with its leader and members when `staff` gives them (one per group of `hint`).
    crews: list[tuple[int, Sequence[int]] | None] = [*staff] or [None] * len(hint)
    start = sorted((sorted(g), crew) for g, crew in zip(hint, crews, strict=True) if g)
    for t, (group, crew) in enumerate(start):
        for g in range(ix.n):
            if t <= g:
                model.add_hint(y[g][t], g in group)
        if crew is not None:
            leader, members = crew
            for c in range(ix.m):
                model.add_hint(x[c][t], c in members)
            for c in lead:
                model.add_hint(lead[c][t], c == leader)
    a1, a2, a3, a4 = on(1), on(2), on(3), on(4)
    for g in range(ix.n):
        model.add(sum(y[g]) == 1).only_enforce_if(a1)
    for t in range(T):
        model.add(sum(y[g][t] for g in range(ix.n)) <= p.targets_per_team).only_enforce_if(a1)
        model.add(sum(lead[c][t] for c in lead) == 1).only_enforce_if(a2)
        size = sum(x[c][t] for c in range(ix.m))
        model.add_linear_constraint(size, *p.team_size).only_enforce_if(a3)
        for c in lead:
            model.add_implication(lead[c][t], x[c][t])
    for c in range(ix.m):
        model.add(sum(x[c]) <= 1).only_enforce_if(a3)
    by_unit: dict[int, list[int]] = {}
    for c in range(ix.m):
        by_unit.setdefault(ix.unit[c], []).append(c)
    for same in by_unit.values():
        for t in range(T):
            if len(same) > 1:
                model.add(sum(x[c][t] for c in same) <= 1).only_enforce_if(a4)
    for skill, need, _, holders in ix.skills:
        a5 = on(5, skill)
        for t in range(T):
            model.add(sum(x[c][t] for c in holders) >= need).only_enforce_if(a5)
    for k, cap in enumerate(ix.cap):
        of_sector = [g for g in range(ix.n) if ix.sector[g] == k]
        if cap >= min(p.targets_per_team, len(of_sector)):
            continue  # constraint 1 already implies it
        a6 = on(6, ix.sector_names[k])
        for t in range(T):
            model.add(sum(y[g][t] for g in of_sector) <= cap).only_enforce_if(a6)
    for g in range(ix.n):
        if ix.block[g]:
            a7 = on(7, p.targets[g].id)
            for c in range(ix.m):
                if ix.block[g] >> c & 1:
                    for t in range(min(g, T - 1) + 1):
                        model.add_bool_or([x[c][t].Not(), y[g][t].Not(), *(v.Not() for v in a7)])
    if optimise:
        loads = [sum(ix.work[g] * y[g][t] for g in range(ix.n)) for t in range(T)]
        top, low = model.new_int_var(0, sum(ix.work), ""), model.new_int_var(0, sum(ix.work), "")
        for t in range(T):
            model.add(top >= loads[t])
            model.add(low <= loads[t])
        used = []
        for r, count in sorted(Counter(ix.region).items()):
            of_region = [g for g in range(ix.n) if ix.region[g] == r]
            u = [model.new_bool_var("") for _ in range(T)]
            for t in range(T):  # the linear form gives a tighter relaxation than implications
                model.add(sum(y[g][t] for g in of_region) <= min(p.targets_per_team, count) * u[t])
            model.add(sum(u) >= -(-count // p.targets_per_team))
            used += u
        model.add(10 * (top - low) + sum(used) >= lower)
        model.minimize(10 * (top - low) + sum(used))

    def read(solver: Any) -> tuple[list[tuple[int, ...]], list[tuple[int, list[int]]]]:
        groups = [tuple(g for g in range(ix.n) if solver.value(y[g][t])) for t in range(T)]
        staff = [
            (
                next(c for c in lead if solver.value(lead[c][t])),
                [c for c in range(ix.m) if solver.value(x[c][t])],
            )
            for t in range(T)
        ]
        return groups, staff

    return model, families, read
