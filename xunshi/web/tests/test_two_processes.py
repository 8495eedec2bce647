"""Scale-out (issue 13, item 5): two web processes behind one address serve one office.

Two gunicorn processes share one database (this run's: a SQLite file, or a database of its own
on the PostgreSQL server the suite uses) and nothing else but the sessions' directory on
SQLite, which is one machine's database. A round-robin proxy hands each request to the other
process: a person signs in through one and is served by the other, failed sign-ins are counted
by both together up to the account's lock, and an import started on one is followed on the
other while a worker takes it from the database queue or from Redis.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from xunshi.testsupport.signin import totp_code
from xunshi.testsupport.world import PASSWORD

from .twoprocesses import ROOT, Person, gunicorns, own_database, redis_url

# alice (the office) with an authenticator whose secret the test knows.
AUTHENTICATOR = secrets.token_hex(20)
SETUP = f"""
import django; django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from xunshi.testsupport.world import build_world
w = build_world()
TOTPDevice.objects.create(user=w.users["alice"], name="手机", confirmed=True, key={AUTHENTICATOR!r})
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: Any) -> Iterator[dict[str, str]]:
    """The environment of every process of the site: its database migrated with the world."""
    folder = tmp_path_factory.mktemp("two")
    with own_database(os.environ.get("DATABASE_URL", ""), folder, "xunshi_two") as database:
        yield _site_env(folder, database)


def _site_env(folder: Path, database: str) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XUNSHI_", "PORTAL_"))},
        "XUNSHI_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database,
        # Every process of one deployment has the same keys and, on SQLite, the same sessions.
        "XUNSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "XUNSHI_FIELD_KEY": secrets.token_hex(16),
        "XUNSHI_SESSIONS_DIR": str(folder / "sessions"),
        "XUNSHI_FILES_ROOT": str(folder / "files"),
        "XUNSHI_MEDIA_ROOT": str(folder / "media"),
        # The proxy's clients: a test names the address of each (X-Forwarded-For).
        "XUNSHI_TRUSTED_PROXIES": "1",
        "XUNSHI_TASKS": "database",
        "XUNSHI_FOLDER": str(folder),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "-c", SETUP], cwd=ROOT, env=env, check=True)
    return env


_USED_STEPS: set[int] = set()


def code_now() -> str:
    """A code of a 30 s step that no sign-in of this module has used yet: django-otp refuses
    a step twice, and the tests sign alice in more than once within one step. The device also
    takes the next step (tolerance 1); beyond that, wait for a new step."""
    while True:
        now = time.time()
        step = int(now // 30)
        for candidate in (step, step + 1):
            if candidate not in _USED_STEPS:
                _USED_STEPS.add(candidate)
                return totp_code(AUTHENTICATOR, candidate * 30)
        time.sleep((step + 1) * 30 - now + 0.1)


def sign_in(person: Person, username: str, password: str) -> list[int]:
    """Through the login page and the second factor; returns the process of each step: the
    login page, the password, the code's page (after the redirects) and the code."""
    served = [person.get("/accounts/login/").served_by]
    answer = person.post("/accounts/login/", {"username": username, "password": password})
    assert answer.status == 302, answer.text[:2000]
    served.append(answer.served_by)
    while answer.status == 302:
        verify = answer.location
        answer = person.get(verify)
    assert "/accounts/otp/verify/" in verify, verify
    served.append(answer.served_by)
    answer = person.post(verify, {"code": code_now()})
    assert answer.status == 302, answer.text[:2000]
    served.append(answer.served_by)
    return served


def test_a_person_signs_in_through_one_process_and_is_served_by_the_other(site, tmp_path):
    with gunicorns("config.wsgi", 2, site, tmp_path) as (proxy, _ports):
        alice = Person(proxy, {"X-Forwarded-For": "10.1.0.1"})
        served = sign_in(alice, "alice", PASSWORD)
        desk = alice.get("/desk/")
        assert desk.status == 200
        assert "赵敏" in desk.text
        # The session that one process opened for the password and the other marked for the
        # code is read by both: the requests alternated between them.
        assert len(set(served)) == 2
        assert desk.served_by != served[3]
        for _ in range(4):  # and it goes on like that, from either
            page = alice.get("/registry/imports/")
            assert page.status == 200 and "赵敏" in page.text
        assert len(set(proxy.served[-4:])) == 2
        alice.post("/accounts/logout/", {})
        assert alice.get("/desk/").status == 302  # signed out on both


def test_failed_sign_ins_count_across_both_processes(site, tmp_path):
    with gunicorns("config.wsgi", 2, site, tmp_path) as (proxy, ports):
        # One client: three failures, from both processes together, make it wait.
        guesser = Person(proxy, {"X-Forwarded-For": "10.2.0.1"})
        guesser.get("/accounts/login/")
        answers = [
            guesser.post("/accounts/login/", {"username": "bob", "password": f"x{n}"})
            for n in range(3)
        ]
        assert {a.served_by for a in answers} == set(ports)
        assert "登录失败次数较多，请在2秒后再试。" in answers[-1].text
        held = guesser.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
        assert held.status == 429 and "秒后再试" in held.text
        assert held.served_by != answers[-1].served_by

        # The account: 50 failures from anywhere, through either process, lock it for all.
        for n in range(25):
            client = Person(proxy, {"X-Forwarded-For": f"10.3.0.{n + 1}"})
            client.get("/accounts/login/")
            for k in range(2):
                client.post("/accounts/login/", {"username": "dave", "password": f"y{n}{k}"})
        dave = Person(proxy, {"X-Forwarded-For": "10.4.0.1"})
        dave.get("/accounts/login/")
        refusals = [
            dave.post("/accounts/login/", {"username": "dave", "password": PASSWORD})
            for _ in range(2)
        ]
        assert [r.status for r in refusals] == [429, 429]
        assert all("账号已锁定" in r.text for r in refusals)
        assert {r.served_by for r in refusals} == set(ports)


HEADER = (
    *("单位编码*", "单位名称*", "简称", "板块*", "行政区划代码", "上级单位编码", "标签", "人数"),
    *("统一社会信用代码", "主要负责人", "主要负责人职务", "主要负责人干部编号", "纳入巡视范围"),
)


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append([*HEADER])
    ws.append(["419901", "两进程测试单位", "测试单位", "县（市、区）", *[None] * 8, "是"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_a_job_started_on_one_process_is_seen_on_the_other(site, tmp_path, queue):
    env = dict(site)
    if queue == "redis":
        env |= {"XUNSHI_TASKS": "redis", "XUNSHI_REDIS_URL": redis_url(3)}
    with gunicorns("config.wsgi", 2, env, tmp_path) as (proxy, ports):
        alice = Person(proxy, {"X-Forwarded-For": f"10.5.0.{ports[0] % 250}"})
        sign_in(alice, "alice", PASSWORD)
        alice.get("/registry/imports/")
        started = alice.post(
            "/registry/imports/upload/",
            {"kind": "orgs"},
            files={"file": (f"单位名录-{queue}.xlsx", _workbook())},
        )
        assert started.status == 302, started.text[:2000]
        job = re.fullmatch(r"/registry/imports/(\d+)/", started.location)
        assert job, started.location
        progress = f"/registry/imports/{job.group(1)}/progress/"
        waiting = [alice.get(progress) for _ in range(2)]
        assert {w.served_by for w in waiting} == set(ports)
        assert all("排队等候处理" in w.text for w in waiting)

        worker = subprocess.run(
            [sys.executable, "manage.py", "jobs_worker", "--batch", "--no-startup-delay"]
            + (["--interval", "0"] if queue == "database" else []),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        done = [alice.get(progress) for _ in range(2)]
        assert {d.served_by for d in done} == set(ports)
        assert all("导入完成" in d.text for d in done), done[0].text[:2000]
        assert "两进程测试单位" in alice.get("/registry/orgs/?q=419901").text
