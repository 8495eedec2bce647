"""The planning engine: pure Python, never imports Django.

``planner.avoidance`` holds the avoidance (回避) rules; see its docstring for the model.
"""

from planner.avoidance import (
    COVERED_KIN_RELATIONS,
    DEFAULT_RULES,
    INSPECTION_ROLES,
    KIN_RELATIONS,
    RULES,
    AvoidanceHit,
    AvoidanceRules,
    CadreFacts,
    Kin,
    LeaderFacts,
    PastInspection,
    StudySpell,
    TargetFacts,
    WorkSpell,
    blocking,
    evaluate,
    evaluate_all,
)

__all__ = [
    "COVERED_KIN_RELATIONS",
    "DEFAULT_RULES",
    "INSPECTION_ROLES",
    "KIN_RELATIONS",
    "RULES",
    "AvoidanceHit",
    "AvoidanceRules",
    "CadreFacts",
    "Kin",
    "LeaderFacts",
    "PastInspection",
    "StudySpell",
    "TargetFacts",
    "WorkSpell",
    "blocking",
    "evaluate",
    "evaluate_all",
]

# Rounds: the problem and plan of `xunshi-round/1`, its solver, and the solver-free checker.
from planner.check import Violation, check_plan
from planner.round import (
    RoundCadre,
    RoundConflict,
    RoundPlan,
    RoundProblem,
    RoundTarget,
    TeamPlan,
    solve_round,
)

__all__ += [
    "RoundCadre",
    "RoundConflict",
    "RoundPlan",
    "RoundProblem",
    "RoundTarget",
    "TeamPlan",
    "Violation",
    "check_plan",
    "solve_round",
]
