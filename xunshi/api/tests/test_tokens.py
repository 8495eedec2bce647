"""The token page and the token's life: shown once, kept hashed, scoped, expiring, revocable,
and every creation, revocation and refused use in the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from xunshi.api.actions import token_create, token_revoke
from xunshi.api.models import ApiToken
from xunshi.audit.models import AuditEvent
from xunshi.lib.crypto import sm3_hex

W = Any


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_shows_a_new_token_once_and_keeps_only_its_digest(world: W, login: Any) -> None:
    client = login(world.users["alice"])
    page = client.post(reverse("api_tokens"), {"name": "台账同步", "scope": "read", "days": 30})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=world.users["alice"])
    secret = page.context["secret"]
    assert secret.startswith("xst_") and secret in page.content.decode()
    assert token.digest == sm3_hex(secret.encode()) and secret not in str(token.__dict__)
    again = client.get(reverse("api_tokens")).content.decode()
    assert "台账同步" in again and token.prefix in again and secret not in again
    assert AuditEvent.objects.filter(action="api.token.create", object_id=str(token.pk)).exists()


def test_it_refuses_a_token_past_ninety_days_in_chinese(world: W, login: Any) -> None:
    client = login(world.users["bob"])
    page = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": 91})
    assert "有效期" in page.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["sam", "sue", "aud"])
def test_it_gives_the_three_admins_no_tokens(world: W, login: Any, who: str) -> None:
    client = login(world.users[who])
    assert client.get(reverse("api_tokens")).status_code == 403
    assert (
        client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": 1}).status_code
        == 403
    )
    assert not ApiToken.objects.exists()


def test_it_lets_a_token_in_until_it_is_revoked_and_audits_the_refusal(
    world: W, client: Any
) -> None:
    alice = world.users["alice"]
    token, secret = token_create(actor=alice, name="同步", scope="read", days=7)
    assert client.get("/api/v1/orgs", **_bearer(secret)).status_code == 200
    token_revoke(actor=alice, token=token)
    refused = client.get("/api/v1/orgs", **_bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized" and "令牌" in refused.json()["message"]
    assert AuditEvent.objects.filter(action="api.token.revoke", object_id=str(token.pk)).exists()
    event = AuditEvent.objects.filter(action="api.token.refused").latest("id")
    assert event.object_id == str(token.pk) and event.after["refusal"] == "revoked"
    assert event.actor_username == "alice"


def test_it_refuses_an_expired_token(world: W, client: Any) -> None:
    _token, secret = token_create(actor=world.users["alice"], name="同步", scope="read", days=1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        assert client.get("/api/v1/orgs", **_bearer(secret)).status_code == 401
    assert AuditEvent.objects.get(action="api.token.refused").after["refusal"] == "expired"


def test_it_refuses_an_unknown_token_without_naming_anyone(world: W, client: Any) -> None:
    assert client.get("/api/v1/orgs", **_bearer("xst_guessed")).status_code == 401
    event = AuditEvent.objects.get(action="api.token.refused")
    assert event.actor_id is None and event.after["refusal"] == "unknown"


def test_it_refuses_a_write_with_a_read_only_token(onsite: W, client: Any) -> None:
    _token, secret = token_create(actor=onsite.users["bob"], name="只读", scope="read", days=7)
    answer = client.post(
        f"/api/v1/inspections/{onsite.inspection1.pk}/stage",
        {"to": "withdrawn"},
        content_type="application/json",
        **_bearer(secret),
    )
    assert answer.status_code == 403
    assert answer.json() == {
        "code": "forbidden",
        "message": "该接口令牌只能读取，不能修改数据。",
        "errors": [],
    }
    assert AuditEvent.objects.get(action="api.token.refused").after["refusal"] == "scope"


def test_it_stops_a_token_whose_holder_was_disabled(world: W, client: Any) -> None:
    bob = world.users["bob"]
    _token, secret = token_create(actor=bob, name="同步", scope="read", days=7)
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)
    assert client.get("/api/v1/inspections", **_bearer(secret)).status_code == 401


def test_it_lets_nobody_revoke_another_persons_token(world: W, login: Any) -> None:
    token, _secret = token_create(actor=world.users["alice"], name="同步", scope="read", days=7)
    client = login(world.users["bob"])
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_revokes_from_the_page(world: W, login: Any) -> None:
    token, _secret = token_create(actor=world.users["erin"], name="同步", scope="write", days=7)
    client = login(world.users["erin"])
    page = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "已吊销令牌“同步”" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
