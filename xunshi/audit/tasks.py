"""The chain's verification in the task worker (django-tasks): asked for on the audit page,
which polls its progress; two million events take about a minute from scratch
(bench/audit_verify.py), far beyond a request's time."""

from __future__ import annotations

from django_tasks import task

from .models import ChainVerification
from .verify_actions import verification_run

__all__ = ["run_verification"]


@task()
def run_verification(verification_id: int) -> None:
    """Run the queued verification; its outcome is kept on its row."""
    verification = ChainVerification.objects.filter(pk=verification_id).first()
    if verification is not None:
        verification_run(verification=verification)
