"""gap1-gap12 in CPU seconds: the 120 runs of section 1 in one process, one solve at a time.

    .venv/bin/python -m bench.gapsmall              # HiGHS column: Lagrangian branch and bound
    .venv/bin/python -m bench.gapsmall --solver cpsat

The runner (``bench.run --only small``) records each run's own clock, which is wall time and
doubles when other work shares the two cores; this sums the CPU time of the process over each
``solve_gap`` call (``time.process_time``: the solvers here use one thread, except CP-SAT's two
workers, whose CPU is counted too), beside the wall time and the load average at both ends.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterable

from bench import gapbench
from planner.gap import solve_gap


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solver", choices=("highs", "cpsat"), default="highs")
    args = parser.parse_args(list(argv) if argv is not None else None)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load {os.getloadavg()[0]:.2f} at the start")
    print("| file | proven | CPU s | wall s |")
    print("|---|---|---|---|")
    cpu_all = wall_all = 0.0
    proven_all = runs = 0
    for file in gapbench.SMALL_FILES:
        cpu = wall = 0.0
        proven = 0
        for _, block, inst in gapbench.each((file,)):
            for sense in ("min", "max"):
                cpu_began, wall_began = time.process_time(), time.perf_counter()
                result = solve_gap(inst, sense=sense, solver=args.solver, time_limit_s=60.0)
                cpu += time.process_time() - cpu_began
                wall += time.perf_counter() - wall_began
                known = gapbench.known()[file, block, sense].best
                proven += result.status == "optimal" and result.objective == known
                runs += 1
        print(f"| {file} | {proven} / 10 | {cpu:.2f} | {wall:.2f} |")
        cpu_all, wall_all, proven_all = cpu_all + cpu, wall_all + wall, proven_all + proven
    print(f"| **all** | **{proven_all} / {runs}** | **{cpu_all:.2f}** | **{wall_all:.2f}** |")
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load {os.getloadavg()[0]:.2f} at the end")
    return 0 if proven_all == runs else 1


if __name__ == "__main__":
    raise SystemExit(main())
