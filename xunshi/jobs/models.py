"""The one record of a background job: the registry's Excel imports and exports, the round
planning and the PDFs of documents.

A job is queued by the action that creates its domain row (`registry.ImportJob`,
`rounds.PlanningJob`, each with a one-to-one `job`), run by the task worker, and ends done,
failed or stopped. The domain rows keep what only they mean (the file and its errors, the
round's problem and plan); this row keeps what every job has: who asked and when, how far it
is, its last word, and the worker's heartbeat by which a dead job is told from a slow one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    # The value is the prefix of the job's audit actions (`rounds.planning.stop`).
    IMPORT = "registry.import", _("Excel导入")
    PLANNING = "rounds.planning", _("方案计算")
    EXPORT = "registry.export", _("Excel导出")
    PDF = "documents.pdf", _("PDF生成")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("出错")
    STOPPED = "stopped", _("已停止")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.STOPPED})


class Job(models.Model):
    """One background job and its status, progress and times."""

    kind = models.CharField(_("类型"), max_length=32, choices=JobKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.FloatField(_("进度"), default=0.0)  # 0 to 1
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="jobs", verbose_name=_("提交人")
    )
    # A default rather than auto_now_add, so that the rows of the old job tables kept their
    # times when they were moved here (migrations registry 0004, rounds 0004).
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Written with every progress report; a running job silent for long has lost its worker.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    # Set while running when someone asks it to stop; the worker stops at its next report.
    stop_requested_at = models.DateTimeField(_("要求停止时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def stopping(self) -> bool:
        return self.status == JobStatus.RUNNING and self.stop_requested_at is not None

    @property
    def percent(self) -> int:
        """Whole per cent for a progress bar: 100 only once finished."""
        return 100 if self.finished else min(99, int(self.progress * 100))


class JobFacts:
    """The facts of a domain row's `Job` (an import, a planning run), read through the row the
    way its pages and tests read them; the row declares its one-to-one `job` field."""

    job: Job

    @property
    def status(self) -> str:
        return self.job.status

    @property
    def created_by(self) -> Any:
        return self.job.created_by

    @property
    def created_at(self) -> dt.datetime:
        return self.job.created_at

    @property
    def started_at(self) -> dt.datetime | None:
        return self.job.started_at

    @property
    def finished_at(self) -> dt.datetime | None:
        return self.job.finished_at

    @property
    def progress(self) -> float:
        return self.job.progress

    @property
    def message(self) -> str:
        return self.job.message

    @property
    def finished(self) -> bool:
        return self.job.finished

    @property
    def stopping(self) -> bool:
        return self.job.stopping

    @property
    def percent(self) -> int:
        return self.job.percent


class Heartbeat(models.Model):
    """The last sign of life of a long-running process (the task worker), by its name: the
    health check (`/healthz`) reads its age, since a dead worker otherwise goes unnoticed
    until a job hangs."""

    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
