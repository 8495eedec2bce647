"""Command line: solve a planning file, or check a plan against it (formats: planning-format.md).

    python -m planner solve FILE [--time-limit S] [--seed N]   # the plan's JSON on stdout
    python -m planner check FILE PLAN                           # exit 0 if valid, 1 if not

Exit status 2 means a file could not be read; the reason is printed in Chinese on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from planner.check import check_plan
from planner.fileio import (
    FormatError,
    dumps,
    plan_from_json,
    plan_to_json,
    problem_from_json,
    read_json,
)
from planner.round import RoundPlan, RoundProblem, solve_round


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner", description="巡视巡察计划的求解与校验"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="求解问题文件，在标准输出打印方案 JSON")
    solve.add_argument("file", help="问题文件（xunshi-round/1 或 xunshi-term/1）")
    solve.add_argument(
        "--time-limit", type=float, default=10.0, metavar="S", help="时限（秒），默认 10"
    )
    solve.add_argument("--seed", type=int, default=0, metavar="N", help="随机种子，默认 0")
    check = commands.add_parser("check", help="校验方案是否满足问题的全部约束并核对目标值")
    check.add_argument("file", help="问题文件")
    check.add_argument("plan", help="方案文件")
    args = parser.parse_args(argv)
    try:
        problem = problem_from_json(read_json(args.file))
        if args.command == "solve":
            print(dumps(plan_to_json(_solve(problem, args.time_limit, args.seed))))
            return 0
        plan = plan_from_json(read_json(args.plan))
        if isinstance(problem, RoundProblem) != isinstance(plan, RoundPlan):
            raise FormatError("方案文件的 format 与问题文件不一致")
    except FormatError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    violations = check_plan(problem, plan)
    if not violations:
        print(f"方案有效，目标值 {plan.objective}")
        return 0
    print(f"方案无效，共 {len(violations)} 处：")
    for violation in violations:
        print(f"- {violation}")
    return 1


def _solve(problem: Any, time_limit_s: float, seed: int) -> Any:
    if isinstance(problem, RoundProblem):
        return solve_round(problem, time_limit_s=time_limit_s, seed=seed)
    from planner.term import solve_term

    return solve_term(problem, time_limit_s=time_limit_s, seed=seed)


if __name__ == "__main__":
    sys.exit(main())
