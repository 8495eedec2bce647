"""``python portal/manage.py portal_receipts``: how many receipts are still stored under their
old PBKDF2 digest. It re-keys none: only a lookup holds the code that a keyed digest needs (a
lookup re-keys the report it finds). Exit status 0 either way; the count is for the log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from portal.reports.receipts import old_digests_count


class Command(BaseCommand):
    help = "Count the receipts still stored under the old PBKDF2 digest (a lookup re-keys one)."

    def handle(self, *args: Any, **options: Any) -> None:
        left = old_digests_count()
        if left:
            self.stdout.write(
                f"{left} receipt(s) still under the old PBKDF2 digest: each is re-keyed "
                "when its reporter looks it up; the codes are not here to re-key them now"
            )
        else:
            self.stdout.write("0 receipts under the old PBKDF2 digest: every receipt is keyed")
