"""Round and term problems of the office's real sizes, each solved in a fresh process.

``python -m bench.cases NAME`` builds one case, solves it, checks the plan and prints one JSON line.
A fresh process per case makes the peak memory that case's own: it is the kernel's high-water mark
of the process's resident set (``VmHWM`` in /proc/self/status) read at the end. Not
``getrusage(...).ru_maxrss``: a process started from a big parent inherits the parent's peak in
``ru_maxrss`` across exec (measured here: a child of an 800 MB parent reports 800 MB), so the
benchmark's own size would leak into every row. ``baseline_mb`` is the same mark right after the
imports, before the case is built: what the interpreter and the solver libraries alone take.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.terms import VILLAGE_SECTORS, term_naive, term_problem
from planner.term import TermProblem, solve_term, term_objective, term_violations

ROOT = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


@dataclass(frozen=True)
class TermCase:
    label: str
    build: Callable[[], TermProblem]
    method: str = "auto"
    time_limit_s: float = 60.0


@dataclass(frozen=True)
class RoundCase:
    label: str
    teams: int
    per_team: int
    cadres: int
    conflict_pairs: int
    time_limit_s: float = 60.0
    # "round": planner.generate.round_problem; "villages": planner.generate.village_round (a
    # county's village round, its conflicts drawn from ties to townships and villages).
    generator: str = "round"
    # "engine": planner.round.solve; "plain": the compact CP-SAT model of the format as it comes
    # (no bound, no start, no decomposition) with 2 workers - what the engine adds.
    method: str = "engine"


def _villages(limit: int | None, targets: int = 600_000) -> Callable[[], TermProblem]:
    def build() -> TermProblem:
        return term_problem(
            5,
            targets,
            10,
            sectors=VILLAGE_SECTORS,
            max_sectors_per_round=limit,
            special_round=False,
            name=f"村（社区）巡察 {targets}",
        )

    return build


TERM_CASES: dict[str, TermCase] = {
    "term-province": TermCase(
        "province: 350 targets, 10 rounds, ≤3 sectors a round",
        lambda: term_problem(1, 350, 10, max_sectors_per_round=3, name="省委巡视 350"),
    ),
    "term-province-2": TermCase(
        "province: 350 targets, 10 rounds, ≤2 sectors a round",
        lambda: term_problem(1, 350, 10, max_sectors_per_round=2, slack=1.12, name="省委巡视 350"),
    ),
    "term-country": TermCase(
        "country, county level: 3,000 targets, 10 rounds, ≤3 sectors a round",
        lambda: term_problem(2, 3000, 10, max_sectors_per_round=3, name="全国县级 3000"),
    ),
    "term-country-free": TermCase(
        "country, county level: 3,000 targets, 10 rounds, no sector limit",
        lambda: term_problem(2, 3000, 10, max_sectors_per_round=None, name="全国县级 3000"),
    ),
    "term-villages": TermCase(
        "villages: 600,000 targets, 10 rounds, no sector limit", _villages(None)
    ),
    "term-villages-mip": TermCase(
        "villages: the same 600,000, by the MIP", _villages(None), method="mip"
    ),
    "term-villages-2": TermCase(
        "villages: 600,000 targets, 10 rounds, ≤2 sectors a round", _villages(2)
    ),
    "term-villages-60k": TermCase(
        "villages: 60,000 targets, 10 rounds, no sector limit", _villages(None, 60_000)
    ),
}

# The engine's cases; each also runs as the plain CP-SAT baseline (`NAME-plain`, below), so that
# one run of the section shows the engine against the solver it wraps, case by case.
ENGINE_CASES: dict[str, RoundCase] = {
    "round-seed": RoundCase(
        "seed size: 13 teams × 3, 600 cadres, 2,000 avoidance pairs", 13, 3, 600, 2000
    ),
    "round-20x4": RoundCase(
        "between seed and city: 20 teams × 4, 1,100 cadres, 3,500 avoidance pairs",
        20,
        4,
        1100,
        3500,
    ),
    "round-25x5": RoundCase(
        "between seed and city: 25 teams × 5, 1,600 cadres, 5,000 avoidance pairs",
        25,
        5,
        1600,
        5000,
    ),
    "round-city": RoundCase(
        "city size: 30 teams × 5, 2,000 cadres, 6,000 avoidance pairs", 30, 5, 2000, 6000
    ),
    "round-villages-25": RoundCase(
        "a county's villages: 8 teams × 25 (200 villages by township), 160 cadres",
        8,
        25,
        160,
        0,
        generator="villages",
    ),
    "round-villages-40": RoundCase(
        "a county's villages: 8 teams × 40 (320 villages by township), 160 cadres",
        8,
        40,
        160,
        0,
        generator="villages",
    ),
}


def _with_plain(engine: dict[str, RoundCase]) -> dict[str, RoundCase]:
    out: dict[str, RoundCase] = {}
    for name, case in engine.items():
        out[name] = case
        out[f"{name}-plain"] = replace(
            case,
            label="the same, the plain compact CP-SAT model of the format, 2 workers",
            method="plain",
        )
    return out


ROUND_CASES: dict[str, RoundCase] = _with_plain(ENGINE_CASES)
# The large rounds of issue 13: within 2 % of the best plan found in 10 minutes, in 60 s.
LARGE_ROUNDS = ("round-20x4", "round-25x5", "round-city", "round-villages-25")
REFERENCES = ROOT / "bench" / "round_reference.csv"


def round_references() -> dict[str, dict[str, Any]]:
    """The best plan any method found in 10 minutes for each round case (one run each, by
    ``python -m bench.cases NAME 600``): case → objective, bound, method, command, date, load."""
    if not REFERENCES.exists():
        return {}
    with REFERENCES.open(encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    out: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(rows):
        out[row["case"]] = {
            **row,
            "objective": int(row["objective"]),
            "bound": int(row["bound"]) if row["bound"] else None,
        }
    return out


def _term(case: TermCase) -> dict[str, Any]:
    began = time.perf_counter()
    problem = case.build()
    built = time.perf_counter() - began
    plan = solve_term(problem, time_limit_s=case.time_limit_s, seed=0, method=case.method)  # type: ignore[arg-type]
    rounds = dict(plan.rounds)
    broken = term_violations(problem, rounds) if plan.objective is not None else []
    checked = _check(problem, plan)
    naive_began = time.perf_counter()
    naive, left = term_naive(problem)
    naive_seconds = time.perf_counter() - naive_began
    return {
        "kind": "term",
        "targets": len(problem.targets),
        "rounds": len(problem.rounds),
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 2),
        "build_seconds": round(built, 2),
        "method": dict(plan.solver).get("method"),
        "classes": dict(plan.solver).get("classes"),
        "broken": len(broken),
        "check": checked,
        "explanation": list(plan.explanation),
        "naive_objective": term_objective(problem, naive),
        "naive_unplaced": len(left),
        "naive_broken": len(term_violations(problem, naive)),
        "naive_seconds": round(naive_seconds, 2),
    }


def _check(problem: Any, plan: Any) -> str:
    """planner.check's verdict when that module is there (another engineer writes it)."""
    try:
        from planner.check import check_plan
    except ImportError:
        return "not available"
    if plan.status not in ("optimal", "feasible"):
        return "no plan"
    found = check_plan(problem, plan)
    return "ok" if not found else f"{len(found)} violations"


def _round(case: RoundCase) -> dict[str, Any]:
    try:
        from planner import generate
        from planner import round as round_module
    except ImportError as missing:
        return {"kind": "round", "status": "not run", "why": f"not importable yet: {missing}"}
    solve = getattr(round_module, "solve_round", None) or getattr(round_module, "solve", None)
    if solve is None:
        return {"kind": "round", "status": "not run", "why": "planner.round has no solver yet"}
    began = time.perf_counter()
    if case.generator == "villages":
        problem = generate.village_round(
            1, teams=case.teams, per_team=case.per_team, cadres=case.cadres
        )
    else:
        problem = generate.round_problem(
            1,
            teams=case.teams,
            per_team=case.per_team,
            cadres=case.cadres,
            conflict_pairs=case.conflict_pairs,
        )
    built = time.perf_counter() - began
    if case.method == "plain":
        plan = _plain_round(problem, case.time_limit_s)
    else:
        plan = solve(problem, time_limit_s=case.time_limit_s, seed=0)
    return {
        "kind": "round",
        "targets": len(problem.targets),
        "conflicts": len(problem.conflicts),
        "regions": len({t.region for t in problem.targets}),
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 2),
        "build_seconds": round(built, 2),
        "method": dict(plan.solver).get("method"),
        "check": _check(problem, plan),
        "explanation": list(plan.explanation),
    }


def _plain_round(problem: Any, time_limit_s: float) -> Any:
    """The compact CP-SAT model of all seven constraints and the objective, as the format states
    them, given to CP-SAT with 2 workers: no bound, no start, no decomposition."""
    from ortools.sat.python import cp_model

    from planner.round import RoundPlan, TeamPlan
    from planner.round_models import _Index, _joint_model

    began = time.perf_counter()
    ix = _Index.of(problem)
    model, _, read = _joint_model(ix, optimise=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = max(time_limit_s - (time.perf_counter() - began), 1)
    status = solver.solve(model)
    seconds = round(time.perf_counter() - began, 3)
    method = (("method", "plain compact CP-SAT model, 2 workers"),)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RoundPlan("unknown", None, None, seconds, solver=method)
    groups, staff = read(solver)
    teams = tuple(
        TeamPlan(
            problem.cadres[leader].id,
            tuple(problem.cadres[c].id for c in [leader, *sorted(set(members) - {leader})]),
            tuple(problem.targets[g].id for g in group),
        )
        for group, (leader, members) in zip(groups, staff, strict=True)
    )
    objective, bound = ix.objective(groups), math.ceil(solver.best_objective_bound - 1e-6)
    status_name = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return RoundPlan(status_name, objective, bound, seconds, teams, solver=method)


def run_case(name: str, *, timeout_s: float = 900.0) -> dict[str, Any]:
    """The case in a fresh interpreter; its JSON line, with the wall time seen from here."""
    began = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.cases", name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"case": name, "status": "timeout", "wall_seconds": timeout_s}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"case": name, "status": "error", "why": done.stderr.strip()[-2000:]}
    row: dict[str, Any] = json.loads(lines[-1])
    row["wall_seconds"] = round(time.perf_counter() - began, 2)
    return row


def label(name: str) -> str:
    return TERM_CASES[name].label if name in TERM_CASES else ROUND_CASES[name].label


def main(name: str, seconds: float | None = None) -> None:
    """One case; `seconds` replaces its time limit (the 10-minute reference runs of the round
    cases: ``python -m bench.cases round-city-plain 600``)."""
    baseline = peak_mb()
    if name in TERM_CASES:
        row = _term(TERM_CASES[name])
    else:
        case = ROUND_CASES[name]
        row = _round(case if seconds is None else replace(case, time_limit_s=seconds))
    row.update(case=name, label=label(name), peak_mb=peak_mb(), baseline_mb=baseline)
    if seconds is not None:
        row["time_limit_s"] = seconds
    print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else None)
