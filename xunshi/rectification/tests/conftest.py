"""Fixtures of the ledger tests: the feedback world with time frozen after the feedback
(2026-11-02), the plan filled in by erin, and a fresh folder for stored files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine

from xunshi.rectification import actions

DEADLINE = dt.date(2026, 12, 31)
PLAN = {
    "measures": "制定资金拨付台账，逐笔核查。",
    "responsible_leader": "县长 李明",
    "responsible_department": "县财政局",
    "deadline": DEADLINE,
    "kind": "concentrated",
}


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "files"
    settings.XUNSHI_FILES_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def clock(feedback) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Frozen at 2026-11-10 10:00 (Beijing time); `clock.move_to(...)` moves it."""
    with time_machine.travel(dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def items_of(world: Any) -> list[Any]:
    return list(world.inspection1.rectification_items.select_related("inspection__target"))


def plan_all(world: Any, **changes: Any) -> list[Any]:
    """erin fills in the plan of every item of 兰考县 (leaders 李明 and 王芳)."""
    items = items_of(world)
    for n, item in enumerate(items):
        data = {**PLAN, "responsible_leader": ["县长 李明", "副县长 王芳"][n % 2], **changes}
        actions.item_plan(actor=world.users["erin"], item=item, **data)
    return items


@pytest.fixture
def rectifying(feedback, clock):  # type: ignore[no-untyped-def]
    """The plan filled in and submitted: the inspection is rectifying, the items in progress."""
    from xunshi.lifecycle.actions import inspection_transition

    plan_all(feedback)
    inspection_transition(
        actor=feedback.users["erin"], inspection=feedback.inspection1, to="rectifying"
    )
    feedback.inspection1.refresh_from_db()
    return feedback


def report(world: Any, item: Any, text: str = "已拨付到位。", **kw: Any) -> Any:
    kw.setdefault("reported_on", dt.date(2026, 11, 9))
    return actions.progress_report(actor=world.users["erin"], item=item, text=text, **kw)


FUNDS = Decimal("12.5")


def item_forms(client: Any, item: Any) -> str:
    """The forms of a ledger item as the ledger fetches them when the item comes into view."""
    from django.urls import reverse

    response = client.get(reverse("item_forms", args=[item.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return str(response.content.decode())
