"""Who acts: a signed-in user, or the system itself.

`SYSTEM` is the actor of the writes no person made: the demo loader, the task worker, the
portal puller. It is a `SystemActor`, not "a user without an id", so an anonymous user (who
has no id either) can never pass as the system: actions ask `is_system(actor)`, and
`person(actor)` (the user to store as creator, signer or verifier) refuses anyone who is
neither the system nor a signed-in account.
"""

from __future__ import annotations

from typing import TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User

__all__ = ["SYSTEM", "Actor", "SignedInRequest", "SystemActor", "is_system", "person"]


class SystemActor:
    """The one actor that is not a person; it has no account, no role and no cadre."""

    username = "system"
    role = "system"
    cadre_id = None
    org_id = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

Actor: TypeAlias = User | SystemActor


def is_system(actor: object) -> bool:
    """Whether the write is the system's own (never true of any user, signed in or not)."""
    return isinstance(actor, SystemActor)


def person(actor: object) -> User | None:
    """The account to record as the one who acted: None for the system; an anonymous or
    unsaved user is refused, so a write never goes unattributed."""
    if isinstance(actor, SystemActor):
        return None
    if isinstance(actor, User) and actor.pk is not None and actor.is_authenticated:
        return actor
    raise PermissionDenied("请先登录。")


class SignedInRequest(HttpRequest):
    """A request past `LoginRequiredMiddleware` (deny by default): its user is an account,
    never anonymous. The internal app's views take it instead of a bare HttpRequest."""

    user: User
