"""The desk's writers: the reminders the rules find, the daily digest e-mail, reading them.

`reminders_run` asks every rule of every active account's role what waits (`rules.py`) and
writes one `Notification` per person, rule, object and date; the unique constraint and the
look-up before writing make a second run write nothing new. A reminder whose thing the rules
no longer find for its person is marked resolved (已处理), never deleted. `digests_send` then
mails each person with an e-mail address the unread reminders not yet mailed, at most once a
day, and only when SMTP is configured (`EMAIL_HOST`). A reminder and a digest say the kind of thing,
the unit, the date and a link, never the case.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xunshi.accounts.actors import SYSTEM, Actor, person
from xunshi.accounts.models import User
from xunshi.audit.actions import record

from .models import Notification
from .rules import RULES_BY_KEY, rules_for

__all__ = [
    "REMINDER_LIMIT",
    "ReminderRun",
    "digests_send",
    "notification_read",
    "notifications_read_all",
    "reminders_run",
]

logger = logging.getLogger(__name__)

# The most items of one rule a run turns into reminders for one person (oldest first): the
# rest are on the home page's count and its list.
REMINDER_LIMIT = 100


@dataclass(frozen=True)
class ReminderRun:
    people: int
    created: int
    mailed: int
    resolved: int = 0


Key = tuple[int, str, str, dt.date]  # recipient, rule, object key, date: one reminder


def _key(n: Notification) -> Key:
    return (n.recipient_id, n.rule, n.object_key, n.due)


def _candidates(user: User, today: dt.date) -> tuple[list[Notification], set[str]]:
    """The reminders of what waits for the user today, and the keys of the rules whose every
    item is among them (at most `REMINDER_LIMIT` found): only of those may a reminder missing
    here be taken as no longer waiting."""
    out = []
    complete = set()
    for rule in rules_for(user):
        found = rule.find(user, today, REMINDER_LIMIT)
        if found.count <= REMINDER_LIMIT:
            complete.add(rule.key)
        for item in found.items:
            out.append(
                Notification(
                    recipient=user,
                    rule=rule.key,
                    object_key=item.key,
                    unit=item.unit[:200],
                    due=item.day,
                    link=item.url[:300],
                )
            )
    return out, complete


def _settle(people: list[User], wanted: set[Key], complete: dict[int, set[str]]) -> int:
    """Mark resolved the open reminders of `people` whose thing the rules no longer find for
    them (a rule of their role that found everything, or a rule no longer theirs); open again
    a resolved one that waits again. Returns how many were resolved. Only the open reminders
    and the resolved ones of a waiting object are read, not the whole history."""
    mine = {u.pk: {r.key for r in rules_for(u)} for u in people}
    fields = ("pk", "recipient_id", "rule", "object_key", "due")
    mailbox = Notification.objects.filter(recipient__in=people)
    done = [
        pk
        for pk, who, rule, obj, due in mailbox.filter(resolved_at__isnull=True).values_list(*fields)
        if (who, rule, obj, due) not in wanted and (rule in complete[who] or rule not in mine[who])
    ]
    closed = mailbox.filter(resolved_at__isnull=False, object_key__in={k[2] for k in wanted})
    again = [pk for pk, *key in closed.values_list(*fields) if tuple(key) in wanted]
    Notification.objects.filter(pk__in=again).update(resolved_at=None)
    return Notification.objects.filter(pk__in=done).update(resolved_at=timezone.now())


def reminders_run(*, actor: Actor = SYSTEM, today: dt.date | None = None) -> ReminderRun:
    """Write the reminders of what waits for every active account today, mark resolved those
    whose thing no longer waits (never deleting one), then send the digests; a second run on
    the same day writes and sends nothing new."""
    today = today or timezone.localdate()
    people = list(User.objects.filter(is_active=True).exclude(role="").order_by("pk"))
    wanted: list[Notification] = []
    complete: dict[int, set[str]] = {}
    for user in people:
        found, complete[user.pk] = _candidates(user, today)
        wanted += found
    current = {_key(n) for n in wanted}
    with transaction.atomic():
        have = set(
            Notification.objects.filter(
                recipient__in=people, object_key__in={n.object_key for n in wanted}
            ).values_list("recipient_id", "rule", "object_key", "due")
        )
        new = [n for n in wanted if _key(n) not in have]
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        resolved = _settle(people, current, complete)
        record(
            actor=actor,
            action="desk.reminders",
            object_type="desk.notification",
            object_repr=f"提醒{len(new)}条",
            after={
                "people": len(people),
                "created": len(new),
                "resolved": resolved,
                "on": today.isoformat(),
            },
        )
    mailed = digests_send(actor=actor, today=today, current=current)
    return ReminderRun(len(people), len(new), mailed, resolved)


def _days_text(n: Notification, today: dt.date) -> str:
    rule = RULES_BY_KEY.get(n.rule)
    days = (today - n.due).days
    if rule is not None and rule.since and days >= 0:
        # A wait dated ahead (a round plan waiting for approval, dated by its entry day) reads
        # as the days left, like a due date.
        return _("已等待%(n)s天") % {"n": days}
    if days > 0:
        return _("逾期%(n)s天") % {"n": days}
    if days == 0:
        return _("今天到期")
    return _("%(n)s天后到期") % {"n": -days}


def digest_text(user: User, notifications: list[Notification], today: dt.date) -> str:
    """The digest's body: one line per reminder (kind, unit, date, link), in Chinese."""
    lines = [
        _("%(name)s，您好：") % {"name": user.full_name or user.username},
        "",
        _("巡视巡察工作平台有%(n)s条待办提醒：") % {"n": len(notifications)},
        "",
    ]
    for n in notifications:
        rule = RULES_BY_KEY.get(n.rule)
        label = str(rule.label) if rule else n.rule
        lines.append(
            f"· {label}｜{n.unit or '—'}｜{n.due:%Y-%m-%d}（{_days_text(n, today)}）"
            f"｜{settings.XUNSHI_BASE_URL}{n.link}"
        )
    lines += ["", _("请登录平台办理。本邮件由系统自动发送，请勿回复。")]
    return "\n".join(lines)


def digests_send(
    *,
    actor: Actor = SYSTEM,
    today: dt.date | None = None,
    current: set[Key] | None = None,
) -> int:
    """Mail each person with an e-mail address the unread reminders not yet mailed, once a
    day at most, leaving out those no longer waiting (not in `current`, when given); nothing
    when SMTP is not configured. Returns how many mails went out."""
    if not settings.EMAIL_HOST:
        return 0
    today = today or timezone.localdate()
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    waiting = Notification.objects.filter(
        read_at__isnull=True, mailed_at__isnull=True, resolved_at__isnull=True
    )
    mailed_today = Notification.objects.filter(mailed_at__gte=start).values("recipient_id")
    people = (
        User.objects.filter(is_active=True, pk__in=waiting.values("recipient_id"))
        .exclude(email="")
        .exclude(pk__in=mailed_today)
        .order_by("pk")
    )
    sent = 0
    for user in people:
        notes = list(waiting.filter(recipient=user).order_by("due", "pk"))
        if current is not None:
            notes = [n for n in notes if _key(n) in current]
        if not notes:
            continue
        with override(settings.LANGUAGE_CODE):
            subject = _("巡视巡察工作平台：您有%(n)s条待办提醒") % {"n": len(notes)}
            body = digest_text(user, notes, today)
        try:
            send_mail(subject, body, None, [user.email], fail_silently=False)
        except OSError as e:  # the SMTP server is down or refuses: tried again next run
            logger.warning("reminder digest to user %s not sent: %s", user.pk, e)
            continue
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(mailed_at=now)
            record(
                actor=actor,
                action="desk.digest",
                object_type="accounts.user",
                object_id=str(user.pk),
                object_repr=user.username,
                after={"reminders": len(notes)},
            )
        sent += 1
    return sent


def notification_read(*, actor: Actor, notification: Notification) -> Notification:
    """Mark one of the actor's own reminders read."""
    user = person(actor)
    if user is None or notification.recipient_id != user.pk:
        raise PermissionDenied("只能处理自己的提醒。")
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(actor=actor, action="desk.notification.read", obj=notification)
    return notification


def notifications_read_all(*, actor: Actor) -> int:
    """Mark every unread reminder of the actor read (the resolved ones are not counted as
    unread); returns how many."""
    user = person(actor)
    if user is None:
        return 0
    with transaction.atomic():
        unread = Notification.objects.filter(
            recipient=user, read_at__isnull=True, resolved_at__isnull=True
        )
        n = unread.update(read_at=timezone.now())
        if n:
            record(
                actor=actor,
                action="desk.notification.read_all",
                object_type="desk.notification",
                object_repr=f"{n}条提醒",
                after={"read": n},
            )
    return n
