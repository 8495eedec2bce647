"""The navigation bar: only the entries the signed-in user's role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can

# (capability, url name, label)
NAV = [
    ("coverage.view", "coverage", _("全覆盖")),
    ("org.list", "org_list", _("单位名录")),
    ("cadre.view", "cadre_list", _("干部库")),
    ("round.view", "round_list", _("轮次与巡视组")),
    ("ledger.view", "ledger_home", _("整改台账")),
    ("supervision.view", "supervision", _("整改督办")),
    ("clue.manage", "clue_overdue", _("线索处置")),
    ("oversight.view", "oversight_home", _("上下联动")),  # oversight: the bodies below, 报备
    ("portal.manage", "intake_home", _("码上巡察")),  # intake
    ("report.view", "taxonomy_list", _("问题分类")),
    ("import.run", "import_list", _("导入")),
    ("deadline.view", "deadline_rules", _("期限规则")),
    ("calendar.manage", "calendar_years", _("工作日历")),
    ("user.manage", "user_list", _("用户管理")),
    ("user.grant", "user_list", _("用户与角色")),
    ("lockout.manage", "lockout_list", _("登录锁定")),
    ("audit.view", "audit_list", _("审计日志")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    seen: set[str] = set()
    items = []
    for cap, url, label in NAV:
        if can(user, cap) and url not in seen:
            seen.add(url)
            items.append({"url": url, "label": label})
    return {"nav": items}
