"""The only code that writes sign-in state: passwords, lockouts, the sign-in trail.

Opening accounts and granting roles is `xunshi.users`."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.db import transaction

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.audit.chain import username_digest

from .models import User


def user_password_changed(*, actor: User) -> None:
    """Record a password change and lift the first-login obligation."""
    with transaction.atomic():
        actor.must_change_password = False
        actor.save(update_fields=["must_change_password"])
        record(actor=actor, action="accounts.password.change", obj=actor)


def lockout_reset(*, actor: Actor, username: str) -> int:
    """Unlock an account locked after failed logins (security admin)."""
    with transaction.atomic():
        count = int(reset(username=username))
        record(
            actor=actor,
            action="accounts.lockout.reset",
            object_type="accounts.user",
            object_id=username,
            object_repr=username,
            after={"reset": count},
        )
    return count


def login_recorded(*, user: Any, succeeded: bool, username: str = "") -> None:
    """Audit one sign-in attempt (never the password)."""
    with transaction.atomic():
        if succeeded:
            record(actor=user, action="accounts.login", obj=user)
        else:
            # The name typed is kept only as a keyed digest: it may be a password typed into
            # the user name box.
            record(
                actor=None,
                action="accounts.login_failed",
                object_type="accounts.user",
                object_id=username_digest(username),
            )


def logout_recorded(*, user: Any) -> None:
    """Audit a sign-out."""
    with transaction.atomic():
        record(actor=user, action="accounts.logout", obj=user)
