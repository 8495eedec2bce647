"""BENCHMARKS.md from the cached rows: tables, the issue's targets checked, and what is missing.

``Report`` renders the header (the machine, how to read the tables), sections 1-3 through
``bench.gap_sections.GapSections``, section 4 (round and term problems of the office's sizes) and
section 5 (the issue's targets, checked against the tables).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy
import ortools

from bench import cases
from bench.gap_sections import NAMES, GapSections, Jobs, pct, proven_optimal, table
from planner.gap import highs_version

__all__ = ["Jobs", "Report"]


def _machine() -> list[tuple[str, str]]:
    cpu = "?"
    memory = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    return [
        ("nproc (cores this process may use)", str(len(os.sched_getaffinity(0)))),
        ("CPU", cpu),
        ("memory", memory),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("OR-Tools", getattr(ortools, "__version__", "?")),
        ("highspy / HiGHS", f"{version('highspy')} / {highs_version()}"),
        ("numpy", numpy.__version__),
    ]


@dataclass
class Report(GapSections):
    mode: str
    command: str
    argv: list[str]
    jobs: Jobs
    rows: dict[str, dict[str, Any]]
    estimate_s: float
    load: list[tuple[str, float]] = field(default_factory=list)

    def write(self, path: Path, *, elapsed_s: float) -> None:
        text = "\n".join(self.render(elapsed_s)) + "\n"
        path.write_text(text, encoding="utf-8")

    def render(self, elapsed_s: float) -> list[str]:
        total_jobs = sum(len(v) for v in self.jobs.values())
        done = sum(self._done(s)[0] for s in self.jobs)
        out = [
            "# Benchmarks of the planning engine",
            "",
            f"Produced by `{self.command}` (`.venv/bin/python -m bench.run`; see bench/README.md); "
            f"last invocation `{' '.join(self.argv)}` "
            f"on {time.strftime('%Y-%m-%d %H:%M')}, {self.mode} run: {done} of {total_jobs} "
            f"runs done, taking {self._wall_min():.0f} min in all ({elapsed_s / 60:.0f} min in "
            "the last invocation; a section can be run again alone). Results are cached in "
            f"var/bench/{self.mode}.json; running the command again resumes a partial run.",
            "",
            "## Machine",
            "",
            *table(("what", "value"), _machine()),
            "Load average (1 min) at the start and after each section of the last invocation: "
            + (", ".join(f"{name} {value:.2f}" for name, value in self.load) or "–")
            + " (the benchmark itself keeps one or two cores busy; well above 2 means something "
            "else shared the machine and the times are pessimistic). " + self._shared(),
            "",
            "How to read: every GAP run is one process-local solve, one at a time, seed 0. "
            "HiGHS runs single-threaded with a zero gap tolerance; CP-SAT with 2 workers (all "
            "this machine has; CP-SAT is built for 8+). A run's time includes the LP, the start "
            "and building the model. **✓** = proven optimal by that run (its bound equals its "
            "plan). % = (plan − best known) / best known; the best known values are "
            "shared/bench/gap/KNOWN.csv (for the few still-open instances: the best known plan, "
            "with the best known bound in brackets). The 10 s and 60 s columns are separate runs.",
            "",
        ]
        out += self._small()
        out += self._large()
        out += self._plain()
        out += self._cases()
        out += self._targets()
        return out

    def _wall_min(self) -> float:
        return sum(float(r.get("wall_s", 0.0)) for r in self.rows.values()) / 60

    def _shared(self) -> str:
        loads = [r["load"] for r in self.rows.values() if "load" in r]
        if not loads:
            return ""
        busy = sum(1 for x in loads if x > 2.5)
        return (
            f"{busy} of {len(loads)} runs ended with a load above 2.5 (other work on the "
            f"machine); the highest was {max(loads):.1f}."
        )

    # -- c. round and term problems --------------------------------------------------------

    def _cases(self) -> list[str]:
        done, total = self._done("cases")
        out = [
            "## 4. Round and term problems of the office's sizes",
            "",
            f"Runs: {done} of {total}. Each case runs in a fresh process (bench/cases.py). "
            "**Peak memory** is that process's resident-set high-water mark (`VmHWM` of "
            "/proc/self/status) at the end, the solver libraries included; in brackets the same "
            "mark right after the imports. Not `getrusage(RUSAGE_CHILDREN).ru_maxrss`: on Linux a "
            "child inherits its parent's peak in ru_maxrss across exec (measured here: a child of "
            "an 800 MB parent reports 800 MB). *solve s* is the solver's own time (classes, model, "
            "solve, plan); *wall s* adds building the instance and starting Python. *check*: "
            "planner.check's independent verdict on the plan. The naive term baseline puts "
            "targets riskiest first into the earliest round that admits them; *unplaced* are "
            "those it cannot place at all (deadlines, sectors), so its lower sum is not a "
            "comparable plan. Term time limit 60 s; round 60 s.",
            "",
        ]
        body = []
        for key, _, _ in self.jobs["cases"]:
            name = key.split("/", 1)[1]
            r = self.rows.get(key)
            what = cases.label(name)
            if r is None:
                body.append([name, what, "not run yet"] + [""] * 8)
                continue
            if r.get("status") in ("not run", "error", "timeout"):
                why = str(r.get("why", "")).splitlines()[-1:] or [""]
                body.append([name, what, r["status"], why[0][:120]] + [""] * 7)
                continue
            naive = (
                f"{r['naive_objective']}, {r['naive_unplaced']} unplaced"
                if "naive_objective" in r
                else "–"
            )
            body.append(
                [
                    name,
                    what,
                    r.get("method", ""),
                    r["status"],
                    r["objective"],
                    r["bound"],
                    r["seconds"],
                    r.get("wall_seconds", ""),
                    f"{r['peak_mb']:.0f} ({r['baseline_mb']:.0f})",
                    r.get("check", ""),
                    naive,
                ]
            )
        out += table(
            (
                "case",
                "what",
                "method",
                "status",
                "objective",
                "bound",
                "solve s",
                "wall s",
                "peak MB",
                "check",
                "naive baseline",
            ),
            body,
        )
        out += self._rounds_against_references()
        return out

    def _rounds_against_references(self) -> list[str]:
        """Each round case: the engine's plan at 60 s, the plain CP-SAT model's at 60 s, and the
        best plan any method found in 10 minutes (bench/round_reference.csv)."""
        known = cases.round_references()
        body = []
        for name in cases.ENGINE_CASES:
            engine, plain = self.rows.get(f"case/{name}"), self.rows.get(f"case/{name}-plain")
            ref = known.get(name)
            best = ref["objective"] if ref else None
            body.append(
                [
                    name,
                    _plan(engine),
                    _plan(plain),
                    f"{best} ({ref['method']})" if ref else "–",
                    _above(engine, best),
                    _above(plain, best),
                ]
            )
        return [
            "Round cases side by side: the engine and the plain compact CP-SAT model of the "
            "format (2 workers), each 60 s in the run above, against the best plan any method "
            "found in 10 minutes (bench/round_reference.csv, with the command and the load of "
            "each reference run). % = (plan − reference) / reference.",
            "",
            *table(
                (
                    "case",
                    "engine 60 s (bound)",
                    "plain CP-SAT 60 s (bound)",
                    "best in 10 min",
                    "engine % above",
                    "plain % above",
                ),
                body,
            ),
        ]

    # -- the targets ---------------------------------------------------------------

    def _targets(self) -> list[str]:
        out = ["## 5. The issue's targets, checked against the tables above", ""]
        body: list[list[str]] = []
        small = [r for r in self._small_rows() if r["solver"] == "highs"]
        if small:
            seconds = sum(r["seconds"] for r in small)
            ok = all(proven_optimal(r) for r in small) and len(small) == 120 and seconds < 10
            body.append(
                [
                    "gap1–12 all optimal (both senses) in under 10 s in total",
                    _yes(ok),
                    f"LP + Lagrangian B&B (solver highs): "
                    f"{sum(1 for r in small if proven_optimal(r))}/{len(small)} proven "
                    f"in {seconds:.1f} s (each run's wall clock summed)",
                ]
            )
        for solver in ("highs", "cpsat"):
            chu = [
                r
                for f, b in self._large_keys()
                if f.startswith("gap") and (r := self._run(f, b, solver, 10))
            ]
            if chu:
                within = [r for r in chu if r["percent"] is not None and r["percent"] <= 0.1]
                worst = max(chu, key=lambda r: r["percent"] if r["percent"] is not None else 1e9)
                body.append(
                    [
                        f"gapa–gapd within 0.1 % at 10 s ({NAMES[solver]})",
                        _yes(len(within) == len(chu) == 24),
                        f"{len(within)}/{len(chu)} within; worst {worst['name']} "
                        f"{pct(worst['percent'])}",
                    ]
                )
            yag = [
                r
                for f, b in self._large_keys()
                if f.startswith("yagiura") and (r := self._run(f, b, solver, 60))
            ]
            if yag:
                pcts = [r["percent"] if r["percent"] is not None else 100.0 for r in yag]
                mean, worst_pct = statistics.mean(pcts), max(pcts)
                body.append(
                    [
                        f"Yagiura C/D/E within 1 % on average at 60 s ({NAMES[solver]})",
                        _yes(mean <= 1 and len(yag) == 33),
                        f"mean {mean:+.3f} % over {len(yag)} of 33",
                    ]
                )
                body.append(
                    [
                        f"no Yagiura instance worse than 2 % at 60 s ({NAMES[solver]})",
                        _yes(worst_pct <= 2 and len(yag) == 33),
                        f"worst {worst_pct:+.3f} %",
                    ]
                )
        seed = self.rows.get("case/round-seed")
        if seed and seed.get("seconds") is not None:
            body.append(
                [
                    "the seed-size round proven optimal in under 10 s",
                    _yes(seed["status"] == "optimal" and seed["seconds"] < 10),
                    f"{seed['status']} in {seed['seconds']} s",
                ]
            )
        for name, size in (("round-villages-25", "8 × 25"), ("round-villages-40", "8 × 40")):
            county = self.rows.get(f"case/{name}")
            if county and county.get("seconds") is not None:
                body.append(
                    [
                        f"a county's village round ({size} villages) proven optimal in 60 s",
                        _yes(county["status"] == "optimal" and county["seconds"] < 60),
                        f"{county['status']}, {county['objective']} / bound {county['bound']} "
                        f"in {county['seconds']} s",
                    ]
                )
        known = cases.round_references()
        for name in cases.LARGE_ROUNDS:
            engine, plain = self.rows.get(f"case/{name}"), self.rows.get(f"case/{name}-plain")
            ref = known.get(name)
            if engine and engine.get("objective") is not None and ref:
                gap = 100 * (engine["objective"] - ref["objective"]) / ref["objective"]
                body.append(
                    [
                        f"{name}: within 2 % of the best plan found in 10 minutes, in 60 s",
                        _yes(gap <= 2 and engine["seconds"] <= 61),
                        f"{engine['objective']} / bound {engine['bound']} against "
                        f"{ref['objective']}: {gap:+.1f} %",
                    ]
                )
            if engine and plain and engine.get("objective") is not None:
                worse = (
                    plain.get("objective") is not None and plain["objective"] < engine["objective"]
                )
                body.append(
                    [
                        f"{name}: never worse than the plain CP-SAT model in the same 60 s",
                        _yes(not worse),
                        f"engine {engine['objective']}, plain {plain.get('objective')}",
                    ]
                )
        village = self.rows.get("case/term-villages")
        if village and village.get("seconds") is not None:
            body.append(
                [
                    "the country's village term problem optimal in under 60 s and 4 GB",
                    _yes(
                        village["status"] == "optimal"
                        and village["wall_seconds"] < 60
                        and village["peak_mb"] < 4096
                    ),
                    f"{village['status']}, {village['wall_seconds']} s wall, "
                    f"{village['peak_mb']:.0f} MB",
                ]
            )
        country = self.rows.get("case/term-country")
        if country and country.get("seconds") is not None:
            body.append(
                [
                    "the country term problem (3,000 targets) proven in ≤ 10 s wall",
                    _yes(country["status"] == "optimal" and country["wall_seconds"] <= 10),
                    f"{country['status']}, {country['objective']} / bound {country['bound']}, "
                    f"{country['wall_seconds']} s wall",
                ]
            )
        out += table(("target", "met", "measured"), body)
        out += [
            "Where the engine falls short, read from the tables: the Chu & Beasley D instances "
            "(costs inversely correlated with loads, tight capacities) are up to 0.6–0.7 % above "
            "the best known values at 10 s with both solvers (1.3–1.4 % before the exchange "
            "search), so the 0.1 % target for gapa–gapd is missed there. gap1–12 are proven by "
            "the Lagrangian branch and bound of planner/gap_exact.py (HiGHS's branch and bound "
            "took about 30 s for them). On mid-size instances that the plain model proves "
            "quickly (c10200 "
            "in section 3) the 40 % spent on the core start can cost the proof within 10 s; on "
            "large ones the start is what keeps the plan within 1 % (the plain model is 2–3× off "
            "on 80 × 1,600). Term plans with a binding sector limit (板块 per round) are a real "
            "MIP and take seconds rather than milliseconds (section 4). The round rows measure "
            "planner.round, which another part of the engine provides.",
            "",
        ]
        return out


def _plan(row: dict[str, Any] | None) -> str:
    if not row or row.get("objective") is None:
        return "–" if not row else str(row.get("status"))
    return f"{row['objective']} ({row['bound']})"


def _above(row: dict[str, Any] | None, best: int | None) -> str:
    if not row or row.get("objective") is None or not best:
        return "–"
    return f"{100 * (row['objective'] - best) / best:+.1f} %"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"
