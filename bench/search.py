"""The full-text search at scale: p95 of a phrase search for the team that owns the paper.

    XUNSHI_ENV=test PYTHONPATH=. .venv/bin/python bench/search.py [--rows 1000000] [--pg]
        [--db var/bench/search/search.sqlite3] [--reuse]

`make bench-search` runs it. It migrates a fresh database (SQLite under var/bench/search/, or a
throwaway PostgreSQL with --pg, `bench/pgcluster.py`), builds the test world (a province,
two teams; bob leads team 1, which inspects 兰考县) through the actions, and writes `--rows`
index entries as the writer would: each holds the keyed digests of 20–140 words drawn from
jieba's dictionary by frequency (the blind tokens of a sealed case text), spread over 2,000
inspections of every kind of record. A working paper of bob's inspection holds the phrase
"虚报冒领扶贫补助资金"; so do 5,000 records of other inspections, which the scope must leave out.
Then, as bob and as the office (alice), it runs the query the page runs (`search_entries`
and `search_page`: its first page of 20 and the count, one statement) `--runs` times per
phrase and prints p50 and p95 (`--fresh`: each search on a new connection, opened inside
the time, as each request opens one). `--reuse` skips the writing and times the searches again on
the file `--db` already holds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("XUNSHI_ENV", "test")
# The test settings draw a field key per process; the blind index's digests follow it, so a
# database kept for `--reuse` needs the same key in every run: the bench's own, no secret.
os.environ.setdefault("XUNSHI_FIELD_KEY", hashlib.sha256(b"bench/search").hexdigest()[:32])

PHRASE = "虚报冒领扶贫补助资金"
QUERIES = [PHRASE, "扶贫资金", "违规发放津贴补贴"]
KINDS = ["paper", "talk", "petition", "clue", "problem", "ledger_item"]


def _database(pg: bool, stack: object, db: Path, reuse: bool) -> None:
    if pg:
        from bench.pgcluster import postgres  # the throwaway cluster: only with --pg

        url = stack.enter_context(postgres("XUNSHI_BENCH_SEARCH_PG", "xunshi_search"))  # type: ignore[attr-defined]
    else:
        db.parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            for f in db.parent.glob(db.name + "*"):
                f.unlink()
        url = f"sqlite:///{db.resolve()}"
    os.environ["DATABASE_URL"] = url


def _vocabulary(size: int) -> tuple[list[str], list[float]]:
    from xunshi.searchindex.tokens import _segmenter

    freq = _segmenter().FREQ
    words = sorted((w for w, n in freq.items() if n > 0 and len(w) > 1), key=lambda w: -freq[w])
    words = words[:size]
    return words, [float(freq[w]) for w in words]


def _fill(rows: int, bob_inspection: int, body_id: int) -> None:
    import numpy as np
    from django.db import connection, transaction

    from xunshi.searchindex.engine import fts_insert, stored_tokens
    from xunshi.searchindex.tokens import blind, segment

    words, weights = _vocabulary(30_000)
    digests = np.array([blind(w) for w in words], dtype=object)
    p = np.array(weights) / sum(weights)
    phrase = " ".join(blind(w) for w in segment(PHRASE))
    rng = np.random.default_rng(14)
    other_inspections = np.arange(100_000, 102_000)
    planted_elsewhere = set(rng.choice(rows, size=5_000, replace=False).tolist())
    sql = (
        "INSERT INTO searchindex_searchentry"
        ' (id, kind, object_id, body_id, inspection_id, restricted, "on", tokens)'
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    chunk, start = 20_000, time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, rows, chunk):
            n = min(chunk, rows - first)
            lengths = rng.integers(20, 141, size=n)
            drawn = rng.choice(len(words), size=int(lengths.sum()), p=p)
            batch, fts, at = [], [], 0
            for i in range(n):
                row = first + i
                tokens = " ".join(digests[drawn[at : at + lengths[i]]])
                at += lengths[i]
                kind = KINDS[row % len(KINDS)]
                inspection = int(other_inspections[row % len(other_inspections)])
                if row < 600:  # bob's inspection: 600 records, the paper among them
                    inspection = bob_inspection
                    if row == 0:
                        kind, tokens = "paper", tokens + " " + phrase
                elif row in planted_elsewhere:
                    tokens = tokens + " " + phrase
                day = f"2026-{1 + row % 12:02d}-{1 + row % 28:02d}"
                pk = 1_000 + row
                batch.append(
                    (pk, kind, row + 1, body_id, inspection, False, day, stored_tokens(tokens))
                )
                fts.append((pk, tokens))
            cursor.executemany(sql, batch)
            fts_insert(fts)
            done = first + n
            if done % 100_000 == 0 or done == rows:
                print(f"  {done:,} entries written ({time.perf_counter() - start:.0f} s)")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE searchindex_searchentry")
        else:
            cursor.execute("INSERT INTO searchindex_fts(searchindex_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
    print(f"  full-text index optimized and analyzed in {time.perf_counter() - start:.0f} s")


def _time(user: object, q: str, runs: int, fresh: bool) -> tuple[float, float, int]:
    from django.db import connection

    from xunshi.search.queries import search_entries, search_page

    times, count = [], 0
    for _ in range(runs):
        if fresh:  # a connection per search, as a request has (CONN_MAX_AGE 0)
            connection.close()
        t = time.perf_counter()
        page = search_page(search_entries(user, q=q), "1", 20)  # type: ignore[arg-type]
        list(page.object_list)
        count = page.paginator.count
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument(
        "--fresh", action="store_true", help="open a new connection for each search, as a request"
    )
    parser.add_argument("--db", type=Path, default=Path("var/bench/search/search.sqlite3"))
    parser.add_argument(
        "--reuse", action="store_true", help="time the searches on the SQLite file --db holds"
    )
    args = parser.parse_args()
    from contextlib import ExitStack

    with ExitStack() as stack:
        _database(args.pg, stack, args.db, args.reuse and not args.pg)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from xunshi.testsupport.world import build_world

        print(f"database: {connection.vendor}; load average at start: {os.getloadavg()}")
        from xunshi.accounts.models import User
        from xunshi.searchindex.models import SearchEntry

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not (args.reuse and not args.pg):
            world = build_world()
            print(f"migrated and built the world in {time.perf_counter() - t:.0f} s")
            _fill(args.rows, world.inspection1.pk, world.body.pk)
        print(f"entries: {SearchEntry.objects.count():,}")
        bob, alice = User.objects.get(username="bob"), User.objects.get(username="alice")
        for who, user in (("bob (team 1, owns the paper)", bob), ("alice (office)", alice)):
            for q in QUERIES:
                p50, p95, count = _time(user, q, args.runs, args.fresh)
                print(
                    f"{who} «{q}»: {count} hits, p50 {p50 * 1000:.1f} ms,"
                    f" p95 {p95 * 1000:.1f} ms ({args.runs} runs)"
                )
        print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
