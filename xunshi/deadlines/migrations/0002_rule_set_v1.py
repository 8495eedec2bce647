"""Version 1 of the deadline rules: the 2017 regulation and common practice."""

from django.db import migrations

DEFAULTS = [
    ("rectification_plan", 15, "working_days"),
    ("rectification_report", 2, "months"),
    ("clue_feedback", 3, "months"),
    ("warning_green", 20, "calendar_days"),
    ("warning_yellow", 10, "calendar_days"),
]


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("deadlines", "DeadlineRuleSet")
    Rule = apps.get_model("deadlines", "DeadlineRule")
    if RuleSet.objects.exists():
        return
    rs = RuleSet.objects.create(
        version=1,
        note="默认规则：依据2017年《中国共产党巡视工作条例》和通行做法",
        active=True,
    )
    Rule.objects.bulk_create(
        [Rule(rule_set=rs, key=k, amount=a, unit=u) for k, a, u in DEFAULTS]
    )


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRuleSet").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
