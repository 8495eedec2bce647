"""What a sign-in costs, step by step, and where the time goes (password, then the code).

    .venv/bin/python -m bench.login_profile [sign-ins]     (default 10; a SQLite file in /tmp)

The test world in a fresh database with Django's default password hashers (PBKDF2-SHA256 at
Django's own iteration count, as in production); the office's alice with an authenticator.
Each sign-in through the test client: the login page (GET), the password (POST), the code
page (GET), the code (POST) and the home page it lands on (GET). Prints each step's median
and the sum, then the top entries of a cProfile of one more sign-in by cumulative time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time

import time_machine


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    path = os.path.join(tempfile.mkdtemp(prefix="xunshi-login-"), "db.sqlite3")
    os.environ.update(DATABASE_URL=f"sqlite:///{path}", XUNSHI_ENV="test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import global_settings

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from xunshi.testsupport.signin import authenticator_of, totp_code
    from xunshi.testsupport.world import PASSWORD, build_world

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("migrate", verbosity=0)
    world = build_world()
    alice = world.users["alice"]
    alice.set_password(PASSWORD)
    alice.save(update_fields=["password"])
    device = authenticator_of(alice)
    at = time.time()

    steps: dict[str, list[float]] = {}

    def timed(name: str, call):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        response = call()
        steps.setdefault(name, []).append(time.perf_counter() - t)
        return response

    def sign_in(k: int) -> None:
        # A step of its own for every sign-in (a code is accepted once): the clock moved on.
        with time_machine.travel(at + 90 * k, tick=True):
            _sign_in()

    def _sign_in() -> None:
        client = Client()
        timed("GET login page", lambda: client.get(reverse("login")))
        r = timed(
            "POST password",
            lambda: client.post(reverse("login"), {"username": "alice", "password": PASSWORD}),
        )
        assert r.status_code == 302, r.status_code
        timed("GET code page", lambda: client.get(r["Location"]))
        code = totp_code(device.key, time.time())
        r2 = timed("POST code", lambda: client.post(reverse("otp_verify"), {"code": code}))
        assert r2.status_code == 302, r2.content.decode()[:500]
        timed("GET home", lambda: client.get(r2["Location"], follow=True))

    sign_in(0)  # warm: templates, URL resolvers
    steps.clear()
    for k in range(1, n + 1):
        sign_in(k)
    print(f"sign-in of alice (password + TOTP), {n} times; medians in ms:")
    total = 0.0
    for name, times in steps.items():
        median = statistics.median(times) * 1000
        total += median
        print(f"  {name:16} {median:7.1f}")
    print(f"  {'sum':16} {total:7.1f}")
    profile = cProfile.Profile()
    profile.enable()
    sign_in(n + 1)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    os.unlink(path)


if __name__ == "__main__":
    main()
