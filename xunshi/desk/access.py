"""Who reaches the desk: every signed-in account has a home page and reminders of its own;
another person's reminder is 404, as anything outside a user's scope."""

from __future__ import annotations

from django.http import Http404

from xunshi.accounts.models import User

from .models import Notification

__all__ = ["get_notification_for"]


def get_notification_for(user: User, pk: int) -> Notification:
    """One of the user's own reminders (404 for anybody else's)."""
    obj = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if obj is None:
        raise Http404("没有找到该提醒。")
    return obj
