"""The independent checker: one hand-broken plan per constraint, for rounds and for terms."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, replace

import pytest

from planner.check import check_plan, check_term_plan, round_objective
from planner.round import RoundCadre, RoundConflict, RoundPlan, RoundProblem, RoundTarget, TeamPlan

# 甲县 and 乙县 are in one city; the two SOEs are provincial. 王芳 worked in 乙县 until 2023.
PROBLEM = RoundProblem(
    name="检查用轮次",
    teams=2,
    targets_per_team=2,
    team_size=(2, 3),
    team_skills=(("finance", 1),),
    max_per_team=(("soe", 1),),
    targets=(
        RoundTarget("410101", "甲县", "county", "4101", 3),
        RoundTarget("410102", "乙县", "county", "4101", 2),
        RoundTarget("4100S01", "能源集团", "soe", "4100", 2),
        RoundTarget("4100S02", "投资集团", "soe", "4100", 3),
    ),
    cadres=(
        RoundCadre("C1", "张伟", "U1", True, ("finance",)),
        RoundCadre("C2", "李娜", "U2", True, ("finance",)),
        RoundCadre("C3", "王芳", "U3", False, ()),
        RoundCadre("C4", "赵强", "U4", False, ()),
        RoundCadre("C5", "刘洋", "U1", False, ()),
        RoundCadre("C6", "陈静", "U6", True, ()),
    ),
    conflicts=(RoundConflict("C3", "410102", "worked_recently", "2020–2023 在乙县任职"),),
)
TEAM_1 = TeamPlan("C1", ("C1", "C3"), ("410101", "4100S01"))
TEAM_2 = TeamPlan("C2", ("C2", "C4"), ("410102", "4100S02"))
VALID = RoundPlan("optimal", 4, 4, 0.1, (TEAM_1, TEAM_2))


def broken(team_1: TeamPlan = TEAM_1, team_2: TeamPlan = TEAM_2) -> RoundPlan:
    """The valid plan with changed teams and the objective those teams really have."""
    value = round_objective(PROBLEM, [team_1.targets, team_2.targets])
    return replace(VALID, teams=(team_1, team_2), objective=value, bound=value)


def constraints_broken(plan: RoundPlan) -> set[int]:
    return {violation.constraint for violation in check_plan(PROBLEM, plan)}


def test_it_accepts_the_valid_plan() -> None:
    assert check_plan(PROBLEM, VALID) == []


def test_it_rejects_a_target_without_a_team() -> None:
    plan = broken(team_1=replace(TEAM_1, targets=("410101",)))

    assert constraints_broken(plan) == {1}
    assert "对象 4100S01 没有分给任何组" in str(check_plan(PROBLEM, plan)[0])


def test_it_rejects_too_many_targets_for_a_team() -> None:
    plan = broken(
        team_1=TeamPlan("C1", ("C1", "C4"), ("410101", "410102", "4100S01")),
        team_2=TeamPlan("C2", ("C2", "C3"), ("4100S02",)),
    )

    assert constraints_broken(plan) == {1}


def test_it_rejects_a_leader_who_cannot_lead() -> None:
    assert constraints_broken(broken(team_1=replace(TEAM_1, leader="C3"))) == {2}


def test_it_rejects_a_team_too_small() -> None:
    plan = broken(team_1=replace(TEAM_1, members=("C1",)))

    violations = check_plan(PROBLEM, plan)

    assert [str(v) for v in violations] == ["约束3：第1组有 1 人，不在 2–3 人之间"]


def test_it_rejects_a_cadre_in_two_teams() -> None:
    assert constraints_broken(broken(team_2=replace(TEAM_2, members=("C2", "C4", "C3")))) >= {3}


def test_it_rejects_two_members_from_one_unit() -> None:
    plan = broken(team_1=replace(TEAM_1, members=("C1", "C3", "C5")))

    assert check_plan(PROBLEM, plan)[0].ids == ("C1", "C5")
    assert constraints_broken(plan) == {4}


def test_it_rejects_a_team_without_the_skill() -> None:
    assert constraints_broken(broken(team_2=TeamPlan("C6", ("C6", "C4"), TEAM_2.targets))) == {5}


def test_it_rejects_two_soes_in_one_team() -> None:
    plan = broken(
        team_1=replace(TEAM_1, targets=("4100S01", "4100S02")),
        team_2=replace(TEAM_2, targets=("410101", "410102"), members=("C2", "C4")),
    )

    assert constraints_broken(plan) == {6}


def test_it_rejects_a_member_who_must_avoid_the_target() -> None:
    plan = broken(
        team_1=replace(TEAM_1, members=("C1", "C4")), team_2=replace(TEAM_2, members=("C2", "C3"))
    )

    violations = check_plan(PROBLEM, plan)

    assert [v.constraint for v in violations] == [7]
    assert violations[0].ids == ("C3", "410102")
    assert "王芳（C3）与 县 乙县（410102） 存在回避关系" in violations[0].message


def test_it_rejects_a_wrong_objective() -> None:
    violations = check_plan(PROBLEM, replace(VALID, objective=5, bound=5))

    assert [str(v) for v in violations] == ["目标值：方案给出的目标值为 5，按方案重新计算应为 4"]


def test_it_rejects_optimal_without_a_matching_bound() -> None:
    assert constraints_broken(replace(VALID, bound=3)) == {0}
    assert check_plan(PROBLEM, replace(VALID, status="feasible", bound=3)) == []


def test_it_does_not_import_a_solver() -> None:
    code = (
        "import sys, planner.check, planner.fileio\n"
        "assert not {'ortools', 'highspy', 'django'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- term plans (read by attribute: these stand-ins have the fields of the format) ----------------


@dataclass(frozen=True)
class Round:
    id: str
    year: int
    capacity: int
    sectors: tuple[str, ...] | None


@dataclass(frozen=True)
class Target:
    id: str
    sector: str
    risk: int
    latest_round: str | None = None


@dataclass(frozen=True)
class Term:
    name: str
    rounds: tuple[Round, ...]
    year_minimum: dict[str, int]
    max_sectors_per_round: int
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class TermResult:
    status: str
    objective: int | None
    bound: float | None
    seconds: float
    rounds: dict[str, tuple[str, ...]]


TERM = Term(
    name="十届省委",
    rounds=(
        Round("R6", 2019, 2, None),
        Round("R7", 2019, 2, ("county",)),
        Round("R8", 2020, 2, None),
    ),
    year_minimum={"2019": 3},
    max_sectors_per_round=1,
    targets=(
        Target("A", "county", 90),
        Target("B", "county", 80, "R6"),
        Target("C", "county", 50),
        Target("D", "soe", 10),
    ),
)
# Σ risk × position: A 90×1 + B 80×1 + C 50×2 + D 10×3 = 300
TERM_PLAN = TermResult("optimal", 300, 300, 0.1, {"R6": ("A", "B"), "R7": ("C",), "R8": ("D",)})


def term_broken(rounds: dict[str, tuple[str, ...]], term: Term = TERM) -> set[int]:
    """The constraints `rounds` breaks; the objective is left out (None) so only they count."""
    plan = replace(TERM_PLAN, rounds=rounds, objective=None)
    return {v.constraint for v in check_term_plan(term, plan) if v.constraint}  # type: ignore[arg-type]


def test_it_accepts_the_valid_term_plan() -> None:
    assert check_term_plan(TERM, TERM_PLAN) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rounds", "numbers"),
    [
        ({"R6": ("A", "B"), "R7": ("C",), "R8": ()}, {1}),  # D in no round
        ({"R6": ("A", "C"), "R7": ("B",), "R8": ("D",)}, {1}),  # B after its latest round R6
        ({"R6": ("A", "B"), "R7": ("C",), "R8": ("D",), "R9": ()}, {1}),  # no round R9
        ({"R6": ("A", "B", "C"), "R7": (), "R8": ("D",)}, {2}),  # R6 over capacity 2
        ({"R6": ("A", "B"), "R7": ("D",), "R8": ("C",)}, {2}),  # an SOE in a county-only round
        ({"R6": ("B", "D"), "R7": ("A", "C"), "R8": ()}, {2}),  # two sectors in R6 (板块轮动)
    ],
)
def test_it_rejects_broken_term_plans(
    rounds: dict[str, tuple[str, ...]], numbers: set[int]
) -> None:
    assert term_broken(rounds) == numbers


def test_it_rejects_a_year_below_its_minimum() -> None:
    assert term_broken(TERM_PLAN.rounds, replace(TERM, year_minimum={"2019": 4})) == {3}


def test_it_rejects_a_wrong_term_objective() -> None:
    violations = check_term_plan(TERM, replace(TERM_PLAN, objective=290, bound=290))  # type: ignore[arg-type]

    assert [v.constraint for v in violations] == [0]
    assert "应为 300" in violations[0].message
