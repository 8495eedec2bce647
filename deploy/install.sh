#!/bin/sh
# Install an offline bundle (made by `make bundle`) into DEST, with no network at all:
#   ./install.sh [DEST]        (default /opt/xunshi; the portal: ./install.sh /opt/xunshi-portal)
# Needs python3 with venv (python3-venv) of the version the bundle names, and nothing else:
# no pip index, no npm. Checks SHA256SUMS, copies the source, makes DEST/.venv from the
# wheelhouse, unpacks the npm tarballs into DEST/node_modules and makes DEST/var (0700).
# It never touches DEST/var's contents or the keys: an upgrade is the same command.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-/opt/xunshi}
PYTHON=${PYTHON:-python3}

(cd "$here" && sha256sum --check --quiet --strict SHA256SUMS)

mkdir -p "$dest"
cp -R "$here/src/." "$dest/"
test -x "$dest/.venv/bin/python" || "$PYTHON" -m venv "$dest/.venv"
PIP_NO_INDEX=1 "$dest/.venv/bin/python" -m pip install --disable-pip-version-check -q \
    --no-index --find-links "$here/wheelhouse" -r "$here/wheelhouse/requirements.lock"

while IFS="$(printf '\t')" read -r name tarball; do
    rm -rf "$dest/node_modules/$name"
    mkdir -p "$dest/node_modules/$name"
    tar -xzf "$here/npm/$tarball" -C "$dest/node_modules/$name" --strip-components=1
done < "$here/npm/MANIFEST"
touch "$dest/node_modules/.installed"

mkdir -p "$dest/var"
chmod 0700 "$dest/var"
echo "Installed into $dest. Next: docs/deploy.md (keys, migrate, collectstatic, create_admins)."
