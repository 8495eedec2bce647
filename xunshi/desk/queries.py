"""Read-side of the desk: the rows of the home page (one per rule with something waiting), the
strip of key figures of the user's scope, and the user's reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.models import Role, User
from xunshi.deadlines.rules import warning_thresholds
from xunshi.rectification.models import OPEN_STATUSES, RectificationItem
from xunshi.rectification.queries import level_filter
from xunshi.registry.access import terms_visible_to
from xunshi.registry.models import OrgUnit
from xunshi.rounds.access import inspections_visible_to
from xunshi.rounds.models import DONE_STAGES, Inspection, Stage

from .models import Notification
from .rules import (
    RULES_BY_KEY,
    Found,
    Item,
    Rule,
    audit_tail_intact,
    followed_items,
    rules_for,
)

__all__ = [
    "PAGE_ITEMS",
    "DeskRow",
    "Figure",
    "ItemRow",
    "desk_rows",
    "key_figures",
    "notification_rows",
    "notifications_of",
    "unread_count",
]

# The items the home page lists under each count (the count links to the whole list).
PAGE_ITEMS = 10


@dataclass(frozen=True)
class ItemRow:
    item: Item
    days: int  # today − the item's day: > 0 overdue (or waiting) so many days
    since: bool

    @property
    def overdue(self) -> bool:
        return not self.since and self.days > 0


@dataclass(frozen=True)
class DeskRow:
    rule: Rule
    count: int
    link: str
    items: list[ItemRow]


def _rows(rule: Rule, found: Found, today: dt.date) -> list[ItemRow]:
    return [ItemRow(i, (today - i.day).days, rule.since) for i in found.items]


def desk_rows(user: User, today: dt.date, *, limit: int = PAGE_ITEMS) -> list[DeskRow]:
    """The rules of the user's role with something waiting, each with its count, the list it
    opens and its first items, oldest first."""
    out = []
    for rule in rules_for(user):
        found = rule.find(user, today, limit)
        if found.count:
            link = rule.link(user, found)
            out.append(DeskRow(rule, found.count, link, _rows(rule, found, today)))
    return out


@dataclass(frozen=True)
class Figure:
    label: Any
    value: str
    url: str = ""
    tone: str = ""  # red, yellow, green or ""


def _percent(covered: int, total: int) -> str:
    return f"{covered * 100 / total:.1f}%" if total else "—"


def _coverage(user: User) -> Figure | None:
    """The share of the body's organizations in scope covered in its current term, counted in
    SQL (as `term_coverage` counts it: an inspection counts once the team has left)."""
    term = terms_visible_to(user).first()
    if term is None:
        return None
    scope = OrgUnit.objects.filter(body=term.body, in_scope=True)
    done = Inspection.objects.filter(
        round__term=term, counts_for_coverage=True, stage__in=DONE_STAGES
    ).values("target_id")
    covered = scope.filter(pk__in=done).count()
    return Figure(_("本届全覆盖"), _percent(covered, scope.count()), reverse("coverage"))


def _colours(user: User, today: dt.date) -> list[Figure]:
    thresholds = warning_thresholds(body_id=user.body_id)
    # No colour reaches past the furthest threshold: a range of the open items' index by
    # deadline, not every open item of every ledger.
    items = RectificationItem.objects.filter(
        followed_items(user),
        status__in=OPEN_STATUSES,
        deadline__lte=today + dt.timedelta(max(thresholds)),
    ).exclude(inspection__stage=Stage.CANCELLED)
    ledger = reverse("ledger_home")
    words = {"red": _("红色预警"), "yellow": _("黄色预警"), "green": _("绿色预警")}
    # The three colours in one pass over the items.
    counts = items.aggregate(
        **{c: Count("pk", filter=level_filter(c, today, thresholds)) for c in words}
    )
    return [
        Figure(words[c], str(counts[c]), f"{ledger}?colour={c}", c)
        for c in ("red", "yellow", "green")
    ]


def _admin_figures(user: User) -> list[Figure]:
    out = [
        Figure(
            _("启用的账号"),
            str(User.objects.filter(is_active=True).exclude(role="").count()),
        )
    ]
    if user.role == Role.AUDIT_ADMIN:
        intact, checked = audit_tail_intact()
        text = _("完整（核验最近%(n)s条）") if intact else _("断裂（最近%(n)s条中）")
        out.append(
            Figure(
                _("审计链"),
                str(text % {"n": checked}),
                reverse("audit_list") + "?verify=1",
                "green" if intact else "red",
            )
        )
    return out


def key_figures(user: User, today: dt.date) -> list[Figure]:
    """The strip above the rows: coverage, inspections on site and the open ledger items by
    warning colour in the user's scope; the admins' own figures for the three admins."""
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        return _admin_figures(user)
    out: list[Figure] = []
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        coverage = _coverage(user)
        if coverage is not None:
            out.append(coverage)
    if user.role in (Role.OFFICE, Role.LEADING_GROUP, Role.INSPECTOR):
        on_site = inspections_visible_to(user).filter(stage=Stage.ON_SITE).count()
        out.append(Figure(_("进驻中"), str(on_site), reverse("round_list")))
    if user.role in (Role.OFFICE, Role.LEADING_GROUP, Role.INSPECTOR, Role.LIAISON):
        out += _colours(user, today)
    return out


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's reminders, the newest day first (only the unread and not yet resolved when
    asked)."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True, resolved_at__isnull=True)
    # A run writes its reminders together: within a day, the oldest due first.
    return qs.order_by(TruncDate("created").desc(), "due", "pk")


def unread_count(user: User) -> int:
    """How many of the user's reminders are unread and still waiting (the header's badge): a
    resolved one (已处理) is not counted."""
    if not getattr(user, "is_authenticated", False):
        return 0
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return qs.filter(resolved_at__isnull=True).count()


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    label: Any
    days: int
    since: bool


def notification_rows(notifications: list[Notification], today: dt.date) -> list[NotificationRow]:
    """The reminders of one page with their rule's label and how overdue each is."""
    out = []
    for n in notifications:
        rule = RULES_BY_KEY.get(n.rule)
        out.append(
            NotificationRow(
                n,
                rule.label if rule else n.rule,
                (today - n.due).days,
                bool(rule and rule.since),
            )
        )
    return out
