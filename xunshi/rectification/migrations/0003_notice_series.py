"""Supervision notices are numbered from the registry's series (NumberSeries, kind "notice")
from now on: each body's series starts where its notices of that year stand."""

import re

from django.db import migrations

_SEQ = re.compile(r"第(\d+)号$")


def seed_series(apps, schema_editor):
    SupervisionNotice = apps.get_model("rectification", "SupervisionNotice")
    NumberSeries = apps.get_model("registry", "NumberSeries")
    last: dict[tuple[int, int], int] = {}
    rows = SupervisionNotice.objects.values_list("inspection__round__body_id", "issued_on", "number")
    for body_id, issued_on, number in rows:
        match = _SEQ.search(number)
        if match:
            key = (body_id, issued_on.year)
            last[key] = max(last.get(key, 0), int(match.group(1)))
    NumberSeries.objects.bulk_create(
        NumberSeries(body_id=body_id, kind="notice", year=year, last=n)
        for (body_id, year), n in last.items()
    )


def drop_series(apps, schema_editor):
    apps.get_model("registry", "NumberSeries").objects.filter(kind="notice").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0002_attachments"),
        ("registry", "0005_numberseries"),
    ]

    operations = [migrations.RunPython(seed_series, drop_series)]
