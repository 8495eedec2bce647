"""What waits for whom: one table of small rules that the home page, the reminder job and the
tests share.

A `Rule` has a key, a Chinese label, the roles it is for, a `find(user, today, limit)` that
returns a `Found` (the count, in SQL, and at most `limit` items, oldest first) and a `link`:
the list the count opens. Each rule scopes exactly as the rest of the app, through the access
functions of the room it reads (own body for the office and the leading group, team
membership for a team cadre, the own unit(s) for a liaison), and each item carries only the
object's key, its unit's name, one date and a link: never case content, so the same item may
become a reminder (`xunshi/desk/actions.py`). A rule whose date is when the wait began (a clue
not yet transferred) says so with `since`; the others carry a due date. The leader's stage
blockers also carry the guard's sentences as `detail`, which the page shows and a reminder
never stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Max, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.models import Role, User
from xunshi.accounts.queries import open_lockout_alerts
from xunshi.audit.chain import event_hash, head_mac
from xunshi.audit.models import AuditEvent, AuditHead
from xunshi.decisions.queries import rounds_waiting, year_plans_waiting
from xunshi.fieldwork.models import PaperStatus, Petition, PetitionRouting, Talk, WorkingPaper
from xunshi.findings.models import DueKey, InspectionDue
from xunshi.findings.queries import clues_disposal_overdue, clues_untransferred
from xunshi.intake.access import routes_portal_reports
from xunshi.intake.models import PortalSubmission
from xunshi.lifecycle.actions import LEADER, available
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.rectification.queries import level_filter
from xunshi.rounds.access import inspections_visible_to, liaison_targets, teams_of
from xunshi.rounds.models import (
    ACTIVE_STAGES,
    Inspection,
    Round,
    Stage,
    TeamMembership,
    TeamRole,
)
from xunshi.users.queries import accounts_matching, admin_requests_awaiting

__all__ = [
    "RULES",
    "Found",
    "Item",
    "Rule",
    "audit_tail_intact",
    "followed_inspections",
    "followed_items",
    "rules_for",
]

# Dues are shown from a week before they fall (本周到期); overdue ones until they are met.
AHEAD_DAYS = 7
# How many events of the audit chain's end the home page re-hashes (the full check is
# `manage.py verify_audit`, or 核验 on the audit page).
AUDIT_TAIL = 200

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Item:
    key: str  # "<kind>:<id>", unique within the rule
    unit: str
    day: dt.date  # the due date, or the day the wait began for a `since` rule
    url: str
    detail: tuple[str, ...] = ()  # shown on the page only, never stored in a reminder


@dataclass(frozen=True)
class Found:
    count: int
    items: list[Item] = field(default_factory=list)


NOTHING = Found(0, [])


UNIT, ACCOUNT = _("单位"), _("账号")  # what a rule's items are (the column's heading)


@dataclass(frozen=True)
class Rule:
    key: str
    label: Promise | str
    roles: frozenset[str]
    find: Callable[[User, dt.date, int], Found]
    link: Callable[[User, Found], str]
    since: bool = False  # the item's day is when the wait began, not a due date
    subject: Promise | str = UNIT  # the heading of the column naming each item


def _url(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _found(
    qs: QuerySet[M], limit: int, order: Iterable[str], item: Callable[[M], Item | None]
) -> Found:
    """Count the queryset in SQL and make items of its first `limit` rows in `order`."""
    count = qs.count()
    if not count or limit <= 0:
        return Found(count, [])
    rows = (item(obj) for obj in qs.order_by(*order)[:limit])
    return Found(count, [i for i in rows if i is not None])


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _insp_of(item: Item) -> int:
    return int(item.key.rsplit("@", 1)[1])


# --- the office and the liaison: the rectification's dues and items --------------------------


def _own_body_items(user: User) -> Q:
    """The items of the office's own inspections (a 提级巡察 of its units is the higher body's
    to follow), as a condition on the item's joined inspection (see `followed_items`)."""
    return Q(inspection__round__in=Round.objects.filter(body_id=user.body_id))


def _dues(key: str) -> Callable[[User, dt.date, int], Found]:
    def find(user: User, today: dt.date, limit: int) -> Found:
        qs = InspectionDue.objects.filter(
            key=key,
            met_on__isnull=True,
            due__lte=today + dt.timedelta(AHEAD_DAYS),
            inspection__in=followed_inspections(user).filter(stage__in=ACTIVE_STAGES),
        ).select_related("inspection__target")
        return _found(
            qs,
            limit,
            ["due", "pk"],
            lambda d: Item(
                f"due:{d.pk}",
                d.inspection.target.name,
                d.due,
                _url("ledger", d.inspection_id),
            ),
        )

    return find


def followed_inspections(user: User) -> QuerySet[Inspection]:
    """The inspections whose ledger items the desk counts for the user: the own body's for the
    office and the leading group (a 提级巡察 of one of its units is the higher body's to follow;
    it reads that ledger on the ledger pages), the own teams' for a team cadre, the own
    unit(s)' for a liaison. Items exist only from the feedback on, so no stage filter is
    needed, which keeps this a plain indexed join (`ledger_inspections_for` also tests each
    inspection's stage and, for a body with 提级巡察 on its units, takes a UNION)."""
    if user.role == Role.LIAISON:
        return Inspection.objects.filter(liaison_targets(user))
    return inspections_visible_to(user)


def followed_items(user: User) -> Q:
    """The ledger items of `followed_inspections`, as a condition on the item. For the office
    and the leading group on the item's inspection by its round: the join that the stage test
    makes anyway, where an IN over the body's inspections hashed a copy of its 20,000 (the
    desk's three colours 40 against 25 ms at a province's size)."""
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        return _own_body_items(user)
    return Q(inspection__in=followed_inspections(user))


def _items_red(user: User, today: dt.date, limit: int) -> Found:
    qs = RectificationItem.objects.filter(
        level_filter("red", today, (0, 0)), followed_items(user)
    ).exclude(inspection__stage=Stage.CANCELLED)
    return _found(qs.select_related("inspection__target"), limit, ["deadline", "pk"], _item_row)


def _item_row(it: RectificationItem, day: dt.date | None = None) -> Item | None:
    when = day or it.deadline
    if when is None:
        return None
    return Item(
        f"item:{it.pk}",
        it.inspection.target.name,
        when,
        _url("ledger", it.inspection_id) + f"#item-{it.seq}",
    )


def _items_claimed(user: User, today: dt.date, limit: int) -> Found:
    qs = RectificationItem.objects.filter(
        _own_body_items(user), status=ItemStatus.CLAIMED, claimed_on__isnull=False
    ).select_related("inspection__target")
    return _found(qs, limit, ["claimed_on", "pk"], lambda it: _item_row(it, it.claimed_on))


def _items_returned(user: User, today: dt.date, limit: int) -> Found:
    # A return clears the claim's date and keeps its reason: the item's deadline dates it.
    qs = (
        RectificationItem.objects.filter(liaison_targets(user, "inspection__"))
        .filter(status=ItemStatus.IN_PROGRESS, deadline__isnull=False)
        .exclude(return_reason="")
        .select_related("inspection__target")
    )
    return _found(qs, limit, ["deadline", "pk"], _item_row)


def _deadlines_week(user: User, today: dt.date, limit: int) -> Found:
    qs = RectificationItem.objects.filter(liaison_targets(user, "inspection__")).filter(
        status__in=[ItemStatus.PENDING, ItemStatus.IN_PROGRESS],
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(AHEAD_DAYS),
    )
    return _found(qs.select_related("inspection__target"), limit, ["deadline", "pk"], _item_row)


# --- the office: clues and the portal ---------------------------------------------------------


def _clue_row(day: Callable[[Any], dt.date | None]) -> Callable[[Any], Item | None]:
    def row(clue: Any) -> Item | None:
        when = day(clue)
        if when is None:
            return None
        return Item(
            f"clue:{clue.pk}", clue.inspection.target.name, when, _url("clue_detail", clue.pk)
        )

    return row


def _clues_untransferred(user: User, today: dt.date, limit: int) -> Found:
    qs = clues_untransferred(user.body_id).exclude(inspection__stage=Stage.CANCELLED)
    return _found(qs, limit, ["created_at", "pk"], _clue_row(lambda c: _day(c.created_at)))


def _clues_disposal(user: User, today: dt.date, limit: int) -> Found:
    qs = clues_disposal_overdue(user.body_id, today)
    return _found(qs, limit, ["disposal_due", "pk"], _clue_row(lambda c: c.disposal_due))


def _portal_unrouted(user: User, today: dt.date, limit: int) -> Found:
    if not routes_portal_reports(user):
        return NOTHING
    qs = PortalSubmission.objects.filter(routed=False)
    return _found(
        qs,
        limit,
        ["pulled_at", "pk"],
        lambda s: Item(
            f"portal:{s.pk}", str(_("码上巡察")), s.day or _day(s.pulled_at), _url("intake_home")
        ),
    )


# --- the leading group (and the office's slot for the approvals) ------------------------------


def _approvals(user: User, today: dt.date, limit: int) -> Found:
    """The year plans and the round plans of the user's body waiting for the leading group's
    approval, oldest first; each links to the group's page, where the meeting is recorded."""
    if user.body_id is None:
        return NOTHING
    page = _url("group_home")
    plans = _found(
        year_plans_waiting(user.body_id).select_related("body"),
        limit,
        ["created_at", "pk"],
        lambda p: Item(f"yearplan:{p.pk}", str(p), _day(p.created_at), page),
    )
    rounds = _found(
        rounds_waiting(user.body_id).select_related("term"),
        limit - len(plans.items),
        ["start", "pk"],
        lambda r: Item(f"round:{r.pk}", r.name, r.start or r.term.start, page),
    )
    return Found(plans.count + rounds.count, (plans.items + rounds.items)[:limit])


def _begun(insp: Inspection) -> dt.date:
    """A fixed day for an inspection whose stage history is not recorded (the demo's closed
    ones): its entry, or its round's, or its term's start; never today, which would make the
    same thing a new reminder every day."""
    rnd = insp.round
    return insp.start or rnd.start or rnd.term.start


def _at_stage(stage: str, page: str) -> Callable[[User, dt.date, int], Found]:
    def find(user: User, today: dt.date, limit: int) -> Found:
        entered = Max("stage_changes__on", filter=Q(stage_changes__to_stage=stage))
        qs = (
            inspections_visible_to(user)
            .filter(stage=stage)
            .annotate(entered=entered)
            .select_related("target", "round__term")
        )
        return _found(
            qs,
            limit,
            ["entered", "pk"],
            lambda i: Item(
                f"inspection:{i.pk}",
                i.target.name,
                getattr(i, "entered", None) or _begun(i),
                _url(page, i.pk),
            ),
        )

    return find


# --- the team -------------------------------------------------------------------------------


def _led(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        team__in=teams_of(user, role=TeamRole.LEADER), stage__in=ACTIVE_STAGES
    )


def _record_row(name: str, day: Callable[[Any], dt.date]) -> Callable[[Any], Item]:
    def row(obj: Any) -> Item:
        return Item(
            f"{name}:{obj.pk}@{obj.inspection_id}",
            obj.inspection.target.name,
            day(obj),
            _url(f"{name}_detail", obj.pk),
        )

    return row


_PAPER_ROW = _record_row("paper", lambda p: _day(p.created_at))


def _papers_to_review(user: User, today: dt.date, limit: int) -> Found:
    qs = WorkingPaper.objects.filter(
        inspection__in=_led(user), status__in=[PaperStatus.GROUP_REVIEW, PaperStatus.LEADER_REVIEW]
    ).select_related("inspection__target")
    return _found(qs, limit, ["created_at", "pk"], _PAPER_ROW)


def _talks_to_sign(user: User, today: dt.date, limit: int) -> Found:
    qs = Talk.objects.filter(inspection__in=_led(user), signed_off_at__isnull=True)
    qs = qs.select_related("inspection__target")
    return _found(qs, limit, ["held_at", "pk"], _record_row("talk", lambda t: _day(t.held_at)))


def _petitions_pending(user: User, today: dt.date, limit: int) -> Found:
    qs = Petition.objects.filter(inspection__in=_led(user), routing=PetitionRouting.PENDING)
    qs = qs.select_related("inspection__target")
    return _found(
        qs, limit, ["received_on", "pk"], _record_row("petition", lambda p: p.received_on)
    )


def _stage_blockers(user: User, today: dt.date, limit: int) -> Found:
    """What stands in the way of the leader's next move on each inspection of the own teams:
    the lifecycle's guard sentences (a leader has one to three inspections at a time)."""
    items = []
    for insp in _led(user).select_related("target", "team", "round__term").order_by("pk"):
        for t, problems in available(user, insp):
            if t.actor != LEADER or not problems:
                continue
            entered = insp.stage_changes.filter(to_stage=insp.stage).aggregate(on=Max("on"))
            items.append(
                Item(
                    f"stage:{insp.pk}:{t.target}",
                    insp.target.name,
                    entered["on"] or _begun(insp),
                    _url("inspection_workspace", insp.pk),
                    detail=(str(_("“%(step)s”之前须完成：") % {"step": t.label}), *problems),
                )
            )
    items.sort(key=lambda i: (i.day, i.key))
    return Found(len(items), items[:limit])


def _open_memberships() -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(
        pledge_signed_at__isnull=True, team__inspections__stage__in=ACTIVE_STAGES
    ).distinct()


def _pledge_row(m: TeamMembership, who: bool) -> Item:
    rnd = m.team.round
    unit = f"{m.team.name}·{m.cadre.name}" if who else m.team.name
    return Item(f"pledge:{m.pk}", unit, rnd.start or rnd.term.start, _url("team_detail", m.team_id))


def _pledges_in_team(user: User, today: dt.date, limit: int) -> Found:
    qs = _open_memberships().filter(team__in=teams_of(user, role=TeamRole.LEADER))
    if user.cadre_id:
        qs = qs.exclude(cadre_id=user.cadre_id)  # the leader's own is `own_pledge`
    qs = qs.select_related("team__round__term", "cadre")
    return _found(qs, limit, ["team__round__start", "pk"], lambda m: _pledge_row(m, True))


def _own_pledge(user: User, today: dt.date, limit: int) -> Found:
    if user.role != Role.INSPECTOR or not user.cadre_id:
        return NOTHING
    qs = _open_memberships().filter(cadre_id=user.cadre_id).select_related("team__round__term")
    return _found(qs, limit, ["team__round__start", "pk"], lambda m: _pledge_row(m, False))


def _own_papers(user: User, today: dt.date, limit: int) -> Found:
    qs = WorkingPaper.objects.filter(
        created_by=user,
        status__in=[PaperStatus.DRAFT, PaperStatus.RETURNED],
        inspection__in=inspections_visible_to(user),
    ).select_related("inspection__target")
    return _found(qs, limit, ["created_at", "pk"], _PAPER_ROW)


# --- the three admins -----------------------------------------------------------------------


def _locked(user: User, today: dt.date, limit: int) -> Found:
    # The accounts locked after failures from all clients together (one alert per lock).
    return _found(
        open_lockout_alerts(),
        limit,
        ["locked_at", "pk"],
        lambda a: Item(f"lockout:{a.pk}", a.username, _day(a.locked_at), _url("lockout_list")),
    )


def audit_tail_intact(n: int = AUDIT_TAIL) -> tuple[bool, int]:
    """Whether the last n events of the audit chain re-hash to their stored hashes, link to
    each other and end where the head says, under its MAC: a cheap check for the home page,
    not the full `verify_chain`. Returns (intact, how many were checked)."""
    events = list(AuditEvent.objects.order_by("-id")[:n])[::-1]
    head = AuditHead.objects.filter(pk=1).first()
    if not events:
        return head is None or head.last_id == 0, 0
    for before, event in zip([None, *events], events, strict=False):
        if before is not None and event.prev_hash != before.hash:
            return False, len(events)
        if event.hash != event_hash(event.prev_hash, event):
            return False, len(events)
    last = events[-1]
    # The head names the last event and carries the audit key's MAC (ids run 1 … count).
    ok = (
        head is not None
        and head.last_id == last.id
        and head.last_hash == last.hash
        and head.mac == head_mac(head.last_id, head.last_hash, head.last_id)
    )
    return ok, len(events)


def _audit_chain(user: User, today: dt.date, limit: int) -> Found:
    intact, _checked = audit_tail_intact()
    if intact:
        return NOTHING
    return Found(1, [Item("audit:tail", str(_("审计日志")), today, _url("audit_list", verify=1))])


def _without_second_factor(user: User, today: dt.date, limit: int) -> Found:
    # The accounts whose role must sign in with a second factor and that have not enrolled
    # yet (opened and never used, or reset after a lost phone): the admins follow them up.
    return _found(
        accounts_matching("", without_second_factor=True),
        limit,
        ["date_joined", "pk"],
        lambda u: Item(
            f"user:{u.pk}",
            f"{u.full_name}（{u.username}）",
            _day(u.date_joined),
            _url("user_list", no2fa=1),
        ),
    )


def _admin_requests(user: User, today: dt.date, limit: int) -> Found:
    # The changes to an admin's account another admin asked for, which this one may approve.
    return _found(
        admin_requests_awaiting(user),
        limit,
        ["requested_at", "pk"],
        lambda r: Item(
            f"adminrequest:{r.pk}",
            f"{r.target.full_name}（{r.target.username}）：{r.get_kind_display()}",
            _day(r.requested_at),
            _url("admin_request_list"),
        ),
    )


# --- the table --------------------------------------------------------------------------------

OFFICE, GROUP, TEAM, LIAISON = Role.OFFICE, Role.LEADING_GROUP, Role.INSPECTOR, Role.LIAISON


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def _fixed(name: str, **query: Any) -> Callable[[User, Found], str]:
    return lambda user, found: _url(name, **query)


def _team_list(name: str, **query: Any) -> Callable[[User, Found], str]:
    """The inspection's own list when every item is of one inspection; else the rounds."""

    def link(user: User, found: Found) -> str:
        inspections = {_insp_of(i) for i in found.items}
        if len(inspections) == 1 and found.count == len(found.items):
            return _url(name, inspections.pop(), **query)
        return _url("round_list")

    return link


def _first(fallback: str) -> Callable[[User, Found], str]:
    """The page of the items when they are all on one page, else the fallback list."""

    def link(user: User, found: Found) -> str:
        pages = {i.url.split("#")[0] for i in found.items}
        if len(pages) == 1 and found.count == len(found.items):
            return pages.pop()
        return _url(fallback)

    return link


def _group_rule(key: str, label: Promise, stage: str) -> Rule:
    """A leading group's rule: the body's inspections at `stage`, each since it got there,
    opening its report page (the rounds when there are several)."""
    return Rule(
        key,
        label,
        _roles(GROUP),
        _at_stage(stage, "report_page"),
        _first("round_list"),
        since=True,
    )


def _admin_rule(
    key: str,
    label: Promise,
    roles: list[str],
    find: Callable[[User, dt.date, int], Found],
    page: str,
    subject: Promise = ACCOUNT,
    **query: Any,
) -> Rule:
    """An admin's rule: what waits since a moment, the count opening one fixed page."""
    link = _fixed(page, **query)
    return Rule(key, label, _roles(*roles), find, link, since=True, subject=subject)


RULES: list[Rule] = [
    # the office
    Rule(
        "plan_due",
        _("整改方案报送期限"),
        _roles(OFFICE, LIAISON),
        _dues(DueKey.RECTIFICATION_PLAN),
        _fixed("ledger_home", stage=Stage.FEEDBACK_GIVEN),
    ),
    Rule(
        "report_due",
        _("整改情况报告报送期限"),
        _roles(OFFICE, LIAISON),
        _dues(DueKey.RECTIFICATION_REPORT),
        _fixed("ledger_home", stage=Stage.RECTIFYING),
    ),
    Rule(
        "clue_transfer",
        _("待移交的问题线索"),
        _roles(OFFICE),
        _clues_untransferred,
        _fixed("clue_overdue"),
        since=True,
    ),
    Rule(
        "clue_disposal",
        _("处置反馈逾期的问题线索"),
        _roles(OFFICE),
        _clues_disposal,
        _fixed("clue_overdue", overdue=1),
    ),
    Rule(
        "items_red",
        _("红色预警的整改事项"),
        _roles(OFFICE),
        _items_red,
        _fixed("supervision", colour="red"),
    ),
    Rule(
        "items_claimed",
        _("待核验销号的整改事项"),
        _roles(OFFICE),
        _items_claimed,
        _fixed("ledger_home", status=ItemStatus.CLAIMED),
        since=True,
    ),
    Rule(
        "portal_unrouted",
        _("待分送的码上巡察举报"),
        _roles(OFFICE),
        _portal_unrouted,
        _fixed("intake_home"),
        since=True,
    ),
    Rule(
        "plan_approvals",
        _("待领导小组审批的巡视计划"),
        _roles(OFFICE, GROUP),
        _approvals,
        _fixed("group_home"),
        since=True,
        subject=_("计划"),
    ),
    # the leading group
    _group_rule("reports_to_hear", _("待听取汇报的巡视报告"), Stage.OFFICE_REVIEWED),
    _group_rule("decisions", _("待党委研究决定的巡视"), Stage.LEADING_GROUP_HEARD),
    # the team leader
    Rule(
        "papers_to_review",
        _("待审议审定的问题底稿"),
        _roles(TEAM),
        _papers_to_review,
        _team_list("paper_list"),
        since=True,
    ),
    Rule(
        "talks_to_sign",
        _("待签认的谈话记录"),
        _roles(TEAM),
        _talks_to_sign,
        _team_list("talk_list"),
        since=True,
    ),
    Rule(
        "petitions_pending",
        _("待处理的信访件"),
        _roles(TEAM),
        _petitions_pending,
        _team_list("petition_list", status=PetitionRouting.PENDING),
        since=True,
    ),
    Rule(
        "stage_blockers",
        _("本阶段尚待完成的事项"),
        _roles(TEAM),
        _stage_blockers,
        _first("round_list"),
        since=True,
    ),
    Rule(
        "pledges_unsigned",
        _("组内尚未签署纪律承诺的成员"),
        _roles(TEAM),
        _pledges_in_team,
        _first("round_list"),
    ),
    # every team member
    Rule("own_pledge", _("待签署的纪律承诺"), _roles(TEAM), _own_pledge, _first("round_list")),
    Rule(
        "own_papers",
        _("我起草中或被退回的问题底稿"),
        _roles(TEAM),
        _own_papers,
        _first("round_list"),
        since=True,
    ),
    # the liaison
    Rule(
        "items_returned",
        _("被退回的销号申请"),
        _roles(LIAISON),
        _items_returned,
        _fixed("ledger_home", status=ItemStatus.IN_PROGRESS),
    ),
    Rule(
        "deadlines_week",
        _("本周到期的整改事项"),
        _roles(LIAISON),
        _deadlines_week,
        _fixed("ledger_home", colour="yellow"),
    ),
    # the three admins
    _admin_rule(
        "locked_accounts", _("被锁定的账号"), [Role.SECURITY_ADMIN], _locked, "lockout_list"
    ),
    _admin_rule(
        "audit_chain",
        _("审计链核验未通过"),
        [Role.AUDIT_ADMIN],
        _audit_chain,
        "audit_list",
        subject=_("对象"),
        verify=1,
    ),
    _admin_rule(
        "admin_requests",
        _("待我批准的管理员账号变更"),
        [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        _admin_requests,
        "admin_request_list",
    ),
    _admin_rule(
        "without_second_factor",
        _("未启用双因素认证的账号"),
        [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
        _without_second_factor,
        "user_list",
        no2fa=1,
    ),
]
RULES_BY_KEY = {r.key: r for r in RULES}


def rules_for(user: User) -> list[Rule]:
    """The rules of the user's role, in the table's order."""
    return [r for r in RULES if user.role in r.roles]
