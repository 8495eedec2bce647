"""The tab bar of an inspection's pages: each section the user may open, one shared header.

Every page inside an inspection renders with `inspection_context(user, inspection, active)`
and includes ``rounds/_inspection_header.html``, so the header (target, team, stage) and the tabs
look the same everywhere and only show what the user's role reaches.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import Role, User
from xunshi.rounds.access import is_target_body_reader
from xunshi.rounds.models import Inspection

__all__ = ["TABS", "inspection_context"]

# (key, url name, label, capability)
TABS = [
    ("overview", "inspection_workspace", _("概况"), "stage.view"),
    ("talks", "talk_list", _("个别谈话"), "onsite.view"),
    ("petitions", "petition_list", _("信访"), "onsite.view"),
    ("documents", "docrequest_list", _("调阅资料"), "onsite.view"),
    ("fixes", "fix_list", _("立行立改"), "onsite.view"),
    ("papers", "paper_list", _("问题底稿"), "onsite.view"),
    ("problems", "problem_list", _("问题"), "report.view"),
    ("clues", "clue_list", _("问题线索"), "clue.view"),
    ("report", "report_page", _("报告与反馈"), "report.view"),
    ("ledger", "ledger", _("整改台账"), "ledger.view"),
]


def _may_open(user: User, cap: str, *, as_liaison: bool = False) -> bool:
    if as_liaison:
        return cap == "ledger.view"
    if cap == "stage.view":
        # The liaison works from the ledger, which shows the stage buttons a liaison may
        # press; the overview page itself is the office's and the team's (403 for her).
        return can(user, "inspection.view")
    if user.role == Role.LIAISON:
        return cap == "ledger.view"
    return can(user, cap)


def inspection_context(user: User, inspection: Inspection, active: str) -> dict[str, Any]:
    """The template context of the shared header: the inspection and the user's tabs. The
    office of a lower body reading a 提级巡察 of its unit gets the liaison's tab only and
    `read_only`, which hides the ledger's buttons."""
    read_only = is_target_body_reader(user, inspection)
    tabs = []
    for key, name, label, cap in TABS:
        if not _may_open(user, cap, as_liaison=read_only):
            continue
        try:
            url = reverse(name, args=[inspection.pk])
        except NoReverseMatch:  # a section not built yet
            continue
        tabs.append({"key": key, "url": url, "label": label, "active": key == active})
    return {"inspection": inspection, "tabs": tabs, "active_tab": active, "read_only": read_only}
