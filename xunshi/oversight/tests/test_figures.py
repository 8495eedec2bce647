"""The figures counted in the background (`figures_refresh`, `manage.py oversight_figures`):
the pages of the bodies above show them, saying when they were counted, until the next count;
figures of another day or older than two counting periods are not shown, the page counts
itself instead."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from xunshi.findings.actions import clue_dispose
from xunshi.oversight.actions import figures_refresh
from xunshi.oversight.models import BodyFigures


def _page(client: Any, name: str = "oversight_home") -> tuple[dict[str, Any], str]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    rows = {r.body.name: r for r in response.context["rows"]}
    return rows, response.content.decode()


def _dispose(linked: Any) -> None:
    """兰考县's office enters the disposal of its overdue clue."""
    clue_dispose(
        actor=linked.county_a.office,
        clue=linked.county_a.clue,
        disposal="talk_inquiry",
        outcome="谈话函询后予以了结。",
        reported_on=timezone.localdate(),
    )


def test_the_pages_show_the_figures_counted_last_and_say_when(linked, login):
    assert figures_refresh() >= 3  # the city and its two counties at least
    counted = timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M")
    _dispose(linked)
    client = login(linked.city.office)
    rows, page = _page(client)
    # Still the counted figures: the clue is overdue in them.
    assert rows["中共兰考县委"].clues_overdue == 1
    assert f"数字统计于 {counted}，每 5 分钟统计一次。" in page
    rows, page = _page(client, "oversight_behind")
    assert "1条问题线索已超过处置反馈期限" in page and f"数字统计于 {counted}" in page
    # The next count has it.
    figures_refresh()
    rows, _page_text = _page(client)
    assert rows["中共兰考县委"].clues_overdue == 0
    assert rows["中共兰考县委"].red == 1  # the rest as before
    assert (rows["中共兰考县委"].covered, rows["中共兰考县委"].in_scope) == (1, 4)


def test_figures_older_than_two_periods_are_counted_again(linked, login):
    figures_refresh()
    _dispose(linked)
    client = login(linked.city.office)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=False):
        rows, page = _page(client)
        assert rows["中共兰考县委"].clues_overdue == 0
        assert rows["中共兰考县委"].counted_at is None and "数字统计于" not in page


def test_figures_of_another_day_are_counted_again(linked, login, settings):
    settings.XUNSHI_OVERSIGHT_FIGURES_SECONDS = 24 * 3600  # young enough, but of yesterday
    figures_refresh()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        rows, page = _page(login(linked.city.office))
        assert rows["中共兰考县委"].counted_at is None and "数字统计于" not in page


def test_the_command_counts_every_lower_body_once(linked):
    out = io.StringIO()
    call_command("oversight_figures", stdout=out)
    assert "个下级党组织的巡察工作数字" in out.getvalue()
    kept = BodyFigures.objects.get(body=linked.county_a.body)
    assert kept.day == timezone.localdate() and kept.figures["clues_overdue"] == 1
    assert kept.term == linked.county_a.term
