"""Who reads and keeps the knowledge base.

Reading (`knowledge.view`): the office, the leading group and the teams read the public
shared records (no body) and their own body's. A liaison (`knowledge.public`) reads the
public regulations only: no body's own rules, no case, no 定性 statement. The three admins
read nothing of it. Keeping (`knowledge.manage`, the office): its own body's records; the
shared public ones are kept by the office of the top body (the one without a parent) for all.
A role without the function gets 403, a record outside the user's reach 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import User

from .models import Regulation, Statement, TypicalCase

__all__ = [
    "cases_visible_to",
    "get_case_for",
    "get_regulation_for",
    "get_statement_for",
    "may_keep",
    "may_manage",
    "may_read_all",
    "regulations_visible_to",
    "require_manage",
    "require_read",
    "require_read_all",
    "statements_visible_to",
]


def may_read_all(user: User) -> bool:
    """Whether the user reads the whole knowledge base (cases and 定性 too)."""
    return can(user, "knowledge.view")


def require_read(user: User) -> None:
    """403 unless the user reads at least the public regulations."""
    if not (can(user, "knowledge.view") or can(user, "knowledge.public")):
        raise PermissionDenied("您没有查阅知识库的权限。")


def require_read_all(user: User) -> None:
    """403 unless the user reads cases and the 定性 dictionary."""
    require(user, "knowledge.view")


def may_manage(user: User) -> bool:
    """Whether the user keeps knowledge records at all (the office)."""
    return can(user, "knowledge.manage")


def require_manage(user: User) -> None:
    """403 unless the user keeps knowledge records (the office)."""
    require(user, "knowledge.manage")


def may_keep(user: User, body_id: int | None) -> bool:
    """Whether the user keeps a record of that body (None: the shared public records, kept
    by the top body's office)."""
    if not may_manage(user) or user.body is None:
        return False
    if body_id is None:
        return user.body.parent_id is None
    return body_id == user.body_id


def _own_or_shared(user: User) -> Q:
    return Q(body__isnull=True) | Q(body_id=user.body_id)


def regulations_visible_to(user: User) -> QuerySet[Regulation]:
    """The regulations the user reads: shared and own body's, or only shared for a liaison."""
    if can(user, "knowledge.view"):
        return Regulation.objects.filter(_own_or_shared(user))
    if can(user, "knowledge.public"):
        return Regulation.objects.filter(body__isnull=True)
    return Regulation.objects.none()


def cases_visible_to(user: User) -> QuerySet[TypicalCase]:
    """The typical cases the user reads: shared and own body's."""
    if not can(user, "knowledge.view"):
        return TypicalCase.objects.none()
    return TypicalCase.objects.filter(_own_or_shared(user))


def statements_visible_to(user: User) -> QuerySet[Statement]:
    """The 定性 statements the user reads: shared and own body's."""
    if not can(user, "knowledge.view"):
        return Statement.objects.none()
    return Statement.objects.filter(_own_or_shared(user))


def _keepable(user: User, body_id: int | None, write: bool) -> None:
    if write and not may_keep(user, body_id):
        raise PermissionDenied("此条目由其他党组织的巡视办维护，您只能查阅。")


def get_regulation_for(user: User, pk: int, *, write: bool = False) -> Regulation:
    """A regulation the user reads (404 otherwise); with write, one the user keeps (403)."""
    require_manage(user) if write else require_read(user)
    obj = regulations_visible_to(user).select_related("current", "body").filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该法规制度。")
    _keepable(user, obj.body_id, write)
    return obj


def get_case_for(user: User, pk: int, *, write: bool = False) -> TypicalCase:
    """A typical case the user reads (404 otherwise); with write, one the user keeps."""
    require_manage(user) if write else require_read_all(user)
    obj = cases_visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该典型案例。")
    _keepable(user, obj.body_id, write)
    return obj


def get_statement_for(user: User, pk: int, *, write: bool = False) -> Statement:
    """A 定性 statement the user reads (404 otherwise); with write, one the user keeps."""
    require_manage(user) if write else require_read_all(user)
    obj = statements_visible_to(user).select_related("item").filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该定性表述。")
    _keepable(user, obj.body_id, write)
    return obj
