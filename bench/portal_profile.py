"""Where a portal request spends its time: cProfile over the WSGI application, in process.

Run by `bench.portal_load` in a process of its own, with the portal's environment (dev
settings, real keys, DEBUG off, the benchmark's PostgreSQL database and its announcement):
``python -m bench.portal_profile``. It calls `portal.wsgi.application` directly with WSGI
environs (no test client, whose template signals would add their own cost), first a few
requests to warm up, then under cProfile ROUNDS text reports (GET the form, POST), ROUNDS
reports with the photo and ROUNDS receipt lookups, and prints for each the CPU milliseconds
per request (the profiler's clock is the process's CPU time, so waits for PostgreSQL, whose
own work is not in it, and for a busy machine's cores are left out) and the functions with
the most time of their own (tottime) and in all (cumtime), as Markdown for
BENCHMARKS-portal.md. The profiler and the CPU clock run only inside the application's calls:
what the client does between them (the proof of work, the body) is not the portal's.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

ROUNDS = int(os.environ.get("BENCH_PROFILE_ROUNDS", "60"))
TOP = int(os.environ.get("BENCH_PROFILE_TOP", "12"))
ROOT = str(Path(__file__).resolve().parent.parent) + "/"
RECEIPT = re.compile(r'<p class="code">([A-Z0-9-]{20,})</p>')


def _call(app: Any, method: str, path: str, body: bytes = b"", ctype: str = "") -> str:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8001",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": ctype,
    }
    status: list[str] = []
    chunks = app(environ, lambda s, h, *a: status.append(s))
    text = b"".join(chunks).decode()
    if hasattr(chunks, "close"):
        chunks.close()
    if not status[0].startswith("200"):
        raise RuntimeError(f"{method} {path}: {status[0]}")
    return text


class Meter:
    """The profiler and the process's CPU time, running only inside the application's calls."""

    def __init__(self) -> None:
        self.profile = cProfile.Profile(time.process_time)
        self.cpu = 0.0
        self.on = False

    def call(self, app: Any, *args: Any) -> str:
        if not self.on:
            return _call(app, *args)
        started = time.process_time()
        self.profile.enable()
        try:
            return _call(app, *args)
        finally:
            self.profile.disable()
            self.cpu += time.process_time() - started


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from bench.portal_load import PATH, lookup_body, report_body
    from portal.wsgi import application

    photo = bytes.fromhex(os.environ["BENCH_PROFILE_PHOTO_HEX"])
    codes: list[str] = []
    meter = Meter()

    def report(with_photo: bool) -> Callable[[int], None]:
        def one(i: int) -> None:
            form = meter.call(application, "GET", PATH)
            body, ctype = report_body(form, i, photo if with_photo else None)
            page = meter.call(application, "POST", PATH, body, ctype)
            codes.append(RECEIPT.search(page).group(1))  # type: ignore[union-attr]

        return one

    def lookup(i: int) -> None:
        form = meter.call(application, "GET", "/follow/")
        body, ctype = lookup_body(form, codes[i % len(codes)])
        page = meter.call(application, "POST", "/follow/", body, ctype)
        if "办理状态" not in page:
            raise RuntimeError("the lookup did not find its report")

    out = []
    for title, step in (
        ("text report (GET the form, POST)", report(False)),
        ("report with the photo (GET the form, POST)", report(True)),
        ("receipt lookup (GET the page, POST)", lookup),
    ):
        for i in range(3):
            step(i)
        # CPU time, not wall time: on a shared machine the waits for the database (and for the
        # cores) would otherwise bury what the portal's own code costs.
        meter.profile, meter.cpu, meter.on = cProfile.Profile(time.process_time), 0.0, True
        for i in range(ROUNDS):
            step(i)
        meter.on = False
        profile = meter.profile
        cpu = meter.cpu / ROUNDS * 1000
        stats = pstats.Stats(profile)
        out.append(
            f"#### {title}: {cpu:.1f} ms of the portal process's CPU each, under the profiler\n"
        )
        rows = [
            (where.split("site-packages/")[-1].removeprefix(ROOT), line, name, calls, own, total)
            for (where, line, name), (_cc, calls, own, total, _callers) in stats.stats.items()  # type: ignore[attr-defined]
        ]
        for label, chosen in (
            ("Most time of their own, any code", sorted(rows, key=lambda r: -r[4])[:TOP]),
            (
                "The portal's own functions (and envelope, uploadscan) by time in all they call",
                sorted(
                    (r for r in rows if r[0].startswith(("portal/", "envelope/", "uploadscan/"))),
                    key=lambda r: -r[5],
                )[: TOP + 4],
            ),
        ):
            out.append(f"{label} (ms per request):\n")
            out.append("| function | calls per request | own ms | total ms |")
            out.append("|---|---|---|---|")
            for where, line, name, calls, own, total in chosen:
                out.append(
                    f"| `{name}` ({where}:{line}) | {calls / ROUNDS:.1f} | "
                    f"{own / ROUNDS * 1000:.2f} | {total / ROUNDS * 1000:.2f} |"
                )
            out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
