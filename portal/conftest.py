"""Fixtures of the portal's suite: an announcement on site, a citizen with a phone, the API."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest

os.environ.setdefault("PORTAL_ENV", "test")

ANNOUNCEMENT = {
    "token": "lankao-2026-t1",
    "org_code": "411025",
    "org_name": "兰考县人民政府",
    "team": "市委第一巡察组",
    "start": "2026-10-08",
    "end": "2026-12-08",
    "phone": "0371-26123456",
    "mailbox": "兰考县邮政局1001号信箱",
    "address": "兰考县中山路1号 市委第一巡察组（邮编475300）",
    "scope": "重点受理反映被巡察党组织领导班子及其成员、下一级党组织领导班子主要负责人"
    "违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律等方面问题的来信来电来访。",
}
# 11010519491231002X: the example of GB 11643, with a valid check digit.
VALID_ID = "11010519491231002X"
URLENCODED = "application/x-www-form-urlencoded"
QUESTION = re.compile(r"请计算：(\d+) \+ (\d+) = ？")
CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')
POW = re.compile(r'name="pow" value="" data-nonce="([0-9a-f]+)" data-bits="(\d+)"')


def pow_answer(html: str) -> dict[str, str]:
    """What the page's script sends for the form on this page: the challenge token and the
    counter of its proof of work (found here as pow.js finds it)."""
    from portal.reports.challenge import pow_solves

    nonce, bits = POW.search(html).groups()  # type: ignore[union-attr]
    counter = next(c for c in itertools.count() if pow_solves(nonce, str(c), int(bits)))
    return {"challenge": CHALLENGE.search(html).group(1), "pow": str(counter)}  # type: ignore[union-attr]


def form_answer(html: str) -> dict[str, str]:
    """What a person types into the challenge of the form on this page (and what its script
    computes)."""
    a, b = QUESTION.search(html).groups()  # type: ignore[union-attr]
    return {"answer": str(int(a) + int(b)), **pow_answer(html)}


def jpeg_with_exif(marker: str) -> bytes:
    """A small photo whose EXIF carries a description, a camera and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = f"photo {marker}"  # ImageDescription
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (34.0, 48.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@dataclass
class Citizen:
    """A person with a phone browser: opens forms, answers the challenge, sends, looks up."""

    client: Any
    extra: dict[str, str] = field(default_factory=dict)

    def get(self, url: str) -> Any:
        return self.client.get(url, **self.extra)

    def report(self, token: str = ANNOUNCEMENT["token"], files: Any = (), **fields: Any) -> Any:
        page = self.get(f"/r/{token}/").content.decode()
        data: dict[str, Any] = {"identity": "anonymous", "content": "村里的扶贫款被挪用。"}
        data.update(form_answer(page))
        data.update(fields)
        if files:
            data["files"] = list(files)
        return self.client.post(f"/r/{token}/", data, **self.extra)

    def send(self, url: str, data: dict[str, Any]) -> Any:
        """POST as a browser sends a form without a file field (the lookup form): urlencoded."""
        body = urlencode(data, doseq=True)
        return self.client.post(url, body, content_type=URLENCODED, **self.extra)

    def lookup(self, code: str) -> Any:
        page = self.get("/follow/").content.decode()
        data = {"action": "lookup", "receipt": code, **pow_answer(page)}
        return self.send("/follow/", data)

    def follow_up(self, code: str, files: Any = (), **fields: Any) -> Any:
        page = self.lookup(code).content.decode()
        data: dict[str, Any] = {
            "action": "add",
            "receipt": code,
            "content": "补充：还有一笔。",
            **form_answer(page),
        }
        data.update(fields)
        if files:
            data["files"] = list(files)
        return self.client.post("/follow/", data, **self.extra)


RECEIPT = re.compile(r'<p class="code">([^<]+)</p>')


def receipt_of(response: Any) -> str:
    return RECEIPT.search(response.content.decode()).group(1)  # type: ignore[union-attr]


@dataclass
class Api:
    """The internal app's side of the API, with the right token."""

    client: Any
    token: str

    def _auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, url: str) -> Any:
        return self.client.get(url, **self._auth())

    def post(self, url: str, body: Any) -> Any:
        return self.client.post(
            url, json.dumps(body), content_type="application/json", **self._auth()
        )

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(
            url, json.dumps(body), content_type="application/json", **self._auth()
        )


@pytest.fixture
def api(client: Any, settings: Any) -> Api:
    from envelope import sm3_hex

    token = "test-token-of-the-internal-app-0123456789"
    settings.PORTAL_API_TOKEN_SM3 = sm3_hex(token.encode())
    return Api(client=client, token=token)


@pytest.fixture
def announced(db: None) -> Any:
    """兰考县人民政府 under inspection by the city's first team, as the internal app pushed it."""
    from portal.reports.actions import announcements_replace

    item = {
        **ANNOUNCEMENT,
        "start": dt.date.fromisoformat(ANNOUNCEMENT["start"]),
        "end": dt.date.fromisoformat(ANNOUNCEMENT["end"]),
    }
    announcements_replace(items=[item])
    from portal.reports.models import Announcement

    return Announcement.objects.get(token=ANNOUNCEMENT["token"])


@pytest.fixture
def citizen(client: Any) -> Citizen:
    return Citizen(client=client)


@pytest.fixture
def office_key(settings: Any) -> Iterator[str]:
    """The office's private key, which only the test settings hold."""
    yield settings.PORTAL_TEST_OFFICE_PRIVATE_KEY


def opened(private_key: str, envelope: Any) -> dict[str, Any]:
    from envelope import open_envelope

    content: dict[str, Any] = json.loads(open_envelope(private_key, bytes(envelope)).decode())
    return content
