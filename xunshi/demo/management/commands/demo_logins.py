"""manage.py demo_logins: the demo accounts by body, their roles, what they see, and the
password."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from xunshi.accounts.models import User
from xunshi.demo.kaifeng import LOGINS as BELOW
from xunshi.demo.province import BODY_NAME, LOGINS, PASSWORD, demo_exists
from xunshi.registry.models import InspectingBody, Sector
from xunshi.rounds.models import TeamMembership

Row = tuple[str, str, str, str]
#: Every body's logins: (body name, ((username, role, what the account sees), …)).
BODIES = ((BODY_NAME, LOGINS), *BELOW)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _sees(user: User, sees: str) -> str:
    """The fixed description, made concrete with the user's team or organization."""
    if user.cadre_id is not None:
        m = (
            TeamMembership.objects.filter(cadre_id=user.cadre_id)
            .select_related("team__round__body")
            .order_by("-team__round__start")
            .first()
        )
        if m is not None:
            word = m.team.round.body.work_word
            return f"{m.team}（{m.get_role_display()}）及其{word}对象"
    if user.org is not None:
        villages = "及所辖村" if user.org.sector == Sector.TOWNSHIP else ""
        return f"{user.org.name}{villages}的反馈与整改"
    return sees


class Command(BaseCommand):
    help = "按党组织列出演示账号、角色、可见范围和共用密码（仅在已加载演示数据时）"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = demo_exists()
        except DatabaseError:  # not migrated yet
            loaded = False
        if not loaded:
            self.stdout.write("尚未加载演示数据：请先运行 manage.py migrate 和 manage.py seed_demo")
            return
        names = [name for _body, logins in BODIES for name, _role, _sees in logins]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=names).select_related("org", "body")
        }
        # A role is named in its body's words (巡察办工作人员 in a county).
        own = {b.name: b.own_words for b in InspectingBody.objects.all()}
        rows: list[Row] = [("用户名", "姓名", "角色", "可以看到")]
        groups: list[tuple[str, list[Row]]] = []
        for body, logins in BODIES:
            mine: list[Row] = [
                (name, u.full_name, own.get(body, str)(str(u.get_role_display())), _sees(u, sees))
                for name, _role, sees in logins
                if (u := users.get(name)) is not None
            ]
            if mine:
                groups.append((body, mine))
                rows += mine
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]

        def line(row: Row) -> str:
            cells = "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False))
            return f"  {cells}  {row[3]}"

        for n, (body, mine) in enumerate(groups):
            self.stdout.write(("\n" if n else "") + body)
            self.stdout.write(line(rows[0]))
            for row in mine:
                self.stdout.write(line(row))
        self.stdout.write(f"\n所有演示账号的密码：{PASSWORD}")
