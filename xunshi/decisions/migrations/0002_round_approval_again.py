# The round's approval moves onto the round (rounds 0008: `Round.plan_approved_on`), so that a
# change of a team can withdraw it and the round be approved again; the decisions stay.

from django.db import migrations


def approvals_onto_rounds(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    Round = apps.get_model("rounds", "Round")
    for d in Decision.objects.filter(kind="round_plan").order_by("held_on", "id"):
        Round.objects.filter(pk=d.round_id).update(
            plan_approved_on=d.held_on,
            plan_approved_by_meeting=f"领导小组第{d.meeting_number}次会议",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("rounds", "0008_round_plan_approval"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="decision",
            name="decision_one_per_round",
        ),
        migrations.RunPython(approvals_onto_rounds, migrations.RunPython.noop),
    ]
