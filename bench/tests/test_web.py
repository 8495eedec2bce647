"""The pages' benchmark end to end at a small scale (`make bench-web`'s generator, check and
timing on a throwaway PostgreSQL cluster): the generated rows are valid, the audit trail
verifies, and every page × role answers and is timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.web_pages import cases

ROOT = Path(__file__).resolve().parent.parent.parent
SCALE = "0.002"


def _postgres_at_hand() -> bool:
    return os.geteuid() == 0 and any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


@pytest.mark.skipif(not _postgres_at_hand(), reason="needs root and Debian's postgresql")
# Its cluster is its own whatever the suite runs on: once per CI run is enough, in the pass
# on PostgreSQL (a laptop runs it with DATABASE_URL set, or through `make bench-web`).
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the suite's pass on PostgreSQL (DATABASE_URL)",
)
def test_it_generates_valid_data_and_times_every_page() -> None:
    env = {k: v for k, v in os.environ.items() if k != "BENCH_WEB_DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("XUNSHI_ENV", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.web", "check", "--scale", SCALE, "--requests", "1"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    checked, run = out["checked"], out["run"]
    # Every generated row passes its model's validation, the trail and its head verify.
    assert checked["refused"] == []
    assert checked["models"]["Problem"] == checked["models"]["WorkingPaper"] > 0
    assert checked["models"]["RectificationItem"] > 0
    assert checked["models"]["Petition"] > 0 and checked["models"]["Clue"] > 0
    assert checked["chain_break"] is None
    assert checked["chain_verified"] == checked["audit_events"] >= 4000
    # Every case was answered as expected and timed, and the report names it.
    timed = {(r["page"], r["role"]): r for r in run["results"]}
    assert set(timed) == {(c.page, role) for c, role in cases()}
    assert [key for key, r in timed.items() if r["status"] not in (200, 302)] == []
    assert all(r["median_ms"] > 0 and r["queries"] > 0 for r in timed.values())
    assert ("audit trail", "audit admin") in timed and ("supervision 督办", "office") in timed
    assert run["plans"] and all("Execution Time" in p["plan"] for p in run["plans"])
    assert "| a unit's ledger | liaison |" in out["report"]
