"""Planning files in and out: strict reading, round trips, and `python -m planner solve|check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.fileio import (
    FormatError,
    plan_from_json,
    plan_to_json,
    problem_from_json,
    problem_to_json,
)
from planner.generate import round_problem
from planner.round import solve

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def round_json() -> dict[str, Any]:
    return problem_to_json(round_problem(5, teams=3, cadres=80, conflict_pairs=120))


def test_it_round_trips_a_round_problem_and_its_plan() -> None:
    problem = round_problem(5, teams=3, cadres=80, conflict_pairs=120)
    plan = solve(problem, time_limit_s=5)

    assert problem_from_json(json.loads(json.dumps(problem_to_json(problem)))) == problem
    assert plan_from_json(json.loads(json.dumps(plan_to_json(plan)))) == plan


def test_it_writes_the_round_format_of_the_spec() -> None:
    data = round_json()

    assert data["format"] == "xunshi-round/1"
    assert data["team_size"] == [5, 9]
    assert data["team_skills"] == {"discipline": 1, "organization": 1, "finance": 1}
    assert set(data["targets"][0]) == {"id", "name", "sector", "region", "workload"}
    assert set(data["cadres"][0]) == {"id", "name", "unit", "can_lead", "skills"}
    assert set(data["conflicts"][0]) == {"cadre", "target", "rule", "detail"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["targets"][2].update(colour="red"), "targets[2].colour 是未知的键"),
        (lambda d: d.update(deadline="2019-10-01"), "deadline 是未知的键"),
        (lambda d: d["targets"][3].update(workload=-1), "targets[3].workload 应为非负整数"),
        (lambda d: d["targets"][3].update(workload="3"), "targets[3].workload 应为非负整数"),
        (lambda d: d["cadres"][1].update(can_lead="yes"), "cadres[1].can_lead 应为 true 或 false"),
        (lambda d: d["cadres"][4].pop("unit"), "缺少 cadres[4].unit"),
        (lambda d: d["team_skills"].update(law=True), "team_skills.law 应为非负整数"),
        (lambda d: d.update(teams=0), "teams 应为正整数"),
        (lambda d: d.update(team_size=[9, 5]), "team_size[0] 应不大于 team_size[1]"),
        (
            lambda d: d["cadres"][1].update(id=d["cadres"][0]["id"]),
            "cadres[1].id 与 cadres[0].id 重复",
        ),
        (
            lambda d: d["conflicts"][4].update(target="999999"),
            "conflicts[4].target 不是已知的对象 id",
        ),
        (
            lambda d: d.update(format="xunshi-round/2"),
            'format 应为 "xunshi-round/1" 或 "xunshi-term/1"',
        ),
    ],
)
def test_it_rejects_a_malformed_round_problem_saying_where(change: Any, message: str) -> None:
    data = round_json()
    change(data)

    with pytest.raises(FormatError) as caught:
        problem_from_json(data)

    assert str(caught.value).startswith(message)


def test_it_rejects_an_unknown_key_in_a_plan() -> None:
    plan = plan_to_json(solve(round_problem(5, teams=3, cadres=80, conflict_pairs=120)))
    plan["teams"][1]["deputy"] = "C0002"

    with pytest.raises(FormatError, match=r"^teams\[1\]\.deputy 是未知的键$"):
        plan_from_json(plan)


def test_it_solves_and_checks_from_the_command_line(tmp_path: Path) -> None:
    problem_file, plan_file = tmp_path / "round.json", tmp_path / "plan.json"
    problem_file.write_text(json.dumps(round_json(), ensure_ascii=False), encoding="utf-8")

    solved = run("solve", problem_file, "--time-limit", "5", "--seed", "2")
    assert solved.returncode == 0, solved.stderr
    plan = json.loads(solved.stdout)
    assert plan["format"] == "xunshi-round/1" and plan["status"] == "optimal"
    assert plan["objective"] == plan["bound"] and plan["solver"]["seed"] == "2"
    assert len(plan["teams"]) == 3
    plan_file.write_text(solved.stdout, encoding="utf-8")

    checked = run("check", problem_file, plan_file)
    assert (checked.returncode, checked.stdout) == (0, f"方案有效，目标值 {plan['objective']}\n")

    plan["objective"] += 1
    plan["teams"][0]["members"] = plan["teams"][0]["members"][:1]
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    checked = run("check", problem_file, plan_file)
    assert checked.returncode == 1
    assert checked.stdout.startswith("方案无效，共 ")
    assert "- 约束3：第1组有 1 人，不在 5–9 人之间" in checked.stdout
    assert "- 目标值：方案给出的目标值为" in checked.stdout


def test_it_reports_a_bad_file_in_chinese(tmp_path: Path) -> None:
    data = round_json()
    data["targets"][3]["workload"] = 2.5
    problem_file = tmp_path / "round.json"
    problem_file.write_text(json.dumps(data), encoding="utf-8")

    solved = run("solve", problem_file)

    assert (solved.returncode, solved.stdout) == (2, "")
    assert solved.stderr == "错误：targets[3].workload 应为非负整数\n"
    assert run("solve", tmp_path / "missing.json").stderr.startswith("错误：无法读取文件")


def test_it_prints_the_explanation_of_an_infeasible_round(tmp_path: Path) -> None:
    data = round_json()
    data["team_skills"]["tax"] = 1
    problem_file = tmp_path / "round.json"
    problem_file.write_text(json.dumps(data), encoding="utf-8")

    plan = json.loads(run("solve", problem_file).stdout)

    assert plan["status"] == "infeasible" and plan["teams"] == []
    assert plan["explanation"][0].endswith("（约束3、4、5）")


def test_it_does_not_import_django() -> None:
    code = (
        "import sys, planner, planner.round, planner.check, planner.fileio, planner.generate\n"
        "import planner.__main__\n"
        "problem = planner.generate.round_problem(1, teams=2, cadres=40, conflict_pairs=9)\n"
        "planner.round.solve(problem)\n"
        "assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


TERM_PROBLEM = {
    "format": "xunshi-term/1",
    "name": "十届省委 2019–2021",
    "rounds": [
        {"id": "R6", "year": 2019, "capacity": 2, "sectors": None},
        {"id": "R7", "year": 2019, "capacity": 2, "sectors": ["county"]},
        {"id": "R8", "year": 2020, "capacity": 2, "sectors": None},
    ],
    "year_minimum": {"2019": 3},
    "max_sectors_per_round": 1,
    "targets": [
        {"id": "A", "sector": "county", "risk": 90},
        {"id": "B", "sector": "county", "risk": 80, "latest_round": "R6"},
        {"id": "C", "sector": "county", "risk": 50},
        {"id": "D", "sector": "soe", "risk": 10},
    ],
}


def test_it_checks_and_solves_a_term_file(tmp_path: Path) -> None:
    pytest.importorskip("planner.term")
    problem_file, plan_file = tmp_path / "term.json", tmp_path / "plan.json"
    problem_file.write_text(json.dumps(TERM_PROBLEM), encoding="utf-8")
    assert problem_to_json(problem_from_json(TERM_PROBLEM)) == TERM_PROBLEM
    plan = {
        "format": "xunshi-term/1",
        "status": "optimal",
        "objective": 300,
        "bound": 300,
        "seconds": 0.1,
        "rounds": {"R6": ["A", "B"], "R7": ["C"], "R8": ["D"]},
    }
    plan_file.write_text(json.dumps(plan), encoding="utf-8")

    assert run("check", problem_file, plan_file).stdout == "方案有效，目标值 300\n"

    solved = run("solve", problem_file)
    assert solved.returncode == 0, solved.stderr
    assert json.loads(solved.stdout)["objective"] == 300
    plan_file.write_text(solved.stdout, encoding="utf-8")
    assert run("check", problem_file, plan_file).returncode == 0


def test_it_rejects_a_malformed_term_problem_saying_where() -> None:
    data = json.loads(json.dumps(TERM_PROBLEM))
    data["targets"][2]["risk"] = 101

    with pytest.raises(FormatError, match=r"^targets\[2\]\.risk 应为 0–100 的整数$"):
        problem_from_json(data)
