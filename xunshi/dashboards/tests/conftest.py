"""The dashboards' scene: the test world's round with known figures (testsupport/dashboards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine


@pytest.fixture
def scene(world) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The scene, with the clock at 2026-12-06 10:00 (Beijing time) for the test."""
    from xunshi.testsupport.dashboards import build_dashboard_scene

    built = build_dashboard_scene(world)
    with time_machine.travel(dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC), tick=False):
        yield built
