"""The public regulations shipped with Xunshi (xunshi/knowledge/data/public_regulations.json).

Only what could be stated reliably: the name, the issuer, the revisions and where the text is
published. The articles are not shipped (they could not be checked word for word against the
official publication when this was written); the office imports them from the official text,
which makes the next version. Each version's `note` says so, and the pages show it.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "public_regulations.json"


def forwards(apps, schema_editor):
    Regulation = apps.get_model("knowledge", "Regulation")
    Version = apps.get_model("knowledge", "RegulationVersion")
    shipped = json.loads(DATA.read_text(encoding="utf-8"))["regulations"]
    for entry in shipped:
        first = entry["versions"][0]["title"]
        if Version.objects.filter(regulation__body__isnull=True, title=first).exists():
            continue
        regulation = Regulation.objects.create(body=None)
        version = None
        for number, v in enumerate(entry["versions"], start=1):
            issued = v.get("issued_on")
            version = Version.objects.create(
                regulation=regulation,
                number=number,
                title=v["title"],
                issuer=v["issuer"],
                issued_on=dt.date.fromisoformat(issued) if issued else None,
                source=v["source"],
                status=v["status"],
                note=v["note"],
            )
        regulation.current = version
        regulation.save(update_fields=["current"])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
