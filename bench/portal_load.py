"""Submissions per second to the public portal under gunicorn on PostgreSQL.

``make bench-portal`` (never part of ``make test``). The portal runs as it would in
production (dev settings with real keys, DEBUG off, 200,000 PBKDF2-HMAC-SM3 rounds for each
receipt, SM2 envelope per report) under gunicorn on 127.0.0.1, on a PostgreSQL database: the
one named by BENCH_PORTAL_DATABASE_URL, or else a throwaway cluster this script initialises
in /tmp and removes afterwards (Debian's postgresql package, run as root, like .ci/run).

The load is bounded: CLIENTS threads each file REPORTS reports, each as a citizen would (GET
the form, read the challenge, compute its proof of work, POST the report with a 40 KB JPEG),
and nothing else. The proof of work is kept small (BENCH_POW_BITS, 8 by default, instead of
the production 16) so that the clients' hashing, on the same cores, measures the portal and
not the clients. Reported:
reports per second over the whole run, the latency of the POST (median, p95, max), the
errors (any answer without a receipt code), written to BENCHMARKS-portal.md with the command.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import itertools
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.pgcluster import free_port, postgres

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "40"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
POW_BITS = int(os.environ.get("BENCH_POW_BITS", "8"))
QUESTION = re.compile(r"请计算：(\d+) \+ (\d+) = ？")
POW = re.compile(r'name="pow" value="" data-nonce="([0-9a-f]+)" data-bits="(\d+)"')
TOKEN = re.compile(r'name="challenge" value="([^"]+)"')
RECEIPT = re.compile(r'<p class="code">([A-Z0-9-]{20,})</p>')


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
                # The benchmark files more than a day's worth of the default system-wide cap.
                "PORTAL_SUBMISSIONS_PER_DAY=1000000",
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


def _multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = "----bench" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = "".join(parts).encode()
    file_part = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="现场.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + b"\r\n"
    )
    return head + file_part + f"--{boundary}--\r\n".encode(), boundary


def _work(nonce: str, bits: int) -> str:
    """The counter the page's script (portal/reports/static/portal/pow.js) would find."""
    for counter in itertools.count():
        digest = hashlib.sha256(f"{nonce}:{counter}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(counter)
    raise AssertionError("unreachable")


def _client(
    port: int, path: str, photo: bytes, n: int, out: list[float], errors: list[str]
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(n):
        try:
            conn.request("GET", path)
            form = conn.getresponse().read().decode()
            a, b = map(int, QUESTION.search(form).groups())  # type: ignore[union-attr]
            token = TOKEN.search(form).group(1)  # type: ignore[union-attr]
            nonce, bits = POW.search(form).groups()  # type: ignore[union-attr]
            body, boundary = _multipart(
                {
                    "persons": "某局副局长",
                    "content": f"反映某局违规发放津贴补贴，第{i}次补充。" * 20,
                    "identity": "anonymous",
                    "answer": str(a + b),
                    "challenge": token,
                    "pow": _work(nonce, int(bits)),
                    "website": "",
                },
                photo,
            )
            start = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            response = conn.getresponse()
            page = response.read().decode()
            out.append(time.perf_counter() - start)
            if response.status != 200 or not RECEIPT.search(page):
                errors.append(f"HTTP {response.status}")
        except Exception as e:
            errors.append(type(e).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="xunshi-bench-portal."))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
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
            announce = urllib.request.Request(
                base + "/api/v1/announcements/",
                method="PUT",
                data=(
                    '{"items": [{"token": "bench", "org_code": "410225", "org_name": "兰考县", '
                    '"team": "省委第一巡视组", "start": "2026-11-01", "end": "2026-12-31", '
                    '"phone": "0371-12345678", "mailbox": "郑州市1234号信箱", '
                    '"address": "兰考县某宾馆", "scope": "六项纪律"}]}'
                ).encode(),
                headers={
                    "Authorization": f"Bearer {api_token}",
                    "Content-Type": "application/json",
                },
            )
            urllib.request.urlopen(announce, timeout=10).read()
            photo = _photo()
            latencies: list[float] = []
            errors: list[str] = []
            threads = [
                threading.Thread(
                    target=_client, args=(port, "/r/bench/", photo, REPORTS, latencies, errors)
                )
                for _ in range(CLIENTS)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=20)
    total = CLIENTS * REPORTS
    ok = total - len(errors)
    lat = sorted(latencies)
    p95 = lat[max(0, int(len(lat) * 0.95) - 1)] if lat else float("nan")
    line = (
        f"| {CLIENTS} | {WORKERS} | {total} | {wall:.1f} | {ok / wall:.1f} | "
        f"{statistics.median(lat) * 1000:.0f} | {p95 * 1000:.0f} | {max(lat) * 1000:.0f} | "
        f"{len(errors)} |"
    )
    command = (
        f"BENCH_CLIENTS={CLIENTS} BENCH_REPORTS={REPORTS} BENCH_WORKERS={WORKERS} "
        f"BENCH_POW_BITS={POW_BITS} make bench-portal"
    )
    report = f"""# Portal benchmark

Produced by `{command}` on this machine ({os.cpu_count()} cores), {time.strftime("%Y-%m-%d")}.
gunicorn (sync workers) serving `portal.wsgi` with dev settings, DEBUG off, on PostgreSQL
{"(given URL)" if os.environ.get("BENCH_PORTAL_DATABASE_URL") else "(a throwaway local cluster)"}.
Each report: GET the form, solve the challenge and its proof of work ({POW_BITS} bits),
POST an anonymous report (~1 KB text and a
{len(photo) // 1024} KB JPEG, its EXIF stripped), sealed in an SM2/SM4-GCM envelope with the
original and the clean copy, its receipt digested with 200,000 rounds of PBKDF2-HMAC-SM3.
Latency is the POST's, from request to the receipt page. An error is any answer without a
receipt code.

| clients | workers | reports | wall s | reports/s | median ms | p95 ms | max ms | errors |
|---|---|---|---|---|---|---|---|---|
{line}
"""
    if errors:
        report += f"\nErrors: {sorted(set(errors))}\n"
    (ROOT / "BENCHMARKS-portal.md").write_text(report)
    print(report)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
