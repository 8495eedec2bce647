"""attachment_store and attachment_open: a good file round-trips, a refused or failed one
leaves neither a row nor a file behind."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.chain import verify_chain
from xunshi.audit.models import AuditEvent
from xunshi.files import actions, storage
from xunshi.files.actions import AttachmentDamaged, attachment_open, attachment_store
from xunshi.files.models import Attachment

from . import samples
from .conftest import stored_files


def store(world, name="巡视底稿.docx", data=None, audience="team", actor=None):
    return attachment_store(
        actor=actor or world.users["carol"],
        inspection=world.inspection1,
        upload=(name, samples.docx() if data is None else data),
        audience=audience,
    )


def test_it_keeps_a_good_file_and_gives_back_the_same_bytes(world, files_root):
    data = samples.docx()
    attachment = store(world, data=data)
    assert attachment_open(attachment) == data
    attachment.refresh_from_db()
    assert attachment.original_name == "巡视底稿.docx"
    assert attachment.kind == "docx"
    assert attachment.mime.endswith("wordprocessingml.document")
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.uploaded_by == world.users["carol"]
    assert stored_files(files_root) == [storage.path_for(attachment.stored_name)]


def test_it_records_the_store_in_the_audit_trail(world):
    attachment = store(world)
    event = AuditEvent.objects.get(action="files.attachment.store", object_id=str(attachment.pk))
    assert event.actor_username == "carol"
    # The file's name is case content (issue 12): the trail names it 附件#id and keeps no name.
    assert event.object_repr == f"附件#{attachment.pk}" and "original_name" not in event.after
    assert event.after["sha256"] == attachment.sha256
    assert verify_chain()[1] is None


def test_it_stores_the_file_readable_by_the_app_alone(world, files_root):
    old = os.umask(0o022)  # a lax umask must not loosen the modes
    try:
        attachment = store(world)
    finally:
        os.umask(old)
    path = storage.path_for(attachment.stored_name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(files_root.stat().st_mode) == 0o700


def test_the_stored_name_says_nothing_of_the_original(world, files_root):
    attachment = store(world, name="兰考县书记谈话记录.txt", data=samples.text())
    path = storage.path_for(attachment.stored_name)
    assert path.parent.parent == files_root
    assert path.parent.name == attachment.stored_name[:2]
    assert len(attachment.stored_name) == 32
    assert set(attachment.stored_name) <= set("0123456789abcdef")
    for part in ("兰考", "谈话", "txt", "."):
        assert part not in str(path.relative_to(files_root))
    other = store(world, name="兰考县书记谈话记录.txt", data=samples.text())
    assert other.stored_name != attachment.stored_name


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("空.txt", lambda: b"", "文件“空.txt”是空文件"),
        ("照片.jpg", samples.pdf, "内容实际是PDF 文档"),
        ("报告.docm", samples.docm, "文件“报告.docm”含有宏代码"),
        ("台账.xls", samples.xls_with_macros, "文件“台账.xls”含有宏代码"),
        ("报告.pdf", lambda: samples.pdf_with_javascript(True), "含有 JavaScript 脚本"),
        ("炸弹.zip", samples.zip_bomb, "疑似“压缩炸弹”"),
        ("程序.exe", samples.exe, "是可执行程序"),
    ],
)
def test_a_refused_file_leaves_no_row_and_no_file(world, files_root, name, build, message):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as e:
        store(world, name=name, data=build())
    assert message in e.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(files_root) == []
    assert AuditEvent.objects.count() == before


def test_an_oversized_file_leaves_no_row_and_no_file(world, files_root, settings):
    settings.XUNSHI_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as e:
        store(world, name="大.txt", data=b"a" * 1001)
    assert e.value.messages == ["文件“大.txt”大小为1001 字节，超过1000 字节的上限。"]
    assert not Attachment.objects.exists()
    assert stored_files(files_root) == []


def test_an_unknown_audience_is_refused(world, files_root):
    with pytest.raises(ValidationError, match="可见范围无效"):
        store(world, audience="public")
    assert stored_files(files_root) == []


def test_the_file_is_removed_when_the_database_write_fails(world, files_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        store(world)
    assert not Attachment.objects.exists()
    assert stored_files(files_root) == []


def test_no_row_is_written_when_the_file_cannot_be_written(world, files_root, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        store(world)
    assert not Attachment.objects.exists()
    assert stored_files(files_root) == []


def test_the_sweep_removes_the_file_of_a_rolled_back_outer_transaction(world, files_root):
    kept = store(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        store(world, name="另一份.docx")
        raise RuntimeError("the caller's own write failed")
    assert list(Attachment.objects.all()) == [kept]
    assert len(stored_files(files_root)) == 2

    assert actions.attachments_sweep(older_than_seconds=3600) == []  # too young to tell
    removed = actions.attachments_sweep(older_than_seconds=-1)
    assert len(removed) == 1
    assert stored_files(files_root) == [storage.path_for(kept.stored_name)]
    assert AuditEvent.objects.filter(action="files.orphans.remove").count() == 1


def test_a_file_changed_on_disk_is_refused_on_open(world):
    attachment = store(world, name="记录.txt", data=samples.text())
    path = storage.path_for(attachment.stored_name)
    path.write_bytes(samples.text("巡视组谈话记录\n第一条：情况不属实。\n"))
    with pytest.raises(AttachmentDamaged, match="可能已损坏或被篡改"):
        attachment_open(attachment)
    path.unlink()
    with pytest.raises(AttachmentDamaged):
        attachment_open(attachment)


def test_it_takes_a_django_upload_as_well(world):
    upload = SimpleUploadedFile("C:\\fakepath\\现场照片.png", samples.png(), "text/html")
    attachment = attachment_store(
        actor=SYSTEM, inspection=world.inspection1, upload=upload, audience="rectification"
    )
    assert attachment.original_name == "现场照片.png"
    assert attachment.mime == "image/png"  # from the content, not from the browser
    assert attachment.uploaded_by is None


def test_the_sweep_command_reports_what_it_removed(world, files_root):
    from io import StringIO

    from django.core.management import call_command

    orphan = files_root / "ab" / ("ab" + "0" * 30)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left behind")
    os.utime(orphan, (0, 0))
    out = StringIO()
    call_command("files_sweep", stdout=out)
    assert out.getvalue().strip() == "已删除1个无记录的文件。"
    assert not orphan.exists()
