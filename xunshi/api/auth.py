"""Token authentication: `Authorization: Bearer xst_…`, nothing else. A session cookie opens
no API request (so no write ever rides on a cookie, and no CSRF token is needed): the token is
the credential, presented by a program on each request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from xunshi.accounts.models import User

from .access import token_for_secret
from .actions import token_refused, token_used
from .models import ApiToken, TokenScope

__all__ = ["TokenAuth", "holder"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """The holder of a valid token; a refused one is audited and answered 401 (403 for a
    write with a read-only token)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        method = request.method or "GET"
        presented = token_for_secret(token)
        if presented.token is None or presented.refusal:
            token_refused(
                token=presented.token, refusal=presented.refusal, method=method, path=request.path
            )
            return None
        found = presented.token
        if method not in _SAFE and found.scope != TokenScope.WRITE:
            token_refused(token=found, refusal="scope", method=method, path=request.path)
            raise PermissionDenied(_("该接口令牌只能读取，不能修改数据。"))
        token_used(token=found)
        return found


def holder(request: HttpRequest) -> User:
    """The account a token request acts as (never the session's user)."""
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token.user
