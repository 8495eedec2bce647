"""How long the audit chain's verification takes, from scratch and incrementally.

    .venv/bin/python -m bench.audit_verify [rows]      (default 200,000; PostgreSQL)

A throwaway PostgreSQL cluster (bench/pgcluster.py; or the database XUNSHI_BENCH_VERIFY_DB
names) gets the test world and then `rows` events of a real chain (each hash computed with the
audit key, the head's MAC set), written by COPY; the rows look like the trail's (two years of
them, the world's users, a spread of actions, before and after values). Then:

- a full verification (`verify_chain()`, what `manage.py verify_audit` runs), best of 2;
- the per-event cost and its extrapolation to 2,000,000 events (linear: the walk reads the
  trail in id order in batches of a fixed size, so each event costs the same);
- the walk as it was before (model objects, a keyed HMAC per row) and the reading alone;
- an incremental verification (`verification_run`) after 1,000 more events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time


def main() -> None:
    from bench.pgcluster import postgres

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with postgres("XUNSHI_BENCH_VERIFY_DB", "xunshi_verify", options="-c fsync=off") as url:
        os.environ.update(DATABASE_URL=url, XUNSHI_ENV="test")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        run(rows)


def _chain(rows: int, start: int, prev: str, users: list[tuple[int, str, str]]) -> str:
    """Append `rows` chained events after id start (whose hash is prev) by COPY; the last hash."""
    from django.db import connection

    from xunshi.audit.chain import event_hash
    from xunshi.audit.models import AuditEvent

    actions = ["rectification.item.plan", "rounds.team.create", "audit.view", "accounts.login"]
    first = dt.datetime.now(dt.UTC) - dt.timedelta(days=730)
    step = dt.timedelta(days=730) / max(rows, 1)
    columns = (
        "id, at, actor_id, actor_username, actor_role, action, object_type, object_id, "
        "object_repr, before, after, prev_hash, hash"
    )
    with (
        connection.cursor() as cur,
        cur.copy(f"COPY audit_auditevent ({columns}) FROM STDIN") as copy,
    ):
        for n in range(1, rows + 1):
            uid, name, role = users[n % len(users)]
            event = AuditEvent(
                id=start + n,
                at=first + step * n,
                actor_id=uid,
                actor_username=name,
                actor_role=role,
                action=actions[n % len(actions)],
                object_type="rectification.rectificationitem",
                object_id=str(n % 5000),
                object_repr=f"第{n % 50}项整改事项（兰考县）",
                before={"status": "pending", "measures": ""},
                after={"status": "claimed", "measures": "专项整改", "deadline": "2027-03-31"},
                prev_hash=prev,
            )
            event.hash = event_hash(prev, event)
            prev = event.hash
            copy.write_row(
                (
                    event.id,
                    event.at,
                    uid,
                    name,
                    role,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    json.dumps(event.before, ensure_ascii=False),
                    json.dumps(event.after, ensure_ascii=False),
                    event.prev_hash,
                    event.hash,
                )
            )
    return prev


def _set_head(last_id: int, last_hash: str) -> None:
    from django.db import connection

    from xunshi.audit.chain import head_mac

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_audithead SET last_id = %s, last_hash = %s, mac = %s WHERE id = 1",
            [last_id, last_hash, head_mac(last_id, last_hash, last_id)],
        )
        cur.execute("ANALYZE audit_auditevent")


def run(rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from xunshi.accounts.models import User
    from xunshi.audit import chain
    from xunshi.audit.chain import GENESIS, event_hash, verify_chain
    from xunshi.audit.models import AuditEvent, AuditHead
    from xunshi.audit.verify_actions import verification_request, verification_run
    from xunshi.testsupport.world import build_world

    call_command("migrate", verbosity=0)
    build_world()
    users = list(User.objects.values_list("pk", "username", "role"))
    head = AuditHead.objects.get(pk=1)
    # The world's own events stay, the bench's are chained on after them.
    started = time.perf_counter()
    last = _chain(rows, head.last_id, head.last_hash, users)
    _set_head(head.last_id + rows, last)
    total = head.last_id + rows
    print(
        f"chained {rows:,} events (+{head.last_id} of the world) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    times = []
    for _ in range(2):
        t = time.perf_counter()
        count, brk = verify_chain(first_checkpoint=True)
        times.append(time.perf_counter() - t)
        assert brk is None and count == total, (count, brk)
    best = min(times)
    print(
        f"full verification of {total:,} events: {best:.2f} s (runs: "
        f"{', '.join(f'{x:.2f}' for x in times)}); {best / total * 1e6:.1f} µs an event; "
        f"2,000,000 events ≈ {best / total * 2_000_000:.0f} s"
    )

    # The walk before issue 13 (model objects, one HMAC keyed per row), on the same rows and
    # under the same load, for the comparison.
    t = time.perf_counter()
    prev, n = GENESIS, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
        assert event_hash(prev, event) == event.hash
        prev, n = event.hash, n + 1
    old = time.perf_counter() - t
    print(
        f"the walk before (model objects, event_hash per row): {old:.2f} s, "
        f"{old / n * 1e6:.1f} µs an event"
    )
    t = time.perf_counter()
    n = sum(len(rows) for rows in chain._batches(0))
    read = time.perf_counter() - t
    print(f"reading the rows alone (tuples, batches of {chain._BATCH:,}): {read:.2f} s")

    aud = User.objects.get(username="aud")
    base = verification_request(actor=aud, full=True)
    verification_run(verification=base, first_checkpoint=True)
    base.refresh_from_db()
    assert base.passed, base.break_reason
    head = AuditHead.objects.get(pk=1)
    last = _chain(1000, head.last_id, head.last_hash, users)
    _set_head(head.last_id + 1000, last)
    later = verification_request(actor=aud)
    t = time.perf_counter()
    verification_run(verification=later, first_checkpoint=True)
    later.refresh_from_db()
    print(
        f"incremental verification of the last {later.checked:,} events after "
        f"{base.through_id:,} verified: {time.perf_counter() - t:.2f} s, "
        f"passed: {later.passed}"
    )


if __name__ == "__main__":
    main()
