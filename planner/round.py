"""Forming the teams of a round and giving each its targets (format ``xunshi-round/1``).

The problem and the plan are frozen dataclasses that mirror the JSON of the format field by field.
`solve` is exact. The objective (workload spread and regions per team) depends only on which
targets share a team, so the solver splits the work the way RESEARCH.md §4.1 and §6 advise:

1. Columns: every set of at most N targets that respects the sector limits and that some team
   could still be staffed for (a conflict-free cadre who can lead, enough conflict-free units
   and skills). These filters are necessary conditions, so no staffable plan is lost.
2. Partition: a set-partitioning MIP over the columns (HiGHS, one thread), solved per workload
   band [lo, lo + d] for d = 0, 1, … and stopped when 10·d plus a lower bound on the regions
   cannot beat the best partition found. This proves the best partition, and its value is a
   lower bound for the whole problem.
3. Staffing: CP-SAT (one worker, fixed seed) forms the teams for that partition, avoidance
   removing variables. If it cannot, an assumption core names the target sets that cannot all
   be staffed; no plan may hold them all, so that is cut off and step 2 runs again. The first
   staffed optimum is optimal for the whole problem.

When the columns would be too many (large N: a county's 25–40 villages a team, a city's 30 × 5),
`planner.round_start` gives the partition and a lower bound: the township plan, which meets the
bound when the workloads allow (a village round is then proven optimal), else a greedy plan by
region improved by local search; it is staffed (greedily, else by CP-SAT), a plan short of the
bound is improved by a large-neighbourhood search (`planner.round_lns`: a few teams' targets
dealt again by CP-SAT, the other teams fixed) and then handed to the compact CP-SAT model of all
seven constraints as its start for the time left. When staffing
keeps failing, that compact model takes over, given the bound proven so far. Infeasible input is
explained in Chinese: counting checks first (`planner.check.round_problem_reasons`), then, if
they all pass, a minimal CP-SAT core over one assumption literal per constraint family.

The models themselves are in `planner.round_models`. Solvers are imported inside the functions
that use them, so `planner.check` stays solver-free.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from planner.round_lns import search
from planner.round_models import (
    _assume,
    _columns,
    _cp_solver,
    _Cut,
    _Index,
    _joint_model,
    _partition,
    _reason,
    _shrink,
    _staff,
    _staff_large,
)
from planner.round_start import greedy_plan, improve, township

__all__ = [
    "STATUSES",
    "RoundCadre",
    "RoundConflict",
    "RoundPlan",
    "RoundProblem",
    "RoundTarget",
    "TeamPlan",
    "solve",
    "solve_round",
]

STATUSES = ("optimal", "feasible", "infeasible", "unknown")
# Beyond this many candidate target sets the compact CP-SAT model replaces set partitioning.
COLUMN_LIMIT = 150_000
# After this many partitions that could not be staffed, the compact model takes over.
STAFFING_ROUNDS = 20
# The local search of the large rounds: moves per target, and at most (a city's round of 150
# targets: about 10 s on the 2-core machine).
MOVES_PER_TARGET = 600
MOST_MOVES = 200_000
# A large round's plan short of its bound: the large-neighbourhood search until this share of
# the time limit, the compact CP-SAT model from its best plan for the rest.
LNS_SHARE = 0.8
# Staffing the search's best partition (a city's 2,000 cadres: about a second).
STAFFING_S = 10.0


@dataclass(frozen=True)
class RoundTarget:
    id: str
    name: str
    sector: str
    region: str
    workload: int


@dataclass(frozen=True)
class RoundCadre:
    id: str
    name: str
    unit: str
    can_lead: bool
    skills: tuple[str, ...]


@dataclass(frozen=True)
class RoundConflict:
    cadre: str
    target: str
    rule: str
    detail: str


@dataclass(frozen=True)
class RoundProblem:
    name: str
    teams: int
    targets_per_team: int
    team_size: tuple[int, int]
    team_skills: tuple[tuple[str, int], ...]
    max_per_team: tuple[tuple[str, int], ...]
    targets: tuple[RoundTarget, ...]
    cadres: tuple[RoundCadre, ...]
    conflicts: tuple[RoundConflict, ...]


@dataclass(frozen=True)
class TeamPlan:
    leader: str
    members: tuple[str, ...]  # the leader included, first
    targets: tuple[str, ...]


@dataclass(frozen=True)
class RoundPlan:
    status: str
    objective: int | None
    bound: int | None
    seconds: float
    teams: tuple[TeamPlan, ...] = ()
    explanation: tuple[str, ...] = ()
    # Solver names, versions, parameters and seed, recorded with every plan for audit.
    solver: tuple[tuple[str, str], ...] = ()


def solve(problem: RoundProblem, *, time_limit_s: float = 10.0, seed: int = 0) -> RoundPlan:
    """The best plan for `problem`, with a proven bound, or the reasons it cannot exist."""
    from planner.check import round_problem_reasons

    started = time.monotonic()
    deadline = started + time_limit_s
    ix = _Index.of(problem)
    method = "set partitioning (HiGHS) + staffing (CP-SAT)"
    if reasons := round_problem_reasons(problem):
        method = "counting checks (planner.check.round_problem_reasons)"
        outcome = _Outcome("infeasible", explanation=reasons)
    elif _column_count(ix) <= COLUMN_LIMIT:
        # Staffing usually takes well under a second; keep it some time.
        outcome = _by_columns(ix, deadline, min(1.0, time_limit_s / 10), seed)
        if outcome.status == "thrashing":
            method += ", then the compact CP-SAT model"
            outcome = _by_joint_model(ix, deadline, seed, outcome.bound or 0)
    else:
        method = "start by region (planner.round_start) + staffing (CP-SAT)"
        outcome = _by_start(ix, deadline, seed)
        if outcome.status == "thrashing":
            method += ", then the compact CP-SAT model"
            outcome = _by_joint_model(ix, deadline, seed, outcome.bound or 0, outcome.groups)
        elif outcome.status == "feasible" and ix.objective(outcome.groups) > (outcome.bound or 0):
            # Not proven: a large-neighbourhood search from that plan, then the compact model
            # from the best plan found, for a better one or a proof.
            method += ", large-neighbourhood search (CP-SAT), then the compact CP-SAT model"
            _neighbourhoods(ix, outcome, started + (deadline - started) * LNS_SHARE, seed)
            _polish(ix, outcome, deadline, seed)
    if outcome.status == "infeasible" and not outcome.explanation:
        outcome.explanation = _explain_core(ix, max(deadline - time.monotonic(), 2.0), seed)
    teams = tuple(
        TeamPlan(
            leader=problem.cadres[leader].id,
            members=tuple(problem.cadres[c].id for c in [leader, *sorted(set(members) - {leader})]),
            targets=tuple(problem.targets[g].id for g in group),
        )
        for group, (leader, members) in zip(outcome.groups, outcome.staff, strict=True)
    )
    objective = ix.objective(outcome.groups) if teams else None
    status = outcome.status
    if status == "feasible" and objective == outcome.bound:
        status = "optimal"
    seconds = round(time.monotonic() - started, 3)
    return RoundPlan(
        status,
        objective,
        outcome.bound,
        seconds,
        teams,
        tuple(outcome.explanation),
        _record(method, seed, time_limit_s),
    )


@dataclass
class _Outcome:
    status: str  # "feasible" (optimal when its objective meets the bound), "unknown", "infeasible"
    groups: list[tuple[int, ...]] = field(default_factory=list)
    staff: list[tuple[int, list[int]]] = field(default_factory=list)
    bound: int | None = None
    explanation: list[str] = field(default_factory=list)


def _by_columns(ix: _Index, deadline: float, reserve: float, seed: int) -> _Outcome:
    """Best partition, then staffing; the staffing failures cut the partition search."""
    columns = _columns(ix)
    cuts: list[_Cut] = []
    memo: dict[tuple[int, int], tuple[str, list[tuple[int, ...]]]] = {}
    for _ in range(STAFFING_ROUNDS):
        part = _partition(ix, columns, cuts, memo, deadline - reserve, seed)
        if part.groups is None:
            return _Outcome("infeasible" if part.proven else "unknown", bound=part.bound)
        groups = sorted(g for g in part.groups if g) + [g for g in part.groups if not g]
        found, staff, core = _staff(ix, groups, max(deadline, time.monotonic() + 0.5), seed)
        if found != "infeasible":
            status = "feasible" if found == "ok" else "unknown"
            return _Outcome(status, groups if staff else [], staff, part.bound)
        # These teams cannot all be staffed, and neither can any teams that inspect supersets of
        # their `reason` target sets, whatever the other teams do (another team is never easier
        # to staff than an empty one). So no plan may hold them all.
        reason = _reason(ix, [groups[t] for t in core], deadline, seed)
        if not reason:
            return _Outcome("infeasible")
        if all(len(r) == 1 for r in reason):
            cuts.append(_Cut(apart=frozenset(r[0] for r in reason)))
        elif len(reason) == 1:
            cuts.append(_Cut(within=frozenset(reason[0])))
            columns = [c for c in columns if not cuts[-1].broken_by([c.targets])]
        else:
            cuts.append(_Cut(together=tuple(groups[t] for t in core if groups[t])))
    # Teams keep competing for the same few cadres: the joint model handles that better.
    return _Outcome("thrashing", bound=part.bound)


def _by_start(ix: _Index, deadline: float, seed: int) -> _Outcome:
    """A partition from `planner.round_start` (the township plan, which meets the bound when the
    workloads allow it, else a greedy plan improved by local search), then staffing."""
    start = township(ix, seconds=min(10.0, (deadline - time.monotonic()) / 5), seed=seed)
    lower, groups = start.bound, start.plan
    if groups is None or ix.objective(groups) > lower or not all(map(ix.may_staff_group, groups)):
        first = groups or greedy_plan(ix)
        if first is None:
            return _Outcome("thrashing", bound=lower)
        # Half the time at most for the annealing (its moves take about 10 s for a city's round
        # on a quiet machine): cut short, it leaves plans the neighbourhood search does not
        # make up for (round-city: 93–94 at a fifth of 60 s under load, 92 with its moves done).
        search_deadline = time.monotonic() + (deadline - time.monotonic()) / 2
        moves = min(MOVES_PER_TARGET * ix.n, MOST_MOVES)
        groups = improve(ix, first, moves=moves, deadline=search_deadline, seed=seed)
    groups = sorted(g for g in map(sorted, groups) if g) + [[] for g in groups if not g]
    found, staff, _ = _staff_large(ix, groups, max(deadline, time.monotonic() + 1), seed)
    if found != "ok":
        # These teams cannot all be staffed at once: the compact model, started from them.
        return _Outcome("thrashing", [tuple(g) for g in groups], bound=lower)
    return _Outcome("feasible", [tuple(g) for g in groups], staff, lower)


def _neighbourhoods(ix: _Index, outcome: _Outcome, deadline: float, seed: int) -> None:
    """`planner.round_lns.search` from `outcome`'s plan; its best partition replaces the plan
    when it is better and CP-SAT staffs it (else the staffed start stays)."""
    found = search(ix, outcome.groups, deadline=deadline, seed=seed, bound=outcome.bound or 0)
    if found.objective >= ix.objective(outcome.groups):
        return
    groups = sorted(g for g in map(sorted, found.groups) if g) + [[] for g in found.groups if not g]
    done, staff, _ = _staff_large(ix, groups, time.monotonic() + STAFFING_S, seed)
    if done == "ok":
        outcome.groups, outcome.staff = [tuple(g) for g in groups], staff


def _polish(ix: _Index, outcome: _Outcome, deadline: float, seed: int) -> None:
    """The compact model with `outcome`'s plan as its hint: a better plan or bound, if found."""
    if deadline - time.monotonic() < 1:
        return
    found = _by_joint_model(ix, deadline, seed, outcome.bound or 0, outcome.groups, outcome.staff)
    if found.status == "feasible" and ix.objective(found.groups) < ix.objective(outcome.groups):
        outcome.groups, outcome.staff = found.groups, found.staff
    outcome.bound = max(outcome.bound or 0, found.bound or 0)


def _by_joint_model(
    ix: _Index,
    deadline: float,
    seed: int,
    lower: int,
    hint: Sequence[Sequence[int]] = (),
    staff: Sequence[tuple[int, Sequence[int]]] = (),
) -> _Outcome:
    from ortools.sat.python import cp_model

    model, _, read = _joint_model(ix, optimise=True, lower=lower, hint=hint, staff=staff)
    solver = _cp_solver(deadline - time.monotonic(), seed)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:  # `lower` is a valid bound, so no plan exists at all
        return _Outcome("infeasible")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Outcome("unknown", bound=lower or None)
    groups, staff = read(solver)
    order = sorted(range(len(groups)), key=lambda t: (not groups[t], groups[t]))
    bound = max(lower, math.ceil(solver.best_objective_bound - 1e-6))
    return _Outcome("feasible", [groups[t] for t in order], [staff[t] for t in order], bound)


solve_round = solve


def _column_count(ix: _Index) -> int:
    return sum(math.comb(ix.n, k) for k in range(1, min(ix.p.targets_per_team, ix.n) + 1))


def _record(method: str, seed: int, time_limit_s: float) -> tuple[tuple[str, str], ...]:
    from importlib.metadata import version

    return (
        ("method", method),
        ("ortools", version("ortools")),
        ("highspy", version("highspy")),
        ("seed", str(seed)),
        ("time_limit_s", f"{time_limit_s:g}"),
        ("cp_sat_parameters", f"num_workers=1 random_seed={seed}"),
        ("highs_options", f"threads=1 mip_rel_gap=0 presolve=off random_seed={seed}"),
    )


def _explain_core(ix: _Index, seconds: float, seed: int) -> list[str]:
    """The constraint families that clash, from a CP-SAT core over their assumption literals."""
    deadline = time.monotonic() + seconds
    model, families, _ = _joint_model(ix, optimise=False)
    lits = [model.get_bool_var_from_proto_index(i) for i in families]
    core = _assume(model, lits, list(range(len(lits))), deadline, seed)[2]
    if core is None:
        return ["规则之间存在冲突，但在时限内未能找出具体是哪几条约束；请延长时限后重试"]
    from planner.check import clash_reasons

    core = _shrink(model, lits, core, deadline, seed)
    return clash_reasons(ix.p, [families[lits[i].index] for i in core])
