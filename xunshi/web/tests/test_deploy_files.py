"""deploy/ (issue 12, item 11): the systemd units pass `systemd-analyze verify` and are
hardened; the nginx sites pass `nginx -t`, take uploads as large as the apps do, pass the
client's address the way the throttle reads it, and the portal's host never reaches the
internal app. The tool checks are skipped where the tool is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
HARDENING = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "UMask": "0077",
    "CapabilityBoundingSet": "",
}


def _keys(unit: Path) -> dict[str, str]:
    lines = unit.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_it_has_the_four_services_and_each_is_hardened():
    names = {u.name for u in UNITS}
    assert {"xunshi-web.service", "xunshi-worker.service", "xunshi-puller.service"} <= names
    assert "xunshi-portal.service" in names
    for unit in UNITS:
        keys = _keys(unit)
        for key, value in HARDENING.items():
            assert keys.get(key) == value, f"{unit.name}: {key}"
        assert keys["User"] not in ("", "root")
        assert keys["ReadWritePaths"].split()[0].endswith("/var")
        portal = unit.name == "xunshi-portal.service"
        assert keys["EnvironmentFile"] == (
            "/etc/xunshi/portal.env" if portal else "/etc/xunshi/xunshi.env"
        )
        # The portal runs as a user of its own, apart from the office's data and keys.
        assert (keys["User"] == "xunshi-portal") == portal


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not here")
def test_it_has_units_that_systemd_accepts(tmp_path):
    # The units name /opt/xunshi; here the code and its .venv are this checkout.
    for unit in [*UNITS, *(DEPLOY / "systemd").glob("*.timer")]:
        text = unit.read_text().replace("/opt/xunshi-portal", str(ROOT))
        (tmp_path / unit.name).write_text(text.replace("/opt/xunshi", str(ROOT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


def _max_body(conf: str) -> int:
    (size,) = re.findall(r"client_max_body_size (\d+)m;", conf)
    return int(size) * 2**20


def test_it_takes_uploads_as_large_as_the_apps_and_passes_the_address_they_read():
    internal = (DEPLOY / "nginx" / "xunshi-internal.conf").read_text()
    assert _max_body(internal) >= settings.XUNSHI_UPLOAD_MAX_BYTES
    assert _max_body(internal) >= settings.XUNSHI_IMPORT_MAX_BYTES
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in internal
    assert "proxy_set_header X-Request-ID $request_id;" in internal
    portal = (DEPLOY / "nginx" / "xunshi-portal.conf").read_text()
    assert _max_body(portal) >= 5 * 10 * 2**20  # the portal's default limits
    assert 'proxy_set_header X-Forwarded-For "";' in portal
    assert "access_log off;" in portal


def test_it_never_proxies_the_portal_host_to_the_internal_app():
    portal = (DEPLOY / "nginx" / "xunshi-portal.conf").read_text()
    proxied = set(re.findall(r"proxy_pass http://([\w.:]+);", portal))
    assert proxied == {"xunshi_portal"}
    assert "8000" not in portal and "xunshi_web" not in portal


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not here")
def test_it_has_sites_that_nginx_accepts(tmp_path):
    for name in ("xunshi", "jubao"):
        key, crt = tmp_path / f"{name}.key", tmp_path / f"{name}.crt"
        selfsigned = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        subprocess.run(
            [*selfsigned, "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(crt)],
            check=True,
            capture_output=True,
        )
    sites = []
    for conf in sorted((DEPLOY / "nginx").glob("*.conf")):
        text = conf.read_text().replace("/etc/xunshi/tls", str(tmp_path))
        text = text.replace("/var/log/nginx", str(tmp_path))
        (tmp_path / conf.name).write_text(text)
        sites.append(f"include {tmp_path / conf.name};")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; {' '.join(sites)} }}\n"
    )
    done = subprocess.run(
        ["nginx", "-t", "-c", str(main), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
