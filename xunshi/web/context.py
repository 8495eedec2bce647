"""The navigation bar: only the entries the signed-in user's role may open, grouped under a
few top-level entries (`NAV_GROUPS`) so that it stays on one line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xunshi.accounts.access import can
from xunshi.rounds.access import work_word_of
from xunshi.searchindex.kinds import search_kinds

# (capability, url name, label)
NAV: list[tuple[str, str, Any]] = [
    ("coverage.view", "coverage", _("全覆盖")),
    ("dashboard.view", "dashboard_home", _("统计分析")),  # dashboards
    ("org.list", "org_list", _("单位名录")),
    ("cadre.view", "cadre_list", _("干部库")),
    ("round.view", "round_list", None),  # WORDS["rounds_and_teams"] in the user's work word
    ("coverage.view", "year_plan_list", _("年度计划")),
    ("decision.record", "group_home", _("领导小组审议")),
    ("ledger.view", "ledger_home", _("整改台账")),
    ("supervision.view", "supervision", _("整改督办")),
    ("clue.manage", "clue_overdue", _("线索处置")),
    # oversight: the bodies below, 报备 (its own English word, not the linked round's)
    ("oversight.view", "oversight_home", pgettext_lazy("上下联动页面", "上下联动")),
    ("portal.manage", "intake_home", _("码上巡察")),  # intake
    ("report.view", "taxonomy_list", _("问题分类")),
    ("knowledge.view", "knowledge_home", _("知识库")),  # knowledge (issue 14)
    ("knowledge.public", "knowledge_home", _("知识库")),
    ("import.run", "import_list", _("导入")),
    ("org.edit", "body_settings", _("本级设置")),
    ("template.manage", "doctemplate_list", _("公文模板")),  # doctemplates (issue 14)
    ("deadline.view", "deadline_rules", _("期限规则")),
    ("calendar.manage", "calendar_years", _("工作日历")),
    ("user.manage", "user_list", _("用户管理")),
    ("user.grant", "user_list", _("用户与角色")),
    ("lockout.manage", "lockout_list", _("登录锁定")),
    ("audit.view", "audit_list", _("审计日志")),
]


# The navigation's top-level groups, in order, and the group of each entry of NAV by its URL
# name; an entry not listed here falls into the last group (系统). A group of which the user
# sees one entry only is shown as that entry's own link.
NAV_GROUPS: list[tuple[str, Any]] = [
    ("plan", _("计划与巡视")),
    ("clues", _("线索与举报")),
    ("rectify", _("整改")),
    ("oversee", _("监督与报表")),
    ("register", _("登记与队伍")),
    ("system", _("系统")),
]
NAV_GROUP_OF: dict[str, str] = {
    "coverage": "plan",
    "year_plan_list": "plan",
    "round_list": "plan",
    "group_home": "plan",
    "clue_overdue": "clues",
    "intake_home": "clues",
    "ledger_home": "rectify",
    "supervision": "rectify",
    "oversight_home": "oversee",
    "dashboard_home": "oversee",
    "org_list": "register",
    "cadre_list": "register",
    "import_list": "register",
    "taxonomy_list": "register",
    "knowledge_home": "register",
    "body_settings": "register",
    "doctemplate_list": "register",
}

# The labels that name the work: 巡视 at province level, 巡察 below (a county's office reads
# 巡察组, not 巡视组). key → (巡视, 巡察); both written out so that makemessages finds them.
WORDS: dict[str, tuple[Any, Any]] = {
    "rounds_and_teams": (_("轮次与巡视组"), _("轮次与巡察组")),
    "team": (_("巡视组"), _("巡察组")),
    "targets": (_("巡视对象"), _("巡察对象")),
    "inspected": (_("被巡视单位"), _("被巡察单位")),
    "report": (_("巡视报告"), _("巡察报告")),
    "plan": (_("巡视方案"), _("巡察方案")),
    "make_plan": (_("编制巡视方案"), _("编制巡察方案")),
    "form_team": (_("组建巡视组"), _("组建巡察组")),
    "see_teams": (_("查看本轮巡视组"), _("查看本轮巡察组")),
    "no_teams": (_("本轮尚未组建巡视组。"), _("本轮尚未组建巡察组。")),
    "team_members": (_("巡视组成员"), _("巡察组成员")),
    "feedback": (_("巡视反馈意见"), _("巡察反馈意见")),
    "assign_targets": (_("分配巡视对象"), _("分配巡察对象")),
    "accept_plan": (_("采用本方案，组建巡视组"), _("采用本方案，组建巡察组")),
    "report_word": (_("巡视情况报告（Word）"), _("巡察情况报告（Word）")),
    "no_targets": (_("尚未分配巡视对象。"), _("尚未分配巡察对象。")),
    "task": (_("巡视任务"), _("巡察任务")),
}

# The roles whose names carry the work word; the others are named as Role says.
ROLE_WORDS: dict[str, tuple[Any, Any]] = {
    "office": (_("巡视办工作人员"), _("巡察办工作人员")),
    "inspector": (_("巡视组干部"), _("巡察组干部")),
    "liaison": (_("被巡视单位联络员"), _("被巡察单位联络员")),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation bar's groups of the entries the user may open, each with its label, its
    entries (URL name and label) and whether the current page is one of them; and `W`, the
    labels of WORDS in the user's work word (`work_word_of`), which the pages print as
    {{ W.team }} and so on."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": [], "W": {key: pair[0] for key, pair in WORDS.items()}}
    which = 0 if work_word_of(user) == "巡视" else 1
    labels = {key: pair[which] for key, pair in WORDS.items()}
    labels["role"] = ROLE_WORDS[user.role][which] if user.role in ROLE_WORDS else ""
    here = request.resolver_match.url_name if request.resolver_match else None
    entries: dict[str, list[dict[str, Any]]] = {key: [] for key, _label in NAV_GROUPS}
    seen: set[str] = set()
    for cap, url, label in NAV:
        if can(user, cap) and url not in seen:
            seen.add(url)
            entries[NAV_GROUP_OF.get(url, NAV_GROUPS[-1][0])].append(
                {"url": url, "label": labels["rounds_and_teams"] if label is None else label}
            )
    groups = [
        {
            "key": key,
            "label": label,
            "items": entries[key],
            "current": any(item["url"] == here for item in entries[key]),
        }
        for key, label in NAV_GROUPS
        if entries[key]
    ]
    # The search box, for a role that may search some kind (search: xunshi/search/).
    can_search = any(can(user, kind.capability) for kind in search_kinds())
    return {"nav": groups, "W": labels, "can_search": can_search}
