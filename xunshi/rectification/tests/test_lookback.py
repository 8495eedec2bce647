"""A look-back (回头看) of 兰考县 in a later round starts from the open items of the first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.rectification import actions
from xunshi.rectification.lookback_actions import lookback_create
from xunshi.rectification.models import ItemStatus
from xunshi.rounds import actions as rnd

from .conftest import items_of, report


def _later_team(world):  # type: ignore[no-untyped-def]
    later = rnd.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )
    return rnd.team_create(actor=SYSTEM, round=later, number=1, rule_set=world.team1.rule_set)


def test_it_carries_only_the_open_items_over(rectifying, login):
    erin, alice = rectifying.users["erin"], rectifying.users["alice"]
    first, second = items_of(rectifying)
    report(rectifying, first)
    actions.item_claim(actor=erin, item=first, on=dt.date(2026, 11, 10))
    actions.item_verify(actor=alice, item=first, close=True, on=dt.date(2026, 11, 10))
    team = _later_team(rectifying)

    url = reverse("lookback_create", args=[rectifying.inspection1.pk])
    response = login(alice).post(url, {"team": team.pk})
    child = rectifying.inspection1.look_backs.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection_workspace", args=[child.pk])
    assert child.kind == "look_back" and child.target == rectifying.lankao
    carried = list(child.rectification_items.all())
    assert [(i.seq, i.title, i.carried_from_id) for i in carried] == [
        (1, "违规发放津贴补贴", second.pk)
    ]
    assert carried[0].status == ItemStatus.PENDING
    assert carried[0].measures == second.measures and carried[0].deadline == second.deadline


def test_it_refuses_a_look_back_without_open_items_or_before_the_feedback(rectifying):
    alice = rectifying.users["alice"]
    team = _later_team(rectifying)
    with pytest.raises(ValidationError, match="尚未反馈"):
        lookback_create(actor=alice, parent=rectifying.inspection2, team=team)
    with pytest.raises(ValidationError, match="之后轮次的巡视组"):
        lookback_create(actor=alice, parent=rectifying.inspection1, team=rectifying.team2)
    erin = rectifying.users["erin"]
    for item in items_of(rectifying):
        report(rectifying, item)
        actions.item_claim(actor=erin, item=item, on=dt.date(2026, 11, 10))
        actions.item_verify(actor=alice, item=item, close=True, on=dt.date(2026, 11, 10))
    with pytest.raises(ValidationError, match="没有未销号事项"):
        lookback_create(actor=alice, parent=rectifying.inspection1, team=team)
    assert not rectifying.inspection1.look_backs.exists()


def test_it_offers_a_look_back_only_to_the_bodys_later_rounds(rectifying, login):
    client = login(rectifying.users["alice"])
    url = reverse("ledger", args=[rectifying.inspection1.pk])
    # Round 1's own teams are no choice: no later round yet, no form.
    assert 'action="' + reverse("lookback_create", args=[rectifying.inspection1.pk]) not in (
        client.get(url).content.decode()
    )
    team = _later_team(rectifying)
    html = client.get(url).content.decode()
    assert f'<option value="{team.pk}">{team}</option>' in html
    assert f'<option value="{rectifying.team2.pk}"' not in html
