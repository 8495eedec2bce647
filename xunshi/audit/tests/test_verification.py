"""The chain's verification as a background job: asked for on the audit page, run by the
worker (the suite's task backend runs it at once), with its progress; incremental from the last
verification that passed, and from scratch on request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit import chain
from xunshi.audit.actions import record
from xunshi.audit.chain import verify_chain
from xunshi.audit.models import AuditEvent, ChainVerification, VerificationStatus
from xunshi.audit.verify_actions import verification_request, verification_run


def _more(n: int) -> None:
    for _ in range(n):
        with transaction.atomic():
            record(actor=SYSTEM, action="audit.view", object_type="audit.auditevent")


def _tamper(seq: int, column: str = "object_repr") -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        sql = {
            "object_repr": "UPDATE audit_auditevent SET object_repr = '伪造' WHERE id = %s",
            "hash": "UPDATE audit_auditevent SET hash = '伪造' WHERE id = %s",
        }[column]
        cur.execute(sql, [seq])


def _verify(**options: object) -> ChainVerification:
    return verification_run(
        verification=verification_request(actor=SYSTEM, join=False, **options)  # type: ignore[arg-type]
    )


@pytest.fixture
def aud(world, login):  # type: ignore[no-untyped-def]
    return login(world.users["aud"])


def test_the_page_starts_a_verification_and_shows_its_result_and_progress(world, aud):
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链完整" in page and "本次从第一条起重新计算了每一条" in page
    done = ChainVerification.objects.get()
    assert done.passed and done.status == VerificationStatus.DONE and done.percent == 100
    assert done.requested_by == world.users["aud"] and done.through_id > 0
    # Its own page (which the audit page polls while it runs) says the same.
    own = aud.get(reverse("audit_verification", args=[done.pk])).content.decode()
    assert "审计链完整" in own and "hx-get" not in own
    asked = AuditEvent.objects.filter(action="audit.verify.request").get()
    assert asked.actor_id == world.users["aud"].pk and asked.object_id == str(done.pk)


def test_a_running_verification_is_shown_with_its_progress_and_polled(world, aud):
    running = verification_request(actor=world.users["aud"])
    ChainVerification.objects.filter(pk=running.pk).update(
        status=VerificationStatus.RUNNING, progress=0.42, heartbeat_at=dt.datetime.now(dt.UTC)
    )
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    # The page joined the running one instead of starting a second.
    assert ChainVerification.objects.count() == 1
    assert "正在核验哈希链：42%" in page
    assert f'hx-get="{reverse("audit_verification", args=[running.pk])}"' in page


def test_a_verification_whose_worker_died_is_failed_and_a_new_one_runs(world, aud):
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)):
        stale = verification_request(actor=world.users["aud"])
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链完整" in page
    stale.refresh_from_db()
    assert stale.status == VerificationStatus.FAILED and "中断" in stale.break_reason


def test_it_reports_progress_batch_by_batch_up_to_the_last_row(world, monkeypatch):
    monkeypatch.setattr(chain, "_BATCH", 7)
    reached: list[int] = []
    count, brk = verify_chain(progress=reached.append)
    assert brk is None and reached[-1] == count
    assert reached == sorted(reached) and len(reached) >= count // 7


def test_it_goes_on_from_the_last_pass_and_catches_a_change_after_it(world):
    first = _verify()
    assert first.passed and first.start_id == 0
    _more(30)
    _tamper(first.through_id + 10)
    later = _verify()
    assert not later.passed and later.start_id == first.through_id
    assert later.break_seq == first.through_id + 10
    assert "内容与哈希不符" in later.break_reason


def test_a_change_before_the_last_pass_is_found_by_a_full_run(world, capsys):
    first = _verify()
    _more(30)
    _tamper(3)
    # Going on from the last pass recomputes only the 30 new rows: row 3 is not looked at.
    later = _verify()
    assert later.passed and later.checked == 30 + 0 and later.start_id == first.through_id
    full = _verify(full=True)
    assert not full.passed and full.break_seq == 3
    # The command runs from scratch unless asked otherwise.
    with pytest.raises(Exception, match="审计链在第 3 条断裂"):
        call_command("verify_audit")
    call_command("verify_audit", "--incremental")
    assert "重新计算了第" in capsys.readouterr().out


def test_a_mark_set_by_hand_is_not_trusted(world):
    first = _verify()
    _more(30)
    _tamper(first.through_id + 5)
    # Someone with the database moves the mark past the changed row: without the MAC of the
    # audit key, the next verification starts from the first row and finds it.
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    ChainVerification.objects.filter(pk=first.pk).update(through_id=last[0], through_hash=last[1])
    later = _verify()
    assert later.start_id == 0 and later.break_seq == first.through_id + 5


def test_the_base_rows_hash_changed_sends_the_verification_back_to_the_start(world):
    first = _verify()
    _more(5)
    _tamper(first.through_id, "hash")
    later = _verify()
    assert later.start_id == 0 and later.break_seq == first.through_id


def test_nobody_but_the_audit_admin_reads_a_verification(world, login):
    done = _verify()
    for who in ("alice", "sam", "sue"):
        client = login(world.users[who])
        assert client.get(reverse("audit_verification", args=[done.pk])).status_code == 403
        assert client.get(reverse("audit_list") + "?verify=1").status_code == 403
    assert ChainVerification.objects.count() == 1
