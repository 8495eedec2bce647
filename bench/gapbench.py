"""The GAP part of the benchmark: the literature's instances, what is known about them, and runs.

Instances and known values come from ``shared/bench/gap`` (``GAP_DATA`` overrides the folder).
Every run gives one row (a plain dict, so the runner can cache it as JSON).
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from planner.gap import GapInstance, gap_objective, greedy_gap, improve_gap, read_gap, solve_gap

ROOT = Path(__file__).resolve().parents[1]
SMALL_FILES = tuple(f"gap{k}.txt" for k in range(1, 13))
CHU_BEASLEY = tuple(f"gap{t}.txt" for t in "abcd")
YAGIURA = tuple(
    f"yagiura/{t}{m:02d}{n}"
    for t in "cde"
    for n in (400, 900, 1600)
    for m in {400: (10, 20, 40), 900: (15, 30, 60), 1600: (20, 40, 80)}[n]
) + tuple(f"yagiura/e{m:02d}{n}" for n in (100, 200) for m in (5, 10, 20))
Solver = Literal["highs", "cpsat"]
Sense = Literal["min", "max"]


def data_dir() -> Path:
    return Path(os.environ.get("GAP_DATA", ROOT.parent / "shared" / "bench" / "gap"))


@dataclass(frozen=True)
class Known:
    name: str
    best: int  # best known plan value
    lower: int  # best known bound (min) - equal to best when optimal
    optimal: bool


@cache
def known() -> dict[tuple[str, int, str], Known]:
    """KNOWN.csv by (file, block, sense)."""
    with (data_dir() / "KNOWN.csv").open(encoding="utf-8") as f:
        return {
            (row["file"], int(row["block"]), row["sense"]): Known(
                row["name"],
                int(row["best_value"]),
                int(row["lower_bound_if_min"]),
                row["status"] == "OPT",
            )
            for row in csv.DictReader(f)
        }


@cache
def instances(file: str) -> tuple[GapInstance, ...]:
    return read_gap(data_dir() / file)


def each(files: tuple[str, ...]) -> Iterator[tuple[str, int, GapInstance]]:
    for file in files:
        for block, inst in enumerate(instances(file), start=1):
            yield file, block, inst


def percent(value: int | None, best: int) -> float | None:
    return None if value is None else round(100.0 * (value - best) / best, 3)


def run_exact(
    file: str, block: int, sense: Sense, solver: Solver, *, time_limit_s: float, start: str = "lp"
) -> dict[str, Any]:
    """One solve, with what it had at 10 s and at the end."""
    inst = instances(file)[block - 1]
    result = solve_gap(
        inst,
        sense=sense,
        solver=solver,
        time_limit_s=time_limit_s,
        seed=0,
        start=start,  # type: ignore[arg-type]
    )
    k = known()[file, block, sense]
    return {
        "file": file,
        "block": block,
        "name": inst.name,
        "size": f"{inst.agents}x{inst.jobs}",
        "sense": sense,
        "solver": solver,
        "start": start,
        "limit": time_limit_s,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(result.seconds, 2),
        "known": k.best,
        "known_lower": k.lower,
        "known_optimal": k.optimal,
        "percent": percent(result.objective, k.best),
        "engine": result.solver,
    }


def run_greedy(file: str, block: int, sense: Sense) -> dict[str, Any]:
    """The baseline: the regret greedy, then shift and swap moves (at most 1 s)."""
    inst = instances(file)[block - 1]
    began = time.perf_counter()
    plan = greedy_gap(inst, sense=sense)
    greedy_value = None if plan is None else gap_objective(inst, plan)
    improved = None if plan is None else improve_gap(inst, plan, sense=sense, seconds=1.0)
    value = None if improved is None else gap_objective(inst, improved)
    k = known()[file, block, sense]
    return {
        "file": file,
        "block": block,
        "name": inst.name,
        "size": f"{inst.agents}x{inst.jobs}",
        "sense": sense,
        "greedy": greedy_value,
        "greedy_percent": percent(greedy_value, k.best),
        "objective": value,
        "percent": percent(value, k.best),
        "seconds": round(time.perf_counter() - began, 2),
        "known": k.best,
    }
