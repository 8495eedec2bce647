"""Sections 1-3 of BENCHMARKS.md, the GAP benchmark's tables, from the cached rows.

``GapSections`` renders them for ``bench.report.Report``, which mixes it in and holds what it
reads: ``jobs`` (each section's cache keys, runs and worst-case seconds) and ``rows`` (the cached
results by key). Section 1 counts the proven optima of gap1-gap12, section 2 compares the engine
at 10 s and 60 s with the greedy baseline on gapa-gapd and Yagiura's instances, and section 3 the
plain compact model with the engine. ``table``, ``pct`` and ``proven_optimal`` are the helpers
the report's other sections share.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bench import gapbench

__all__ = ["GROUPS", "NAMES", "RUNS", "GapSections", "Jobs", "pct", "proven_optimal", "table"]

Jobs = dict[str, list[tuple[str, Callable[[], dict[str, Any]], float]]]
GROUPS: tuple[tuple[str, Callable[[dict[str, str]], bool]], ...] = (
    ("Chu & Beasley A", lambda r: r["file"] == "gapa.txt"),
    ("Chu & Beasley B", lambda r: r["file"] == "gapb.txt"),
    ("Chu & Beasley C", lambda r: r["file"] == "gapc.txt"),
    ("Chu & Beasley D", lambda r: r["file"] == "gapd.txt"),
    ("Yagiura C", lambda r: r["file"].startswith("yagiura/c")),
    ("Yagiura D", lambda r: r["file"].startswith("yagiura/d")),
    ("Yagiura E", lambda r: r["file"].startswith("yagiura/e")),
)
RUNS = (("highs", 10), ("cpsat", 10), ("highs", 60), ("cpsat", 60))
NAMES = {"highs": "HiGHS", "cpsat": "CP-SAT"}


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f} %"


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "not run yet"
    if row["objective"] is None:
        return f"{row['status']} ({row['seconds']:.1f} s)"
    mark = " ✓" if row["status"] == "optimal" else ""
    return f"{row['objective']} ({pct(row['percent'])}) {row['seconds']:.1f} s{mark}"


def table(head: Sequence[str], body: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return [*lines, ""]


class GapSections:
    """Sections 1-3 of the report; ``bench.report.Report`` holds the fields."""

    jobs: Jobs
    rows: dict[str, dict[str, Any]]

    def _done(self, section: str) -> tuple[int, int]:
        keys = [key for key, _, _ in self.jobs[section]]
        return sum(1 for key in keys if key in self.rows), len(keys)

    # -- a. gap1-gap12 ---------------------------------------------------------------------

    def _small_rows(self) -> list[dict[str, Any]]:
        return [self.rows[k] for k, _, _ in self.jobs["small"] if k in self.rows]

    def _small(self) -> list[str]:
        done, total = self._done("small")
        out = [
            "## 1. OR-Library gap1–gap12: 60 instances, both senses, proven optimal",
            "",
            f"Runs: {done} of {total}. Proven = the run's status is optimal **and** its value "
            "equals KNOWN.md's (max: OR-Library; min: proved there). Time limit 60 s a run.",
            "",
            'Columns: **LP + Lagrangian B&B** is `solve_gap(solver="highs")`, which up to 60 '
            "jobs (`planner.gap_exact.MAX_JOBS`, below `CORE_FROM` pairs) runs HiGHS's LP, the "
            "greedy start and then the branch and bound of `planner/gap_exact.py` (a Lagrangian "
            "bound with one knapsack per agent); HiGHS's MIP only gets what that leaves "
            "unsettled (each row's `engine` says which). **CP-SAT** is the general solver on the "
            "compact model after the same LP and start, for comparison. Times are each run's "
            "own wall clock.",
            "",
        ]
        rows = self._small_rows()
        body = []
        for file in gapbench.SMALL_FILES:
            mine = [r for r in rows if r["file"] == file]
            if not mine:
                continue
            cells: list[Any] = [file, mine[0]["size"]]
            for solver in ("highs", "cpsat"):
                runs = [r for r in mine if r["solver"] == solver]
                proven = sum(1 for r in runs if proven_optimal(r))
                cells += [f"{proven} / {len(runs)}", f"{sum(r['seconds'] for r in runs):.2f}"]
            body.append(cells)
        totals: list[Any] = ["**all**", ""]
        for solver in ("highs", "cpsat"):
            runs = [r for r in rows if r["solver"] == solver]
            totals += [
                f"**{sum(1 for r in runs if proven_optimal(r))} / {len(runs)}**",
                f"**{sum(r['seconds'] for r in runs):.1f}**",
            ]
        body.append(totals)
        out += table(
            (
                "file",
                "m×n",
                "LP + Lagrangian B&B proven",
                "s (total)",
                "CP-SAT proven",
                "CP-SAT s (total)",
            ),
            body,
        )
        detail = []
        for r in rows:
            if r["solver"] != "highs":
                continue
            other = next(
                (
                    x
                    for x in rows
                    if x["solver"] == "cpsat"
                    and (x["file"], x["block"], x["sense"]) == (r["file"], r["block"], r["sense"])
                ),
                None,
            )
            detail.append(
                [
                    r["name"],
                    r["sense"],
                    r["known"],
                    r["objective"],
                    "yes" if proven_optimal(r) else "no",
                    f"{r['seconds']:.2f}",
                    other["objective"] if other else "–",
                    ("yes" if proven_optimal(other) else "no") if other else "–",
                    f"{other['seconds']:.2f}" if other else "–",
                ]
            )
        out += ["<details><summary>Every instance</summary>", ""]
        out += table(
            ("instance", "sense", "known", "LP + B&B", "proven", "s", "CP-SAT", "proven", "s"),
            detail,
        )
        out += ["</details>", ""]
        return out

    # -- b. gapa-gapd, Yagiura -------------------------------------------------------------

    def _large_keys(self) -> list[tuple[str, int]]:
        seen: list[tuple[str, int]] = []
        for key, _, _ in self.jobs["large10"]:
            _, *parts = key.split("/")
            file = "/".join(parts[:-3])
            block = int(parts[-3])
            if (file, block) not in seen:
                seen.append((file, block))
        return seen

    def _run(self, file: str, block: int, solver: str, limit: int, kind: str = "large") -> Any:
        return self.rows.get(f"{kind}/{file}/{block}/{solver}/{limit}")

    def _large(self) -> list[str]:
        d10, t10 = self._done("large10")
        d60, t60 = self._done("large60")
        dg, tg = self._done("greedy")
        out = [
            "## 2. gapa–gapd and Yagiura's C, D, E (minimisation), at 10 s and at 60 s",
            "",
            f"Runs: 10 s {d10} of {t10}, 60 s {d60} of {t60}, greedy {dg} of {tg}. "
            "The greedy baseline is the regret greedy (best of four desirability measures, "
            "MTHG-style) followed by shift and swap moves for at most 1 s - what a careful "
            "hand-written heuristic gives. Cells: plan (% above best known) time.",
            "",
            "What `planner.gap.solve_gap` does within the limit, for both solvers: (1) the LP "
            "relaxation (HiGHS simplex; both columns share it), whose duals give a bound and "
            "reduced costs; (2) a start - from 1,000 pairs on (`CORE_FROM`) the chosen solver "
            "on the *core* (each job's two smallest-reduced-cost agents plus the LP's support) "
            "for 40 % of the remaining time, below that the regret greedy, then shift and swap "
            "moves, then (up to 1,600 jobs) the exchange search of `planner.gap_search` - "
            "chains of jobs moving among several agents at once, kicked when stuck - for at "
            "most 40 % of the time left and 3 s; (3) reduced-cost fixing: pairs that cannot "
            "be in a plan better than the start are left out, which is exact, so the bound stays "
            "honest; (4) the chosen solver on the compact model for the rest of the time, "
            "started from (2). Section 3 shows the plain model without (1)–(3).",
            "",
        ]
        if t60 == 0:
            out += [
                "This is a quick run: the 60 s column is not part of it (`make bench` runs it).",
                "",
            ]
        summary = []
        for group, test in GROUPS:
            keys = [k for k in self._large_keys() if test({"file": k[0]})]
            if not keys:
                continue
            cells: list[Any] = [group, len(keys)]
            greedy_rows = [self.rows.get(f"greedy/{f}/{b}") for f, b in keys]
            cells.append(
                _stats([g["percent"] for g in greedy_rows if g and g["percent"] is not None])
            )
            for solver, limit in RUNS:
                runs = [self._run(f, b, solver, limit) for f, b in keys]
                got = [r for r in runs if r]
                pcts = [r["percent"] for r in got if r["percent"] is not None]
                proven = sum(1 for r in got if r["status"] == "optimal")
                cells.append(f"{_stats(pcts)}; ✓ {proven}/{len(got)}" if got else "not run yet")
            summary.append(cells)
        head = ["group", "n", "greedy + moves"] + [f"{NAMES[s]} {t} s" for s, t in RUNS]
        out += [
            "Mean / worst % above the best known value, and how many runs proved optimality:",
            "",
        ]
        out += table(head, summary)
        body = []
        for file, block in self._large_keys():
            any_row = next(
                (r for s, t in RUNS if (r := self._run(file, block, s, t))), None
            ) or self.rows.get(f"greedy/{file}/{block}")
            k = gapbench.known()[file, block, "min"]
            best = str(k.best) if k.optimal else f"{k.best} [{k.lower}]"
            greedy = self.rows.get(f"greedy/{file}/{block}")
            cells = [
                k.name,
                any_row["size"] if any_row else "",
                best,
                f"{greedy['objective']} ({pct(greedy['percent'])})" if greedy else "not run yet",
            ]
            cells += [_cell(self._run(file, block, s, t)) for s, t in RUNS]
            body.append(cells)
        out += table(
            ["instance", "m×n", "best known", "greedy + moves"]
            + [f"{NAMES[s]} {t} s" for s, t in RUNS],
            body,
        )
        return out

    def _plain(self) -> list[str]:
        done, total = self._done("plain")
        out = [
            "## 3. What the engine adds: the plain compact model, as the solvers get it, at 10 s",
            "",
            f'Runs: {done} of {total}. `start="none"`: no LP, no start, no reduced-cost '
            "fixing - the model of planning-format.md handed to HiGHS and CP-SAT as they come. "
            "Next to it the engine's own 10 s runs from section 2.",
            "",
        ]
        body = []
        for key, _, _ in self.jobs["plain"]:
            _, *parts = key.split("/")
            file, block, solver = "/".join(parts[:-3]), int(parts[-3]), parts[-2]
            if solver != "highs":
                continue
            k = gapbench.known()[file, block, "min"]
            body.append(
                [
                    k.name,
                    _cell(self._run(file, block, "highs", 10, "plain")),
                    _cell(self._run(file, block, "cpsat", 10, "plain")),
                    _cell(self._run(file, block, "highs", 10)),
                    _cell(self._run(file, block, "cpsat", 10)),
                ]
            )
        out += table(
            ("instance", "HiGHS plain", "CP-SAT plain", "HiGHS engine", "CP-SAT engine"), body
        )
        return out


def proven_optimal(row: dict[str, Any] | None) -> bool:
    return bool(row) and row["status"] == "optimal" and row["objective"] == row["known"]  # type: ignore[index]


def _stats(values: Sequence[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.mean(values):+.3f} / {max(values):+.3f} %"
