"""Requests a second of web processes on one page, for docs/scaling.md (issue 13, item 5).

    python -m bench.scaleout [--processes 1 2] [--clients 4] [--seconds 20] [--sqlite]

On PostgreSQL (BENCH_DATABASE_URL, or a throwaway cluster in /tmp: bench/pgcluster.py) with the
test world (xunshi/testsupport/world.py): N gunicorn processes of one sync worker each behind a
round-robin proxy, `--clients` threads each signed in as the office (alice) asking for each
page in turn for `--seconds`; prints requests/s, p50 and p95 per page and process count, and
the load average. Nothing is written to a file: the figures go into docs/scaling.md by hand,
with the command and the load.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import django

from bench.pgcluster import postgres

# This process only signs in and asks for pages; the test world's password and the code of an
# authenticator come from the suite's scaffolding, which needs settings.
os.environ.setdefault("XUNSHI_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from xunshi.testsupport.signin import totp_code  # noqa: E402
from xunshi.testsupport.world import PASSWORD  # noqa: E402
from xunshi.web.tests.twoprocesses import ROOT, Person, gunicorns  # noqa: E402

PAGES = ["/desk/", "/registry/orgs/", "/rounds/"]
KEY = secrets.token_hex(20)
SETUP = f"""
import django; django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from xunshi.testsupport.world import build_world
w = build_world()
TOTPDevice.objects.create(user=w.users["alice"], name="bench", confirmed=True, key={KEY!r})
"""


def signed_in(proxy: object, n: int) -> Person:
    person = Person(proxy, {"X-Forwarded-For": f"10.9.0.{n + 1}"})  # type: ignore[arg-type]
    person.get("/accounts/login/")
    answer = person.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    while answer.status == 302:
        where = answer.location
        answer = person.get(where)
    for _ in range(3):  # a code is accepted once: the next clients wait for the next step
        answer = person.post(where, {"code": totp_code(KEY, time.time())})
        if answer.status == 302:
            return person
        time.sleep(31 - time.time() % 30)
    raise SystemExit(f"sign-in failed: {answer.text[:500]}")


def _load(person: Person, page: str, end: float, times: list[float], errors: list[int]) -> None:
    """One client asking for page until end, one request after the other."""
    while time.monotonic() < end:
        start = time.monotonic()
        answer = person.get(page)
        times.append(time.monotonic() - start)
        if answer.status != 200:
            errors[0] += 1


def run(env: dict[str, str], processes: int, clients: int, seconds: float) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        gunicorns("config.wsgi", processes, env, Path(folder)) as (proxy, _ports),
    ):
        people = [signed_in(proxy, n) for n in range(clients)]
        for page in PAGES:
            times: list[float] = []
            errors = [0]
            end = time.monotonic() + seconds

            threads = [
                threading.Thread(target=_load, args=(p, page, end, times, errors)) for p in people
            ]
            begun = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - begun
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{processes} process(es), {clients} clients, {page}: "
                f"{len(times) / wall:.1f} req/s, p50 {statistics.median(times) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, {errors[0]} errors, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # The suite's settings (XUNSHI_ENV=test, DEBUG off): the same pages and queries as
        # production, with its cheap password hashes, which only the sign-in would feel.
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("XUNSHI_")},
            "XUNSHI_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "XUNSHI_SECRET_KEY": secrets.token_urlsafe(50),
            "XUNSHI_FIELD_KEY": secrets.token_hex(16),
            "XUNSHI_SESSIONS_DIR": f"{folder}/sessions",
            "XUNSHI_FILES_ROOT": f"{folder}/files",
            "XUNSHI_TRUSTED_PROXIES": "1",
            "XUNSHI_TASKS": "database",
        }
        if args.sqlite:
            _measure(env | {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}, args)
            return
        with postgres("BENCH_DATABASE_URL", "xunshi_scaleout", options="-c fsync=off") as url:
            _measure(env | {"DATABASE_URL": url}, args)


def _measure(env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "-c", SETUP], cwd=ROOT, env=env, check=True)
    for processes in args.processes:
        run(env, processes, args.clients, args.seconds)


if __name__ == "__main__":
    main()
