"""A small province built through the actions, with one named person per role, for tests.

People: alice (office), gina (leading group), bob (leader of team 1), carol (member of
team 1), dave (leader of team 2), erin (liaison of 兰考县), sam / sue / aud (the system,
security and audit admins). Team 1 inspects 兰考县, team 2 the provincial finance
department; 郑州大学 and 新县 are not inspected in the round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.lib.ids import make_id_number, make_uscc
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, Team
from xunshi.users import actions as account_actions

PASSWORD = "Tq7#vK2p!Lm9x"  # noqa: S105 (a test password, printed nowhere)

REGIONS = [
    ("410000", "河南省", "province", ""),
    ("410100", "郑州市", "city", "410000"),
    ("410102", "中原区", "county", "410100"),
    ("410200", "开封市", "city", "410000"),
    ("410225", "兰考县", "county", "410200"),
    ("411500", "信阳市", "city", "410000"),
    ("411523", "新县", "county", "411500"),
]


@dataclass
class World:
    body: InspectingBody
    term: Term
    round: Round
    team1: Team
    team2: Team
    lankao: OrgUnit
    xinxian: OrgUnit
    finance: OrgUnit
    zzu: OrgUnit
    kaifeng: OrgUnit
    inspection1: Inspection
    inspection2: Inspection
    cadres: dict[str, Cadre]
    users: dict[str, User]


def _cadre(
    body: InspectingBody, code: str, name: str, gender: str, region: str, seq: int, **kw: Any
) -> Cadre:
    data = reg.CadreInput(
        code=code,
        name=name,
        gender=gender,
        id_number=make_id_number(region, dt.date(1975, 3, seq), seq * 2 + (gender == "男")),
        unit_name=kw.pop("unit_name", "省委巡视办"),
        **kw,
    )
    return reg.cadre_upsert(actor=SYSTEM, body=body, data=data)[0]


def _user(username: str, full_name: str, role: str, **kw: Any) -> User:
    """An account with one role; office staff and the leading group pass their `body`."""
    user = account_actions.user_create(
        actor=SYSTEM, username=username, full_name=full_name, password=PASSWORD
    )
    account_actions.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    return user


def build_world() -> World:
    body = reg.body_create(
        actor=SYSTEM, name="中共河南省委", level="province", region_code="410000"
    )
    term = reg.term_create(
        actor=SYSTEM,
        body=body,
        name="十一届省委",
        start=dt.date(2022, 1, 1),
        end=dt.date(2027, 12, 31),
    )
    reg.regions_load(actor=SYSTEM, rows=REGIONS)

    def org(code: str, name: str, sector: str, **kw: Any) -> OrgUnit:
        return reg.org_upsert(
            actor=SYSTEM, body=body, data=reg.OrgInput(code=code, name=name, sector=sector, **kw)
        )[0]

    kaifeng = org("410200", "开封市", "city", region_code="410200")
    lankao = org(
        "410225",
        "兰考县",
        "county",
        region_code="410225",
        parent_code="410200",
        tags=("贫困县", "国家级"),
        uscc=make_uscc("11410225MB0000000"),
    )
    xinxian = org("411523", "新县", "county", region_code="411523", tags=("贫困县",))
    finance = org("D014", "河南省财政厅", "department", short_name="省财政厅")
    zzu = org("U001", "郑州大学", "university", region_code="410102")

    cadres = {
        "bob": _cadre(
            body,
            "C001",
            "王建国",
            "男",
            "410102",
            1,
            can_lead=True,
            rank="正厅级",
            post="巡视组组长",
            skills=("纪检监察",),
        ),
        "carol": _cadre(
            body,
            "C002",
            "李秀英",
            "女",
            "410102",
            2,
            rank="正处级",
            post="处长",
            skills=("财务审计",),
        ),
        "dave": _cadre(
            body,
            "C003",
            "张志强",
            "男",
            "410102",
            3,
            can_lead=True,
            rank="正厅级",
            post="巡视组组长",
            skills=("组织人事",),
        ),
        # 刘红梅 was born in 兰考县 and studied at 郑州大学: hits on both.
        "hong": _cadre(
            body,
            "C004",
            "刘红梅",
            "女",
            "410225",
            4,
            rank="副处级",
            post="副处长",
            origin_code="410225",
            study=(
                reg.StudyInput(
                    "郑州大学", "U001", "本科", dt.date(1993, 9, 1), dt.date(1997, 7, 1)
                ),
            ),
        ),
        # 陈伟's wife works at the finance department.
        "wei": _cadre(
            body,
            "C005",
            "陈伟",
            "男",
            "410102",
            5,
            rank="正处级",
            post="处长",
            kin=(reg.KinInput("周丽", "spouse", "D014", "河南省财政厅", "科长"),),
        ),
    }
    rules = rnd.ruleset_create(
        actor=SYSTEM, name="巡视工作纪律", items=["严格执行请示报告制度", "严禁泄露巡视工作秘密"]
    )
    the_round = rnd.round_create(
        actor=SYSTEM,
        body=body,
        term=term,
        ordinal=1,
        name="十一届省委第一轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=1,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 10, 31),
    )
    team1 = rnd.team_create(actor=SYSTEM, round=the_round, number=1, rule_set=rules)
    team2 = rnd.team_create(actor=SYSTEM, round=the_round, number=2, rule_set=rules)
    rnd.membership_add(actor=SYSTEM, team=team1, cadre=cadres["bob"], role="leader")
    rnd.membership_add(actor=SYSTEM, team=team1, cadre=cadres["carol"], role="member")
    rnd.membership_add(actor=SYSTEM, team=team2, cadre=cadres["dave"], role="leader")
    inspection1 = rnd.inspection_create(actor=SYSTEM, team=team1, target=lankao, kind="regular")
    inspection2 = rnd.inspection_create(actor=SYSTEM, team=team2, target=finance, kind="regular")
    rnd.branch_establish(
        actor=SYSTEM, team=team1, secretary=cadres["bob"], established_on=dt.date(2026, 9, 1)
    )

    users = {
        "alice": _user("alice", "赵敏", Role.OFFICE, body=body),
        "gina": _user("gina", "孙丽", Role.LEADING_GROUP, body=body),
        "bob": _user("bob", "王建国", Role.INSPECTOR, cadre=cadres["bob"]),
        "carol": _user("carol", "李秀英", Role.INSPECTOR, cadre=cadres["carol"]),
        "dave": _user("dave", "张志强", Role.INSPECTOR, cadre=cadres["dave"]),
        "erin": _user("erin", "周晓", Role.LIAISON, org=lankao),
        "sam": _user("sam", "吴刚", Role.SYSTEM_ADMIN),
        "sue": _user("sue", "郑洁", Role.SECURITY_ADMIN),
        "aud": _user("aud", "冯涛", Role.AUDIT_ADMIN),
    }
    return World(
        body,
        term,
        the_round,
        team1,
        team2,
        lankao,
        xinxian,
        finance,
        zzu,
        kaifeng,
        inspection1,
        inspection2,
        cadres,
        users,
    )
