"""Each import's status, submitter and times move to its background job (xunshi.jobs).

Every existing import gets a job with the same facts, its status in the one vocabulary of
jobs (pending → queued, succeeded → done); the import rows, their ids and so their URLs stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TO_JOB = {"pending": "queued", "running": "running", "failed": "failed", "succeeded": "done"}
FROM_JOB = {"queued": "pending", "running": "running", "failed": "failed", "done": "succeeded"}


def to_jobs(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    for row in ImportJob.objects.order_by("pk").iterator():
        status = TO_JOB.get(row.status, "failed")
        if status == "done":
            progress = 1.0
        else:
            progress = min(1.0, row.done / row.total) if row.total else 0.0
        row.job = Job.objects.create(
            kind="registry.import",
            status=status,
            progress=progress,
            created_by_id=row.created_by_id,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )
        row.save(update_fields=["job"])


def from_jobs(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    for row in ImportJob.objects.select_related("job").order_by("pk").iterator():
        job = row.job
        row.status = FROM_JOB.get(job.status, "failed")
        row.created_by_id = job.created_by_id
        row.created_at = job.created_at
        row.started_at = job.started_at
        row.finished_at = job.finished_at
        row.save(
            update_fields=["status", "created_by", "created_at", "started_at", "finished_at"]
        )


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
        ("registry", "0003_body_abbreviation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="job",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_job",
                to="jobs.job",
            ),
        ),
        # Nullable for the way back, which adds the column again before it fills it.
        migrations.AlterField(
            model_name="importjob",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_jobs",
                to=settings.AUTH_USER_MODEL,
                verbose_name="提交人",
            ),
        ),
        migrations.RunPython(to_jobs, from_jobs),
        migrations.AlterField(
            model_name="importjob",
            name="job",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_job",
                to="jobs.job",
            ),
        ),
        migrations.RemoveField(model_name="importjob", name="created_by"),
        migrations.RemoveField(model_name="importjob", name="status"),
        migrations.RemoveField(model_name="importjob", name="created_at"),
        migrations.RemoveField(model_name="importjob", name="started_at"),
        migrations.RemoveField(model_name="importjob", name="finished_at"),
        migrations.AlterModelOptions(name="importjob", options={"ordering": ["-id"]}),
    ]
