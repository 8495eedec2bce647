"""One request for a document as PDF: which document (a registered kind and its object), the
job that builds it in the worker, and the stored PDF once it is built.

The PDF is an `Attachment` of files (sealed at rest, checked against its SHA-256 on every
read, kept by backups and resealed by a key rotation like every stored file), filed under the
document's inspection or body, and readable by its requester alone (`access.PDF_FILES`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.jobs.models import Job, JobFacts
from xunshi.lib.documentkinds import document_kind


class PdfJob(JobFacts, models.Model):
    """A document converted to PDF for the one who asked, in the task worker."""

    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, related_name="pdf_job", editable=False
    )
    # A kind registered in xunshi.lib.documentkinds ("findings.report") and its object's id.
    kind = models.CharField(_("文书类型"), max_length=48)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    attachment = models.OneToOneField(
        "files.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("PDF文件"),
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"PDF#{self.pk}"

    @property
    def kind_label(self) -> str:
        kind = document_kind(self.kind)
        return str(kind.label) if kind else self.kind
