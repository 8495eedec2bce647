"""Behind nginx (deploy/), the sign-in throttle and django-axes know a client by the address
the trusted proxy saw, never by what the client wrote into X-Forwarded-For itself."""

from __future__ import annotations

import datetime as dt

import time_machine
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from xunshi.accounts.throttle import client_ip
from xunshi.testsupport.world import PASSWORD

LOGIN = "/accounts/login/"
NINE = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
NGINX = "127.0.0.1"


def _via_proxy(client: Client, username: str, password: str, *, forged: str, real: str):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
    )


def test_it_reads_the_address_the_trusted_proxy_wrote_for_both_throttles(settings):
    settings.XUNSHI_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.66"
    )
    assert client_ip(request) == "10.0.0.66"
    assert get_client_ip_address(request) == "10.0.0.66"
    # Without a proxy in front, the header is the client's own word and is ignored.
    settings.XUNSHI_TRUSTED_PROXIES = 0
    assert client_ip(request) == get_client_ip_address(request) == NGINX
    # A local call that did not pass the proxy (the health check) is known by its address.
    settings.XUNSHI_TRUSTED_PROXIES = 1
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.9")
    assert client_ip(direct) == "127.0.0.9"


def test_it_slows_the_guessing_client_not_its_colleague_behind_the_same_proxy(world, settings):
    settings.XUNSHI_TRUSTED_PROXIES = 1
    attacker = Client()
    with time_machine.travel(NINE, tick=False):
        for n in range(3):
            # A new forged address each time changes nothing: nginx's entry is the one read.
            _via_proxy(attacker, "bob", "Wrong-Pass-123", forged=f"9.9.9.{n}", real="10.0.0.66")
        held = _via_proxy(attacker, "bob", PASSWORD, forged="9.9.9.9", real="10.0.0.66")
        assert held.status_code == 429
        colleague = _via_proxy(Client(), "bob", PASSWORD, forged="9.9.9.0", real="10.0.0.7")
        assert colleague.status_code == 302
