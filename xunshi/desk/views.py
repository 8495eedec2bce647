"""The home page per role (首页 / 我的待办) and the reminders (提醒)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest

from . import actions
from .access import get_notification_for
from .queries import desk_rows, key_figures, notification_rows, notifications_of

NOTIFICATIONS_PER_PAGE = 50


@require_safe
def desk_home(request: SignedInRequest) -> HttpResponse:
    """What waits for the signed-in user, with the key figures of the user's scope."""
    today = timezone.localdate()
    user = request.user
    return render(
        request,
        "desk/home.html",
        {
            "rows": desk_rows(user, today) if user.role else [],
            "figures": key_figures(user, today) if user.role else [],
            "today": today,
        },
    )


@require_safe
def notification_list(request: SignedInRequest) -> HttpResponse:
    """The user's reminders, newest first; only the unread with ?unread=1."""
    unread = request.GET.get("unread") == "1"
    page = Paginator(notifications_of(request.user, unread=unread), NOTIFICATIONS_PER_PAGE)
    shown = page.get_page(request.GET.get("page"))
    return render(
        request,
        "desk/notifications.html",
        {
            "page": shown,
            "rows": notification_rows(list(shown.object_list), timezone.localdate()),
            "unread": unread,
            "query": "unread=1" if unread else "",
        },
    )


@require_POST
def notification_open(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark the reminder read and go to what it is about."""
    notification = get_notification_for(request.user, pk)
    actions.notification_read(actor=request.user, notification=notification)
    if url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notification_list")


@require_POST
def notifications_read_all(request: SignedInRequest) -> HttpResponse:
    n = actions.notifications_read_all(actor=request.user)
    messages.success(request, _("已将%(n)s条提醒标为已读。") % {"n": n})
    return redirect("notification_list")
