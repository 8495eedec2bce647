"""`make bench`: run the planner's benchmark and write BENCHMARKS.md.

    .venv/bin/python -m bench.run            # everything (about 90 minutes on 2 cores)
    BENCH_QUICK=1 .venv/bin/python -m bench.run   # a subset in about 4 minutes
    .venv/bin/python -m bench.run --only cases    # one section (small, greedy, cases, large10,
                                                  # plain, large60), the others from the cache

Every result is cached in var/bench/<mode>.json as soon as it exists, so an interrupted run
resumes where it stopped (``--fresh`` starts over, ``--redo cases`` runs a section again), and
BENCHMARKS.md is rewritten after each section from whatever the cache holds, saying what is
missing. Each row keeps the 1-minute load average at its end, to show when the machine was shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench import cases, gapbench
from bench.report import Jobs, Report

ROOT = Path(__file__).resolve().parents[1]

# A representative subset for the quick run and for the plain-model baseline: one instance of
# each kind that is easy, one that is hard, and the biggest of each type.
QUICK_LARGE = (
    ("gapa.txt", 6),
    ("gapb.txt", 4),
    ("gapc.txt", 4),
    ("gapd.txt", 3),
    ("yagiura/e10200", 1),
    ("yagiura/d201600", 1),
    ("yagiura/e801600", 1),
)
PLAIN = (
    ("gapc.txt", 4),
    ("gapd.txt", 3),
    ("gapd.txt", 6),
    ("yagiura/e10200", 1),
    ("yagiura/d20400", 1),
    ("yagiura/e40400", 1),
    ("yagiura/d201600", 1),
    ("yagiura/c801600", 1),
    ("yagiura/d801600", 1),
    ("yagiura/e801600", 1),
)
SOLVERS: tuple[gapbench.Solver, ...] = ("highs", "cpsat")
SECTIONS = ("small", "greedy", "cases", "large10", "plain", "large60")


class Cache:
    def __init__(self, path: Path, *, fresh: bool) -> None:
        self.path = path
        self.rows: dict[str, dict[str, Any]] = {}
        if path.exists() and not fresh:
            self.rows = json.loads(path.read_text(encoding="utf-8"))

    def get(self, key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if key not in self.rows:
            began = time.perf_counter()
            row = compute()
            row["wall_s"] = round(time.perf_counter() - began, 2)
            row["load"] = round(os.getloadavg()[0], 2)
            self.rows[key] = row
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.rows, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(self.path)
        return self.rows[key]


def large_instances(quick: bool) -> list[tuple[str, int]]:
    if quick:
        return list(QUICK_LARGE)
    return [
        (file, block) for file, block, _ in gapbench.each(gapbench.CHU_BEASLEY + gapbench.YAGIURA)
    ]


def case_names(quick: bool) -> list[str]:
    if quick:
        return ["term-province", "term-country-free", "term-villages-60k", "round-seed"]
    return [*cases.TERM_CASES, *cases.ROUND_CASES]


def plan_jobs(quick: bool) -> Jobs:
    """Each section's jobs: cache key, the run, and its worst-case seconds (for the estimate)."""
    jobs: Jobs = {s: [] for s in SECTIONS}
    senses: tuple[gapbench.Sense, ...] = ("min", "max")
    for file, block, _ in gapbench.each(gapbench.SMALL_FILES):
        for sense in senses:
            for solver in SOLVERS:
                jobs["small"].append(
                    (
                        f"small/{file}/{block}/{sense}/{solver}",
                        _exact(file, block, sense, solver, 60.0),
                        60.0,
                    )
                )
    large = large_instances(quick)
    for file, block in large:
        jobs["greedy"].append((f"greedy/{file}/{block}", _greedy(file, block), 4.0))
    for name in case_names(quick):
        jobs["cases"].append((f"case/{name}", _case(name), 120.0))
    for limit, section in ((10.0, "large10"), (60.0, "large60")):
        if quick and limit > 10:
            continue
        for file, block in large:
            for solver in SOLVERS:
                jobs[section].append(
                    (
                        f"large/{file}/{block}/{solver}/{limit:g}",
                        _exact(file, block, "min", solver, limit),
                        limit + 3,
                    )
                )
    for file, block in PLAIN[-1:] if quick else PLAIN:
        for solver in SOLVERS:
            jobs["plain"].append(
                (
                    f"plain/{file}/{block}/{solver}/10",
                    _exact(file, block, "min", solver, 10.0, start="none"),
                    13.0,
                )
            )
    return jobs


def _exact(
    file: str,
    block: int,
    sense: gapbench.Sense,
    solver: gapbench.Solver,
    limit: float,
    *,
    start: str = "lp",
) -> Callable[[], dict[str, Any]]:
    return lambda: gapbench.run_exact(file, block, sense, solver, time_limit_s=limit, start=start)


def _case(name: str) -> Callable[[], dict[str, Any]]:
    return lambda: cases.run_case(name)


def _greedy(file: str, block: int) -> Callable[[], dict[str, Any]]:
    return lambda: gapbench.run_greedy(file, block, "min")


def _log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1"
    )
    parser.add_argument("--only", default="", help="comma-separated sections to run")
    parser.add_argument("--fresh", action="store_true", help="ignore the cache")
    parser.add_argument("--redo", default="", help="comma-separated sections to run again")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args(list(argv) if argv is not None else None)
    mode = "quick" if args.quick else "full"
    cache = Cache(ROOT / "var" / "bench" / f"{mode}.json", fresh=args.fresh)
    jobs = plan_jobs(args.quick)
    for section in filter(None, args.redo.split(",")):
        for key, _, _ in jobs[section]:
            cache.rows.pop(key, None)
    chosen = [s for s in SECTIONS if not args.only or s in args.only.split(",")]
    todo = [(s, job) for s in chosen for job in jobs[s] if job[0] not in cache.rows]
    worst = sum(job[2] for _, job in todo)
    likely = sum(min(job[2], 1.0) if s == "small" else 0.8 * job[2] for s, job in todo)
    _log(
        f"{mode} run: {len(todo)} of {sum(len(v) for v in jobs.values())} jobs to run; "
        f"likely about {likely / 60:.0f} min, at most {worst / 60:.0f} min"
    )
    command = "BENCH_QUICK=1 make bench" if args.quick else "make bench"
    report = Report(
        mode=mode,
        command=command,
        argv=[Path(sys.executable).name, "-m", "bench.run", *(argv or sys.argv[1:])],
        jobs=jobs,
        rows=cache.rows,
        estimate_s=sum(job[2] for v in jobs.values() for job in v),
    )
    began = time.perf_counter()
    report.load.append(("start", os.getloadavg()[0]))
    for section in chosen:
        for key, run, _ in jobs[section]:
            if key not in cache.rows:
                row = cache.get(key, run)
                _log(f"{key}: {row.get('status')} {row.get('objective')} {row.get('seconds')} s")
        report.load.append((section, os.getloadavg()[0]))
        report.write(Path(args.out), elapsed_s=time.perf_counter() - began)
        _log(f"section {section} done; {args.out} written")
    report.write(Path(args.out), elapsed_s=time.perf_counter() - began)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
