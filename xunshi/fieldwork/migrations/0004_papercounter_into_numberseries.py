"""The working papers' counters move into the registry's numbered series (NumberSeries,
kind "paper"), where the supervision notices count too; then PaperCounter goes."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    PaperCounter = apps.get_model("inspections", "PaperCounter")
    NumberSeries = apps.get_model("registry", "NumberSeries")
    NumberSeries.objects.bulk_create(
        NumberSeries(
            body_id=c.body_id, kind="paper", year=c.year, team_number=c.team_number, last=c.last
        )
        for c in PaperCounter.objects.all()
    )


def copy_back(apps, schema_editor):
    PaperCounter = apps.get_model("inspections", "PaperCounter")
    NumberSeries = apps.get_model("registry", "NumberSeries")
    PaperCounter.objects.bulk_create(
        PaperCounter(body_id=s.body_id, year=s.year, team_number=s.team_number, last=s.last)
        for s in NumberSeries.objects.filter(kind="paper")
    )
    NumberSeries.objects.filter(kind="paper").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0003_attachments"),
        ("registry", "0005_numberseries"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="PaperCounter"),
    ]
