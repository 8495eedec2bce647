"""The only writers of the chain's verifications (`ChainVerification`): one is asked for on the
audit page (and run by the task worker, `tasks.run_verification`) or by `manage.py
verify_audit`, then run here, batch by batch, reporting its progress.

A verification starts after the row the newest passed one verified up to, if that mark holds
its MAC (`chain.verified_mac`) and the row still has the hash it had: the rows before it are
taken as verified, so a daily check of two million events recomputes only the day's. A full
run (从头核验, `full`) recomputes every row, and finds a change made to the verified part
since. Either way the head and the newest signed checkpoints are checked, and a run that
passed writes a checkpoint.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor, is_system, person

from .actions import record
from .anchor_actions import CheckpointRefused, checkpoint_write
from .chain import verified_mac, verify_chain
from .models import AuditEvent, AuditHead, ChainVerification, VerificationStatus

__all__ = [
    "STALE_AFTER",
    "verification_base",
    "verification_request",
    "verification_run",
]

logger = logging.getLogger(__name__)

# A verification reports after every batch of 10,000 rows (well under a second each); one
# silent this long, or queued this long without a worker taking it, has lost its worker.
STALE_AFTER = dt.timedelta(minutes=5)
INTERRUPTED = "核验进程已中断（可能因服务重启），请重新核验。"
GENERIC_FAILURE = "核验时系统出现错误，请稍后重试；如仍不成功，请联系系统管理员。"
_LIVE = (VerificationStatus.QUEUED, VerificationStatus.RUNNING)


def _stale(verification: ChainVerification, now: dt.datetime) -> bool:
    since = verification.heartbeat_at or verification.started_at or verification.requested_at
    return since < now - STALE_AFTER


def verification_request(
    *, actor: Actor, full: bool = False, join: bool = True
) -> ChainVerification:
    """A queued verification of the chain, or (join) the one queued or running already, its
    worker alive; one whose worker died is failed first. A person's request is audited."""
    with transaction.atomic():
        now = timezone.now()
        for live in ChainVerification.objects.select_for_update().filter(status__in=_LIVE):
            if not _stale(live, now):
                if join:
                    return live
                continue
            live.status, live.finished_at, live.break_reason = (
                VerificationStatus.FAILED,
                now,
                INTERRUPTED,
            )
            live.save(update_fields=["status", "finished_at", "break_reason"])
        verification = ChainVerification.objects.create(
            requested_by=None if is_system(actor) else person(actor), full=full
        )
        if not is_system(actor):
            record(
                actor=actor,
                action="audit.verify.request",
                obj=verification,
                object_repr=f"核验#{verification.pk}",
                after={"full": full},
            )
    return verification


def verification_base(*, full: bool = False) -> tuple[int, str] | None:
    """Where a verification may start: (id, hash) of the row the newest passed verification
    reached, if its mark holds its MAC and the row is still there; None: from the first row."""
    if full:
        return None
    passed = ChainVerification.objects.filter(passed=True, through_id__gt=0).order_by("-id")
    for mark in passed[:5]:
        if mark.mac != verified_mac(mark.through_id, mark.through_hash):
            continue
        # A row deleted or replaced since: an earlier mark, or the whole chain, which then
        # names what happened (the rows, the head or the checkpoints).
        row = AuditEvent.objects.filter(id=mark.through_id).values_list("hash", flat=True)
        if row.first() == mark.through_hash:
            return mark.through_id, mark.through_hash
    return None


def _progress(verification: ChainVerification, start: int, total: int) -> Callable[[int], None]:
    def report(last_id: int) -> None:
        done = (last_id - start) / max(1, total - start)
        ChainVerification.objects.filter(pk=verification.pk).update(
            progress=min(1.0, max(0.0, done)), heartbeat_at=timezone.now()
        )

    return report


def verification_run(
    *, verification: ChainVerification, first_checkpoint: bool = False
) -> ChainVerification:
    """Run a queued verification to its end (a verification taken already is left alone):
    recompute the rows after its base, check the head and the checkpoints, keep the result;
    a pass is anchored by a new checkpoint."""
    now = timezone.now()
    claimed = ChainVerification.objects.filter(
        pk=verification.pk, status=VerificationStatus.QUEUED
    ).update(status=VerificationStatus.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        verification.refresh_from_db()
        return verification
    base = verification_base(full=verification.full)
    start = base[0] if base else 0
    total = AuditHead.objects.filter(pk=1).values_list("last_id", flat=True).first() or 0
    ChainVerification.objects.filter(pk=verification.pk).update(start_id=start)
    try:
        report = _progress(verification, start, total)
        count, brk = verify_chain(
            first_checkpoint=first_checkpoint,
            start=base,
            progress=report,
        )
    except Exception:
        logger.exception("audit chain verification %s failed", verification.pk)
        ChainVerification.objects.filter(pk=verification.pk).update(
            status=VerificationStatus.FAILED,
            finished_at=timezone.now(),
            break_reason=GENERIC_FAILURE,
        )
        verification.refresh_from_db()
        return verification
    fields: dict[str, object] = {
        "status": VerificationStatus.DONE,
        "finished_at": timezone.now(),
        "progress": 1.0,
        "through_id": count,
        "passed": brk is None,
    }
    if brk is None:
        last = AuditEvent.objects.filter(id=count).values_list("hash", flat=True).first() or ""
        fields.update(through_hash=last, mac=verified_mac(count, last) if count else "")
        if count:
            try:
                checkpoint_write()
            except CheckpointRefused as refused:
                fields["checkpoint_refused"] = str(refused)
            except OSError:
                fields["checkpoint_refused"] = "检查点写入失败：请检查检查点目录的权限和空间。"
    else:
        fields.update(break_seq=brk.seq, break_reason=brk.reason)
    ChainVerification.objects.filter(pk=verification.pk).update(**fields)
    verification.refresh_from_db()
    return verification
