"""The only writer of the audit trail: `record` chains one event onto the trail, inside the
transaction of the change it records; `snapshot` gives an object's fields as the plain JSON
values an event keeps. The actor is a signed-in account or `xunshi.accounts.actors.SYSTEM`.

The hash that links each event to the one before, and the head's MAC, are computed in
`chain`, which also verifies the trail; the signed checkpoints outside the database are
written by `anchor_actions` (asked for here after every AUDIT_CHECKPOINT_EVENTS-th event).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone, translation

from xunshi.accounts.actors import Actor, person

from .anchor_actions import checkpoint_due, checkpoint_soon
from .chain import event_hash, head_mac
from .models import AuditEvent, AuditHead
from .names import object_type_name

__all__ = ["OPAQUE_TYPES", "record", "snapshot"]

logger = logging.getLogger(__name__)


# Case objects whose own name is case content (an attachment goes by the file name a citizen or
# a team gave it, a problem by its working paper's title): the trail names them by reference,
# 附件#4, 问题#12, unless the action names them otherwise, and keeps none of these values.
OPAQUE_TYPES: dict[str, frozenset[str]] = {
    "files.attachment": frozenset({"original_name"}),
    "inspections.problem": frozenset({"summary", "title"}),
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of obj as plain JSON values (foreign keys as ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Chain one audit event on; must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction of their change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        # The trail is kept in one language, whatever the acting user browses in.
        with translation.override(settings.LANGUAGE_CODE):
            if object_type in OPAQUE_TYPES:
                object_repr = object_repr or f"{object_type_name(object_type)}#{object_id}"
            object_repr = object_repr or str(obj)[:200]
    hidden = OPAQUE_TYPES.get(object_type, frozenset())
    if hidden:
        before = None if before is None else {k: v for k, v in before.items() if k not in hidden}
        after = None if after is None else {k: v for k, v in after.items() if k not in hidden}
    # None: nobody signed in (a failed sign-in); an anonymous user object is refused.
    account = None if actor is None else person(actor)
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    # A head whose MAC fails was set by hand (rows cut off behind it, say). Chaining on is not
    # refused (sign-ins, and the audit admin reading the trail, are events too), but the new
    # head carries no MAC either, so the verification keeps saying so until it is looked into.
    tainted = bool(head.last_id or head.mac) and head.mac != head_mac(
        head.last_id, head.last_hash, head.last_id
    )
    if tainted and head.mac:
        logger.error("audit head #%s fails its MAC: the trail was tampered with", head.last_id)
    event = AuditEvent(
        id=head.last_id + 1,
        at=timezone.now(),
        actor_id=account.pk if account is not None else None,
        actor_username=actor.username if actor is not None else "anonymous",
        actor_role=str(actor.role) if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_plain(dict(before)) if before is not None else None,
        after=_plain(dict(after)) if after is not None else None,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event.prev_hash, event)
    event.save(force_insert=True)
    head.last_id = event.id
    head.last_hash = event.hash
    head.mac = "" if tainted else head_mac(event.id, event.hash, event.id)
    head.save(update_fields=["last_id", "last_hash", "mac"])
    if checkpoint_due(event.id):
        checkpoint_soon()
    return event
