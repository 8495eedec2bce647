"""The linked province of xunshi/testsupport/bodies.py, seen on its `LINKED_TODAY`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from xunshi.testsupport.bodies import LINKED_TODAY, build_linked_world

MARKER = "ZZOVERSIGHTMARK7Q"


@pytest.fixture
def linked(world: Any) -> Iterator[Any]:
    """开封市委 with 兰考县委 and 杞县委 under the world's province, every case text of the
    counties carrying `MARKER`; the test runs on `LINKED_TODAY`."""
    built = build_linked_world(world, marker=MARKER)
    with time_machine.travel(dt.datetime.combine(LINKED_TODAY, dt.time(10)), tick=False):
        yield built
