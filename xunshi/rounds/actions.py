"""The only code that writes rounds, teams, memberships, branches and inspections.

Team composition is checked against avoidance (回避): a member with a blocking hit on one of
the team's targets is refused, and so is a target for which a member has one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.audit.chain import record, snapshot
from xunshi.registry.avoidance import blocking_hits
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term

from .models import (
    DisciplineRuleSet,
    Inspection,
    PartyBranch,
    Round,
    Stage,
    Team,
    TeamMembership,
    TeamRole,
)

ROUND_FIELDS = [
    "body",
    "term",
    "ordinal",
    "name",
    "kind",
    "sector_mode",
    "theme",
    "targets_per_team",
    "start",
    "end",
]
INSPECTION_FIELDS = [
    "round",
    "team",
    "target",
    "kind",
    "counts_for_coverage",
    "batch",
    "start",
    "end",
    "stage",
]


def ruleset_create(
    *, actor: Any, name: str, items: list[str], version: int = 1
) -> DisciplineRuleSet:
    """Store a version of a discipline rule set (五严格, 六严禁 …)."""
    items = [i.strip() for i in items if i.strip()]
    if not items:
        raise ValidationError("纪律规定至少要有一条。")
    with transaction.atomic():
        rs = DisciplineRuleSet.objects.create(name=name, version=version, items=items)
        record(
            actor=actor,
            action="rounds.ruleset.create",
            obj=rs,
            after=snapshot(rs, ["name", "version", "items"]),
        )
    return rs


def round_create(
    *,
    actor: Any,
    body: InspectingBody,
    term: Term,
    ordinal: int,
    name: str,
    kind: str,
    sector_mode: str,
    theme: str = "",
    targets_per_team: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Round:
    """Open a round of the body in a term."""
    if term.body_id != body.pk:
        raise ValidationError("届次不属于该巡视主体。")
    if start and end and end <= start:
        raise ValidationError("结束日期须晚于进驻日期。")
    if targets_per_team < 1:
        raise ValidationError("一托N中的N至少为1。")
    if Round.objects.filter(term=term, ordinal=ordinal).exists():
        raise ValidationError(f"{term.name}第{ordinal}轮已存在。")
    with transaction.atomic():
        rnd = Round.objects.create(
            body=body,
            term=term,
            ordinal=ordinal,
            name=name,
            kind=kind,
            sector_mode=sector_mode,
            theme=theme,
            targets_per_team=targets_per_team,
            start=start,
            end=end,
        )
        record(
            actor=actor, action="rounds.round.create", obj=rnd, after=snapshot(rnd, ROUND_FIELDS)
        )
    return rnd


def team_create(
    *, actor: Any, round: Round, number: int, rule_set: DisciplineRuleSet, name: str = ""
) -> Team:
    """Form a team of the round; its name follows the body (巡视组 / 巡察组)."""
    if Team.objects.filter(round=round, number=number).exists():
        raise ValidationError(f"本轮已有第{number}组。")
    name = name or f"第{_cn_number(number)}{round.body.work_word}组"
    with transaction.atomic():
        team = Team.objects.create(round=round, number=number, name=name, rule_set=rule_set)
        record(
            actor=actor,
            action="rounds.team.create",
            obj=team,
            after=snapshot(team, ["round", "number", "name", "rule_set"]),
        )
    return team


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def membership_add(*, actor: Any, team: Team, cadre: Cadre, role: str) -> TeamMembership:
    """Put a cadre in a team, refusing avoidance hits, a second leader, or a double post."""
    if role not in TeamRole.values:
        raise ValidationError("未知的组内职责。")
    if not cadre.active:
        raise ValidationError(f"{cadre.name}已不在干部库中。")
    if role == TeamRole.LEADER and not cadre.can_lead:
        raise ValidationError(f"{cadre.name}不具备任组长的条件。")
    if role == TeamRole.LEADER and team.memberships.filter(role=TeamRole.LEADER).exists():
        raise ValidationError(f"{team.name}已有组长。")
    clash = TeamMembership.objects.filter(team__round=team.round, cadre=cadre).first()
    if clash is not None:
        raise ValidationError(f"{cadre.name}已在本轮{clash.team.name}中。")
    targets = list(OrgUnit.objects.filter(inspections__team=team))
    hits = blocking_hits([cadre], targets, for_round=team.round)
    if hits:
        raise ValidationError([h.sentence for h in hits])
    with transaction.atomic():
        m = TeamMembership.objects.create(team=team, cadre=cadre, role=role)
        record(
            actor=actor,
            action="rounds.membership.add",
            obj=m,
            after=snapshot(m, ["team", "cadre", "role"]),
        )
    return m


def pledge_sign(*, actor: Any, membership: TeamMembership) -> TeamMembership:
    """The member's own signature on the team's discipline rules (廉洁承诺)."""
    if membership.cadre_id != getattr(actor, "cadre_id", None):
        raise ValidationError("只能由本人签署承诺。")
    if membership.pledge_signed_at is not None:
        raise ValidationError("您已签署过承诺。")
    with transaction.atomic():
        membership.pledge_signed_at = timezone.now()
        membership.pledge_rule_set = membership.team.rule_set
        membership.save(update_fields=["pledge_signed_at", "pledge_rule_set"])
        record(
            actor=actor,
            action="rounds.pledge.sign",
            obj=membership,
            object_repr=f"{membership.team}：{membership.cadre.name}",
            after=snapshot(membership, ["pledge_signed_at", "pledge_rule_set"]),
        )
    return membership


def branch_establish(
    *, actor: Any, team: Team, secretary: Cadre, established_on: dt.date
) -> PartyBranch:
    """Set up the team's temporary Party branch with a member as its secretary."""
    if not team.memberships.filter(cadre=secretary).exists():
        raise ValidationError("临时党支部书记须是本组成员。")
    if PartyBranch.objects.filter(team=team).exists():
        raise ValidationError("本组已成立临时党支部。")
    with transaction.atomic():
        branch = PartyBranch.objects.create(
            team=team, secretary=secretary, established_on=established_on
        )
        record(
            actor=actor,
            action="rounds.branch.establish",
            obj=branch,
            after=snapshot(branch, ["team", "secretary", "established_on"]),
        )
    return branch


def inspection_create(
    *,
    actor: Any,
    team: Team,
    target: OrgUnit,
    kind: str,
    counts_for_coverage: bool = True,
    batch: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Inspection:
    """Give the team a target, checking 一托N and every member's avoidance."""
    rnd = team.round
    if Inspection.objects.filter(round=rnd, target=target).exists():
        raise ValidationError(f"{target.name}在本轮已有巡视任务。")
    if team.inspections.count() >= rnd.targets_per_team:
        n = rnd.targets_per_team
        raise ValidationError(f"{team.name}已有{n}个对象（一托{n}）。")
    if start and end and end <= start:
        raise ValidationError("撤离日期须晚于进驻日期。")
    members = list(Cadre.objects.filter(memberships__team=team))
    hits = blocking_hits(members, [target], for_round=rnd)
    if hits:
        raise ValidationError([h.sentence for h in hits])
    with transaction.atomic():
        insp = Inspection.objects.create(
            round=rnd,
            team=team,
            target=target,
            kind=kind,
            counts_for_coverage=counts_for_coverage,
            batch=batch,
            start=start or rnd.start,
            end=end or rnd.end,
        )
        record(
            actor=actor,
            action="rounds.inspection.create",
            obj=insp,
            after=snapshot(insp, INSPECTION_FIELDS),
        )
    return insp


def inspection_set_stage(*, actor: Any, inspection: Inspection, stage: str) -> Inspection:
    """Move an inspection to a stage. The lifecycle issue replaces this with the guarded
    transition table; the foundation needs it to record the term's history."""
    if stage not in Stage.values:
        raise ValidationError("未知的巡视阶段。")
    with transaction.atomic():
        before = snapshot(inspection, ["stage"])
        inspection.stage = stage
        inspection.save(update_fields=["stage"])
        record(
            actor=actor,
            action="rounds.inspection.stage",
            obj=inspection,
            before=before,
            after=snapshot(inspection, ["stage"]),
        )
    return inspection
