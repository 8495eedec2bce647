"""The only code that writes what the internal app keeps of the portal, and the only code that
talks to the portal.

Pull: pages of submissions after the stored cursor; each item is stored in a transaction of its
own (its sealed original, the petition or follow-up it became, the clean copies of its files,
the cursor moved past it, one audit event), so a portal that stops answering half-way leaves
whole items behind and the next pull goes on from there. An item already stored is skipped:
pulling the same page twice creates nothing twice. An item that cannot be opened, or whose
announcement is unknown or no longer takes petitions, is kept unrouted for the office; nothing
is dropped.

Push (`push_actions.py`) and publish (`publish_actions.py`) send only what the README's API
allows: statuses, the reply meant for the reporter, announcements and disclosures.

Decrypted content is never logged and never goes into the audit trail: the events keep refs,
days, kinds, counts and where an item went.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from envelope import EnvelopeError, open_envelope, public_key_of
from xunshi.accounts.actors import SYSTEM, Actor
from xunshi.audit.actions import record
from xunshi.fieldwork.actions import petition_create
from xunshi.fieldwork.models import PetitionChannel
from xunshi.files.actions import attachment_store
from xunshi.rounds.models import PETITION_STAGES, Inspection, Stage

from .client import PortalClient, PortalError, portal_client
from .models import (
    PortalAnnouncement,
    PortalCursor,
    PortalSubmission,
    SubmissionKind,
    Unrouted,
)
from .publish_actions import PublishResult, portal_publish
from .push_actions import PushResult, portal_push_pending

__all__ = [
    "MAX_PAGES",
    "PullResult",
    "PushResult",
    "SyncResult",
    "announcement_save",
    "portal_original",
    "portal_publish",
    "portal_pull",
    "portal_push_pending",
    "portal_submission_route",
    "portal_sync",
    "submission_store",
]

PERSONS_MAX = 200  # Petition.reported_persons
# At most this many pages (20 items each) per pull, so that one run stays bounded.
MAX_PAGES = 50


class Unreadable(Exception):
    """The envelope does not open with the office's key, or not to the expected JSON."""


@dataclass(frozen=True)
class PullResult:
    pulled: int = 0
    routed: int = 0
    unrouted: int = 0
    unreadable: int = 0
    error: str = ""


@dataclass(frozen=True)
class SyncResult:
    pull: PullResult
    push: PushResult
    publish: PublishResult

    @property
    def errors(self) -> list[str]:
        return [e for e in (self.pull.error, self.push.error, self.publish.error) if e]


def _cursor() -> PortalCursor:
    return PortalCursor.objects.get_or_create(pk=1)[0]


def _private_key() -> str:
    key = str(settings.XUNSHI_OFFICE_SM2_PRIVATE_KEY)
    if not key:
        raise PortalError(
            "尚未配置巡视办的SM2私钥（XUNSHI_OFFICE_SM2_PRIVATE_KEY），无法解密门户网站的举报，"
            "本次未拉取任何数据。"
        )
    try:
        public_key_of(key)
    except EnvelopeError:
        raise PortalError(
            "巡视办的SM2私钥（XUNSHI_OFFICE_SM2_PRIVATE_KEY）格式不正确（应为64位十六进制数），"
            "本次未拉取任何数据。"
        ) from None
    return key


def _open(blob: bytes) -> dict[str, Any]:
    """The envelope's JSON, opened with the office's private key."""
    try:
        key = str(settings.XUNSHI_OFFICE_SM2_PRIVATE_KEY)
        payload = json.loads(open_envelope(key, blob).decode("utf-8"))
    except (EnvelopeError, ValueError, UnicodeDecodeError):
        raise Unreadable from None
    if not isinstance(payload, dict):
        raise Unreadable
    return payload


def _raw(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def _text(payload: dict[str, Any], key: str) -> str:
    return _raw(payload, key).strip()


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _files(payload: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Each file's name and clean copy (the original stays inside the envelope)."""
    out = []
    for f in payload.get("files") or []:
        if not isinstance(f, dict):
            continue
        try:
            clean = base64.b64decode(f.get("clean") or "", validate=True)
        except (binascii.Error, ValueError, TypeError):
            clean = b""
        out.append((str(f.get("name") or "附件"), clean))
    return out


def _store_files(sub: PortalSubmission, payload: dict[str, Any], inspection: Inspection) -> None:
    """Keep each file's clean copy for the team; a copy the internal check refuses is named."""
    files: list[dict[str, Any]] = []
    for name, clean in _files(payload):
        try:
            attachment = attachment_store(
                actor=SYSTEM, inspection=inspection, upload=(name, clean), audience="team"
            )
        except ValidationError as e:
            files.append({"name": name, "attachment": None, "refused": "；".join(e.messages)})
            continue
        sub.attachments.add(attachment)
        files.append({"name": attachment.original_name, "attachment": attachment.pk, "refused": ""})
    sub.files = files
    sub.save(update_fields=["files"])


def _taking_petitions(token: str) -> tuple[Inspection | None, str]:
    ann = (
        PortalAnnouncement.objects.select_related("inspection").filter(token=token).first()
        if token
        else None
    )
    if ann is None:
        return None, Unrouted.UNKNOWN_ANNOUNCEMENT
    if ann.inspection.stage not in PETITION_STAGES:
        return None, Unrouted.NOT_TAKING
    return ann.inspection, ""


def _route_report(sub: PortalSubmission, payload: dict[str, Any], inspection: Inspection) -> None:
    """Register the report as a portal petition of the inspection, with its files."""
    real = payload.get("real_name") is True
    today = timezone.localdate()
    content = _raw(payload, "content")
    persons = _text(payload, "reported_persons")
    if len(persons) > PERSONS_MAX:
        # The portal takes more than the petition's field holds: the full list heads the text.
        content = f"被反映人：{persons}\n\n{content}"
        persons = persons[: PERSONS_MAX - 1] + "…"
    try:
        petition = petition_create(
            actor=SYSTEM,
            inspection=inspection,
            channel=PetitionChannel.PORTAL,
            received_on=min(sub.day or today, today),
            content=content,
            real_name=real,
            petitioner_name=_text(payload, "name")[:50] if real else "",
            petitioner_contact=_text(payload, "phone")[:100] if real else "",
            reported_persons=persons,
            portal_ref=sub.ref,
        )
    except ValidationError as e:
        sub.routed, sub.reason, sub.note = False, Unrouted.REFUSED, "；".join(e.messages)[:500]
        sub.save(update_fields=["routed", "reason", "note"])
        return
    sub.petition, sub.routed, sub.reason, sub.note = petition, True, "", ""
    sub.save(update_fields=["petition", "routed", "reason", "note"])
    _store_files(sub, payload, inspection)


def _attach_followup(sub: PortalSubmission, payload: dict[str, Any]) -> None:
    parent = sub.parent
    if parent is None or parent.petition is None:
        sub.routed, sub.reason = False, Unrouted.NO_PARENT
        sub.save(update_fields=["routed", "reason"])
        return
    sub.petition, sub.routed, sub.reason = parent.petition, True, ""
    sub.save(update_fields=["petition", "routed", "reason"])
    _store_files(sub, payload, parent.petition.inspection)


def _event(actor: Actor, action: str, sub: PortalSubmission) -> None:
    record(
        actor=actor,
        action=action,
        obj=sub,
        after={
            "seq": sub.seq,
            "kind": sub.kind,
            "day": sub.day,
            "routed": sub.routed,
            "reason": sub.reason,
            "petition": sub.petition_id,
            "files": len(sub.files),
            "files_refused": sum(1 for f in sub.files if f["refused"]),
        },
    )


def submission_store(*, actor: Actor, item: dict[str, Any]) -> str | None:
    """Store one item of a page and move the cursor past it; says what became of it ("routed",
    "unrouted", "unreadable"), or None when it was already kept."""
    seq, ref = int(item["seq"]), str(item["ref"])
    kind = item.get("kind")
    _cursor()
    with transaction.atomic():
        cursor = PortalCursor.objects.select_for_update().get(pk=1)
        if seq <= cursor.last_seq or PortalSubmission.objects.filter(ref=ref).exists():
            cursor.last_seq = max(cursor.last_seq, seq)
            cursor.save(update_fields=["last_seq"])
            return None
        raw = item.get("envelope")
        try:
            blob = base64.b64decode(raw if isinstance(raw, str) else "", validate=True)
        except (binascii.Error, ValueError):
            blob = str(raw).encode()
        parent_ref = str(item.get("parent") or "")
        sub = PortalSubmission.objects.create(
            ref=ref,
            seq=seq,
            kind=kind if kind in SubmissionKind.values else SubmissionKind.REPORT,
            parent=PortalSubmission.objects.filter(ref=parent_ref).first() if parent_ref else None,
            parent_ref=parent_ref,
            day=_day(item.get("day")),
            envelope=blob,
        )
        try:
            if kind not in SubmissionKind.values or not blob:
                raise Unreadable
            payload = _open(blob)
        except Unreadable:
            sub.reason = Unrouted.UNREADABLE
            sub.save(update_fields=["reason"])
        else:
            if sub.kind == SubmissionKind.REPORT:
                token = _text(payload, "announcement")
                sub.announcement_token = token[:64]
                sub.save(update_fields=["announcement_token"])
                inspection, reason = _taking_petitions(token)
                if inspection is None:
                    sub.reason = reason
                    sub.save(update_fields=["reason"])
                else:
                    _route_report(sub, payload, inspection)
            else:
                sub.content = _raw(payload, "content")
                sub.save(update_fields=["content"])
                _attach_followup(sub, payload)
        _event(actor, "intake.submission.pull", sub)
        cursor.last_seq = seq
        cursor.save(update_fields=["last_seq"])
    if sub.reason == Unrouted.UNREADABLE:
        return "unreadable"
    return "routed" if sub.routed else "unrouted"


def _well_formed(item: Any) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("ref"), str) or not item["ref"]:
        return False
    try:
        return int(item.get("seq")) > 0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def portal_pull(*, actor: Actor, client: PortalClient | None = None) -> PullResult:
    """Pull every new submission from the portal and store each one (see the module's notes)."""
    client = client or portal_client()
    counts = {"routed": 0, "unrouted": 0, "unreadable": 0}
    error = ""
    try:
        _private_key()
        after = _cursor().last_seq
        for _ in range(MAX_PAGES):
            items = client.submissions(after=after)["items"]
            if not items:
                break
            if not all(_well_formed(i) for i in items):
                raise PortalError("门户网站返回的数据格式不正确，已停止本次拉取。")
            for item in sorted(items, key=lambda i: int(i["seq"])):
                outcome = submission_store(actor=actor, item=item)
                if outcome is not None:
                    counts[outcome] += 1
            newest = max(int(i["seq"]) for i in items)
            if newest <= after:  # a portal that does not move on would loop forever
                break
            after = newest
    except PortalError as e:
        error = str(e)
    PortalCursor.objects.filter(pk=1).update(pulled_at=timezone.now(), pull_error=error[:300])
    return PullResult(pulled=sum(counts.values()), error=error, **counts)


def portal_submission_route(
    *, actor: Actor, submission: PortalSubmission, inspection: Inspection
) -> PortalSubmission:
    """Route an unrouted report to an inspection that takes petitions, its follow-ups with it."""
    problems = []
    if submission.kind != SubmissionKind.REPORT:
        problems.append("只有举报可以分送，补充材料随原举报分送。")
    if submission.routed:
        problems.append(f"门户举报{submission.ref}已转为信访件。")
    if submission.reason == Unrouted.UNREADABLE:
        problems.append("该举报无法解密，不能分送。")
    if inspection.stage not in PETITION_STAGES:
        problems.append(f"{inspection}当前阶段为“{Stage(inspection.stage).label}”，不受理信访。")
    if problems:
        raise ValidationError(problems)
    try:
        payload = _open(bytes(submission.envelope))
    except Unreadable:
        raise ValidationError("该举报无法解密，不能分送。") from None
    with transaction.atomic():
        sub = PortalSubmission.objects.select_for_update().get(pk=submission.pk)
        if sub.routed:
            raise ValidationError(f"门户举报{sub.ref}已转为信访件。")
        _route_report(sub, payload, inspection)
        if not sub.routed:
            raise ValidationError(sub.note or "未能登记为信访件。")
        _event(actor, "intake.submission.route", sub)
        for followup in sub.followups.filter(routed=False).exclude(reason=Unrouted.UNREADABLE):
            try:
                _attach_followup(followup, _open(bytes(followup.envelope)))
            except Unreadable:
                continue
            _event(actor, "intake.submission.route", followup)
    submission.refresh_from_db()
    return submission


def portal_original(*, actor: Actor, submission: PortalSubmission) -> dict[str, Any]:
    """The submission opened from its sealed original (files with their metadata), audited."""
    try:
        payload = _open(bytes(submission.envelope))
    except Unreadable:
        raise ValidationError("该提交无法解密。") from None
    with transaction.atomic():
        files = payload.get("files") or []
        record(
            actor=actor,
            action="intake.submission.open",
            obj=submission,
            after={"files": len(files) if isinstance(files, list) else 0},
        )
    return payload


ANNOUNCEMENT_FIELDS = ["inspection", "phone", "mailbox", "address"]


def announcement_save(
    *, actor: Actor, inspection: Inspection, phone: str, mailbox: str, address: str, scope: str
) -> PortalAnnouncement:
    """Set how the public reaches the team on site; the portal shows it after the next publish."""
    phone, mailbox, address, scope = phone.strip(), mailbox.strip(), address.strip(), scope.strip()
    problems = []
    if inspection.stage not in PETITION_STAGES:
        here = Stage(inspection.stage).label
        problems.append(f"当前阶段为“{here}”，不能发布巡视公告。")
    if not phone:
        problems.append("请填写值班电话。")
    if not mailbox:
        problems.append("请填写邮政信箱。")
    if not address:
        problems.append("请填写通讯地址。")
    if not scope:
        problems.append("请填写受理范围。")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        ann = PortalAnnouncement.objects.select_for_update().filter(inspection=inspection).first()
        before = None
        if ann is None:
            ann = PortalAnnouncement(inspection=inspection)
        else:
            before = {f: getattr(ann, f) for f in ANNOUNCEMENT_FIELDS[1:]} | {
                "scope_chars": len(ann.scope)
            }
        ann.phone, ann.mailbox, ann.address, ann.scope = phone, mailbox, address, scope
        ann.save()
        after = {f: getattr(ann, f) for f in ANNOUNCEMENT_FIELDS[1:]} | {"scope_chars": len(scope)}
        record(
            actor=actor,
            action="intake.announcement.save",
            obj=ann,
            before=before,
            after={"inspection": inspection.pk, **after},
        )
    return ann


def portal_sync(*, actor: Actor, client: PortalClient | None = None) -> SyncResult:
    """One round with the portal: pull new submissions, push pending statuses, publish."""
    client = client or portal_client()
    pull = portal_pull(actor=actor, client=client)
    push = portal_push_pending(actor=actor, client=client)
    publish = portal_publish(actor=actor, client=client)
    return SyncResult(pull=pull, push=push, publish=publish)
