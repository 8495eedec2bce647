"""A PostgreSQL database for a benchmark: the one an environment variable names, or a throwaway
cluster initialised in /tmp on 127.0.0.1 and removed afterwards (Debian's postgresql package,
run as root, like .ci/run)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["free_port", "postgres"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres(url_variable: str, database: str, *, options: str = "") -> Iterator[str]:
    """The database URL: `url_variable`'s value if set, else `database` in a throwaway cluster
    started with the server `options` (e.g. "-c fsync=off")."""
    given = os.environ.get(url_variable)
    if given:
        yield given
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins or os.geteuid() != 0:
        sys.exit(
            f"Needs PostgreSQL: set {url_variable}, or run as root with "
            "Debian's postgresql installed (apt-get install postgresql)."
        )
    pgbin, data, port = bins[-1], Path(tempfile.mkdtemp(prefix="xunshi-bench-pg.")), free_port()
    shutil.chown(data, "postgres")

    def su(cmd: str) -> None:
        subprocess.run(["su", "postgres", "-c", cmd], check=True, stdout=subprocess.DEVNULL)

    su(f"{pgbin}/initdb -D {data} -U postgres -A trust -E UTF8 --locale=C.UTF-8")
    su(
        f"{pgbin}/pg_ctl -D {data} -l {data}/log -w -o '-p {port} -k /tmp "
        f"-c listen_addresses=127.0.0.1 {options}' start"
    )
    try:
        su(f"{pgbin}/psql -h 127.0.0.1 -p {port} -U postgres -qc 'CREATE DATABASE {database}'")
        yield f"postgres://postgres@127.0.0.1:{port}/{database}"
    finally:
        su(f"{pgbin}/pg_ctl -D {data} -m fast stop")
        shutil.rmtree(data, ignore_errors=True)
