"""The holiday schedules of every year the installed chinesecalendar package knows.

A year already in the table (entered by an admin before the package knew it) is left as is.
"""

from django.db import migrations

from xunshi.deadlines.package_schedule import package_days, package_years


def forwards(apps, schema_editor):
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    Holiday = apps.get_model("deadlines", "Holiday")
    known = set(CalendarYear.objects.values_list("year", flat=True))
    for year in package_years():
        if year in known:
            continue
        cy = CalendarYear.objects.create(year=year, source="package")
        Holiday.objects.bulk_create(
            [
                Holiday(calendar_year=cy, date=d.date, kind=d.kind, name=d.name)
                for d in package_days(year)
            ]
        )


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_rule_set_v1")]

    operations = [migrations.RunPython(forwards, backwards)]
