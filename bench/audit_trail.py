"""How long the audit trail's page and export take on a trail of a million events.

    .venv/bin/python -m bench.audit_trail [rows]       (default 1,000,000; PostgreSQL)

A throwaway PostgreSQL cluster (bench/pgcluster.py; or the database XUNSHI_BENCH_AUDIT_DB
names) gets the test world and then `rows` events inserted by one INSERT … SELECT: two years
of them, the world's users and the system acting, a spread of actions and object types (a few
rare). The hashes are not a chain (the rows' check says 不符; it costs the same). Each request
runs through the test client signed in as the audit admin, three times; the median is printed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main() -> None:
    from bench.pgcluster import postgres

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with postgres("XUNSHI_BENCH_AUDIT_DB", "xunshi_audit", options="-c fsync=off") as url:
        os.environ.update(DATABASE_URL=url, XUNSHI_ENV="test")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        run(rows)


def run(rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from xunshi.accounts.models import User
    from xunshi.audit.names import ACTION_NAMES
    from xunshi.testsupport.world import build_world

    call_command("migrate", verbosity=0)
    build_world()
    users = list(User.objects.values_list("pk", "username", "role"))
    # Common actions many times, the last few rarely (one in 10,000).
    actions = sorted(ACTION_NAMES)
    rare = ["rectification.notice.issue", "registry.waiver.create"]
    common = [a for a in actions if a not in rare]
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM audit_auditevent")
        base = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO audit_auditevent (id, at, actor_id, actor_username, actor_role, action,
                object_type, object_id, object_repr, before, after, prev_hash, hash)
            SELECT %(base)s + g,
                   now() - interval '730 days' * (1 - g::float / %(rows)s),
                   (%(ids)s::bigint[])[1 + g %% %(n_users)s],
                   (%(names)s::text[])[1 + g %% %(n_users)s],
                   (%(roles)s::text[])[1 + g %% %(n_users)s],
                   CASE WHEN g %% 10000 = 0 THEN (%(rare)s::text[])[1 + (g / 10000) %% 2]
                        ELSE (%(common)s::text[])[1 + g %% %(n_common)s] END,
                   CASE WHEN g %% 10000 = 0 THEN 'rectification.supervisionnotice'
                        ELSE 'rounds.inspection' END,
                   (g %% 5000)::text,
                   '第' || (g %% 50) || '项整改事项（兰考县）',
                   jsonb_build_object('status', 'pending', 'measures', ''),
                   jsonb_build_object('status', 'claimed', 'measures', '专项整改'),
                   repeat('0', 64), repeat('1', 64)
            FROM generate_series(1, %(rows)s) AS g
            """,
            {
                "base": base,
                "rows": rows,
                "ids": [u[0] for u in users],
                "names": [u[1] for u in users],
                "roles": [u[2] for u in users],
                "n_users": len(users),
                "rare": rare,
                "common": common,
                "n_common": len(common),
            },
        )
        # The chain's end moves past the inserted rows, so that the page's own events follow.
        cur.execute(
            "UPDATE audit_audithead SET last_id = %s, last_hash = %s WHERE id = 1",
            [base + rows, "1" * 64],
        )
        cur.execute("ANALYZE audit_auditevent")
    print(f"inserted {rows:,} events in {time.perf_counter() - started:.1f} s")

    client = Client()
    client.force_login(User.objects.get(username="aud"))
    page, export = reverse("audit_list"), reverse("audit_export")
    week_end = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
    week_start = time.strftime("%Y-%m-%d", time.localtime(time.time() - 37 * 86400))
    cases = [
        ("page 1, no filter", page),
        ("page 1000, no filter", page + "?page=1000"),
        ("one week (start, end)", page + f"?start={week_start}&end={week_end}"),
        ("one user by name", page + "?actor=周晓"),
        ("one common action", page + f"?action={common[0]}"),
        ("a rare object type (1 in 10,000)", page + "?object_type=rectification.supervisionnotice"),
        ("verify=1 (whole chain; stops at the first break)", page + "?verify=1"),
        ("export: one week", export + f"?start={week_start}&end={week_end}"),
        ("export: a rare object type", export + "?object_type=rectification.supervisionnotice"),
    ]
    print(f"| request ({rows:,} events) | median of 3, s | status | bytes |")
    print("|---|---|---|---|")
    for name, url in cases:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
        size = len(response.content)
        print(f"| {name} | {statistics.median(times):.3f} | {response.status_code} | {size:,} |")


if __name__ == "__main__":
    main()
