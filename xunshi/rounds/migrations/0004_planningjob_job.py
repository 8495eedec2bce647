"""Each planning run's status, progress, message, submitter and times move to its background
job (xunshi.jobs).

Every existing run gets a job with the same facts, its status in the one vocabulary of jobs:
pending → queued, and stopping → running with the stop asked for; the planning rows, their ids
and so their URLs stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

TO_JOB = {
    "pending": "queued",
    "running": "running",
    "stopping": "running",
    "stopped": "stopped",
    "failed": "failed",
    "done": "done",
}
FROM_JOB = {"queued": "pending", "running": "running", "stopped": "stopped", "failed": "failed"}
MOVED = ["created_by", "status", "progress", "message", "created_at", "started_at", "finished_at"]


def to_jobs(apps, schema_editor):
    PlanningJob = apps.get_model("rounds", "PlanningJob")
    Job = apps.get_model("jobs", "Job")
    now = timezone.now()
    for row in PlanningJob.objects.order_by("pk").iterator():
        row.job = Job.objects.create(
            kind="rounds.planning",
            status=TO_JOB.get(row.status, "failed"),
            progress=row.progress,
            message=row.message,
            created_by_id=row.created_by_id,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            stop_requested_at=now if row.status == "stopping" else None,
        )
        row.save(update_fields=["job"])


def from_jobs(apps, schema_editor):
    PlanningJob = apps.get_model("rounds", "PlanningJob")
    for row in PlanningJob.objects.select_related("job").order_by("pk").iterator():
        job = row.job
        if job.status == "running" and job.stop_requested_at is not None:
            row.status = "stopping"
        else:
            row.status = FROM_JOB.get(job.status, "done")
        row.created_by_id = job.created_by_id
        for name in MOVED[2:]:
            setattr(row, name, getattr(job, name))
        row.save(update_fields=MOVED)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
        ("rounds", "0003_inspection_parent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="planningjob",
            name="job",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="planning_job",
                to="jobs.job",
            ),
        ),
        # Nullable for the way back, which adds the column again before it fills it.
        migrations.AlterField(
            model_name="planningjob",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="planning_jobs",
                to=settings.AUTH_USER_MODEL,
                verbose_name="提交人",
            ),
        ),
        migrations.RunPython(to_jobs, from_jobs),
        migrations.AlterField(
            model_name="planningjob",
            name="job",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="planning_job",
                to="jobs.job",
            ),
        ),
        *[migrations.RemoveField(model_name="planningjob", name=name) for name in MOVED],
        migrations.AlterModelOptions(name="planningjob", options={"ordering": ["-id"]}),
    ]
