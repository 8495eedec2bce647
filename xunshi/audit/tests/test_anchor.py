"""The trail anchored outside the database (issue 12, item 1): the head's MAC and the signed
checkpoints catch what recomputing the chain alone cannot, each attack done as a database
user would do it (the append-only trigger dropped first), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import stat

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.actions import record
from xunshi.audit.anchor import checkpoint_message, checkpoint_path
from xunshi.audit.anchor_actions import CheckpointRefused, checkpoint_write
from xunshi.audit.chain import GENESIS, head_mac, verify_chain
from xunshi.audit.models import AuditEvent, AuditHead
from xunshi.lib.crypto import (
    derive_key,
    hmac_sm3_hex,
    sm2_generate_keypair,
    sm2_sign_hex,
    sm2_verify_hex,
)


def _drop_triggers() -> None:
    """What a database user does first: the append-only trigger is theirs to drop."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cur.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")


def _more(n: int) -> None:
    """n more events, as the app writes them."""
    for _ in range(n):
        with transaction.atomic():
            record(
                actor=SYSTEM,
                action="audit.view",
                object_type="audit.auditevent",
                object_id="1",
                after={"page": 1},
            )


def _head() -> dict[str, object]:
    return AuditHead.objects.values("last_id", "last_hash", "mac").get(pk=1)


def _cut_to(last_id: int) -> None:
    _drop_triggers()
    AuditEvent.objects.filter(id__gt=last_id).delete()


def _verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit")


def _lines() -> list[dict[str, object]]:
    return [json.loads(x) for x in checkpoint_path().read_text().splitlines() if x.strip()]


@pytest.fixture
def anchored(world):  # type: ignore[no-untyped-def]
    """The world's trail with a checkpoint (the verification writes one) and 30 events after."""
    call_command("verify_audit")
    _more(30)
    return world


def test_a_clean_trail_passes_and_each_verification_writes_a_signed_checkpoint(anchored, capsys):
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out
    first, second = _lines()
    head = _head()
    assert (second["count"], second["last_id"], second["last_hash"]) == (
        head["last_id"],
        head["last_id"],
        head["last_hash"],
    )
    assert second["count"] == first["count"] + 30
    assert sm2_verify_hex(settings.AUDIT_SM2_PUBLIC_KEY, checkpoint_message(second), second["sig"])
    path = checkpoint_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_head_carries_a_mac_with_the_audit_key_not_the_field_key(world):
    head = AuditHead.objects.get(pk=1)
    assert head.mac == head_mac(head.last_id, head.last_hash, head.last_id)
    field_keyed = hmac_sm3_hex(
        derive_key(settings.FIELD_MASTER_KEY, "audit-head"),
        f"xunshi-audit-head/v1|{head.last_id}|{head.last_hash}|{head.last_id}".encode(),
    )
    assert head.mac != field_keyed


def test_it_fails_on_the_newest_events_cut_off_and_the_head_copied_from_row_n_minus_20(anchored):
    # The exact attack of issue 12: delete the newest 20, copy row N-20's id and hash.
    n = AuditEvent.objects.order_by("-id").first().id
    row = AuditEvent.objects.get(id=n - 20)
    _cut_to(row.id)
    AuditHead.objects.filter(pk=1).update(last_id=row.id, last_hash=row.hash)
    _verify_fails("链尾的校验码不符")
    _more(3)  # the app goes on, and chaining on does not seal the forged head under a good MAC
    _verify_fails("链尾的校验码不符")


def test_it_fails_on_a_cut_with_an_earlier_head_replayed_mac_and_all(world):
    # The attacker kept a copy of the head from earlier, MAC included: the checkpoint written
    # since names a longer chain.
    old = _head()
    _more(25)
    call_command("verify_audit")
    _more(5)
    _cut_to(old["last_id"])
    AuditHead.objects.filter(pk=1).update(**old)
    assert verify_chain()[1].seq == old["last_id"] + 1
    _verify_fails("末尾记录被删除：.*检查点记载共")


def test_it_fails_when_every_event_is_wiped_and_the_head_reset(anchored):
    _cut_to(0)
    AuditHead.objects.filter(pk=1).update(last_id=0, last_hash=GENESIS, mac="")
    _verify_fails("第 1 条断裂：记录被全部删除")
    AuditHead.objects.filter(pk=1).delete()
    _verify_fails("记录被全部删除")


def test_it_fails_when_the_head_is_replaced(anchored):
    head = _head()
    forged = hmac_sm3_hex(b"k" * 16, f"{head['last_id']}|{head['last_hash']}".encode())
    AuditHead.objects.filter(pk=1).update(mac=forged)
    _verify_fails("链尾的校验码不符（链尾被改写）")


def test_it_fails_when_the_checkpoint_file_is_missing_from_a_chain_longer_than_one_interval(
    anchored, settings, capsys
):
    checkpoint_path().unlink()
    settings.AUDIT_CHECKPOINT_EVENTS = AuditEvent.objects.count()
    _verify_fails("检查点文件缺失：审计日志已有")
    # The first run after upgrading says so, and anchors the chain from there on.
    call_command("verify_audit", "--first-checkpoint")
    assert "审计链完整" in capsys.readouterr().out and len(_lines()) == 1
    call_command("verify_audit")


def test_a_chain_shorter_than_one_interval_needs_no_checkpoint_yet(world, settings):
    settings.AUDIT_CHECKPOINT_EVENTS = AuditEvent.objects.count() + 1
    assert not checkpoint_path().exists()
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_it_fails_when_a_checkpoint_line_is_forged(anchored):
    head = _head()
    values = {"count": head["last_id"], "last_id": head["last_id"], "last_hash": head["last_hash"]}
    values["time"] = "2026-12-06T10:00:00+00:00"
    other_private, other_public = sm2_generate_keypair()  # not the audit key pair
    values["sig"] = sm2_sign_hex(other_private, other_public, checkpoint_message(values))
    with checkpoint_path().open("a") as f:
        f.write(json.dumps(values) + "\n")
    _verify_fails("检查点被伪造或损坏：.* 第 2 行的签名不符")


def test_it_fails_when_a_checkpoint_line_is_altered(anchored):
    (line,) = _lines()
    line["count"] = line["last_id"] = int(line["count"]) - 3
    checkpoint_path().write_text(json.dumps(line) + "\n")
    _verify_fails("检查点被伪造或损坏")


def test_it_fails_when_the_row_a_checkpoint_names_was_replaced(anchored):
    (line,) = _lines()
    _drop_triggers()
    AuditEvent.objects.filter(id=line["last_id"]).update(object_repr="forged")
    _verify_fails(f"第 {line['last_id']} 条断裂")


def test_it_never_signs_a_chain_cut_short_and_chained_on_again(world):
    old = _head()
    _more(10)
    checkpoint_write()
    _cut_to(old["last_id"])
    AuditHead.objects.filter(pk=1).update(**old)
    _more(12)  # as long as before, and longer: a different chain under the old numbers
    with pytest.raises(CheckpointRefused, match="检查点不符"):
        checkpoint_write()
    _verify_fails("与 .* 的检查点不符")


def test_record_writes_a_checkpoint_after_every_nth_event_once_committed(
    world, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVENTS = AuditEvent.objects.count() + 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _more(1)
    assert len(callbacks) == 1
    (line,) = _lines()
    assert line["count"] == AuditEvent.objects.count() == settings.AUDIT_CHECKPOINT_EVENTS
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _more(1)  # neither the N-th event nor ten minutes later
    assert callbacks == [] and len(_lines()) == 1


def test_the_audit_page_verification_fails_in_chinese_on_the_cut_and_anchors_a_clean_one(
    anchored, login
):
    aud = login(anchored.users["aud"])
    old = _head()
    _more(25)
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链完整" in page and len(_lines()) == 2
    # The attack: the page's own reading event is chained on, and the head stays unsealed.
    n = AuditEvent.objects.order_by("-id").first().id
    row = AuditEvent.objects.get(id=n - 20)
    _cut_to(row.id)
    AuditHead.objects.filter(pk=1).update(last_id=row.id, last_hash=row.hash)
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链核验未通过：链尾的校验码不符（链尾被改写）" in page and len(_lines()) == 2
    # A head replayed with its MAC is chained on; the checkpoint names what was cut.
    _cut_to(old["last_id"])
    AuditHead.objects.filter(pk=1).update(**old)
    page = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链在第" in page and "末尾记录被删除" in page and len(_lines()) == 2


# --- item 10: what the audit admin reads -----------------------------------------------------


def _everything_stored() -> str:
    rows = AuditEvent.objects.values_list(
        "actor_username", "object_id", "object_repr", "before", "after"
    )
    return json.dumps(list(rows), ensure_ascii=False)


def test_a_password_typed_into_the_user_name_box_is_kept_nowhere_in_the_trail(world, login):
    typed = "Tr0ub4dor&3-mistyped"
    Client().post(reverse("login"), {"username": typed, "password": "x"})
    Client().post(reverse("login"), {"username": typed, "password": "y"})
    assert typed not in _everything_stored()
    failed = list(AuditEvent.objects.filter(action="accounts.login_failed"))
    assert len(failed) == 2 and failed[0].object_id == failed[1].object_id  # still grouped
    page = login(world.users["aud"]).get(reverse("audit_list")).content.decode()
    assert typed not in page and f"用户名摘要 {failed[0].object_id}" in page


def test_an_attachment_is_named_by_reference_never_by_its_file_name(world, login):
    from xunshi.files.actions import attachment_store  # the files app's own sample
    from xunshi.files.tests import samples

    attachment = attachment_store(
        actor=world.users["carol"],
        inspection=world.inspection1,
        upload=("举报人张三的照片.docx", samples.docx()),
        audience="team",
    )
    event = AuditEvent.objects.get(action="files.attachment.store")
    assert event.object_repr == f"附件#{attachment.pk}"
    assert "张三" not in _everything_stored()
    page = login(world.users["aud"]).get(reverse("audit_list")).content.decode()
    assert "张三" not in page and f"附件#{attachment.pk}" in page


def test_older_events_that_kept_a_file_name_or_a_typed_name_show_only_references(world, login):
    _drop_triggers()
    with transaction.atomic():
        record(
            actor=SYSTEM,
            action="files.attachment.download",
            object_type="files.attachment",
            object_id="4",
            object_repr="",
            after={"size": 1},
        )
        record(
            actor=None,
            action="accounts.login_failed",
            object_type="accounts.user",
            object_id="x",
        )
    # As issue 11's code wrote them: the citizen's file name, the text typed.
    AuditEvent.objects.filter(action="files.attachment.download").update(
        object_repr="举报人张三的照片.jpg", after={"original_name": "举报人张三的照片.jpg"}
    )
    AuditEvent.objects.filter(action="accounts.login_failed").update(
        object_id="Secret-Pass-1", object_repr="Secret-Pass-1"
    )
    page = login(world.users["aud"]).get(reverse("audit_list")).content.decode()
    assert "张三" not in page and "Secret-Pass-1" not in page
    assert "附件#4" in page and "用户名摘要" in page
