"""Sign-in events go to the audit trail (authentication is audited, never the password); an
account locked by django-axes raises an alert for the security admin."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .actions import lockout_alerted, login_recorded, logout_recorded


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    login_recorded(user=user, succeeded=True)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    login_recorded(user=None, succeeded=False, username=str(credentials.get("username", "")))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        logout_recorded(user=user)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    if username:
        failures = int(getattr(request, "axes_failures_since_start", 0) or 0)
        lockout_alerted(username=username, failures=failures)
