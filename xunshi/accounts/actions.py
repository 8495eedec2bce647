"""The only code that writes sign-in state: passwords, lockouts, the second factor, the
sign-in trail.

Opening accounts and granting roles is `xunshi.users`."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xunshi.accounts.actors import Actor, is_system
from xunshi.audit import chain
from xunshi.audit.actions import record

from .access import require
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
from .otp import RECOVERY_CODES, requires_second_factor
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
    return int(count)


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


# --- the second factor (otp.py) ----------------------------------------------------------------


def otp_enrolled(*, actor: User, key: str, last_t: int) -> tuple[TOTPDevice, list[str]]:
    """Give the account the authenticator whose secret it has just confirmed with a code
    (step last_t, which cannot be used again) and ten new single-use recovery codes, replacing
    any it had; returns the device and the recovery codes, which are shown once."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        device = TOTPDevice.objects.create(
            user=actor, name=_("身份验证器"), key=key, confirmed=True, last_t=last_t
        )
        recovery = StaticDevice.objects.create(user=actor, name=_("恢复码"), confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        record(actor=actor, action="accounts.user.otp_enrol", obj=actor)
    return device, codes


@dataclass(frozen=True)
class Verification:
    device: Device | None  # the device that accepted the code, to keep in the session
    wait: int = 0  # seconds before the next try is even looked at (after failures)
    recovery_left: int | None = None  # after a recovery code: how many are left


def _wait_seconds(device: Device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


def otp_verified(*, actor: User, code: str) -> Verification:
    """Check a code of the account's authenticator, or one of its recovery codes (spent once
    used); a wrong code is recorded and makes the device wait 1, 2, 4 … seconds before it looks
    at the next (django-otp's throttle, per device)."""
    code = code.strip().replace(" ", "").lower()
    is_totp = code.isdigit() and len(code) == 6
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if is_totp else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=actor, confirmed=True).first()
        if device is None:
            # No such device (a recovery code without any left, say): still a failed try.
            device = (
                TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
            )
            if device is None:
                return Verification(None)
            if wait := _wait_seconds(device):
                return Verification(None, wait=wait)
            device.throttle_increment()
            record(actor=actor, action="accounts.user.otp_verify_failed", obj=actor)
            return Verification(None)
        if wait := _wait_seconds(device):
            return Verification(None, wait=wait)
        if not device.verify_token(code[:16]):
            record(actor=actor, action="accounts.user.otp_verify_failed", obj=actor)
            return Verification(None)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            record(
                actor=actor, action="accounts.user.recovery_used", obj=actor, after={"left": left}
            )
            return Verification(device, recovery_left=left)
    return Verification(device)


def _second_factor_removed(user: User) -> int:
    count, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return int(count)


def otp_removed(*, actor: User) -> None:
    """Remove the account's own second factor, where its role does not require one."""
    if requires_second_factor(actor):
        raise PermissionDenied(_("您的角色必须使用双因素认证，不能停用。"))
    with transaction.atomic():
        _second_factor_removed(actor)
        record(actor=actor, action="accounts.user.otp_remove", obj=actor)


def otp_reset(*, actor: User, user: User) -> None:
    """The security admin removes another account's second factor (a lost phone): the account
    enrols afresh at its next sign-in. Never the admin's own (三员: a second admin's act)."""
    require(actor, "otp.reset")
    if actor.pk == user.pk:
        raise PermissionDenied(_("不能重置自己的双因素认证，请由另一名安全管理员办理。"))
    with transaction.atomic():
        removed = _second_factor_removed(user)
        record(actor=actor, action="accounts.user.otp_reset", obj=user, after={"removed": removed})
