"""Who may read and change a body's templates: the office of the body, nobody else."""

from __future__ import annotations

from django.http import Http404

from xunshi.accounts.access import require
from xunshi.accounts.models import User
from xunshi.registry.models import InspectingBody

from .models import TemplateKind

__all__ = ["templates_body_for"]


def templates_body_for(user: User, kind: str | None = None) -> InspectingBody:
    """The body whose templates the user keeps; 403 without template.manage, 404 for a kind
    that does not exist or a user of no body."""
    require(user, "template.manage")
    if kind is not None and kind not in TemplateKind.values:
        raise Http404
    if user.body is None:
        raise Http404
    return user.body
