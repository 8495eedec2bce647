"""The only code that writes templates: an upload checked before it is accepted, and the
way back to an earlier version (a new version with its content). Each writes an audit row
in its transaction. Callers check that the actor is the office."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record
from xunshi.registry.models import InspectingBody

from .models import DocumentTemplate
from .queries import template_bytes
from .wording import KINDS, check_template

__all__ = ["template_restore", "template_upload"]


def _add(
    *,
    actor: Actor,
    body: InspectingBody,
    kind: str,
    content: bytes,
    note: str,
    restored_from: int | None,
) -> DocumentTemplate:
    with transaction.atomic():
        # The newest row, locked: two uploads at once get consecutive versions (the very first
        # two meet the unique constraint instead, and the second is refused).
        last = (
            DocumentTemplate.objects.select_for_update()
            .filter(body=body, kind=kind)
            .order_by("-version")
            .first()
        )
        template = DocumentTemplate.objects.create(
            body=body,
            kind=kind,
            version=(last.version if last else 1) + 1,
            content=content,
            note=note,
            restored_from=restored_from,
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="doctemplates.template.restore"
            if restored_from
            else "doctemplates.template.upload",
            obj=template,
            after={"kind": kind, "version": template.version, "restored_from": restored_from},
        )
    return template


def template_upload(
    *, actor: Actor, body: InspectingBody, kind: str, content: bytes, note: str = ""
) -> DocumentTemplate:
    """A new version of the body's template of the kind from an uploaded .docx, once it is
    checked (every placeholder known, renders with the sample); the next document uses it."""
    if kind not in KINDS:
        raise ValidationError(f"没有“{kind}”这种公文模板。")
    check_template(kind, content)
    return _add(
        actor=actor, body=body, kind=kind, content=content, note=note.strip(), restored_from=None
    )


def template_restore(
    *, actor: Actor, body: InspectingBody, kind: str, version: int
) -> DocumentTemplate:
    """Back to an earlier version: a new version with its content (history stays whole)."""
    try:
        content = template_bytes(body, kind, version)
    except DocumentTemplate.DoesNotExist as e:
        raise ValidationError(f"模板没有第{version}版。") from e
    return _add(
        actor=actor,
        body=body,
        kind=kind,
        content=content,
        note=f"恢复第{version}版",
        restored_from=version,
    )
