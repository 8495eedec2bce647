"""Every action the code records, and every object type, has a Chinese name on the trail's page.

The actions are read from the code (`actionscan`), not collected from a test run, so that an
action no test happens to record is not missed; a call whose action the scanner cannot work
out fails the test too, naming its place.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from xunshi.audit.models import AuditEvent
from xunshi.audit.names import ACTION_NAMES, OBJECT_TYPE_NAMES, field_name
from xunshi.audit.tests.actionscan import scan
from xunshi.jobs.models import JobKind
from xunshi.web.tests.test_liaison_crawl import _plant as plant

ROOT = Path(__file__).resolve().parents[3]
# A job's actions are `<its kind>.<verb>` (xunshi/jobs/actions.py): every kind there is.
EXPANSIONS = {
    ("xunshi/jobs/actions.py", "job.kind"): JobKind.values,
    ("xunshi/jobs/actions.py", "locked.kind"): JobKind.values,
}


def test_it_names_every_action_the_code_records():
    found = scan(ROOT, expansions=EXPANSIONS)
    assert not found.unresolved, "actions the scanner cannot work out:\n" + "\n".join(
        map(str, found.unresolved)
    )
    missing = {a: str(places[0]) for a, places in found.actions.items() if a not in ACTION_NAMES}
    assert not missing, f"actions with no Chinese name in xunshi/audit/names.py: {missing}"
    # The scan did read the code: the trail's own and a job's actions are among what it found.
    assert {"audit.view", "rounds.planning.reap", "registry.template.download"} <= set(
        found.actions
    )


def test_it_keeps_no_name_of_an_action_nobody_records():
    found = scan(ROOT, expansions=EXPANSIONS)
    stale = set(ACTION_NAMES) - set(found.actions) - {"audit.auditevent.export"}
    assert not stale, f"names of actions the code no longer records: {sorted(stale)}"


def test_it_names_every_object_type():
    labels = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("xunshi.")}
    given = set(scan(ROOT, expansions=EXPANSIONS).object_types)
    missing = (labels | given) - set(OBJECT_TYPE_NAMES)
    assert not missing, f"object types with no Chinese name: {sorted(missing)}"


def test_the_scanner_follows_helpers_and_refuses_what_it_cannot_tell(tmp_path):
    app = tmp_path / "xunshi" / "app"
    app.mkdir(parents=True)
    (app / "actions.py").write_text(
        "from xunshi.audit.actions import record as audit\n"
        "from xunshi.audit.downloads import table_download\n"
        "def _event(actor, verb, obj):\n"
        "    audit(actor=actor, action=f'app.thing.{verb}', obj=obj)\n"
        "def create(actor, obj, fast):\n"
        "    _event(actor, 'create', obj)\n"
        "    _event(actor, verb='close' if fast else 'shut', obj=obj)\n"
        "    table_download(actor=actor, name='x', tables=[], object_type='app.thing')\n"
        "def guess(actor, obj):\n"
        "    audit(actor=actor, action=obj.kind + '.run', obj=obj)\n",
        encoding="utf-8",
    )
    found = scan(tmp_path)
    assert set(found.actions) == {
        "app.thing.create",
        "app.thing.close",
        "app.thing.shut",
        "app.thing.export",
    }
    assert [(u.line, u.source) for u in found.unresolved] == [(10, "obj.kind")]
    ast.parse((app / "actions.py").read_text(encoding="utf-8"))


def test_it_names_the_fields_an_event_keeps(world):
    """Every key of before and after kept by the events of the test world, and of an
    inspection taken from talks to the ledger's progress, has a Chinese name."""
    plant(world)
    unnamed = set()
    for event in AuditEvent.objects.all():
        for values in (event.before or {}, event.after or {}):
            for key in values:
                if field_name(event.object_type, key) == key:
                    unnamed.add(f"{event.action}: {key}")
    assert not unnamed, f"keys with no Chinese name (model verbose_name or EXTRA_FIELDS): {unnamed}"
