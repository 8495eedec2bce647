"""Bodies above and below each other (上下联动) and one cadre pool per body.

Every cadre of an existing database joins the pool of the body of the unit he or she works in,
or else the first body registered (before this migration there was one pool).
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_cadre_body(apps, schema_editor):
    Cadre = apps.get_model("registry", "Cadre")
    InspectingBody = apps.get_model("registry", "InspectingBody")
    first = InspectingBody.objects.order_by("pk").first()
    for cadre in Cadre.objects.select_related("unit").filter(body__isnull=True):
        body_id = cadre.unit.body_id if cadre.unit_id else (first.pk if first else None)
        if body_id is None:
            raise RuntimeError("干部库中有人员，但没有登记任何派出巡视的党组织。")
        cadre.body_id = body_id
        cadre.save(update_fields=["body"])


def fill_import_body(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    InspectingBody = apps.get_model("registry", "InspectingBody")
    first = InspectingBody.objects.order_by("pk").first()
    if first is not None:
        ImportJob.objects.filter(body__isnull=True).update(body=first)
    else:
        ImportJob.objects.filter(body__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_numberseries")]

    operations = [
        migrations.AddField(
            model_name="inspectingbody",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="registry.inspectingbody",
                verbose_name="上级党组织",
            ),
        ),
        migrations.AddField(
            model_name="cadre",
            name="body",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cadres",
                to="registry.inspectingbody",
                verbose_name="所属干部库",
            ),
        ),
        migrations.RunPython(fill_cadre_body, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cadre",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cadres",
                to="registry.inspectingbody",
                verbose_name="所属干部库",
            ),
        ),
        migrations.RunPython(fill_import_body, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="importjob",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="registry.inspectingbody",
                verbose_name="所属党组织",
            ),
        ),
    ]
