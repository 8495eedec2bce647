"""Reports and receipt lookups per second at the public portal, gunicorn on PostgreSQL.

``make bench-portal`` (never part of ``make test``). The portal runs as it would in
production (dev settings with real keys, DEBUG off, an SM2 envelope per report, keyed
receipt digests) under gunicorn on 127.0.0.1, on a PostgreSQL database: the one named by
BENCH_PORTAL_DATABASE_URL, or else a throwaway cluster this script initialises in /tmp and
removes afterwards (Debian's postgresql package, run as root, like .ci/run).

The load is bounded: three rounds, each of CLIENTS processes at once: REPORTS text reports
each (GET the form, read the challenge, compute its proof of work, POST), then REPORTS
reports each with a photo, then LOOKUPS receipt lookups each of the codes just issued. The
proof of work is kept small (BENCH_POW_BITS, 8 by default, instead of the production 16) so
that the clients' hashing, on the same cores, measures the portal and not the clients.
Reported per round: requests per second over the round, the latency of the POST (median,
p95, max), the errors; then the in-process profile of each kind of request
(bench/portal_profile.py); all written to BENCHMARKS-portal.md with the command and the load.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import itertools
import multiprocessing
import os
import re
import resource
import runpy
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.pgcluster import free_port, postgres

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "40"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "100"))
# By default the portal runs as it is deployed: deploy/gunicorn/portal.py's workers and
# threads (gunicorn takes the gthread worker when it has threads).
DEPLOYED = runpy.run_path(str(ROOT / "deploy" / "gunicorn" / "portal.py"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(DEPLOYED["workers"])))
POW_BITS = int(os.environ.get("BENCH_POW_BITS", "8"))
# gunicorn's worker class and its threads: gthread keeps a connection open between requests
# (as nginx asks it to, deploy/nginx/xunshi-portal.conf), the sync worker closes each one.
THREADS = int(os.environ.get("BENCH_THREADS", str(DEPLOYED["threads"])))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread" if THREADS > 1 else "sync")
QUESTION = re.compile(r"请计算：(\d+) \+ (\d+) = ？")
POW = re.compile(r'name="pow" value="" data-nonce="([0-9a-f]+)" data-bits="(\d+)"')
TOKEN = re.compile(r'name="challenge" value="([^"]+)"')
RECEIPT = re.compile(r'<p class="code">([A-Z0-9-]{20,})</p>')
PATH = "/r/bench/"
HEAD = (
    "| row | clients | workers | requests | wall s | per s | median ms | p95 ms | max ms "
    "| errors | portal CPU ms | PostgreSQL CPU ms | clients CPU ms | ceiling per s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _keys(folder: Path, base: str, database: str) -> tuple[Path, str]:
    """The portal's env file (real keys, dev settings) and the API token in the clear."""
    sys.path.insert(0, str(ROOT))
    from envelope import generate_keypair, sm3_hex

    _private, public = generate_keypair()
    token = secrets.token_urlsafe(32)
    env_file = folder / "portal.env"
    env_file.write_text(
        "\n".join(
            [
                "PORTAL_ENV=dev",
                "PORTAL_DEBUG=false",
                f"PORTAL_SECRET_KEY={secrets.token_urlsafe(50)}",
                f"PORTAL_OFFICE_PUBLIC_KEY={public}",
                f"PORTAL_API_TOKEN_SM3={sm3_hex(token.encode())}",
                f"PORTAL_RECEIPT_KEY={secrets.token_hex(32)}",
                f"PORTAL_RECEIPT_SALT={secrets.token_hex(16)}",
                f"PORTAL_THROTTLE_KEY={secrets.token_hex(32)}",
                f"PORTAL_POW_BITS={POW_BITS}",
                f"PORTAL_BASE_URL={base}",
                f"PORTAL_DATABASE_URL={database}",
                # The benchmark files more than a day's worth of the default system-wide cap,
                # and looks each code up more often than a reporter may in an hour.
                "PORTAL_SUBMISSIONS_PER_DAY=1000000",
                "PORTAL_LOOKUPS_PER_CODE_PER_HOUR=1000000",
            ]
        )
        + "\n"
    )
    return env_file, token


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((320, 240), 60).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def _multipart(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    boundary = "----bench" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(parts).encode()
    if photo is not None:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                'filename="现场.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + photo
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _work(nonce: str, bits: int) -> str:
    """The counter the page's script (portal/reports/static/portal/pow.js) would find."""
    for counter in itertools.count():
        digest = hashlib.sha256(f"{nonce}:{counter}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(counter)
    raise AssertionError("unreachable")


def _urlencoded(fields: dict[str, str]) -> tuple[bytes, str]:
    return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"


def report_body(form: str, i: int, photo: bytes | None) -> tuple[bytes, str]:
    """The POST a citizen's browser sends from this report form: (body, content type)."""
    a, b = map(int, QUESTION.search(form).groups())  # type: ignore[union-attr]
    nonce, bits = POW.search(form).groups()  # type: ignore[union-attr]
    fields = {
        "persons": "某局副局长",
        "content": f"反映某局违规发放津贴补贴，第{i}次补充。" * 20,
        "identity": "anonymous",
        "answer": str(a + b),
        "challenge": TOKEN.search(form).group(1),  # type: ignore[union-attr]
        "pow": _work(nonce, int(bits)),
        "website": "",
    }
    return _multipart(fields, photo)


def lookup_body(page: str, code: str) -> tuple[bytes, str]:
    """The POST of a receipt lookup from a page that carries a challenge (the lookup page, or
    the answer to the last lookup, whose forms carry the next one): urlencoded, as a browser
    sends the lookup form, which has no file field."""
    nonce, bits = POW.search(page).groups()  # type: ignore[union-attr]
    fields = {
        "action": "lookup",
        "receipt": code,
        "challenge": TOKEN.search(page).group(1),  # type: ignore[union-attr]
        "pow": _work(nonce, int(bits)),
    }
    return _urlencoded(fields)


def _post(conn: http.client.HTTPConnection, path: str, body: bytes, ctype: str) -> tuple[int, str]:
    conn.request("POST", path, body=body, headers={"Content-Type": ctype})
    response = conn.getresponse()
    return response.status, response.read().decode()


def _reporter(port: int, photo: bytes | None, n: int, out: Any) -> None:
    """One citizen filing n reports: GET the form, POST it; the POST is timed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors, codes = [], [], []
    for i in range(n):
        try:
            conn.request("GET", PATH)
            form = conn.getresponse().read().decode()
            body, ctype = report_body(form, i, photo)
            start = time.perf_counter()
            status, page = _post(conn, PATH, body, ctype)
            latencies.append(time.perf_counter() - start)
            found = RECEIPT.search(page)
            if status != 200 or not found:
                errors.append(f"HTTP {status}")
            else:
                codes.append(found.group(1))
        except Exception as e:
            errors.append(type(e).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    out.put((latencies, errors, codes))


def _looker(port: int, codes: list[str], n: int, out: Any) -> None:
    """One reporter looking codes up n times: the lookup page once, then each answer's form
    (which carries the next challenge), as someone checking several receipts would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors = [], []
    conn.request("GET", "/follow/")
    page = conn.getresponse().read().decode()
    for i in range(n):
        try:
            body, ctype = lookup_body(page, codes[i % len(codes)])
            start = time.perf_counter()
            status, page = _post(conn, "/follow/", body, ctype)
            latencies.append(time.perf_counter() - start)
            if status != 200 or "办理状态" not in page:
                errors.append(f"HTTP {status}")
                conn.request("GET", "/follow/")
                page = conn.getresponse().read().decode()
        except Exception as e:
            errors.append(type(e).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/follow/")
            page = conn.getresponse().read().decode()
    conn.close()
    out.put((latencies, errors, []))


def _round(target: Any, args_of: Any) -> tuple[float, list[float], list[str], list[str]]:
    """CLIENTS processes (not threads: the clients' own Python would hold one GIL) at once."""
    queue: Any = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=target, args=(*args_of(c), queue)) for c in range(CLIENTS)
    ]
    started = time.perf_counter()
    for c in clients:
        c.start()
    results = [queue.get() for _ in clients]
    wall = time.perf_counter() - started
    for c in clients:
        c.join()
    latencies = [x for r in results for x in r[0]]
    errors = [x for r in results for x in r[1]]
    codes = [x for r in results for x in r[2]]
    return wall, latencies, errors, codes


def _cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [p for c in children for p in _tree(int(c))]


def _postmaster(database: str) -> int | None:
    """The local PostgreSQL server of the database URL (by its port), if it runs here."""
    port = urllib.parse.urlsplit(database).port or 5432
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"/postgres") and f"-p {port}".encode() in b" ".join(args):
            return int(cmdline.parent.name)
    return None


class Meter:
    """CPU used by the portal's workers, PostgreSQL and the client processes during a round."""

    def __init__(self, server: int, postmaster: int | None) -> None:
        self.server, self.postmaster = server, postmaster

    def __enter__(self) -> Meter:
        self.before = (_cpu(_tree(self.server)), _cpu(_tree(self.postmaster or -1)))
        self.clients_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        return self

    def __exit__(self, *exc: object) -> None:
        after = (_cpu(_tree(self.server)), _cpu(_tree(self.postmaster or -1)))
        self.portal, self.postgres = (
            sum(v - b.get(pid, 0.0) for pid, v in a.items())
            for a, b in zip(after, self.before, strict=True)
        )
        clients = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.clients = (clients.ru_utime + clients.ru_stime) - (
            self.clients_before.ru_utime + self.clients_before.ru_stime
        )


def _row(
    what: str, n: int, wall: float, latencies: list[float], errors: list[str], meter: Meter
) -> str:
    lat = sorted(latencies)
    p95 = lat[max(0, int(len(lat) * 0.95) - 1)] if lat else float("nan")
    cores = os.cpu_count() or 1
    pg = f"{meter.postgres / n * 1000:.1f}" if meter.postmaster else "–"
    server = (meter.portal + meter.postgres) / n
    return (
        f"| {what} | {CLIENTS} | {WORKERS} | {n} | {wall:.1f} | {(n - len(errors)) / wall:.1f} | "
        f"{statistics.median(lat) * 1000:.0f} | {p95 * 1000:.0f} | {max(lat) * 1000:.0f} | "
        f"{len(errors)} | {meter.portal / n * 1000:.1f} | {pg} | {meter.clients / n * 1000:.1f} | "
        f"{cores / server:.0f} |"
    )


def _sm2_costs() -> str:
    """Milliseconds per seal of a 60 KB report with GmSSL's SM2 (envelope.seal) and per data
    key wrapped by gmalg's pure Python (and its public key check), which the portal used
    before issue 13; and the receipt digests, keyed and the old PBKDF2."""
    sys.path.insert(0, str(ROOT))
    from gmalg import SM2

    from envelope import generate_keypair, receipt_code, receipt_hmac, receipt_pbkdf2, seal

    _private, public = generate_keypair()
    report = secrets.token_bytes(60 * 1024)
    key, code = secrets.token_bytes(32), receipt_code()

    def ms(step: Any, n: int) -> float:
        started = time.process_time()
        for _ in range(n):
            step()
        return (time.process_time() - started) / n * 1000

    raw = bytes.fromhex(public)
    steps = [
        ("seal a 60 KB report, GmSSL's SM2 (envelope.seal)", lambda: seal(public, report), 200),
        ("wrap a data key, gmalg's SM2 (before)", lambda: SM2(pk=raw).encrypt(key[:16]), 10),
        ("check the public key, gmalg (before, on every seal)", lambda: SM2().verify_pk(raw), 10),
        ("receipt digest, HMAC-SM3", lambda: receipt_hmac(code, key), 2000),
        (
            "receipt digest, PBKDF2-HMAC-SM3, 200,000 rounds (before)",
            lambda: receipt_pbkdf2(code, key, 200_000),
            3,
        ),
    ]
    lines = [f"| {what} | {ms(step, n):.3f} |" for what, step, n in steps]
    return "\n".join(["| step | CPU ms |", "|---|---|", *lines])


def _announce(base: str, api_token: str) -> None:
    announce = urllib.request.Request(
        base + "/api/v1/announcements/",
        method="PUT",
        data=(
            '{"items": [{"token": "bench", "org_code": "410225", "org_name": "兰考县", '
            '"team": "省委第一巡视组", "start": "2026-11-01", "end": "2099-12-31", '
            '"phone": "0371-12345678", "mailbox": "郑州市1234号信箱", '
            '"address": "兰考县某宾馆", "scope": "六项纪律"}]}'
        ).encode(),
        headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(announce, timeout=10).read()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="xunshi-bench-portal."))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    photo = _photo()
    costs = _sm2_costs()
    rows: list[str] = []
    errors_seen: list[str] = []
    with postgres("BENCH_PORTAL_DATABASE_URL", "portal") as database:
        env_file, api_token = _keys(folder, base, database)
        env = {**os.environ, "PORTAL_ENV_FILE": str(env_file), "PORTAL_ENV": "dev"}
        env.pop("PORTAL_DATABASE_URL", None)
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run(
            [python, "portal/manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "portal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                WORKER_CLASS,
                "--threads",
                str(THREADS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115
        )
        try:
            for _ in range(100):  # at most 20 s
                try:
                    urllib.request.urlopen(base + "/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            _announce(base, api_token)
            uptime = os.getloadavg()
            codes: list[str] = []
            postmaster = _postmaster(database)
            for what, file in (("text report", None), ("report + photo", photo)):
                with Meter(server.pid, postmaster) as meter:
                    wall, lat, errors, got = _round(_reporter, lambda c, f=file: (port, f, REPORTS))
                rows.append(_row(what, CLIENTS * REPORTS, wall, lat, errors, meter))
                errors_seen += errors
                codes += got
            with Meter(server.pid, postmaster) as meter:
                wall, lat, errors, _ = _round(
                    _looker, lambda c: (port, codes[c::CLIENTS] or ["2222"], LOOKUPS)
                )
            rows.append(_row("receipt lookup", CLIENTS * LOOKUPS, wall, lat, errors, meter))
            errors_seen += errors
        finally:
            server.terminate()
            server.wait(timeout=20)
        profile = subprocess.run(
            [python, "-m", "bench.portal_profile"],
            cwd=ROOT,
            env={**env, "BENCH_PROFILE_PHOTO_HEX": photo.hex()},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    command = (
        f"BENCH_CLIENTS={CLIENTS} BENCH_REPORTS={REPORTS} BENCH_LOOKUPS={LOOKUPS} "
        f"BENCH_WORKERS={WORKERS} BENCH_WORKER_CLASS={WORKER_CLASS} BENCH_THREADS={THREADS} "
        f"BENCH_POW_BITS={POW_BITS} make bench-portal"
    )
    where = (
        "(given URL)" if os.environ.get("BENCH_PORTAL_DATABASE_URL") else "(a throwaway cluster)"
    )
    report = f"""# Portal benchmark

Produced by `{command}` on this machine ({os.cpu_count()} cores), {time.strftime("%Y-%m-%d %H:%M")}
UTC, load average before the run (1, 5, 15 min) {uptime[0]:.2f}, {uptime[1]:.2f}, {uptime[2]:.2f}.
gunicorn ({WORKER_CLASS} workers, {THREADS} thread(s) each) serving `portal.wsgi` with dev
settings and real keys, DEBUG off, on PostgreSQL {where}; the clients are {CLIENTS} processes
on the same 2 cores.
A report: GET the form, solve the sum and the proof of work ({POW_BITS} bits), POST an
anonymous report (~1 KB of text; in the second row also a {len(photo) // 1024} KB JPEG, checked,
re-encoded without EXIF, original and clean copy both sealed), sealed in an SM2/SM4-GCM
envelope (GmSSL's SM2), its receipt stored as HMAC-SM3. A lookup: POST a receipt code,
urlencoded as a browser sends the lookup form (proof of work, the spent nonce, the code's
throttle row, the keyed digest, the status page); each answer carries
the challenge of the next lookup, so a client GETs the lookup page once. Latency is the
POST's; an error is any answer without a receipt code (reports) or a status page (lookups).
The per-code lookup limit is raised for the run (PORTAL_LOOKUPS_PER_CODE_PER_HOUR), as is
the daily cap of submissions.

{HEAD}
{chr(10).join(rows)}

CPU ms are per report or lookup (its GET included), from /proc: the gunicorn workers, the
PostgreSQL server's processes, the client processes. The ceiling is what the portal and
PostgreSQL could serve on this machine's {os.cpu_count()} cores if nothing else ran there
(cores ÷ their CPU seconds per request): on a shared machine it says what the portal
costs, where the rate says what it got.

Targets (issue 13): text reports ≥ 200/s with p95 < 300 ms and 0 errors; reports with the
photo ≥ 100/s; lookups ≥ 500/s.

Until 2026-12-07 12:31 the benchmark ran the portal in 3 sync workers; since then it runs it as
deployed (deploy/gunicorn/portal.py: 4 workers of 2 threads, gthread). The same code with the
default counts (BENCH_REPORTS=40, BENCH_LOOKUPS=100; 2026-12-07 12:31, load 0.86, nothing else
running): 280.5 text reports/s (p95 28 ms), 165.1/s with the photo (p95 53 ms), 727.9
lookups/s (p95 17 ms), 0 errors, each row about a second long; in 3 sync workers (11:47, load
4.94, helpers sharing the machine): 119.4, 64.9 and 161.3/s.

Before a lookup's nonce, count and read were one statement, a report's count and insert
another, PostgreSQL prepared the portal's statements and the benchmark's lookups went
urlencoded like the browser's (2026-12-07 08:16, load 7.55, the same command with sync
workers): 59.4 text reports/s (portal CPU 6.4 ms + PostgreSQL 1.6 ms each, ceiling 250/s),
35.3/s with the photo (11.2 + 4.0 ms, 132/s), 92.4 lookups/s (3.8 + 1.4 ms, 386/s), all with
0 errors.

Other gunicorn shapes, the same command otherwise (2026-12-07 11:42 and 11:43, load before
4.79 and 4.56): with BENCH_WORKER_CLASS=gthread BENCH_THREADS=2, the shape production runs
(deploy/gunicorn/portal.py: threads = 2; nginx keeps its connections open), 110.8 text
reports/s (p95 80 ms; portal 5.3 + PostgreSQL 0.8 ms each, ceiling 328/s), 72.9/s with the
photo (8.2 + 1.7 ms, 203/s) and 417.4 lookups/s (p95 34 ms; 1.5 + 0.4 ms, 1046/s), 0 errors;
with BENCH_THREADS=1, 89.8, 51.7 and 194.1/s. A sync worker closes every connection and, for
each commit, waits for its WAL flush with nothing else to do: its rate here is bound by that
latency, not by the CPU (in a sync run at 11:40, 800 lookups used 800 × 4.2 ms of CPU in
5.3 s, 0.63 of the 2 cores).
The same code and command seven minutes earlier (2026-12-07 11:40, load 1.40), to show how
much a shared machine moves the rates: 68.8 text reports/s (6.2 + 1.2 ms, 271/s), 44.9/s with
the photo (9.6 + 1.9 ms, 173/s), 151.9 lookups/s (2.7 + 0.6 ms, 593/s).
The code before this round, same command and conditions (main at 00969d6, 2026-12-07 11:41,
load 4.29): 59.5 text reports/s (6.6 + 1.8 ms, 239/s), 44.4/s with the photo (11.1 + 4.2
ms, 131/s), 93.8 lookups/s (3.8 + 1.6 ms, 370/s).

Tried and left out (2026-12-07, measured in one process): sending the report form urlencoded
when no file is chosen. Django parses a 20-line Chinese report in 0.22 ms urlencoded against
0.27 ms as multipart, but one of 5,000 characters (the form's limit) in 2.3 ms against 0.27
ms (urllib unquotes every %XX of the escaped UTF-8 in Python), so the report form stays
multipart; only the lookup form (ASCII, no file field: 0.02 against 0.17 ms) is urlencoded.
Also measured, not adopted: a lookup's statement committed without waiting for its WAL flush
(`set_config('synchronous_commit', 'off', true)` inside it) cost 0.13 + 0.15 ms of portal and
PostgreSQL CPU instead of 0.23 + 0.29 ms and 0.3 ms of wall time instead of 3 ms, but a
database crash could then forget the last fraction of a second of spent nonces and counts
(a replayed lookup, a few uncounted guesses): that is the lead's call, not a speed-up. With
it this command gave 211.0 and 370.1 lookups/s (11:51, load 5.1), against 151.9, 161.3,
177.4 and 173.9/s with every commit waited for (11:40 to 11:49, load 1.4 to 5.3). Without
Django's connection health check (CONN_HEALTH_CHECKS, a SELECT 1 per request) it gave 297.1,
164.1 and 235.7 lookups/s (11:47 to 11:50, load 4.5 to 5.4): within what the shared machine
moves, so the check stays (without it a worker's first request after a database restart
fails).

Before the portal's pages were kept and its hot reads composed once (2026-12-07 04:04, load
2.4, the same command with sync workers): portal CPU 13.9 ms + PostgreSQL 2.1 ms per text
report (ceiling 125/s), 20.8 + 5.0 ms with the photo (77/s), 9.0 + 2.2 ms per lookup (179/s).

Before issue 13 (`make bench-portal`, 2026-11-27, 8 clients, 3 workers, reports with the
photo): 14.5 reports/s, median 361 ms, p95 515 ms; about 150 ms of CPU per report before any
I/O. What the cryptography costs, measured in this process before the run:

{costs}

### Profile

`python -m bench.portal_profile` in one process on the same database after the run:
`portal.wsgi.application` called directly (no HTTP, no test client), cProfile over
{os.environ.get("BENCH_PROFILE_ROUNDS", "60")} requests of each kind after a warm-up, only inside
the application's calls (the client's proof of work is left out).

{profile}"""
    if errors_seen:
        report += f"\nErrors: {sorted(set(errors_seen))}\n"
    (ROOT / "BENCHMARKS-portal.md").write_text(report)
    print(report)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
