"""What a seized portal would give away: no report content, no address, no browser.

A report and a follow-up carry a unique marker in their text and in a photo's EXIF; the
requests come from 203.0.113.77 with a marked user agent. Nothing of either may be found in
the database (file, dump and rows), media, the portal's var/, its temporary files or logs,
in UTF-8, UTF-16 or base64; the office's private key opens the envelopes to the exact bytes
sent. The portal's temporary directory is one the test makes (`app_tmp`), so that it is
searched whole and nothing else is.
"""

from __future__ import annotations

import base64
import io
import logging
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from portal.conftest import Citizen, jpeg_with_exif, opened, receipt_of
from portal.reports.models import Submission
from portal.tests.haystack import forms_of, haystacks, now

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "203.0.113.77"


def assert_nowhere(
    secrets: list[str], *, since: float, caplog: Any, capfd: Any, temporary: Path
) -> None:
    out, err = capfd.readouterr()
    captured = "\n".join([caplog.text, out, err, *(repr(r.__dict__) for r in caplog.records)])
    places = haystacks(since=since, captured=captured, temporary=temporary)
    assert any(where == "rows" for where, _ in places)
    for secret in secrets:
        for form in forms_of(secret):
            hits = [where for where, data in places if form in data]
            assert not hits, f"{secret!r} found as {form!r} in {hits}"


@pytest.fixture
def app_tmp(tmp_path: Path, monkeypatch: Any, settings: Any) -> Path:
    """The portal's temporary directory for the test: where `tempfile` and Django's uploads
    write (and a child process, by TMPDIR)."""
    folder = tmp_path / "portal-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def traced(caplog: Any) -> Any:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="portal")
    return caplog


def test_it_keeps_no_readable_trace_of_a_report_and_opens_it_exactly(
    announced: Any, office_key: str, traced: Any, capfd: Any, app_tmp: Path
) -> None:
    since = now()
    marker = f"CANARY-{uuid.uuid4()}"
    photo = jpeg_with_exif(marker)
    note = f"会议记录 {marker}".encode()
    citizen = Citizen(client=Client())
    sent = citizen.report(
        persons=f"张某 {marker}",
        content=f"扶贫款被挪用 {marker}",
        files=[
            SimpleUploadedFile("现场.jpg", photo, content_type="image/jpeg"),
            SimpleUploadedFile("记录.txt", note, content_type="text/plain"),
        ],
    )
    assert "提交成功" in sent.content.decode()
    code = receipt_of(sent)
    added = citizen.follow_up(
        code,
        content=f"补充 {marker}",
        files=[SimpleUploadedFile("补充.jpg", photo, content_type="image/jpeg")],
    )
    assert "补充材料已加密保存" in added.content.decode()

    assert_nowhere([marker, code], since=since, caplog=traced, capfd=capfd, temporary=app_tmp)

    report, followup = Submission.objects.order_by("seq")
    content = opened(office_key, report.envelope)
    assert content["content"] == f"扶贫款被挪用 {marker}"
    assert content["reported_persons"] == f"张某 {marker}"
    first, second = content["files"]
    assert (first["name"], first["kind"]) == ("现场.jpg", "jpg")
    assert base64.b64decode(first["original"]) == photo
    clean = base64.b64decode(first["clean"])
    assert marker.encode() not in clean
    assert not Image.open(io.BytesIO(clean)).getexif()
    assert base64.b64decode(second["original"]) == note
    more = opened(office_key, followup.envelope)
    assert more["content"] == f"补充 {marker}"
    assert base64.b64decode(more["files"][0]["original"]) == photo


def test_it_records_no_address_and_no_browser(
    announced: Any, api: Any, traced: Any, capfd: Any, app_tmp: Path
) -> None:
    since = now()
    agent = f"UA-CANARY-{uuid.uuid4()}"
    citizen = Citizen(client=Client(), extra={"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": agent})
    for url in ("/", f"/a/{announced.token}/", "/privacy/", "/no-such-page/"):
        citizen.get(url)
    code = receipt_of(citizen.report(content="食堂账目不清。"))
    citizen.lookup(code)
    citizen.lookup("2222-3333-4444-5555-6666")
    citizen.follow_up(code, content="补充一句。")
    citizen.report(content="")  # an error page too
    citizen.client.post("/follow/", {"action": "add"}, **citizen.extra)
    assert Submission.objects.count() == 2
    assert_nowhere([ADDRESS, agent], since=since, caplog=traced, capfd=capfd, temporary=app_tmp)


def test_the_search_finds_a_marker_left_where_the_portal_writes(
    app_tmp: Path, settings: Any, caplog: Any, capfd: Any
) -> None:
    # The power of the two tests above: a marker the portal would leave in a temporary file,
    # an upload's temporary file or its var/ is found.
    since = now()
    marker = f"CANARY-{uuid.uuid4()}"
    var = Path(settings.BASE_DIR) / "var"
    var.mkdir(exist_ok=True)
    left = var / f"trace-{uuid.uuid4().hex}.tmp"
    try:
        with tempfile.NamedTemporaryFile(delete=False, suffix=".upload") as spilled:
            spilled.write(marker.encode("utf-16-le"))
        left.write_bytes(base64.b64encode(f"x{marker}".encode()))
        places = haystacks(since=since, captured="", temporary=app_tmp)
        hits = {where for where, data in places for form in forms_of(marker) if form in data}
        assert hits == {spilled.name, str(left)}
        assert Path(spilled.name).parent == app_tmp
    finally:
        left.unlink(missing_ok=True)
