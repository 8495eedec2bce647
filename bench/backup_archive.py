"""How fast the backup archive is sealed and opened (`xunshi/ops/archive.py`).

    PYTHONPATH=. XUNSHI_ENV=test .venv/bin/python bench/backup_archive.py [MiB] [runs]

Random bytes (default 64 MiB) written to a `SealedWriter` in 10 KiB pieces, as `tarfile`
writes, then read back through a `SealedReader` in 10 KiB reads; the median of `runs` (3) is
printed for each, beside SM4-GCM alone on 4 MiB chunks, which bounds both.
"""

from __future__ import annotations

import io
import os
import secrets
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from xunshi.lib.crypto import seal_bytes  # noqa: E402  (after django.setup, for the messages)
from xunshi.ops.archive import CHUNK, SealedReader, SealedWriter  # noqa: E402

PIECE = 10 * 1024


def _seal(data: bytes, key: bytes) -> tuple[float, bytes]:
    out = io.BytesIO()
    start = time.perf_counter()
    writer = SealedWriter(out, key, secrets.token_bytes(16))
    for i in range(0, len(data), PIECE):
        writer.write(data[i : i + PIECE])
    writer.close()
    return time.perf_counter() - start, out.getvalue()


def _open(blob: bytes, key: bytes) -> float:
    start = time.perf_counter()
    reader = SealedReader(io.BytesIO(blob), key)
    while reader.read(PIECE):
        pass
    reader.drain()
    return time.perf_counter() - start


def main() -> None:
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    data = os.urandom(mib * 1024 * 1024)
    key = secrets.token_bytes(16)
    seals, opens, raws = [], [], []
    blob = b""
    for _ in range(runs):
        took, blob = _seal(data, key)
        seals.append(took)
        opens.append(_open(blob, key))
        start = time.perf_counter()
        for i in range(0, len(data), CHUNK):
            seal_bytes(key, data[i : i + CHUNK])
        raws.append(time.perf_counter() - start)
    for name, times in (("seal", seals), ("open", opens), ("SM4-GCM alone", raws)):
        median = statistics.median(times)
        print(f"{name:14} {mib} MiB: {median:.2f} s, {mib / median:.0f} MiB/s")
    print(f"overhead: {len(blob) - len(data)} bytes")


if __name__ == "__main__":
    main()
