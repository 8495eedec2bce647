"""Every URL of the ledger against every role, inside and outside the user's scope.

Both inspections are past the feedback: 兰考县 (team 1, erin's unit) and the finance
department (team 2, dave). A POST that passes access gets an answer from the action: a
redirect, or the ledger re-rendered with the refusal (200); either way it was let in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from xunshi.rectification import actions
from xunshi.testsupport.lifecycle import give_feedback

from .conftest import items_of, plan_all

ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]
LET_IN = {200, 302}


@pytest.fixture
def both(rectifying):  # type: ignore[no-untyped-def]
    """Both inspections past the feedback; 兰考县's items yellow (2026-12-22), one noticed."""
    give_feedback(rectifying.inspection2, ["预算执行不严格"])
    rectifying.inspection2.refresh_from_db()
    return rectifying


def _notice(world):  # type: ignore[no-untyped-def]
    return actions.notice_issue(
        actor=world.users["alice"], inspection=world.inspection1, on=dt.date(2026, 12, 22)
    )


def _client(world, who):  # type: ignore[no-untyped-def]
    client = Client()
    if who != "anon":
        client.force_login(world.users[who], backend="django.contrib.auth.backends.ModelBackend")
    return client


# name → (method, object, {role: expected}); "ok" means let in (200 or 302).
READERS = {"alice": 200, "gina": 200, "bob": 200, "carol": 200, "dave": 404, "erin": 200}
ADMINS = {"sam": 403, "sue": 403, "aud": 403}
FILL = {"alice": 403, "gina": 403, "bob": 403, "carol": 403, "dave": 404, "erin": "ok"}
VERIFY = {"alice": "ok", "gina": 403, "bob": 403, "carol": 403, "dave": 404, "erin": 403}
CASES = {
    "ledger_home": (
        "GET",
        None,
        dict.fromkeys(["alice", "gina", "bob", "carol", "dave", "erin"], 200),
    ),
    "ledger": ("GET", "inspection", READERS),
    "rect_report_docx": ("GET", "inspection", READERS),
    "disclosure_page": ("GET", "inspection", READERS),
    "notice_docx_download": ("GET", "notice", READERS),
    "supervision": (
        "GET",
        None,
        {"alice": 200, "gina": 200, "bob": 403, "carol": 403, "dave": 403, "erin": 403},
    ),
    "item_plan": ("POST", "item", FILL),
    "progress_report": ("POST", "item", FILL),
    "item_claim": ("POST", "item", FILL),
    "item_verify": ("POST", "item", VERIFY),
    "notice_issue": ("POST", "inspection", VERIFY),
    "lookback_create": ("POST", "inspection", VERIFY),
}


def _args(world, kind):  # type: ignore[no-untyped-def]
    if kind is None:
        return []
    if kind == "inspection":
        return [world.inspection1.pk]
    if kind == "item":
        return [items_of(world)[0].pk]
    return [_notice(world).pk]


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_lets_each_role_reach_only_its_own_ledger(both, clock, name):
    clock.move_to(dt.datetime(2026, 12, 22, 2, 0, tzinfo=dt.UTC))
    method, kind, expected = CASES[name]
    url = reverse(name, args=_args(both, kind))
    for who in [*ROLES, "anon"]:
        client = _client(both, who)
        response = client.get(url) if method == "GET" else client.post(url, {})
        want = {**expected, **ADMINS}.get(who)
        if who == "anon":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif want == "ok":
            assert response.status_code in LET_IN, (who, response.status_code)
        else:
            assert response.status_code == want, (who, response.status_code)
        other = "GET" if method == "POST" else "POST"
        if who != "anon":
            wrong = client.get(url) if other == "GET" else client.post(url, {})
            assert wrong.status_code in (405, 403, 404), (who, other, wrong.status_code)


def test_it_hides_another_units_ledger_from_erin_and_another_teams_from_carol(both, clock):
    other = reverse("ledger", args=[both.inspection2.pk])
    assert _client(both, "erin").get(other).status_code == 404
    assert _client(both, "carol").get(other).status_code == 404
    assert _client(both, "dave").get(other).status_code == 200
    assert _client(both, "alice").get(other).status_code == 200
    item = both.inspection2.rectification_items.get()
    plan = reverse("item_plan", args=[item.pk])
    assert _client(both, "erin").post(plan, {}).status_code == 404


def test_it_shows_no_ledger_before_the_feedback(world, login):
    url = reverse("ledger", args=[world.inspection1.pk])
    assert login(world.users["alice"]).get(url).status_code == 404


def test_it_keeps_a_suspended_ledger_readable_but_closed_to_writes(rectifying, login):
    from django.core.exceptions import ValidationError

    from xunshi.lifecycle.actions import inspection_transition

    inspection_transition(
        actor=rectifying.users["alice"],
        inspection=rectifying.inspection1,
        to="suspended",
        reason="配合上级巡视。",
    )
    erin = rectifying.users["erin"]
    assert login(erin).get(reverse("ledger", args=[rectifying.inspection1.pk])).status_code == 200
    with pytest.raises(ValidationError, match="暂停"):
        plan_all(rectifying)
