"""Every main page at national size, for every role that may open it, on PostgreSQL.

``make bench-web`` (never part of ``make test``; ``SCALE=0.01`` for a quick try): on the
database that BENCH_WEB_DATABASE_URL names, or else a throwaway cluster started in /tmp on
127.0.0.1 and removed afterwards (`bench/pgcluster.py`), it migrates, generates the deployment
at issue 13's size times ``--scale`` (`bench/web_data.py`) and times each page × role with
Django's test client (`bench/web_pages.py`): 20 requests after a warm-up, DEBUG off, median,
p95, CPU, queries, and the slowest queries of the run with their plans. The run is kept in
var/bench/web/<label>.json (``--label``, default ``current``) and BENCHMARKS-web.md is written
from every kept run of the full size, so a run before a change and one after it stand side by
side; a run at another scale writes var/bench/web/report-<scale>.md instead.

``python -m bench.web check --scale 0.002 --requests 1`` generates, checks that every row is
valid and the audit trail verifies (`bench/web_check.py`), times every case and prints all of
it as JSON, keeping nothing: the benchmark's own test (`bench/tests/test_web.py`).

The steps run as child processes with the settings in the environment (dev settings, DEBUG
off, keys of their own): ``python -m bench.web _generate`` and ``… _time``. A given database
already generated is not generated again (``--fresh`` empties it first); its keys (the field
key seals petitions, the audit key chains the trail) are kept in var/bench/web/keys.json for
the next run on it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pgcluster import postgres
from bench.province import PYTHON, ROOT, SERVER_OPTIONS, _env, _git, _log, _setup, _uptime
from bench.web_report import report

RUNS = ROOT / "var" / "bench" / "web"
REPORT = ROOT / "BENCHMARKS-web.md"
URL_VARIABLE = "BENCH_WEB_DATABASE_URL"


def _keys(given: bool) -> dict[str, str]:
    """The app's keys for this run: fresh for a throwaway cluster, kept for a given database
    (whose sealed texts and chained trail were made with them)."""
    kept = RUNS / "keys.json"
    if given and kept.exists():
        return dict(json.loads(kept.read_text()))
    keys = {"XUNSHI_FIELD_KEY": secrets.token_hex(16), "XUNSHI_AUDIT_KEY": secrets.token_hex(16)}
    if given:
        RUNS.mkdir(parents=True, exist_ok=True)
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps(keys))
    return keys


def machine() -> str:
    """The processor's model, the cores and the memory, as Linux names them."""
    cpu = memory = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    return f"{cpu}, {os.cpu_count()} cores, {memory} of memory"


def env_for(database: str, keys: dict[str, str], checkpoints: str) -> dict[str, str]:
    return {**_env(database), **keys, "XUNSHI_AUDIT_CHECKPOINT_DIR": checkpoints}


def _child(step: str, env: dict[str, str], *extra: str) -> str:
    """Run `python -m bench.web <step>`, its progress printed as it comes; its last line of
    output (JSON)."""
    last = ""
    with subprocess.Popen(
        [PYTHON, "-m", "bench.web", step, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if last:
                print(last, flush=True)
            last = line.rstrip("\n")
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    return last


# --- the steps in the child processes -----------------------------------------------------------


def step_generate(scale: float, fresh: bool) -> None:
    _setup()
    # Django is set up only now, so the generator's models are imported here.
    from dataclasses import asdict

    from django.db import connection

    from bench.web_data import find_world, generate

    if fresh:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    if find_world() is not None:
        _log("  the database already holds the generated deployment: not generated again")
        print(json.dumps({"seconds": None, "sizes": {}}))
        return
    started = time.perf_counter()
    world = generate(scale, log=_log)
    print(json.dumps({"seconds": round(time.perf_counter() - started), **asdict(world)}))


def step_time(requests: int, only: str, shard: str) -> None:
    _setup()
    # Django is set up only now, so the pages' models are imported here.
    from dataclasses import asdict

    from django.db import connection

    from bench.web_data import find_world
    from bench.web_pages import as_dicts, explain, run, sizes
    from config.workers import settle

    world = find_world()
    assert world is not None, "not generated"
    # As a deployed worker does once it has loaded the app (deploy/gunicorn/web.py): the URLs
    # and views loaded, then every object alive moved out of the collector's reach, so that a
    # full collection does not walk them in the middle of a timed request.
    settle()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    ids = {k: v for k, v in asdict(world).items() if k != "sizes"}
    k, n = (int(x) for x in shard.split("/"))
    results = run(ids, requests, only=only, shard=(k, n), log=_log)
    plans = explain(results)
    print(
        json.dumps(
            {
                "postgres": f"{version}, jit {jit}",
                "sizes": sizes(),
                "results": as_dicts(results),
                "plans": plans,
            }
        )
    )


def step_check() -> None:
    _setup()
    # Django is set up only now, so the check's models are imported here.
    from bench.web_check import check

    print(json.dumps(check(), ensure_ascii=False))


# --- the runner and the report ------------------------------------------------------------------


def main_check(scale: float, requests: int, only: str = "") -> dict[str, Any]:
    """Generate at `scale`, check the rows and the trail, time every case `requests` times;
    all of it, and the report it would write (written nowhere)."""
    given = bool(os.environ.get(URL_VARIABLE))
    with (
        postgres(URL_VARIABLE, "nation", options=SERVER_OPTIONS) as database,
        tempfile.TemporaryDirectory(prefix="xunshi-bench-audit.") as checkpoints,
    ):
        env = env_for(database, _keys(given), checkpoints)
        generated = json.loads(_child("_generate", env, "--scale", str(scale)))
        checked = json.loads(_child("_check", env))
        timed = json.loads(_child("_time", env, "--requests", str(requests), "--only", only))
    run = {
        "label": "check",
        "scale": scale,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "cores": os.cpu_count(),
        "load_before": _uptime(),
        "load_after": _uptime(),
        "database": "given URL" if given else "throwaway local cluster",
        "generate_seconds": generated.get("seconds"),
        "sizes": generated.get("sizes", {}),
        "requests": requests,
        **timed,
    }
    return {"generated": generated, "checked": checked, "run": run, "report": report([run])}


def _timed(env: dict[str, str], requests: int, only: str, shards: int) -> dict[str, Any]:
    """The `_time` step, in `shards` processes side by side (the k-th takes every n-th case),
    its answers merged: the cases in their order, the slowest plans of all."""
    if shards == 1:
        return dict(json.loads(_child("_time", env, "--requests", str(requests), "--only", only)))
    with tempfile.TemporaryDirectory(prefix="xunshi-bench-web.") as logs:
        children = []
        for k in range(shards):
            out = Path(logs) / f"{k}.log"
            command = [PYTHON, "-m", "bench.web", "_time", "--requests", str(requests)]
            command += ["--only", only, "--shard", f"{k}/{shards}"]
            with out.open("w") as handle:
                children.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle), out))
        answers = []
        for child, out in children:
            if child.wait():
                raise subprocess.CalledProcessError(child.returncode, child.args)
            lines = out.read_text().strip().splitlines()
            print("\n".join(lines[:-1]), flush=True)
            answers.append(json.loads(lines[-1]))
    # The k-th shard's i-th case is the (i * shards + k)-th of the whole list.
    placed = [
        (i * shards + k, r) for k, a in enumerate(answers) for i, r in enumerate(a["results"])
    ]
    plans = sorted((p for a in answers for p in a["plans"]), key=lambda p: -p["ms"])
    return {
        **answers[0],
        "results": [r for _, r in sorted(placed, key=lambda x: x[0])],
        "plans": plans,  # the report shows the ten slowest distinct ones
        "shards": shards,
    }


def main_run(
    label: str, scale: float, fresh: bool, requests: int, only: str, shards: int = 1, note: str = ""
) -> Path:
    """Generate (if need be), time, keep the run and write the report; the report's path."""
    given = bool(os.environ.get(URL_VARIABLE))
    with (
        postgres(URL_VARIABLE, "nation", options=SERVER_OPTIONS) as database,
        tempfile.TemporaryDirectory(prefix="xunshi-bench-audit.") as checkpoints,
    ):
        env = env_for(database, _keys(given), checkpoints)
        _log(f"== generating the deployment at scale {scale}")
        generated = json.loads(
            _child("_generate", env, "--scale", str(scale), *(["--fresh"] if fresh else []))
        )
        _log("== timing the pages")
        load_before = _uptime()
        timed = _timed(env, requests, only, shards)
        load_after = _uptime()
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--", "xunshi") else ""
    run = {
        "label": label,
        "scale": scale,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": _git("rev-parse", "--short", "HEAD") + dirty,
        "cores": os.cpu_count(),
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_after,
        "database": "given URL" if given else "throwaway local cluster",
        "generate_seconds": generated.get("seconds"),
        "requests": requests,
        "note": " ".join(
            part
            for part in (
                "The default cache on Redis (XUNSHI_REDIS_URL): the dashboards' figures are"
                " kept there for XUNSHI_DASHBOARD_CACHE_SECONDS, so the warm-up counts them"
                " and the timed requests read them."
                if os.environ.get("XUNSHI_REDIS_URL")
                else "",
                note,
            )
            if part
        ),
        **timed,
    }
    RUNS.mkdir(parents=True, exist_ok=True)
    name = label if scale == 1 else f"{label}-scale-{scale}"
    (RUNS / f"{name}.json").write_text(json.dumps(run, ensure_ascii=False, indent=1))
    out = REPORT if scale == 1 else RUNS / f"report-{scale}.md"
    out.write_text(report(_runs(scale)))
    return out


def _runs(scale: float) -> list[dict[str, Any]]:
    runs = [json.loads(p.read_text()) for p in RUNS.glob("*.json") if p.name != "keys.json"]
    return sorted((r for r in runs if r.get("scale") == scale), key=lambda r: r["date"])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    steps = ["run", "check", "report", "_generate", "_check", "_time"]
    parser.add_argument("step", nargs="?", default="run", choices=steps)
    parser.add_argument("--label", default="current", help="the run's name in the report")
    parser.add_argument("--scale", type=float, default=1.0, help="times issue 13's size")
    parser.add_argument("--fresh", action="store_true", help="empty a given database first")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", default="", help="only the cases whose page or role has this")
    parser.add_argument("--shards", type=int, default=1, help="timing processes side by side")
    parser.add_argument("--note", default="", help="how this run differs, said in the report")
    parser.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "_generate":
        step_generate(args.scale, args.fresh)
    elif args.step == "_time":
        step_time(args.requests, args.only, args.shard)
    elif args.step == "_check":
        step_check()
    elif args.step == "check":
        print(json.dumps(main_check(args.scale, args.requests, args.only), ensure_ascii=False))
    elif args.step == "report":
        REPORT.write_text(report(_runs(1.0)))
    else:
        out = main_run(
            args.label, args.scale, args.fresh, args.requests, args.only, args.shards, args.note
        )
        print(out.read_text())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
