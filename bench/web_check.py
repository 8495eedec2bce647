"""Whether the generated deployment is valid (`python -m bench.web check`, and the bench's
test): every generated row passes its model's own validation (`full_clean`: choices, lengths,
blanks, uniqueness; the database's constraints held already, or COPY and the commit would
have failed), every sealed text opens, and the audit trail verifies, chain and head.
Meant for a small scale: it loads every row. Django must be set up before this module is
imported."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from xunshi.audit.chain import verify_chain
from xunshi.audit.models import AuditEvent

from .web_data import SEQUENCED

__all__ = ["check"]

SHOWN = 3  # refusals kept per model


def _invalid(model: type[models.Model]) -> tuple[int, list[str]]:
    """The model's rows and the first few refusals of full_clean."""
    rows, refused = 0, []
    for row in model._default_manager.order_by("pk").iterator(chunk_size=2000):
        rows += 1
        # A nullable field left empty is the app's own way too (a creator or actor None is the
        # system's, `person(SYSTEM)`), though the form-level `blank` would refuse it.
        empty = [
            f.name
            for f in model._meta.concrete_fields
            if f.null and getattr(row, f.attname) is None
        ]
        try:
            row.full_clean(exclude=empty)
        except ValidationError as error:
            if len(refused) < SHOWN:
                refused.append(f"{model.__name__} #{row.pk}: {error.message_dict}")
    return rows, refused


def check() -> dict[str, Any]:
    """Each generated model's rows and refusals, and the trail's verification."""
    out: dict[str, Any] = {"models": {}, "refused": []}
    for model in [*SEQUENCED, AuditEvent]:
        rows, refused = _invalid(model)
        out["models"][model.__name__] = rows
        out["refused"] += refused
    count, brk = verify_chain(first_checkpoint=True)
    out["chain_verified"] = count
    out["chain_break"] = None if brk is None else f"{brk.seq}: {brk.reason}"
    out["audit_events"] = AuditEvent.objects.count()
    return out
