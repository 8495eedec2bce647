"""Scale-out of the public portal (issue 13, item 5): two portal processes behind one address.

The portal keeps no state in a process: a form's challenge is signed with the deployment's key,
its nonce is spent in the database, and the lookup limits are rows there too. Two gunicorn
processes of portal/ with the same keys share one database (a SQLite file, or a database of
its own on the suite's PostgreSQL server) and take turns behind a round-robin proxy.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from envelope import generate_keypair

from .twoprocesses import ROOT, Person, gunicorns, own_database

TOKEN = "lankao-2026-two"
SETUP = f"""
import datetime as dt
import django; django.setup()
from portal.reports.actions import announcements_replace
announcements_replace(items=[{{
    "token": {TOKEN!r}, "org_code": "411025", "org_name": "兰考县人民政府",
    "team": "市委第一巡察组", "start": dt.date(2026, 1, 1), "end": dt.date(2030, 12, 31),
    "phone": "0371-26123456", "mailbox": "兰考县邮政局1001号信箱",
    "address": "兰考县中山路1号 市委第一巡察组（邮编475300）",
    "scope": "受理反映问题的来信来电来访。",
}}])
"""
QUESTION = re.compile(r"请计算：(\d+) \+ (\d+) = ？")
CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')
POW = re.compile(r'name="pow" value="" data-nonce="([0-9a-f]+)" data-bits="(\d+)"')
RECEIPT = re.compile(r'<p class="code">([^<]+)</p>')


@pytest.fixture(scope="module")
def portal(tmp_path_factory: Any) -> Iterator[dict[str, str]]:
    """The environment of every portal process: the same keys, one database with an
    announcement."""
    folder = tmp_path_factory.mktemp("portal-two")
    with own_database(os.environ.get("PORTAL_DATABASE_URL", ""), folder, "portal_two") as database:
        yield _portal_env(database)


def _portal_env(database: str) -> dict[str, str]:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("XUNSHI_", "PORTAL_")) and k != "DATABASE_URL"
        },
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "test",
        "PORTAL_DATABASE_URL": database,
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(50),
        "PORTAL_OFFICE_PUBLIC_KEY": generate_keypair()[1],
        "PORTAL_API_TOKEN_SM3": secrets.token_hex(32),
        "PORTAL_RECEIPT_SALT": secrets.token_hex(16),
        "PORTAL_THROTTLE_KEY": secrets.token_hex(32),
        "PORTAL_RECEIPT_KEY": secrets.token_hex(32),
        "PORTAL_LOOKUPS_PER_CODE_PER_HOUR": "2",
    }
    manage = [sys.executable, "portal/manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=60)
    return env


def _work(html: str) -> dict[str, str]:
    """The challenge of the form on this page with its proof of work, as the page's script
    finds it (SHA-256 of "nonce:counter" with so many leading zero bits)."""
    nonce, bits = POW.search(html).groups()  # type: ignore[union-attr]
    counter = next(
        c
        for c in itertools.count()
        if int.from_bytes(hashlib.sha256(f"{nonce}:{c}".encode()).digest(), "big")
        >> (256 - int(bits))
        == 0
    )
    return {"challenge": CHALLENGE.search(html).group(1), "pow": str(counter)}  # type: ignore[union-attr]


def test_a_challenge_from_one_process_is_accepted_once_by_either(portal, tmp_path):
    with gunicorns("portal.wsgi", 2, portal, tmp_path) as (proxy, _ports):
        citizen = Person(proxy)
        form = citizen.get(f"/r/{TOKEN}/")
        a, b = QUESTION.search(form.text).groups()  # type: ignore[union-attr]
        report = {
            "identity": "anonymous",
            "content": "村里的扶贫款被挪用。",
            "answer": str(int(a) + int(b)),
            **_work(form.text),
        }
        sent = citizen.post(f"/r/{TOKEN}/", report)
        assert sent.served_by != form.served_by  # issued by one, accepted by the other
        assert sent.status == 200, sent.text[:2000]
        code = RECEIPT.search(sent.text).group(1)  # type: ignore[union-attr]

        replayed = citizen.post(f"/r/{TOKEN}/", report)
        assert replayed.served_by == form.served_by
        assert "这道验证题已经使用过，每道题只能提交一次。" in replayed.text
        assert RECEIPT.search(replayed.text) is None

        # The per-code lookup limit (2 an hour here) counts the lookups of both processes.
        answers = []
        for _ in range(3):
            page = citizen.get("/follow/")
            answers.append(
                citizen.post("/follow/", {"action": "lookup", "receipt": code, **_work(page.text)})
            )
            citizen.get("/privacy/")  # three requests a lookup: the next goes to the other
        assert [a.status for a in answers] == [200, 200, 429]
        assert all("办理状态" in a.text for a in answers[:2])
        assert "查询次数已达上限（每小时2次" in answers[2].text
        assert answers[0].served_by != answers[1].served_by != answers[2].served_by
