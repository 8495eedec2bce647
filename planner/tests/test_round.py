"""The round solver: proven optima, plans the checker accepts, reproducibility, explanations."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

import planner.round as round_module
from planner.check import check_plan
from planner.generate import round_problem
from planner.round import RoundCadre, RoundConflict, RoundProblem, RoundTarget, solve


def small_round(seed: int) -> RoundProblem:
    """A random round of 2–5 teams: tight (even seeds: many are infeasible or need staffing cuts)
    or roomy (odd seeds)."""
    rng = random.Random(seed)
    teams, per = rng.randint(2, 5), rng.randint(2, 3)
    tight = seed % 2 == 0
    cadres = rng.randint(teams * 4, teams * 9) if tight else rng.randint(teams * 8, teams * 16)
    return round_problem(
        seed,
        teams=teams,
        per_team=per,
        targets=rng.randint(teams - 1, teams * per),
        cadres=cadres,
        leaders=rng.randint(teams, teams + 2) if tight else rng.randint(teams, 2 * teams + 2),
        units=rng.randint(4, 10) if tight else rng.randint(8, 20),
        conflict_pairs=rng.randint(0, cadres * teams * per // (3 if tight else 8)),
        team_size=(2, 4) if tight else (3, 5),
    )


def test_it_solves_the_seed_sized_round_to_a_proven_optimum() -> None:
    problem = round_problem(0)
    assert (len(problem.targets), len(problem.cadres), len(problem.conflicts)) == (39, 600, 2000)

    plan = solve(problem, time_limit_s=10, seed=0)

    assert plan.status == "optimal"
    assert plan.objective == plan.bound
    assert plan.seconds < 10
    assert check_plan(problem, plan) == []
    assert [len(team.targets) for team in plan.teams] == [3] * 13
    assert dict(plan.solver)["seed"] == "0"
    assert "ortools" in dict(plan.solver) and "highspy" in dict(plan.solver)


def test_it_gives_the_same_plan_for_the_same_input_and_seed() -> None:
    problem = round_problem(7)

    first, second = solve(problem, seed=3), solve(problem, seed=3)

    assert replace(first, seconds=0) == replace(second, seconds=0)


def test_it_returns_only_plans_the_checker_accepts() -> None:
    statuses = []
    for seed in range(300):
        problem = small_round(seed)
        plan = solve(problem, time_limit_s=2, seed=seed)
        statuses.append(plan.status)
        if plan.status in ("optimal", "feasible"):
            assert check_plan(problem, plan) == [], seed
            assert plan.bound is not None and plan.bound <= plan.objective
        else:
            assert plan.status == "infeasible" and plan.explanation, seed
    assert statuses.count("optimal") > 150 and statuses.count("infeasible") > 50


def test_it_agrees_with_the_compact_model_on_small_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    proven = 0
    for seed in range(60):
        problem = small_round(seed)
        by_columns = solve(problem, time_limit_s=5, seed=1)
        monkeypatch.setattr(round_module, "COLUMN_LIMIT", 0)
        compact = solve(problem, time_limit_s=5, seed=1)
        monkeypatch.undo()
        assert dict(compact.solver)["method"].startswith(("start by region", "counting checks"))
        if {compact.status, by_columns.status} <= {"optimal", "infeasible"}:
            proven += 1
            assert compact.status == by_columns.status, seed
            assert compact.objective == by_columns.objective, seed
        else:
            # A time limit reached on a busy machine proves nothing, but neither model may
            # claim a plan better than what the other has proven possible.
            assert "infeasible" not in (compact.status, by_columns.status), seed
            assert compact.objective is not None and by_columns.objective is not None
            assert compact.bound is not None and by_columns.bound is not None
            assert compact.objective >= by_columns.bound, seed
            assert by_columns.objective >= compact.bound, seed
        if compact.status in ("optimal", "feasible"):
            assert check_plan(problem, compact) == []
    assert proven >= 30


# -- infeasible rounds get explanations a person can act on --------------------------------------

LEADERS = ("L1", "L2", "L3")


def tiny_round(**changes: object) -> RoundProblem:
    """Three teams of 2–3 for three counties; every cadre is from a different unit."""
    targets = tuple(
        RoundTarget(f"41010{i}", name, "county", "4101", 2)
        for i, name in enumerate(["兰考县", "杞县", "通许县"], 1)
    )
    cadres = tuple(
        RoundCadre(
            cid,
            f"干部{cid}",
            f"U{cid}",
            cid in LEADERS,
            ("finance",) if cid.startswith("M") else (),
        )
        for cid in [*LEADERS, "M1", "M2", "M3", "M4"]
    )
    problem = RoundProblem("测试轮次", 3, 1, (2, 3), (("finance", 1),), (), targets, cadres, ())
    return replace(problem, **changes)  # type: ignore[arg-type]


def test_it_staffs_the_tiny_round_when_nothing_clashes() -> None:
    assert solve(tiny_round()).status == "optimal"


def test_it_explains_a_county_that_every_leader_must_avoid() -> None:
    conflicts = tuple(RoundConflict(leader, "410102", "origin", "籍贯杞县") for leader in LEADERS)

    plan = solve(tiny_round(conflicts=conflicts))

    assert plan.status == "infeasible"
    assert "县 杞县（410102） 与所有可任组长的干部均存在回避关系（约束2、7）" in plan.explanation


def test_it_explains_too_few_leaders() -> None:
    cadres = tuple(replace(c, can_lead=c.id == "L1") for c in tiny_round().cadres)

    plan = solve(tiny_round(cadres=cadres))

    assert plan.status == "infeasible"
    assert plan.explanation[0].startswith("可任组长的干部只有 1 人（L1），少于组数 3")
    assert plan.explanation[0].endswith("（约束2、3）")


def test_it_explains_a_missing_skill() -> None:
    plan = solve(tiny_round(team_skills=(("finance", 1), ("law", 1))))

    assert plan.status == "infeasible"
    assert plan.explanation == (
        "具备法律（law）专长的干部只有 0 人，来自 0 个单位，"
        "不足以让 3 个组各有 1 人（约束3、4、5）",
    )


def test_it_explains_a_sector_limit() -> None:
    soes = tuple(replace(t, sector="soe") for t in tiny_round().targets)

    plan = solve(tiny_round(targets=soes, teams=2, targets_per_team=2, max_per_team=(("soe", 1),)))

    assert plan.status == "infeasible"
    assert plan.explanation == (
        "省属企业（soe）对象有 3 个，多于 2 个组 × 每组至多 1 个 = 2 个（约束1、6）",
    )


def test_it_names_the_clashing_constraints_when_counting_is_not_enough() -> None:
    # Each county has a conflict-free leader, but 兰考县 and 杞县 share the only one (L1).
    conflicts = tuple(
        RoundConflict(leader, target, "worked_recently", "近三年在该县任职")
        for target in ("410101", "410102")
        for leader in ("L2", "L3")
    )

    plan = solve(tiny_round(conflicts=conflicts))

    assert plan.status == "infeasible"
    assert plan.explanation[0] == "以下约束不能同时满足：约束1、约束2、约束3、约束7"
    assert (
        "约束7：回避关系，涉及 县 兰考县（410101），与其无回避关系的可任组长干部：L1"
        in plan.explanation
    )
    assert (
        "约束7：回避关系，涉及 县 杞县（410102），与其无回避关系的可任组长干部：L1"
        in plan.explanation
    )
