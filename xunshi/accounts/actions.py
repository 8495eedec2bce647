"""The only code that writes sign-in state: passwords, lockouts, the sign-in trail.

Opening accounts and granting roles is `xunshi.users`."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xunshi.accounts.actors import Actor, is_system
from xunshi.audit import chain
from xunshi.audit.actions import record

from .models import (
    AdminRequest,
    AdminRequestKind,
    AdminRequestStatus,
    LockoutAlert,
    LoginChallenge,
    LoginThrottle,
    PasswordHistory,
    User,
    is_admin_account,
)
from .passwords import HISTORY_LENGTH, history_hash
from .throttle import solves, username_digest, window_start


def password_set(*, actor: User, raw_password: str) -> None:
    """Set the account's own new password (already validated), keep its hash in the history,
    lift the first-login obligation and record the change."""
    with transaction.atomic():
        actor.set_password(raw_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        PasswordHistory.objects.create(user=actor, password=history_hash(raw_password))
        keep = actor.password_history.order_by("-created", "-pk").values_list("pk", flat=True)[
            :HISTORY_LENGTH
        ]
        actor.password_history.exclude(pk__in=list(keep)).delete()
        record(actor=actor, action="accounts.password.change", obj=actor)


def lockout_reset(*, actor: Actor, username: str, approval: AdminRequest | None = None) -> int:
    """Unlock an account locked after failed logins (the security admin, or `manage.py
    unlock` for the system): its lock, the delays of every client and its alert. An admin's
    account only with an approved request (`approval`) when a person unlocks it."""
    account = User.objects.filter(username__iexact=username).first()
    if (
        account is not None
        and is_admin_account(account)
        and not is_system(actor)
        and not (
            approval is not None
            and approval.status == AdminRequestStatus.APPROVED
            and approval.kind == AdminRequestKind.UNLOCK
            and approval.target_id == account.pk
        )
    ):
        raise ValidationError(
            _("三员分立：解除管理员账号的登录锁定须经另一名管理员批准，请提交申请。")
        )
    with transaction.atomic():
        count = int(reset(username=username))
        LoginThrottle.objects.filter(username_digest=username_digest(username)).delete()
        LockoutAlert.objects.filter(username__iexact=username, cleared_at__isnull=True).update(
            cleared_at=timezone.now()
        )
        record(
            actor=actor,
            action="accounts.lockout.reset",
            object_type="accounts.user",
            object_id=username,
            object_repr=username,
            after={"reset": count, **({"request": approval.pk} if approval else {})},
        )
    return count


def lockout_alerted(*, username: str, failures: int) -> LockoutAlert | None:
    """Raise an alert for the security admin when an existing account gets locked (once per
    lock: the attempts refused while it is locked raise none)."""
    if not User.objects.filter(username__iexact=username).exists():
        return None
    now = timezone.now()
    cooloff = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    with transaction.atomic():
        if LockoutAlert.objects.filter(
            username__iexact=username, cleared_at__isnull=True, locked_at__gte=now - cooloff
        ).exists():
            return None
        alert = LockoutAlert.objects.create(username=username, locked_at=now, failures=failures)
        record(
            actor=None,
            action="accounts.lockout",
            object_type="accounts.user",
            object_id=username,
            object_repr=username,
            after={"failures": failures},
        )
    return alert


def login_failure_counted(*, username: str, ip: str | None) -> int:
    """Count one failed sign-in of this user name from this client; returns the count
    (failures older than the window are forgotten)."""
    now = timezone.now()
    with transaction.atomic():
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            username_digest=username_digest(username),
            ip_address=ip,
            defaults={"failures": 1, "last_failure": now},
        )
        if not created:
            if row.last_failure < window_start():
                row.failures = 1
            else:
                row.failures = F("failures") + 1
            row.last_failure = now
            row.save(update_fields=["failures", "last_failure"])
            row.refresh_from_db(fields=["failures"])
    return row.failures


def login_throttle_cleared(*, username: str, ip: str | None) -> None:
    """Forget this client's failures for this user name after it signed in."""
    LoginThrottle.objects.filter(username_digest=username_digest(username), ip_address=ip).delete()


def login_challenge_issued(*, ip: str | None) -> LoginChallenge:
    """Hand this client a fresh single-use proof-of-work nonce (and drop the expired ones)."""
    now = timezone.now()
    ttl = dt.timedelta(seconds=settings.LOGIN_CHALLENGE_TTL)
    with transaction.atomic():
        LoginChallenge.objects.filter(created__lt=now - ttl).delete()
        return LoginChallenge.objects.create(
            nonce=secrets.token_hex(16),
            ip_address=ip,
            bits=settings.LOGIN_CHALLENGE_BITS,
            created=now,
        )


def login_challenge_redeemed(*, nonce: str, counter: str, ip: str | None) -> bool:
    """Whether the client solved a nonce issued to it and still fresh; the nonce is spent
    either way."""
    ttl = dt.timedelta(seconds=settings.LOGIN_CHALLENGE_TTL)
    with transaction.atomic():
        challenge = (
            LoginChallenge.objects.select_for_update()
            .filter(nonce=nonce[:64], ip_address=ip, created__gte=timezone.now() - ttl)
            .first()
        )
        if challenge is None:
            return False
        challenge.delete()
    return solves(challenge.nonce, counter, challenge.bits)


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
                object_id=chain.username_digest(username),
            )


def logout_recorded(*, user: Any) -> None:
    """Audit a sign-out."""
    with transaction.atomic():
        record(actor=user, action="accounts.logout", obj=user)
