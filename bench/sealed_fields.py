"""What sealing case data at rest costs: a field value sealed and opened, a file sealed and opened.

    XUNSHI_ENV=test PYTHONPATH=. .venv/bin/python bench/sealed_fields.py [runs]   (default 5)

A field value is a talk record of 2,000 Chinese characters (6 KB in UTF-8) and a petitioner's
name of 3; a list page of 50 petitions opens about 4 values a row (200 values). A file is the
20 MB upload limit. The median of `runs` runs is printed per case (no database involved:
`xunshi.lib.sealed_fields` with a throwaway key, as the field does in `from_db_value`).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from xunshi.lib.sealed_fields import open_file, open_text, seal_file, seal_text  # noqa: E402


def _median(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int) -> None:
    aad = b"inspections_talk.record"
    record = "谈话记录：" + "某局长违规收受礼金，" * 200
    name = "张三丰"
    token, short = seal_text(record, aad=aad), seal_text(name, aad=aad)
    data = os.urandom(20 * 1024 * 1024)
    sealed = seal_file(data, aad=b"0" * 32)
    n = 10_000
    cases = [
        (
            f"seal {len(record)}-character text ×{n}",
            lambda: [seal_text(record, aad=aad) for _ in range(n)],
        ),
        (
            f"open {len(record)}-character text ×{n}",
            lambda: [open_text(token, aad=aad) for _ in range(n)],
        ),
        (f"open 3-character name ×{n}", lambda: [open_text(short, aad=aad) for _ in range(n)]),
        ("seal a 20 MB file", lambda: seal_file(data, aad=b"0" * 32)),
        ("open a 20 MB file", lambda: open_file(sealed, aad=b"0" * 32)),
    ]
    print(f"runs: {runs}, load average (1 min) at start: {os.getloadavg()[0]:.2f}")
    for label, work in cases:
        seconds = _median(runs, work)
        per = f" ({seconds / n * 1e6:.1f} µs each)" if "×" in label else ""
        print(f"{label}: {seconds * 1000:.1f} ms{per}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
