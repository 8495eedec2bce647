"""The writers of oversight: filings made by the stage changes (`filing_create`), a plan filed
again after its return (`filing_refile`), the review by the receiving office
(`filing_return`, `filing_accept`), the points a higher office sets (`point_create`), and the
bodies' figures counted for the pages above them (`figures_refresh`).

`filing_create` runs inside `inspection_transition`'s transaction (called from the
lifecycle's effects); each action records one audit event with the filing's kind, version and
bodies, never its summary's content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import Role
from xunshi.audit.actions import record, snapshot
from xunshi.lib.officedoc import cn_date
from xunshi.lib.refusals import refuse_unless
from xunshi.registry.models import InspectingBody
from xunshi.registry.queries import bodies_below
from xunshi.rounds.models import Inspection, Round

from .figures import body_rows, figures_of
from .models import BodyFigures, Filing, FilingKind, FilingStatus, OversightPoint
from .queries import round_started
from .summaries import (
    disclosure_summary,
    feedback_summary,
    plan_summary,
    rectification_summary,
    report_summary,
)

__all__ = [
    "figures_refresh",
    "filing_accept",
    "filing_create",
    "filing_refile",
    "filing_return",
    "point_create",
]

MAX_TEXT = 1000

_PER_INSPECTION: dict[str, Callable[[Inspection, dt.date], dict[str, Any]]] = {
    FilingKind.REPORT: lambda insp, on: report_summary(insp),
    FilingKind.FEEDBACK: feedback_summary,
    FilingKind.RECTIFICATION: rectification_summary,
    FilingKind.DISCLOSURE: disclosure_summary,
}
_FIELDS = ["from_body", "to_body", "kind", "round", "inspection", "version", "status"]


def _office_name(body: InspectingBody) -> str:
    return f"{body.name}{body.work_word}办"


def _require_office_of(actor: Actor, body: InspectingBody, what: str) -> None:
    """Only the office of `body` may do `what` (the system may do it for anyone)."""
    user = person(actor)
    if user is not None and (user.role != Role.OFFICE or user.body_id != body.pk):
        raise PermissionDenied(f"{what}须由{_office_name(body)}操作。")


def _file(
    *,
    actor: Actor,
    kind: str,
    rnd: Round,
    inspection: Inspection | None,
    summary: dict[str, Any],
    action: str,
    at: dt.datetime | None = None,
) -> Filing:
    """Create the next version of a filing (inside the caller's transaction), filed now or
    `at`."""
    assert rnd.body.parent is not None
    same = Filing.objects.filter(round=rnd, kind=kind, inspection=inspection)
    last = same.aggregate(v=Max("version"))["v"] or 0
    filing = Filing.objects.create(
        from_body=rnd.body,
        to_body=rnd.body.parent,
        kind=kind,
        round=rnd,
        inspection=inspection,
        summary=summary,
        filed_at=at or timezone.now(),
        filed_by=person(actor),
        version=last + 1,
    )
    record(actor=actor, action=action, obj=filing, after=snapshot(filing, _FIELDS))
    return filing


def filing_create(*, actor: Actor, kind: str, inspection: Inspection, on: dt.date) -> Filing | None:
    """Report up what the inspection's stage change made final (the round's plan at its first
    authorization, the report, the feedback, the rectification report, the disclosure); a
    body with no parent files nothing."""
    if kind not in FilingKind.values:
        raise ValidationError(f"未知的报备事项“{kind}”。")
    with transaction.atomic():
        # The round's row lock keeps two first authorizations from filing its plan twice.
        rnd = (
            Round.objects.select_for_update(of=("self",))
            .select_related("body__parent", "term")
            .get(pk=inspection.round_id)
        )
        if rnd.body.parent is None:
            return None
        if kind == FilingKind.PLAN:
            if Filing.objects.filter(round=rnd, kind=FilingKind.PLAN).exists():
                return None  # filed once; a returned plan is filed again by filing_refile
            summary, about = plan_summary(rnd), None
        else:
            summary, about = _PER_INSPECTION[kind](inspection, on), inspection
        return _file(
            actor=actor,
            kind=kind,
            rnd=rnd,
            inspection=about,
            summary=summary,
            action="oversight.filing.create",
            at=_filed_at(on),
        )


def _filed_at(on: dt.date) -> dt.datetime:
    """A filing goes up when its stage change happens: now, or for a stage change recorded
    with an earlier date (a decision taken on paper and entered later), that day's close of
    business (17:30, the office's local time)."""
    now = timezone.now()
    if on >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(17, 30)))


def filing_refile(*, actor: Actor, round: Round) -> Filing:
    """File the round's plan again as it stands now, after the body above returned it (or for
    the first time, if the round went on site with no plan filed)."""
    body = round.body
    _require_office_of(actor, body, "报备巡察工作方案")
    if body.parent_id is None:
        raise ValidationError(f"{body.name}没有上级党组织，无需报备。")
    with transaction.atomic():
        rnd = (
            Round.objects.select_for_update(of=("self",))
            .select_related("body__parent", "term")
            .get(pk=round.pk)
        )
        latest = Filing.objects.filter(round=rnd, kind=FilingKind.PLAN).order_by("-version").first()
        if latest is None:
            if not round_started(rnd):
                raise ValidationError(
                    "本轮尚未授权巡察组；授权第一个巡察组时，巡察工作方案自动报备。"
                )
        elif latest.status != FilingStatus.RETURNED:
            status = FilingStatus(latest.status).label
            raise ValidationError(
                f"本轮巡察工作方案（第{latest.version}版）{status}，只有被退回的方案才能重新报备。"
            )
        return _file(
            actor=actor,
            kind=FilingKind.PLAN,
            rnd=rnd,
            inspection=None,
            summary=plan_summary(rnd),
            action="oversight.filing.refile",
        )


def _review(actor: Actor, filing: Filing, what: str) -> Filing:
    """The filing locked for review by the receiving office, if it is still open."""
    _require_office_of(actor, filing.to_body, what)
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if locked.status != FilingStatus.FILED:
        status = FilingStatus(locked.status).label
        raise ValidationError(f"该报备{status}，不能再{what}。")
    return locked


def filing_return(*, actor: Actor, filing: Filing, reason: str) -> Filing:
    """Return a round's plan to the body that filed it, with the reason (审核退回)."""
    reason = reason.strip()
    problems = []
    if filing.kind != FilingKind.PLAN:
        problems.append("只有巡察工作方案可以退回。")
    if not reason:
        problems.append("退回巡察工作方案须填写退回理由。")
    elif len(reason) > MAX_TEXT:
        problems.append(f"退回理由不能超过{MAX_TEXT}个字（现有{len(reason)}个字）。")
    refuse_unless(problems)
    with transaction.atomic():
        locked = _review(actor, filing, "退回")
        before = snapshot(locked, ["status"])
        locked.status = FilingStatus.RETURNED
        locked.review_reason = reason
        locked.reviewed_by = person(actor)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
        record(
            actor=actor,
            action="oversight.filing.return",
            obj=locked,
            before=before,
            after={"status": locked.status, "reason": reason},
        )
    return locked


def filing_accept(*, actor: Actor, filing: Filing) -> Filing:
    """Mark a filing read and accepted by the receiving office (审核通过)."""
    with transaction.atomic():
        locked = _review(actor, filing, "审核")
        before = snapshot(locked, ["status"])
        locked.status = FilingStatus.ACCEPTED
        locked.reviewed_by = person(actor)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        record(
            actor=actor,
            action="oversight.filing.accept",
            obj=locked,
            before=before,
            after={"status": locked.status},
        )
    return locked


def point_create(
    *,
    actor: Actor,
    to_body: InspectingBody,
    text: str,
    due: dt.date | None,
    round: Round | None = None,
) -> OversightPoint:
    """Set a point (督导要点) for a body below the actor's, optionally about one of its rounds,
    to be attended to by a date."""
    user = person(actor)
    from_body = user.body if user is not None else to_body.parent
    if from_body is None or to_body.pk not in bodies_below(from_body.pk):
        raise PermissionDenied(f"{to_body.name}不是本单位的下级党组织。")
    _require_office_of(actor, from_body, "提出督导要点")
    text = text.strip()
    problems = []
    if not text:
        problems.append("请填写督导要点。")
    elif len(text) > MAX_TEXT:
        problems.append(f"督导要点不能超过{MAX_TEXT}个字（现有{len(text)}个字）。")
    if due is None:
        problems.append("请填写完成时限。")
    elif due < timezone.localdate():
        problems.append(f"完成时限（{cn_date(due)}）不能早于今天。")
    if round is not None and round.body_id != to_body.pk:
        problems.append(f"“{round.name}”不是{to_body.name}的轮次。")
    refuse_unless(problems)
    assert due is not None
    with transaction.atomic():
        point = OversightPoint.objects.create(
            from_body=from_body,
            to_body=to_body,
            round=round,
            text=text,
            due=due,
            created_by=user,
            created_at=timezone.now(),
        )
        record(
            actor=actor,
            action="oversight.point.create",
            obj=point,
            after=snapshot(point, ["from_body", "to_body", "round", "text", "due"]),
        )
    return point


def figures_refresh(*, today: dt.date | None = None) -> int:
    """Count the figures of every body that has a body above it and keep them as its summary
    (`BodyFigures`) for the oversight pages above it; the number of bodies. Derived from the
    records and replaced at each count, like a job's progress, so no audit event."""
    counted_at = timezone.now()
    today = today or timezone.localdate()
    bodies = InspectingBody.objects.filter(parent__isnull=False).order_by("pk")
    rows = body_rows([(body, 0) for body in bodies], today=today)
    summaries = [
        BodyFigures(
            body=row.body,
            day=today,
            counted_at=counted_at,
            term=row.term,
            last_filing=row.last_filing,
            figures=figures_of(row),
        )
        for row in rows
    ]
    with transaction.atomic():
        BodyFigures.objects.bulk_create(
            summaries,
            update_conflicts=True,
            unique_fields=["body"],
            update_fields=["day", "counted_at", "term", "last_filing", "figures"],
        )
    return len(summaries)
