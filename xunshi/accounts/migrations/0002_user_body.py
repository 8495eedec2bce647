"""Every account works for one inspecting body.

Existing accounts: a team cadre takes the cadre's pool, a liaison the body of the unit, every
other account the first body registered (before this migration there was one office).
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_user_body(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    InspectingBody = apps.get_model("registry", "InspectingBody")
    first = InspectingBody.objects.order_by("pk").first()
    for user in User.objects.select_related("cadre", "org"):
        if user.cadre_id:
            user.body_id = user.cadre.body_id
        elif user.org_id:
            user.body_id = user.org.body_id
        elif first is not None:
            user.body_id = first.pk
        else:
            continue
        user.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registry", "0006_body_parent_cadre_body"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="body",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="registry.inspectingbody",
                verbose_name="所属党组织",
            ),
        ),
        migrations.RunPython(fill_user_body, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["office", "leading_group"]), _negated=True)
                | models.Q(("body__isnull", False)),
                name="accounts_office_has_body",
            ),
        ),
    ]
