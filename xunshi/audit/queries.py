"""Read-side questions of the audit trail: the filtered events, and each event as the auditor
reads it (the names of `names.py`, the user's name and role, what changed).

What a row shows comes from the event alone (its stored user, object name and ids, before and
after) and the account's current name: nothing is looked up in the records the event is
about, so the page shows no case content that the event does not hold, and the event holds
none (the actions keep it out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xunshi.accounts.models import User

from .actions import OPAQUE_TYPES
from .chain import username_digest
from .models import AuditEvent, AuditHead, ChainVerification
from .names import action_name, field_name, field_value, object_type_name, role_name

__all__ = [
    "TrailFilter",
    "TrailPage",
    "TrailRow",
    "audit_events",
    "trail_page",
    "trail_rows",
    "verification_for",
]

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class TrailFilter:
    """What the auditor chose: a date range (both days included), a user, an action, a type
    and an object's id; every one an exact match, so that each is an index's range."""

    start: dt.date | None = None
    end: dt.date | None = None
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""

    @property
    def empty(self) -> bool:
        return not self.as_dict()

    def as_dict(self) -> dict[str, str]:
        """The filter's chosen values, as the audit event of a reading or an export keeps them."""
        values = {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
        }
        return {k: v for k, v in values.items() if v}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(chosen: TrailFilter | None = None) -> QuerySet[AuditEvent]:
    """The events the filter chooses, newest first."""
    f = chosen or TrailFilter()
    events = AuditEvent.objects.order_by("-id")
    if f.start:
        events = events.filter(at__gte=_day_start(f.start))
    if f.end:
        events = events.filter(at__lt=_day_start(f.end + dt.timedelta(days=1)))
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.object_id:
        events = events.filter(object_id=f.object_id)
    if f.actor:
        if f.actor == _("系统"):
            events = events.filter(actor_role=SYSTEM_ROLE)
        else:
            # A user name or a full name, exactly: the accounts' ids, then the events by id;
            # a name no account holds (any more) is looked for as the stored user name.
            ids = list(
                User.objects.filter(Q(username=f.actor) | Q(full_name=f.actor)).values_list(
                    "pk", flat=True
                )
            )
            if ids:
                events = events.filter(actor_id__in=ids)
            else:
                events = events.filter(actor_username=f.actor)
    return events


@dataclass(frozen=True)
class TrailPage:
    """One page of the trail, newest first, found by its neighbours' ids (keyset): `older`
    is the id to read on from (?before=), `newer` the id to read back from (?after=), None
    where there is nothing that way; `total` is the chain's length when nothing is filtered
    (the head's last id: the ids have no gaps), else None: a filtered page never counts."""

    events: list[AuditEvent]
    older: int | None
    newer: int | None
    total: int | None


def trail_page(
    chosen: TrailFilter, *, before: int | None = None, after: int | None = None, size: int = 50
) -> TrailPage:
    """The page of `size` events the filter chooses below id before (or above id after, the
    page before it), newest first; each page is one query of size + 1 rows on an index."""
    events = audit_events(chosen)
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        older = rows[-1].id if rows else None
        newer = rows[0].id if rows and more_newer else None
    else:
        if before is not None:
            events = events.filter(id__lt=before)
        rows = list(events[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        older = rows[-1].id if rows and more_older else None
        newer = rows[0].id if rows and before is not None else None
    total = None
    if chosen.empty:
        total = AuditHead.objects.filter(pk=1).values_list("last_id", flat=True).first() or 0
    return TrailPage(events=rows, older=older, newer=newer, total=total)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class TrailRow:
    """One event as the page and the export show it."""

    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    object_type: str
    object: str
    changes: list[Change]
    event: AuditEvent

    def cells(self) -> list[str | int]:
        """The row of the Excel export: the page's columns, the changes as one text."""
        changes = "；".join(
            f"{c.field}：{c.before} → {c.after}" if c.before else f"{c.field}：{c.after}"
            for c in self.changes
        )
        return [
            self.id,
            f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S}",
            self.actor,
            self.role,
            self.action,
            self.object_type,
            self.object,
            changes,
        ]


def _actor(event: AuditEvent, names: dict[int, str]) -> str:
    if event.actor_role == SYSTEM_ROLE:
        return _("系统")
    if event.actor_id is None:
        return _("未登录")
    name = names.get(event.actor_id, "")
    return f"{name}（{event.actor_username}）" if name else event.actor_username


# Events recorded before the actions kept these out (issue 11) named a problem or a ledger item
# by its wording, and kept a paper's title and a problem's summary among their values. The
# chain keeps them as they were; the page and the export do not show them.
_NAMED_BY_NUMBER = {"inspections.problem", "rectification.rectificationitem"}
_CASE_VALUES = {("inspections.workingpaper", "title"), ("inspections.problem", "summary")}


def _object(event: AuditEvent) -> str:
    if event.action == "audit.view":
        return ""  # its object id is the page read, which its changes show
    if event.action == "accounts.login_failed":
        # Kept as a keyed digest of the name typed (issue 12); events from before kept the
        # text itself, which is shown as the same digest.
        typed = event.object_repr
        return _("用户名摘要 {digest}").format(
            digest=username_digest(typed) if typed else event.object_id
        )
    if event.object_type in OPAQUE_TYPES and event.object_type not in _NAMED_BY_NUMBER:
        # 附件#4: the object's own name is case content (events from before kept it).
        return f"{object_type_name(event.object_type)}#{event.object_id}"
    if event.object_type in _NAMED_BY_NUMBER and not event.object_repr.startswith("第"):
        return f"#{event.object_id}"
    if event.object_repr:
        return event.object_repr
    return f"#{event.object_id}" if event.object_id else ""


def _changes(event: AuditEvent) -> list[Change]:
    before: dict[str, Any] = event.before if isinstance(event.before, dict) else {}
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue  # unchanged: only what changed is shown
        if (event.object_type, key) in _CASE_VALUES:
            continue
        if key in OPAQUE_TYPES.get(event.object_type, ()):
            continue
        t = event.object_type
        out.append(
            Change(
                field=field_name(t, key),
                before=field_value(t, key, old) if key in before else "",
                after=field_value(t, key, new) if key in after else _("（删除）"),
            )
        )
    return out


def _names(ids: set[int] | None) -> dict[int, str]:
    users = User.objects.all() if ids is None else User.objects.filter(pk__in=ids)
    return dict(users.values_list("pk", "full_name"))


def trail_rows(events: Iterable[AuditEvent], *, all_users: bool = False) -> Iterator[TrailRow]:
    """The events as rows; the users' names in one query (for an export, of every account)."""
    if all_users:
        names = _names(None)
    else:
        events = list(events)
        names = _names({e.actor_id for e in events if e.actor_id is not None})
    for e in events:
        yield TrailRow(
            id=e.id,
            at=e.at,
            actor=_actor(e, names),
            role=(role_name(e.actor_role) if e.actor_role != SYSTEM_ROLE else "") or "—",
            action=action_name(e.action),
            object_type=object_type_name(e.object_type),
            object=_object(e),
            changes=_changes(e),
            event=e,
        )


def verification_for(pk: int) -> ChainVerification | None:
    """A verification of the chain (every one is the audit admin's to read), or None."""
    return ChainVerification.objects.select_related("requested_by").filter(pk=pk).first()
