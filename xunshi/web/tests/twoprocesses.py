"""What the tests of scale-out share: two server processes on one database behind one address.

`RoundRobin` is a TCP proxy on 127.0.0.1 that hands each new connection to the next process in
turn and remembers which one got it; `Person` is someone with a browser (cookies, forms with
their CSRF token, redirects followed by hand) who talks to the proxy only, one connection per
request, so that two requests in a row are served by two different processes.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import re
import secrets
import selectors
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from redis import Redis

ROOT = Path(__file__).resolve().parents[3]  # the repository: manage.py, portal/
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until the process listens on port (at most 60 s: two processes start on a shared machine)."""
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail(f"the process on {port} stopped: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listens on {port}: {log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class RoundRobin:
    """One address for several upstream ports on 127.0.0.1: each new connection goes to the
    next upstream in turn; `served` lists the upstream of every connection, in order."""

    def __init__(self, upstreams: list[int]) -> None:
        self.upstreams = itertools.cycle(upstreams)
        self.served: list[int] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.closing = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.closing.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = next(self.upstreams)
            self.served.append(upstream)
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, client: socket.socket, upstream: int) -> None:
        with client, socket.create_connection(("127.0.0.1", upstream), timeout=120) as server:
            peer = {client: server, server: client}
            with selectors.DefaultSelector() as selector:
                for end in peer:
                    selector.register(end, selectors.EVENT_READ)
                open_ends = 2
                while open_ends and not self.closing.is_set():
                    for key, _ in selector.select(timeout=0.5):
                        end: socket.socket = key.fileobj  # type: ignore[assignment]
                        data = end.recv(65536)
                        if data:
                            peer[end].sendall(data)
                            continue
                        selector.unregister(end)
                        open_ends -= 1
                        try:
                            peer[end].shutdown(socket.SHUT_WR)
                        except OSError:
                            open_ends = 0

    def close(self) -> None:
        self.closing.set()
        self.listener.close()
        self.thread.join(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Answer:
    status: int
    text: str
    location: str
    served_by: int


@dataclass
class Person:
    """Someone with a browser who reaches the site through the proxy only."""

    proxy: RoundRobin
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def _send(self, request: urllib.request.Request) -> Answer:
        for name, value in self.headers.items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        served_by = self.proxy.served[-1]
        return Answer(
            status, body.decode("utf-8", "replace"), headers.get("Location", ""), served_by
        )

    def get(self, path: str) -> Answer:
        return self._send(urllib.request.Request(self.proxy.url + path))  # noqa: S310

    def post(
        self, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> Answer:
        """A form sent as the page would: with its CSRF token (from the cookie), the Referer of
        the page, multipart when it carries files."""
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        fields = {"csrfmiddlewaretoken": token or "", **data}
        if files:
            boundary = secrets.token_hex(16)
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 (http to the proxy on 127.0.0.1)
            self.proxy.url + path,
            data=body,
            headers={"Content-Type": content_type, "Referer": self.proxy.url + path},
        )
        return self._send(request)


@contextmanager
def gunicorns(
    app: str, count: int, env: dict[str, str], folder: Path
) -> Iterator[tuple[RoundRobin, list[int]]]:
    """`count` gunicorn processes of app (one worker each) on ports of their own, behind one
    round-robin proxy; yields the proxy and the ports."""
    ports = [free_port() for _ in range(count)]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    procs = []
    logs = []
    try:
        for port in ports:
            log = folder / f"gunicorn-{port}.log"
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [
                        *(str(gunicorn), app, "--bind", f"127.0.0.1:{port}", "--workers", "1"),
                        *("--timeout", "120", "--log-level", "warning"),
                        *("--control-socket", str(folder / f"gunicorn-{port}.ctl")),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log.open("ab"),
                )
            )
        for port, proc, log in zip(ports, procs, logs, strict=True):
            wait_for_port(port, proc, log)
        proxy = RoundRobin(ports)
        try:
            yield proxy, ports
        finally:
            proxy.close()
    finally:
        for proc in procs:
            stop(proc)


def redis_url(db: int) -> str:
    """Database number db of the Redis server `.ci/run` starts (XUNSHI_TEST_REDIS_URL), emptied:
    each test has a number of its own. The test is skipped without a server on a laptop, and
    fails without one in CI, which must run it."""
    url = os.environ.get("XUNSHI_TEST_REDIS_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("XUNSHI_TEST_REDIS_URL is not set: .ci/run starts Redis for this test")
        pytest.skip("no Redis server (XUNSHI_TEST_REDIS_URL; .ci/run starts one)")
    parts = urllib.parse.urlsplit(url)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))
    with Redis.from_url(url) as server:
        server.flushdb()
    return url


@contextmanager
def own_database(suite_url: str, folder: Path, prefix: str) -> Iterator[str]:
    """A database of the processes' own: on the suite's PostgreSQL server when it runs on
    one (created here, dropped after), else a SQLite file in `folder`."""
    if not suite_url.startswith("postgres"):
        yield f"sqlite:///{folder / (prefix + '.sqlite3')}"
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(suite_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield suite_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(suite_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
