"""The only code that writes attachments: store, the audited download, the orphan sweep.

A stored attachment is a file on disk, sealed with the field key after the upload scan ran on
its plain bytes (storage.py), and a row with its audit event; either both exist or
neither. The file is written first (under a temporary name, flushed, renamed); if the row or
the event cannot be written the file is removed again. A transaction of the caller that rolls
back after `attachment_store` returned leaves a file without a row: Django tells nobody about
a rollback, so `attachments_sweep` (``manage.py files_sweep``) removes such files once they
are an hour old.
"""

from __future__ import annotations

import hashlib
import hmac

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import SYSTEM, Actor, person
from xunshi.audit.actions import record, snapshot
from xunshi.lib.crypto import CryptoError
from xunshi.registry.models import InspectingBody
from xunshi.rounds.models import Inspection

from . import storage
from .models import Attachment, Audience
from .uploads import Upload, check

__all__ = [
    "ATTACHMENT_FIELDS",
    "AttachmentDamaged",
    "attachment_download",
    "attachment_open",
    "attachment_store",
    "attachments_sweep",
]

ATTACHMENT_FIELDS = [
    "inspection",
    "body",
    "audience",
    "original_name",
    "kind",
    "mime",
    "size",
    "sha256",
    "stored_name",
    "uploaded_by",
]


class AttachmentDamaged(Exception):
    """The stored bytes are gone or no longer match the SHA-256 taken at upload."""

    def __init__(self, attachment: Attachment) -> None:
        super().__init__(
            f"附件“{attachment.original_name}”的存储内容与上传时不一致（可能已损坏或被篡改），"
            "已停止下载并记入审计日志，请联系巡视办。"
        )
        self.attachment = attachment


def attachment_store(
    *,
    actor: Actor,
    upload: Upload,
    audience: str,
    inspection: Inspection | None = None,
    body: InspectingBody | None = None,
) -> Attachment:
    """Check an upload by content and keep it, for an inspection or (with `body`) for a body's
    office and leading group: file, row and audit event, or nothing."""
    if audience not in Audience.values:
        raise ValidationError("附件的可见范围无效。", code="audience")
    if (inspection is None) == (body is None):
        raise ValidationError("附件须属于一项巡视任务或一个党组织，且只能属于其一。", code="owner")
    checked = check(upload)
    token = storage.write(checked.data)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                inspection=inspection,
                body=body,
                audience=audience,
                original_name=checked.name,
                kind=checked.detected.kind,
                mime=checked.detected.mime,
                size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(),
                stored_name=token,
                uploaded_by=person(actor),
            )
            record(
                actor=actor,
                action="files.attachment.store",
                obj=attachment,
                after=snapshot(attachment, ATTACHMENT_FIELDS),
            )
    except BaseException:
        storage.remove(token)
        raise
    return attachment


def attachment_open(attachment: Attachment) -> bytes:
    """The stored bytes opened, after checking them against the SHA-256 taken at upload."""
    try:
        data = storage.read(attachment.stored_name)
    except (FileNotFoundError, ValueError, CryptoError):
        raise AttachmentDamaged(attachment) from None
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), attachment.sha256):
        raise AttachmentDamaged(attachment)
    return data


def attachment_download(*, actor: Actor, attachment: Attachment) -> bytes:
    """The bytes for a download, with its audit event; a damaged file is recorded and refused."""
    try:
        data = attachment_open(attachment)
    except AttachmentDamaged:
        with transaction.atomic():
            record(actor=actor, action="files.attachment.damaged", obj=attachment)
        raise
    with transaction.atomic():
        record(
            actor=actor,
            action="files.attachment.download",
            obj=attachment,
            after={"size": attachment.size, "sha256": attachment.sha256},
        )
    return data


def attachments_sweep(*, older_than_seconds: float = 3600) -> list[str]:
    """Remove stored files that no row refers to (left by a rolled-back transaction)."""
    removed = []
    for name, path in storage.stored_tokens(older_than_seconds=older_than_seconds):
        if storage.TOKEN.match(name) and Attachment.objects.filter(stored_name=name).exists():
            continue
        path.unlink(missing_ok=True)
        removed.append(name)
    if removed:
        with transaction.atomic():
            record(
                actor=SYSTEM,
                action="files.orphans.remove",
                object_type="files.attachment",
                object_repr=f"{len(removed)}个无记录的文件",
                after={"stored_names": removed},
            )
    return removed
