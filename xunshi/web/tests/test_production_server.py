"""The internal app as production runs it (deploy/gunicorn/web.py, production settings): every
line on standard output is one JSON object, the access lines carry the request id nginx sent,
and `/healthz` answers 503 naming the worker that is not running."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .production import production_env

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, request_id: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        # What nginx sends (deploy/nginx/xunshi-internal.conf).
        headers={
            "Host": "xunshi.example.gov.cn",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "10.0.0.7",
            "X-Request-ID": request_id,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_it_serves_with_json_logs_and_a_health_check(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'xunshi.sqlite3'}",
        XUNSHI_PROXY_SSL_HEADER="true",
        XUNSHI_TRUSTED_PROXIES="1",
        XUNSHI_FILES_ROOT=str(tmp_path / "files"),
        XUNSHI_MEDIA_ROOT=str(tmp_path / "media"),
        XUNSHI_AUDIT_CHECKPOINT_DIR=str(tmp_path / "audit"),
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            *(str(gunicorn), "config.wsgi", "--config", "deploy/gunicorn/web.py"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
            *("--control-socket", str(tmp_path / "gunicorn.ctl")),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        status, body = _get(port, "/accounts/login/", "req-login-0001")
        assert status == 200, body[:500]
        status, body = _get(port, "/healthz", "req-health-0002")
        assert status == 503
        assert json.loads(body)["failed"] == ["worker", "portal"]
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in out.splitlines()]  # each line one JSON object
    by_id = {line.get("request_id"): line for line in lines}
    login = by_id["req-login-0001"]
    assert (login["logger"], login["path"], login["status"]) == (
        "gunicorn.access",
        "/accounts/login/",
        200,
    )
    assert by_id["req-health-0002"]["status"] == 503
    assert "10.0.0.7" not in out  # the access log names no client
    assert "Traceback" not in out + err
