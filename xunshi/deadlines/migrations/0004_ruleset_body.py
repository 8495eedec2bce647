"""A body's office may issue its own version of the deadline rules (a county's 巡察办 for the
county's work); the deployment's versions are those without a body."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0003_calendar_from_package"),
        ("registry", "0006_body_parent_cadre_body"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="deadlineruleset", name="deadline_one_active_ruleset"
        ),
        migrations.AddField(
            model_name="deadlineruleset",
            name="body",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.inspectingbody",
                verbose_name="所属党组织",
            ),
        ),
        migrations.AlterField(
            model_name="deadlineruleset",
            name="version",
            field=models.PositiveIntegerField(verbose_name="版本"),
        ),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True), ("body__isnull", True)),
                fields=("active",),
                name="deadline_one_active_ruleset",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True), ("body__isnull", False)),
                fields=("body",),
                name="deadline_one_active_ruleset_per_body",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", True)),
                fields=("version",),
                name="deadline_ruleset_unique_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlineruleset",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", False)),
                fields=("body", "version"),
                name="deadline_ruleset_unique_version_per_body",
            ),
        ),
    ]
