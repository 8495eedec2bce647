"""The demo as `make run` loads it (`manage.py seed_demo`), once for this package's tests.

Loading it is the suite's slow part (about 30 s on SQLite), so the package's tests share one
load: the fixture loads it on `LOAD_DAY` inside a transaction it rolls back after the last of
them, and each test runs in a savepoint of that transaction (pytest-django's `django_db`) on
the same day, the clock ticking. Set XUNSHI_SKIP_DEMO=1 to leave them out of a quick run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

# A Monday: the counties' village round has two batches withdrawn, one on site, one to come.
LOAD_DAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

slow = pytest.mark.skipif(
    os.environ.get("XUNSHI_SKIP_DEMO") == "1", reason="the demo load takes about 30 seconds"
)


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """What `manage.py seed_demo` printed; the demo stays loaded for the package's tests."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(LOAD_DAY, tick=True),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
