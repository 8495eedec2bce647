"""The round list taken to Excel: the rounds and columns the page shows that user (a team
cadre only the own team's rounds), a name typed as a formula comes back as text, a role
without the list gets 403, and the export is on the audit trail with its row count."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions
from xunshi.testsupport.lists import export_cells, export_rows, page_rows

FORMULA = '=HYPERLINK("x")'


def _other_round(world: Any) -> None:
    actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name=FORMULA,
        kind="special",
        sector_mode="rotating",
        targets_per_team=3,
    )


def _as_page(rows: list[list[str]]) -> list[list[str]]:
    # The page counts teams and targets as "2个"; the cells are numbers.
    return [[*row[:8], *(f"{n}个" for n in row[8:])] for row in rows]


def test_it_exports_the_rounds_the_page_shows(world, login):
    _other_round(world)
    url = reverse("round_list")
    for who, count in [("alice", 2), ("carol", 1)]:
        client = login(world.users[who])
        page = client.get(url)
        assert "导出Excel" in page.content.decode()
        shown = page_rows(page.content, "rounds")
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200
        rows = export_rows(response.content)
        assert len(rows) == len(shown) == count, who
        assert _as_page(rows) == shown, who
        event = AuditEvent.objects.filter(action="rounds.round.export").last()
        assert event is not None and event.actor_id == world.users[who].pk
        assert event.after["rows"] == count
    assert FORMULA not in repr(rows)  # carol's team is not in the second round
    head = [c.value for c in export_cells(response.content)[0]]
    assert head[:3] == ["届次", "轮次", "名称"] and head[8:] == ["巡视组", "巡视对象"]


def test_a_name_typed_as_a_formula_comes_back_as_text(world, login):
    _other_round(world)
    content = login(world.users["alice"]).get(reverse("round_list"), {"export": "xlsx"}).content
    names = [row[2] for row in export_cells(content)[1:]]
    typed = [c for c in names if c.value == FORMULA]
    assert len(typed) == 1 and typed[0].data_type == "s"


def test_a_role_without_the_list_gets_no_export(world, login):
    for who in ["sam", "sue", "aud"]:
        response = login(world.users[who]).get(reverse("round_list"), {"export": "xlsx"})
        assert response.status_code == 403, who
    assert not AuditEvent.objects.filter(action="rounds.round.export").exists()
