"""Which bodies' registries and cadre pools a round may draw on.

A round takes its targets from its own body's registry and its teams from its own body's pool.
Two kinds cross bodies (上下联动): a 提级巡察 round takes targets of the bodies below its body
(the city inspects a county's unit), and a 交叉巡察 round, organised by a city, takes both its
targets and its cadres from the counties below it (A's cadres inspect B's units, never their
own body's: `cross_own_body_sentence`).
"""

from __future__ import annotations

from xunshi.registry.queries import bodies_below

from .models import InspectionKind, Round

__all__ = ["cross_own_body_sentence", "pool_body_ids", "target_body_ids"]

_TARGETS_BELOW = frozenset({InspectionKind.ELEVATED, InspectionKind.CROSS})


def target_body_ids(rnd: Round) -> list[int]:
    """The bodies whose registries the round's targets may come from."""
    if rnd.kind in _TARGETS_BELOW:
        return [rnd.body_id, *bodies_below(rnd.body_id)]
    return [rnd.body_id]


def pool_body_ids(rnd: Round) -> list[int]:
    """The bodies whose cadre pools the round's teams may come from."""
    if rnd.kind == InspectionKind.CROSS:
        return [rnd.body_id, *bodies_below(rnd.body_id)]
    return [rnd.body_id]


def cross_own_body_sentence(cadre_name: str, cadre_body_id: int, target_body_id: int) -> str:
    """The refusal when a cadre of a cross round would inspect a unit of the own body; empty
    when the two bodies differ."""
    if cadre_body_id != target_body_id:
        return ""
    return f"{cadre_name}来自被巡察单位所在地的干部库，交叉巡察须异地派出。"
