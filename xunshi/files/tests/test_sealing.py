"""Attachments are sealed on disk (SM4-GCM, the stored name as associated data): the scan sees
the plain bytes, the disk never does, and a sealed file opens only under its own name."""

from __future__ import annotations

import hashlib
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from xunshi.files import storage
from xunshi.files.actions import AttachmentDamaged, attachment_open, attachment_store
from xunshi.lib.crypto import CryptoError

from . import samples
from .conftest import stored_files

MARKER = "CANARY-附件-5f0c2b"


def store(world, data):  # type: ignore[no-untyped-def]
    return attachment_store(
        actor=world.users["carol"],
        inspection=world.inspection1,
        upload=("谈话记录.txt", data),
        audience="team",
    )


def test_the_file_on_disk_holds_nothing_of_its_content(world):
    data = samples.text(f"巡视组谈话记录 {MARKER}\n")
    attachment = store(world, data)
    on_disk = storage.path_for(attachment.stored_name).read_bytes()
    assert MARKER.encode() not in on_disk and "巡视组".encode() not in on_disk
    assert attachment_open(attachment) == data  # the download gives the exact bytes back


def test_the_upload_scan_still_sees_the_plain_file(world, files_root):
    # Sealing comes after the scan: a PDF with JavaScript is refused and nothing is stored.
    with pytest.raises(ValidationError):
        attachment_store(
            actor=world.users["carol"],
            inspection=world.inspection1,
            upload=("报告.pdf", samples.pdf_with_javascript()),
            audience="team",
        )
    assert stored_files(files_root) == []


def test_a_sealed_file_does_not_open_under_another_name(world):
    first = store(world, samples.text("第一份记录\n"))
    second = store(world, samples.text("第二份记录\n"))
    # Someone with the disk swaps the two files: neither opens, nothing wrong is sent.
    a, b = storage.path_for(first.stored_name), storage.path_for(second.stored_name)
    a_bytes, b_bytes = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_bytes)
    b.write_bytes(a_bytes)
    for attachment in (first, second):
        with pytest.raises(AttachmentDamaged):
            attachment_open(attachment)


def test_a_file_stored_before_sealing_is_sealed_by_the_migration(world):
    data = samples.text("旧的附件\n")
    attachment = store(world, data)
    path = storage.path_for(attachment.stored_name)
    path.write_bytes(data)  # as files were stored before issue 12
    with pytest.raises(AttachmentDamaged):
        attachment_open(attachment)
    migration = importlib.import_module("xunshi.files.migrations.0004_seal_stored_files")
    migration.seal_files(apps, connection.schema_editor())
    assert data not in path.read_bytes()
    assert attachment_open(attachment) == data
    migration.seal_files(apps, connection.schema_editor())  # a second run changes nothing
    assert attachment_open(attachment) == data


def test_a_plain_file_that_is_not_the_upload_is_not_sealed(world):
    attachment = store(world, samples.text("原件\n"))
    path = storage.path_for(attachment.stored_name)
    path.write_bytes(samples.text("被替换的内容\n"))
    with pytest.raises(CryptoError):
        storage.reseal(attachment.stored_name, plain_sha256=attachment.sha256)
    assert hashlib.sha256(path.read_bytes()).hexdigest() != attachment.sha256
