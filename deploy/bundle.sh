#!/bin/sh
# `make bundle`: an installation bundle for a network without package registries.
#
# Run on a machine with network access and the same Debian release, CPU and Python as the
# servers (the wheels are this machine's platform's). It writes dist/xunshi-VERSION-PLATFORM.tar.gz:
#   src/         the committed source at HEAD (git archive), nothing uncommitted
#   wheelhouse/  a wheel of every runtime dependency in requirements.txt (checked against its
#                hashes while downloading), and requirements.lock (the same pins, no hashes)
#   npm/         the npm tarball of every runtime package in package-lock.json (npm pack of
#                node_modules), and MANIFEST (package name, tarball)
#   install.sh   installs all of it with no network (deploy/install.sh, see docs/deploy.md)
#   SHA256SUMS   of every file above, checked by install.sh first
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-dist}

test -d node_modules || { echo "node_modules is missing: run make install first" >&2; exit 1; }
version=$(git describe --always --tags --dirty)
platform=$("$PY" -c 'import sys, sysconfig; print(f"cp{sys.version_info[0]}{sys.version_info[1]}-" + sysconfig.get_platform().replace("-", "_").replace(".", "_"))')
name="xunshi-$version-$platform"
stage="$OUT/$name"
rm -rf "$stage" "$stage.tar.gz"
mkdir -p "$stage/wheelhouse" "$stage/npm"

git archive --format=tar --prefix=src/ HEAD | tar -x -C "$stage"

"$PY" -m pip wheel --disable-pip-version-check -q --require-hashes -r requirements.txt \
    -w "$stage/wheelhouse"
# The pins without their hashes: a wheel pip built from a source archive has a hash of its
# own; SHA256SUMS vouches for every file of the bundle instead.
grep -E '^[A-Za-z0-9_.-]+(\[[a-z,]+\])?==' requirements.txt | sed 's/ *\\$//' \
    > "$stage/wheelhouse/requirements.lock"

"$PY" - "$stage/npm" <<'PYTHON'
import json, subprocess, sys
from pathlib import Path

out = Path(sys.argv[1])
lock = json.loads(Path("package-lock.json").read_text())
lines = []
for path, meta in sorted(lock["packages"].items()):
    if not path or meta.get("dev"):
        continue
    name = path.removeprefix("node_modules/")
    done = subprocess.run(
        ["npm", "pack", "--ignore-scripts", "--silent", "--pack-destination", str(out.resolve()),
         f"./{path}"],
        check=True, capture_output=True, text=True,
    )
    lines.append(f"{name}\t{done.stdout.strip().splitlines()[-1]}\n")
(out / "MANIFEST").write_text("".join(lines))
PYTHON

cp deploy/install.sh "$stage/install.sh"
chmod 0755 "$stage/install.sh"
(cd "$stage" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
tar -czf "$stage.tar.gz" -C "$OUT" "$name"
rm -rf "$stage"
echo "$stage.tar.gz"
