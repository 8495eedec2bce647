"""What the intake tests share: sealed envelopes made with the test key pair, a photo with GPS
data, the on-site inspection with its announcement, and the real portal in its own process.

The portal is never mocked: `portal` migrates a fresh SQLite file for it (copied from one
migrated per worker), starts `portal/manage.py runserver` on a free port with the internal
test public key and the SM3 of the internal test token, and stops it afterwards. Until the
portal project is there, the tests that need it are skipped with a message saying so.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PORTAL_READY = (ROOT / "portal" / "manage.py").exists() and any(
    (ROOT / "portal" / "reports" / "migrations").glob("0001_*.py")
)
needs_portal = pytest.mark.skipif(
    not PORTAL_READY,
    reason="the portal project (portal/manage.py, its migrations) is not there yet",
)


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "files"
    settings.XUNSHI_FILES_ROOT = root
    return root


def gps_photo(canary: str = "CANARY-CAMERA") -> bytes:
    """A small JPEG whose EXIF names a camera and holds a GPS position (兰考县)."""
    from PIL import Image

    img = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = canary
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 49.0, 12.5), 3: "E", 4: (114.0, 49.0, 3.25)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def gps_of(data: bytes) -> dict[Any, Any]:
    from PIL import Image

    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825))


def sealed(payload: dict[str, Any]) -> bytes:
    from envelope import seal

    data = json.dumps(payload, ensure_ascii=False).encode()
    return seal(settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY, data)


def report_payload(token: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "announcement": token,
        "org_code": "410225",
        "org_name": "兰考县",
        "reported_persons": extra.pop("reported_persons", "某局长"),
        "content": content,
        "real_name": False,
        "name": "",
        "phone": "",
        "id_number": "",
        "files": extra.pop("files", []),
        **extra,
    }


def envelope_file(name: str, original: bytes, clean: bytes, kind: str = "image") -> dict[str, str]:
    return {
        "name": name,
        "kind": kind,
        "original": base64.b64encode(original).decode(),
        "clean": base64.b64encode(clean).decode(),
    }


def item(
    seq: int, blob: bytes, *, kind: str = "report", parent: str | None = None
) -> dict[str, Any]:
    """One item of a page of the portal's API, as the portal sends it."""
    return {
        "seq": seq,
        "ref": f"R{seq:04d}{uuid.uuid4().hex[:8]}",
        "kind": kind,
        "parent": parent,
        "day": "2026-09-10",
        "envelope": base64.b64encode(blob).decode(),
    }


@pytest.fixture
def announced(onsite):  # type: ignore[no-untyped-def]
    """The on-site world with an announcement for 兰考县 (team 1)."""
    from xunshi.accounts.actors import SYSTEM
    from xunshi.intake.actions import announcement_save

    onsite.announcement = announcement_save(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        phone="0371-12345678",
        mailbox="兰考县邮政信箱1号",
        address="兰考县裕禄大道1号",
        scope="受理反映兰考县委领导班子及其成员问题的来信来电来访。",
    )
    return onsite


# --- the real portal --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _portal_env(db: Path, url: str) -> dict[str, str]:
    from envelope import sm3_hex

    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUNSHI_", "PORTAL_"))}
    env.pop("DATABASE_URL", None)
    return env | {
        "PORTAL_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_DATABASE_URL": f"sqlite:///{db}",
        "PORTAL_OFFICE_PUBLIC_KEY": settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY,
        "PORTAL_API_TOKEN_SM3": sm3_hex(settings.XUNSHI_PORTAL_TOKEN.encode()),
        "PORTAL_SECRET_KEY": "portal-test-" + "y" * 40,
        "PORTAL_RECEIPT_KEY": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        "PORTAL_RECEIPT_SALT": "00112233445566778899aabbccddeeff",
        "PORTAL_BASE_URL": url,
    }


@pytest.fixture(scope="session")
def portal_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal database migrated once per worker, copied for each test."""
    if not PORTAL_READY:
        pytest.skip("the portal project (portal/manage.py, its migrations) is not there yet")
    db = tmp_path_factory.mktemp("portal-template") / "portal.sqlite3"
    subprocess.run(
        [sys.executable, "portal/manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=_portal_env(db, "http://127.0.0.1"),
        check=True,
        timeout=120,
    )
    return db


@dataclass
class Portal:
    url: str
    db: Path

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
            return str(response.read().decode())

    def post(
        self, path: str, fields: dict[str, str], files: list[tuple[str, bytes]] | None = None
    ) -> str:
        """POST a form as a browser would (multipart/form-data)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + value.encode()
                + b"\r\n"
            )
        for filename, data in files or []:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310
            self.url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return str(response.read().decode())

    @staticmethod
    def _challenge(html: str) -> dict[str, str]:
        """The answer to the page's sum (a lookup asks none) and its signed token, as a person
        would give them, and the proof of work the page's script would find (hashcash:
        SHA-256("nonce:counter") starting with the asked number of zero bits)."""
        token = re.search(r'name="challenge" value="([^"]+)"', html)
        work = re.search(r'name="pow" value="" data-nonce="([0-9a-f]+)" data-bits="(\d+)"', html)
        assert token and work, "the portal's form has no challenge"
        nonce, bits = work.group(1), int(work.group(2))
        counter = next(
            c
            for c in itertools.count()
            if int.from_bytes(hashlib.sha256(f"{nonce}:{c}".encode()).digest()) >> (256 - bits) == 0
        )
        answer = {"challenge": token.group(1), "pow": str(counter), "website": ""}
        question = re.search(r"请计算：\s*(\d+)\s*\+\s*(\d+)\s*=", html)
        if question:
            answer["answer"] = str(int(question.group(1)) + int(question.group(2)))
        return answer

    def report(
        self,
        token: str,
        content: str,
        *,
        persons: str = "",
        files: list[tuple[str, bytes]] | None = None,
    ) -> str:
        """File an anonymous report through the portal's form; returns the receipt code."""
        form = self.get(f"/r/{token}/")
        fields = {"persons": persons, "content": content, "identity": "anonymous"}
        html = self.post(f"/r/{token}/", fields | self._challenge(form), files)
        code = re.search(r'<p class="code">([^<]+)</p>', html)
        assert code, "no receipt: " + re.sub(r"\s+", " ", html)[:2000]
        return code.group(1).strip()

    def status_page(self, receipt: str) -> str:
        form = self.get("/follow/")
        return self.post("/follow/", {"receipt": receipt} | self._challenge(form))

    def add(self, receipt: str, content: str) -> str:
        page = self.status_page(receipt)
        fields = {"receipt": receipt, "action": "add", "content": content}
        return self.post("/follow/", fields | self._challenge(page))


@pytest.fixture
def portal(portal_template: Path, tmp_path: Path, settings) -> Iterator[Portal]:  # type: ignore[no-untyped-def]
    """The real portal in its own process, on a free port; the internal app points at it."""
    folder = tmp_path / "portal"
    folder.mkdir()
    db = folder / "portal.sqlite3"
    shutil.copyfile(portal_template, db)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "a")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "portal/manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=_portal_env(db, url),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(100):  # at most 20 s
            try:
                urllib.request.urlopen(f"{url}/privacy/", timeout=1).close()  # noqa: S310
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            pytest.fail("the portal did not start: " + (folder / "server.log").read_text())
        if proc.poll() is not None:
            pytest.fail("the portal stopped: " + (folder / "server.log").read_text())
        settings.XUNSHI_PORTAL_URL = url
        yield Portal(url=url, db=db)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()
