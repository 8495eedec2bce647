"""``python portal/manage.py portal_purge``: run daily; empties envelopes already fetched
(and forgets the throttle windows and spent nonces whose time is over, as every request does)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from portal.reports.actions import envelopes_purge
from portal.reports.throttle import limits_purge


class Command(BaseCommand):
    help = "Empty the envelopes the internal app fetched more than PORTAL_ENVELOPE_DAYS ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.PORTAL_ENVELOPE_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        count = envelopes_purge(days=options["days"])
        limits_purge(force=True)
        self.stdout.write(f"{count} envelope(s) emptied")
