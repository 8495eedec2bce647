"""Which bodies' registries and cadre pools a round may draw on, and the rules of the kinds that
cross bodies (上下联动).

A round takes its targets from its own body's registry and its teams from its own body's pool.
Two kinds cross bodies: a 提级巡察 round takes targets of the bodies below its body (the city
inspects a county's unit), and a 交叉巡察 round, organised by a city, takes both its targets and
its cadres from the counties below it (A's cadres inspect B's units, never their own body's:
`cross_own_body_sentence`). Both need the organising body's decision (决定文号 and date) before
any inspection is created (`decision_missing`). A 联动 round of a lower body runs in step with a
round of a body above it, with the same theme and dates (`link_differences`).
"""

from __future__ import annotations

import datetime as dt

from xunshi.registry.models import InspectingBody
from xunshi.registry.queries import bodies_below

from .models import InspectionKind, Round

__all__ = [
    "CROSSING_KINDS",
    "bodies_above",
    "cross_own_body_sentence",
    "crossing_kind_errors",
    "decision_errors",
    "decision_missing",
    "link_differences",
    "pool_body_ids",
    "target_body_ids",
]

CROSSING_KINDS = frozenset({InspectionKind.ELEVATED, InspectionKind.CROSS})
DECISION_REF_MAX = 60


def target_body_ids(rnd: Round) -> list[int]:
    """The bodies whose registries the round's targets may come from."""
    if rnd.kind in CROSSING_KINDS:
        return [rnd.body_id, *bodies_below(rnd.body_id)]
    return [rnd.body_id]


def pool_body_ids(rnd: Round) -> list[int]:
    """The bodies whose cadre pools the round's teams may come from."""
    if rnd.kind == InspectionKind.CROSS:
        return [rnd.body_id, *bodies_below(rnd.body_id)]
    return [rnd.body_id]


def bodies_above(body_id: int) -> list[int]:
    """The ids of the bodies above this one (its city, the province …), nearest first."""
    found: list[int] = []
    parent = InspectingBody.objects.filter(pk=body_id).values_list("parent_id", flat=True).first()
    while parent is not None and parent not in found:
        found.append(parent)
        parent = (
            InspectingBody.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
        )
    return found


def cross_own_body_sentence(cadre_name: str, cadre_body_id: int, target_body_id: int) -> str:
    """The refusal when a cadre of a cross round would inspect a unit of the own body; empty
    when the two bodies differ."""
    if cadre_body_id != target_body_id:
        return ""
    return f"{cadre_name}来自被巡察单位所在地的干部库，交叉巡察须异地派出。"


def crossing_kind_errors(kind: str, body: InspectingBody) -> list[str]:
    """Why the body may not organise a round of this kind: 提级巡察 needs bodies below it, 交叉巡察
    at least two (teams of one inspect the units of another); empty when it may."""
    if kind not in CROSSING_KINDS:
        return []
    below = bodies_below(body.pk)
    label = InspectionKind(kind).label
    if not below:
        return [f"{label}须由有下级党组织的党委组织，{body.name}没有下级党组织。"]
    if kind == InspectionKind.CROSS and len(below) < 2:
        return [f"交叉巡察须在两个以上下级党组织之间交叉开展，{body.name}只有一个下级党组织。"]
    return []


def decision_errors(decision_ref: str, decided_on: dt.date | None, today: dt.date) -> list[str]:
    """What is wrong with a decision as entered (both its number and date, or neither)."""
    errors = []
    if bool(decision_ref.strip()) != (decided_on is not None):
        errors.append("决定文号和决定日期须同时填写。")
    if len(decision_ref.strip()) > DECISION_REF_MAX:
        errors.append(f"决定文号不能超过{DECISION_REF_MAX}个字。")
    if decided_on is not None and decided_on > today:
        errors.append("决定日期不能晚于今天。")
    return errors


def decision_missing(rnd: Round) -> str:
    """The refusal when a round that crosses bodies has no decision recorded yet; empty when
    it has one or needs none."""
    if rnd.kind not in CROSSING_KINDS or (rnd.decision_ref and rnd.decided_on):
        return ""
    label = InspectionKind(rnd.kind).label
    return f"{label}须先录入{rnd.body.name}的决定（文号和日期）。"


def _day(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "未定"


def link_differences(rnd: Round, higher: Round) -> list[str]:
    """Where the round's theme and dates differ from the higher round it would run in step
    with, one sentence each; empty when they agree."""
    out = []
    if rnd.theme.strip() != higher.theme.strip():
        out.append(
            f"{rnd.name}的监督重点（{rnd.theme.strip() or '未填'}）与{higher.name}的"
            f"（{higher.theme.strip() or '未填'}）不同。"
        )
    for field, label in (("start", "进驻日期"), ("end", "结束日期")):
        mine, theirs = getattr(rnd, field), getattr(higher, field)
        if mine != theirs:
            out.append(
                f"{rnd.name}的{label}（{_day(mine)}）与{higher.name}的（{_day(theirs)}）不同。"
            )
    return out
