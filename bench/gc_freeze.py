"""What the garbage collector costs a round page, with and without gc.freeze() after loading
(deploy/gunicorn/web.py's post_worker_init).

    .venv/bin/python -m bench.gc_freeze [requests]     (default 300; a SQLite file in /tmp)

The test world in a fresh database; the office (alice) reads its round page through the test
client: 20 requests to warm up (what a gunicorn worker has loaded by then), then `requests`
requests timed, first as they are, then after gc.collect(); gc.freeze(). The collector's own
time is measured with gc.callbacks: the number of collections of each generation, their total
and longest pause, and the requests' p50 and p95.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time


def _measure(client, url: str, n: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses[info["generation"]].append(time.perf_counter() - started.pop())

    gc.callbacks.append(watch)
    times = []
    try:
        for _ in range(n):
            t = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - t)
    finally:
        gc.callbacks.remove(watch)
    every = [p for ps in pauses.values() for p in ps]
    return {
        "p50 ms": statistics.median(times) * 1000,
        "p95 ms": statistics.quantiles(times, n=20)[18] * 1000,
        "gen2 collections": len(pauses[2]),
        "all collections": len(every),
        "gc total ms": sum(every) * 1000,
        "longest pause ms": max(every, default=0) * 1000,
        "gen2 mean ms": statistics.mean(pauses[2]) * 1000 if pauses[2] else 0.0,
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    path = os.path.join(tempfile.mkdtemp(prefix="xunshi-gc-"), "db.sqlite3")
    os.environ.update(DATABASE_URL=f"sqlite:///{path}", XUNSHI_ENV="test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from xunshi.testsupport.signin import force_login
    from xunshi.testsupport.world import build_world

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    world = build_world()
    client = Client()
    force_login(client, world.users["alice"])
    url = reverse("round_detail", args=[world.round.pk])
    _measure(client, url, 20)
    before = _measure(client, url, n)
    gc.collect()
    gc.freeze()
    after = _measure(client, url, n)
    print(f"round page, {n} requests each (objects frozen: {gc.get_freeze_count():,})")
    print("| | " + " | ".join(before) + " |")
    print("|---|" + "---|" * len(before))
    for name, row in (("as loaded", before), ("after gc.freeze()", after)):
        print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in row.values()) + " |")
    os.unlink(path)


if __name__ == "__main__":
    main()
