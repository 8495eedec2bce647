"""Production's log (issue 12, item 11): each line one JSON object with the request id, the
level, the logger and the message, and nothing of the request's body."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from xunshi.web.jsonlog import JsonFormatter, RequestIdFilter

from .production import production_env

ROOT = Path(__file__).resolve().parents[3]
SECRET_FIELD = "CANARY-log-7f3"


def test_it_writes_a_refused_request_as_one_json_line_with_its_request_id(world, login):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    try:
        # The liaison may not open the audit trail: Django logs the 403 on django.request.
        client = login(world.users["erin"])
        response = client.post(
            reverse("audit_list"), {"note": SECRET_FIELD}, HTTP_X_REQUEST_ID="req-4242-abcd"
        )
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.status_code in (403, 405)
    assert response["X-Request-ID"] == "req-4242-abcd"
    lines = out.getvalue().splitlines()
    assert lines, "nothing was logged"
    for line in lines:
        record = json.loads(line)
        assert set(record) >= {"time", "level", "logger", "message", "request_id"}
    refused = json.loads(lines[-1])
    assert refused["request_id"] == "req-4242-abcd"
    assert refused["level"] == "WARNING" and refused["logger"] == "django.request"
    assert SECRET_FIELD not in out.getvalue()


def test_it_logs_json_to_stdout_in_production():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('xunshi.probe').warning('探测 %s', 1)"
    )
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "xunshi.probe",
        "探测 1",
    )
    assert record["request_id"] == ""
