"""The only writers of API tokens: create (the secret returned once, its digest kept), revoke,
and the audit of every refused use. A token's use itself is not audited, each write it makes is
(by the action that makes it, with the holder as actor); its last use is noted at most once a
minute."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.models import User
from xunshi.audit.actions import record

from .access import require_token_holder, secret_digest
from .models import MAX_DAYS, ApiToken, TokenScope

__all__ = ["TOKEN_PREFIX", "token_create", "token_refused", "token_revoke", "token_used"]

TOKEN_PREFIX = "xst_"  # noqa: S105 (the marker every token starts with, not a secret)
_REFUSALS = {
    "unknown": "unknown",
    "revoked": "revoked",
    "expired": "expired",
    "holder": "holder",
    "scope": "scope",
}


def token_create(*, actor: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Make a token for the actor and return it with its secret, which is never shown again."""
    require_token_holder(actor)
    name = name.strip()
    if not name:
        raise ValidationError("请填写令牌的用途。")
    if len(name) > 50:
        raise ValidationError("令牌的用途不能超过50个字。")
    if scope not in TokenScope.values:
        raise ValidationError(f"未知的权限范围“{scope}”。")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"有效期须在1至{MAX_DAYS}天之间。")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=secret_digest(secret),
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record(
            actor=actor,
            action="api.token.create",
            obj=token,
            after={"name": name, "scope": scope, "expires_at": token.expires_at},
        )
    return token, secret


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; a revoked token is refused from then on."""
    require_token_holder(actor)
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk, user_id=actor.pk)
        if row.revoked_at is not None:
            raise ValidationError(f"令牌“{row.name}”已于此前吊销。")
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="api.token.revoke",
            obj=row,
            after={"revoked_at": row.revoked_at},
        )
    return row


def token_refused(*, token: ApiToken | None, refusal: str, method: str, path: str) -> None:
    """Record a refused use of a token: unknown, revoked, expired, a holder who may hold none,
    or a write with a read-only token. An unknown secret has no actor and names no token."""
    with transaction.atomic():
        record(
            actor=token.user if token is not None else None,
            action="api.token.refused",
            obj=token,
            object_type="api.apitoken",
            after={"refusal": _REFUSALS.get(refusal, "unknown"), "request": f"{method} {path}"},
        )


def token_used(*, token: ApiToken) -> None:
    """Note the token's last use (at most once a minute, no audit event: the writes it makes
    are audited by their own actions)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
