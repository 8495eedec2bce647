"""Who holds API tokens, and which token a request's secret is.

The roles of the work (`CASE_ROLES`: the office, the leading group, a team's cadres, a liaison)
may hold tokens: a token reaches only what its holder's pages reach. The three admins (三员)
get none: their functions (accounts, roles, the audit trail) are meant to be done in person,
with the second factor and under the other admins' eyes, never by a program (`TOKEN_ROLES`).

`token_for_secret` finds the token of a presented secret by its SM3 digest and says why it is
refused when it is (unknown, revoked, expired, a holder who may no longer hold one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from xunshi.accounts.models import CASE_ROLES, User
from xunshi.lib.crypto import sm3_hex

from .models import ApiToken

__all__ = [
    "TOKEN_ROLES",
    "Presented",
    "get_token_for",
    "may_hold_tokens",
    "require_token_holder",
    "secret_digest",
    "token_for_secret",
    "tokens_of",
]

TOKEN_ROLES = CASE_ROLES


def may_hold_tokens(user: User) -> bool:
    """Whether the user's role may hold API tokens at all (not the three admins)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.role in TOKEN_ROLES
    )


def require_token_holder(user: User) -> None:
    """Refuse with 403 unless the user may hold API tokens."""
    if not may_hold_tokens(user):
        raise PermissionDenied("您的角色不能使用接口令牌。")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (nobody sees another's)."""
    return ApiToken.objects.filter(user_id=user.pk)


def get_token_for(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens (403 for a role without tokens, 404 for anyone else's)."""
    require_token_holder(user)
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404("没有找到该接口令牌。")
    return token


def secret_digest(secret: str) -> str:
    """The SM3 digest a token's secret is kept as."""
    return sm3_hex(secret.encode("utf-8"))


@dataclass(frozen=True)
class Presented:
    """What a presented secret turned out to be: the token, or why there is none."""

    token: ApiToken | None
    refusal: str = ""  # unknown, revoked, expired, holder


def token_for_secret(secret: str) -> Presented:
    """The token whose secret this is, if it may still be used."""
    token = ApiToken.objects.select_related("user").filter(digest=secret_digest(secret)).first()
    if token is None:
        return Presented(None, "unknown")
    if token.revoked_at is not None:
        return Presented(token, "revoked")
    if token.expires_at <= timezone.now():
        return Presented(token, "expired")
    if not may_hold_tokens(token.user):
        return Presented(token, "holder")
    return Presented(token)
