"""The only code that writes rounds, teams, memberships, branches and inspections.

Team composition is checked against avoidance (回避): a member with a blocking hit on one of
the team's targets is refused, and so is a target for which a member has one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from planner.check import check_plan
from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import User
from xunshi.audit.actions import record, snapshot
from xunshi.jobs.actions import job_create, job_stop
from xunshi.jobs.models import JobKind
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds.avoidance import blocking_hits

from .approval_actions import round_plan_approval_withdraw
from .bodies import (
    cross_own_body_sentence,
    crossing_kind_errors,
    decision_errors,
    decision_missing,
    pool_body_ids,
    target_body_ids,
)
from .models import (
    DisciplineRuleSet,
    Inspection,
    InspectionKind,
    PartyBranch,
    PlanningJob,
    Round,
    Team,
    TeamMembership,
    TeamRole,
    YearPlanRound,
)
from .plan_sheet import team_name
from .planning import (
    RoundParams,
    build_problem,
    plan_from_dict,
    problem_from_dict,
    problem_to_dict,
    settle,
)
from .tasks import run_planning_job
from .yearplan_actions import year_plan_link_round
from .yearplan_rules import clean_tags, plan_round_open_errors

ROUND_FIELDS = [
    "body",
    "term",
    "ordinal",
    "name",
    "kind",
    "sector_mode",
    "theme",
    "theme_tags",
    "targets_per_team",
    "start",
    "end",
    "decision_ref",
    "decided_on",
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
    "parent",
]


def ruleset_create(
    *, actor: Actor, name: str, items: list[str], version: int = 1
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
    actor: Actor,
    body: InspectingBody,
    term: Term,
    ordinal: int,
    name: str,
    kind: str,
    sector_mode: str,
    theme: str = "",
    theme_tags: Sequence[str] = (),
    targets_per_team: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
    decision_ref: str = "",
    decided_on: dt.date | None = None,
    plan_round: YearPlanRound | None = None,
) -> Round:
    """Open a round of the body in a term; a 提级巡察 or 交叉巡察 round may carry the body's
    decision (文号 and date) at once or have it recorded later (`round_record_decision`). With
    `plan_round` it carries out that round of the body's approved year plan (linked at once,
    `year_plan_link_round`)."""
    if term.body_id != body.pk:
        raise ValidationError("届次不属于该巡视主体。")
    if start and end and end <= start:
        raise ValidationError("结束日期须晚于进驻日期。")
    if targets_per_team < 1:
        raise ValidationError("一托N中的N至少为1。")
    if Round.objects.filter(term=term, ordinal=ordinal).exists():
        raise ValidationError(f"{term.name}第{ordinal}轮已存在。")
    errors = crossing_kind_errors(kind, body)
    errors += decision_errors(decision_ref, decided_on, timezone.localdate())
    if plan_round is not None:
        errors += plan_round_open_errors(plan_round, body, start)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rnd = Round.objects.create(
            body=body,
            term=term,
            ordinal=ordinal,
            name=name,
            kind=kind,
            sector_mode=sector_mode,
            theme=theme,
            theme_tags=clean_tags(theme_tags),
            targets_per_team=targets_per_team,
            start=start,
            end=end,
            decision_ref=decision_ref.strip(),
            decided_on=decided_on,
        )
        record(
            actor=actor, action="rounds.round.create", obj=rnd, after=snapshot(rnd, ROUND_FIELDS)
        )
        if plan_round is not None:
            year_plan_link_round(actor=actor, plan_round=plan_round, round=rnd)
    return rnd


def team_create(
    *, actor: Actor, round: Round, number: int, rule_set: DisciplineRuleSet, name: str = ""
) -> Team:
    """Form a team of the round; its name follows the body (巡视组 / 巡察组)."""
    if Team.objects.filter(round=round, number=number).exists():
        raise ValidationError(f"本轮已有第{number}组。")
    name = name or team_name(round, number)
    with transaction.atomic():
        team = Team.objects.create(round=round, number=number, name=name, rule_set=rule_set)
        record(
            actor=actor,
            action="rounds.team.create",
            obj=team,
            after=snapshot(team, ["round", "number", "name", "rule_set"]),
        )
        round_plan_approval_withdraw(actor=actor, team=team, change=f"组建{team.name}")
    return team


def membership_add(*, actor: Actor, team: Team, cadre: Cadre, role: str) -> TeamMembership:
    """Put a cadre in a team, refusing avoidance hits, a second leader, or a double post."""
    if role not in TeamRole.values:
        raise ValidationError("未知的组内职责。")
    if not cadre.active:
        raise ValidationError(f"{cadre.name}已不在干部库中。")
    if role == TeamRole.LEADER and not cadre.can_lead:
        raise ValidationError(f"{cadre.name}不具备任组长的条件。")
    if role == TeamRole.LEADER and team.memberships.filter(role=TeamRole.LEADER).exists():
        raise ValidationError(f"{team.name}已有组长。")
    if cadre.body_id not in pool_body_ids(team.round):
        raise ValidationError(f"{cadre.name}不在{team.round.body.name}可调用的干部库中。")
    clash = TeamMembership.objects.filter(team__round=team.round, cadre=cadre).first()
    if clash is not None:
        raise ValidationError(f"{cadre.name}已在本轮{clash.team.name}中。")
    targets = list(OrgUnit.objects.filter(inspections__team=team))
    own = [
        s
        for t in targets
        if (s := cross_own_body_sentence(cadre.name, cadre.body_id, t.body_id))
        and team.round.kind == InspectionKind.CROSS
    ]
    if own:
        raise ValidationError(own[0])
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
        said = f"{cadre.name}任{team.name}{TeamRole(role).label}"
        round_plan_approval_withdraw(actor=actor, team=team, change=said)
    return m


def pledge_sign(*, actor: Actor, membership: TeamMembership) -> TeamMembership:
    """The member's own signature on the team's discipline rules (廉洁承诺)."""
    # The system signs only for the demo's members who have no login of their own.
    signer = person(actor)
    if signer is not None and membership.cadre_id != signer.cadre_id:
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


def pledge_sign_on_paper(
    *, actor: Actor, membership: TeamMembership, signed_on: dt.date
) -> TeamMembership:
    """The pledge a member signed on paper, entered by the office (the scan is kept by the
    decisions room's `pledge_record_paper`, which calls this inside its transaction)."""
    if membership.pledge_signed_at is not None:
        raise ValidationError(f"{membership.cadre.name}已签署过承诺。")
    noon = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12)))
    with transaction.atomic():
        membership.pledge_signed_at = min(noon, timezone.now())
        membership.pledge_rule_set = membership.team.rule_set
        membership.save(update_fields=["pledge_signed_at", "pledge_rule_set"])
        record(
            actor=actor,
            action="rounds.pledge.paper",
            obj=membership,
            object_repr=f"{membership.team}：{membership.cadre.name}",
            after=snapshot(membership, ["pledge_signed_at", "pledge_rule_set"]),
        )
    return membership


def branch_establish(
    *, actor: Actor, team: Team, secretary: Cadre, established_on: dt.date
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
    actor: Actor,
    team: Team,
    target: OrgUnit,
    kind: str,
    counts_for_coverage: bool = True,
    batch: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
    parent: Inspection | None = None,
) -> Inspection:
    """Give the team a target, checking the decision of a round that crosses bodies, 一托N and
    every member's avoidance; a look-back (回头看) names the inspection it follows up (`parent`,
    on the same target)."""
    rnd = team.round
    if missing := decision_missing(rnd):
        raise ValidationError(missing)
    if target.body_id not in target_body_ids(rnd):
        raise ValidationError(f"{target.name}不在{rnd.body.name}的巡视巡察对象名录中。")
    if Inspection.objects.filter(round=rnd, target=target).exists():
        raise ValidationError(f"{target.name}在本轮已有巡视任务。")
    if team.inspections.count() >= rnd.targets_per_team:
        n = rnd.targets_per_team
        raise ValidationError(f"{team.name}已有{n}个对象（一托{n}）。")
    if start and end and end <= start:
        raise ValidationError("撤离日期须晚于进驻日期。")
    if parent is not None and parent.target_id != target.pk:
        raise ValidationError("“回头看”须针对原巡视的同一单位。")
    members = list(Cadre.objects.filter(memberships__team=team))
    if rnd.kind == InspectionKind.CROSS:
        own = [
            s for m in members if (s := cross_own_body_sentence(m.name, m.body_id, target.body_id))
        ]
        if own:
            raise ValidationError(own)
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
            parent=parent,
        )
        record(
            actor=actor,
            action="rounds.inspection.create",
            obj=insp,
            after=snapshot(insp, INSPECTION_FIELDS),
        )
        said = f"{team.name}增加对象{target.name}"
        round_plan_approval_withdraw(actor=actor, team=team, change=said)
    return insp


# --- planning: the engine's plans become teams and inspections ------------------------------


def planning_job_create(
    *, actor: User, round: Round, params: RoundParams, targets: Sequence[OrgUnit]
) -> PlanningJob:
    """Build the round's problem from the registry, store it and queue the solver on it."""
    targets = list(targets)
    _check_planning_input(round, params, targets)
    problem = build_problem(round=round, params=params, targets=targets)
    with transaction.atomic():
        job = PlanningJob.objects.create(
            job=job_create(actor=actor, kind=JobKind.PLANNING),
            round=round,
            params=params.to_json(),
            target_ids=[t.pk for t in targets],
            problem=problem_to_dict(problem),
        )
        record(
            actor=actor,
            action="rounds.planning.create",
            obj=job,
            after={
                "round": round.pk,
                "params": params.to_json(),
                "targets": [t.code for t in targets],
                "cadres": len(problem.cadres),
                "conflicts": len(problem.conflicts),
            },
        )
    run_planning_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _check_planning_input(rnd: Round, params: RoundParams, targets: list[OrgUnit]) -> None:
    errors = []
    if not targets:
        errors.append("请至少选择一个巡视对象。")
    seen: set[int] = set()
    bodies = target_body_ids(rnd)
    outside = [t.name for t in targets if t.body_id not in bodies]
    if outside:
        errors.append(f"{'、'.join(outside)}不在{rnd.body.name}的巡视巡察对象名录中。")
    for t in targets:
        if t.pk in seen:
            errors.append(f"巡视对象{t.name}重复。")
        seen.add(t.pk)
        if t.body_id in bodies and not t.in_scope:
            errors.append(f"{t.name}未纳入巡视范围。")
    busy = Inspection.objects.filter(round=rnd, target_id__in=seen).select_related("target")
    errors += [f"{i.target.name}在本轮已有巡视任务。" for i in busy]
    if params.targets_per_team > rnd.targets_per_team:
        errors.append(
            f"{rnd.name}为一托{rnd.targets_per_team}，每组对象数（{params.targets_per_team}）"
            "不能多于此数。"
        )
    if errors:
        raise ValidationError(errors)


def planning_job_stop(*, actor: Actor, job: PlanningJob) -> PlanningJob:
    """Ask a running computation to stop (one not started yet stops at once)."""
    if not job_stop(actor=actor, job=job.job, message="已在开始计算前停止，未生成方案。"):
        raise ValidationError("该计算已结束或正在停止，无需再停止。")
    return job


def round_apply_plan(
    *, actor: Actor, job: PlanningJob, plan: dict[str, Any] | None = None
) -> list[Team]:
    """Create the teams, memberships and inspections of a checked plan (the job's own, or an
    edited one), recording the solver's versions, seed and objective with it."""
    rnd = job.round
    if job.applied_at is not None:
        raise ValidationError("该方案已被采用，不能重复采用。")
    if missing := decision_missing(rnd):
        raise ValidationError(missing)
    if rnd.teams.exists():
        raise ValidationError(f"{rnd.name}已组建巡视组，不能再采用方案。")
    data = plan if plan is not None else job.plan
    if data is None:
        raise ValidationError("该计算尚未得出方案。")
    problem = problem_from_dict(job.problem)
    chosen = settle(problem, plan_from_dict(data))
    if chosen.status not in ("optimal", "feasible"):
        raise ValidationError(["该方案没有可采用的分组。", *chosen.explanation])
    violations = check_plan(problem, chosen)
    if violations:
        raise ValidationError([f"{v}。" for v in violations])
    rule_set = DisciplineRuleSet.objects.order_by("-pk").first()
    if rule_set is None:
        raise ValidationError("尚未设定纪律规定，无法组建巡视组。")
    cadre_codes = {c for team in chosen.teams for c in team.members}
    cadres = {c.code: c for c in Cadre.objects.filter(code__in=cadre_codes)}
    target_codes = {t.id for t in problem.targets}
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in=target_codes)}
    gone = sorted(cadre_codes - cadres.keys()) + sorted(target_codes - orgs.keys())
    if gone:
        raise ValidationError(f"方案中的干部或对象已不在库中：{'、'.join(gone)}。")
    params = RoundParams.from_json(job.params)
    teams: list[Team] = []
    with transaction.atomic():
        locked = PlanningJob.objects.select_for_update().get(pk=job.pk)
        if locked.applied_at is not None:
            raise ValidationError("该方案已被采用，不能重复采用。")
        for number, planned in enumerate(chosen.teams, start=1):
            team = team_create(actor=actor, round=rnd, number=number, rule_set=rule_set)
            # Members first: each target added then checks the whole team's avoidance at once.
            for code in planned.members:
                role = TeamRole.LEADER if code == planned.leader else TeamRole.MEMBER
                membership_add(actor=actor, team=team, cadre=cadres[code], role=role)
            for code in planned.targets:
                inspection_create(actor=actor, team=team, target=orgs[code], kind=rnd.kind)
            teams.append(team)
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
        record(
            actor=actor,
            action="rounds.plan.apply",
            obj=rnd,
            after={
                "job": job.pk,
                "status": chosen.status,
                "objective": chosen.objective,
                "bound": chosen.bound,
                "seed": params.seed,
                "time_limit_s": params.time_limit_s,
                "solver": dict(chosen.solver),
                "edited": plan is not None and plan != job.plan,
                "problem_sha256": _digest(job.problem),
                "teams": [
                    {"leader": t.leader, "members": list(t.members), "targets": list(t.targets)}
                    for t in chosen.teams
                ],
            },
        )
    job.applied_at = locked.applied_at
    return teams


def _digest(data: Any) -> str:
    """SHA-256 of the canonical JSON, so the stored problem of an applied plan can be matched."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
