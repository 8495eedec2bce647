"""A county with its townships and villages for the village-round tests (对村巡察).

中共兰考县委 under 中共开封市委 under the test world's province, in the style of
test_bodies.py: five of 兰考县's real townships (城关镇, 东坝头镇, 堌阳镇, 南彰镇, 考城镇), each
with a few invented villages (张庄村 …), the county's office, a liaison for 城关镇 and one for
东坝头镇, a cadre pool of its own, and a village round (一托N up to 20) in the autumn of 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, Team
from xunshi.testsupport.world import PASSWORD, World
from xunshi.users import actions as accounts

TOWNSHIPS = [
    ("410225100", "城关镇", ["张庄村", "李寨村", "王屯村", "东街社区"]),
    ("410225101", "东坝头镇", ["杨庄村", "张庄村", "雷新庄村"]),
    ("410225102", "堌阳镇", ["徐场村", "范场村"]),
    ("410225103", "南彰镇", ["南彰村", "陈庄村"]),
    ("410225104", "考城镇", ["考城村", "周庄村"]),
]


@dataclass
class County:
    city: InspectingBody
    body: InspectingBody
    term: Term
    round: Round
    townships: dict[str, OrgUnit]  # by name
    villages: dict[str, OrgUnit]  # by "城关镇张庄村"
    cadres: list[Cadre]
    office: User
    chengguan: User  # the liaison of 城关镇
    dongbatou: User  # the liaison of 东坝头镇


def _user(username: str, full_name: str, role: str, **kw: object) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    accounts.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)  # type: ignore[arg-type]
    user.refresh_from_db()
    return user


def build_county(world: World, *, cadres: int = 6) -> County:
    """The county, its townships and villages, office, two township liaisons and a round."""
    city = reg.body_create(
        actor=SYSTEM,
        name="中共开封市委",
        level="city",
        region_code="410200",
        abbreviation="汴",
        parent=world.body,
    )
    body = reg.body_create(
        actor=SYSTEM,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        parent=city,
    )
    term = reg.term_create(
        actor=SYSTEM,
        body=body,
        name="十四届县委",
        start=dt.date(2021, 9, 1),
        end=dt.date(2026, 12, 31),
    )
    townships: dict[str, OrgUnit] = {}
    villages: dict[str, OrgUnit] = {}
    for code, name, names in TOWNSHIPS:
        township = reg.org_upsert(
            actor=SYSTEM,
            body=body,
            data=reg.OrgInput(code=f"{code}000", name=f"{name}党委", sector="township"),
        )[0]
        townships[name] = township
        for n, village in enumerate(names, start=1):
            villages[f"{name}{village}"] = reg.org_upsert(
                actor=SYSTEM,
                body=body,
                data=reg.OrgInput(
                    code=f"{code}{200 + n}",
                    name=f"{village}党支部" if village.endswith("村") else f"{village}党委",
                    sector="village",
                    parent_code=township.code,
                ),
            )[0]
    pool = [
        reg.cadre_upsert(
            actor=SYSTEM,
            body=body,
            data=reg.CadreInput(
                code=f"LK{n:03d}",
                name=name,
                gender="男" if n % 2 else "女",
                id_number=make_id_number("410201", dt.date(1976, 2, n), n * 2),
                unit_name="兰考县委巡察办" if n > 2 else "兰考县纪委监委",
                can_lead=n <= 2,
            ),
        )[0]
        for n, name in enumerate(
            ["韩光明", "刘建设", "孙红梅", "赵志强", "钱晓燕", "周立新", "吴海涛", "郑丽"][:cadres],
            start=1,
        )
    ]
    the_round = rnd.round_create(
        actor=SYSTEM,
        body=body,
        term=term,
        ordinal=3,
        name="十四届县委第三轮巡察",
        kind="village",
        sector_mode="mixed",
        targets_per_team=20,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 10, 30),
    )
    return County(
        city=city,
        body=body,
        term=term,
        round=the_round,
        townships=townships,
        villages=villages,
        cadres=pool,
        office=_user("lkoffice", "兰考县委巡察办", Role.OFFICE, body=body),
        chengguan=_user("cgliaison", "城关镇联络员", Role.LIAISON, org=townships["城关镇"]),
        dongbatou=_user("dbtliaison", "东坝头镇联络员", Role.LIAISON, org=townships["东坝头镇"]),
    )


def village_team(
    world: World, county: County, number: int, villages: list[str], *, leader: int = 0
) -> tuple[Team, list[Inspection]]:
    """A team of the round with two of the county's cadres sent to the named villages."""
    team = rnd.team_create(
        actor=SYSTEM, round=county.round, number=number, rule_set=world.team1.rule_set
    )
    rnd.membership_add(actor=SYSTEM, team=team, cadre=county.cadres[leader], role="leader")
    rnd.membership_add(actor=SYSTEM, team=team, cadre=county.cadres[leader + 2], role="member")
    inspections = [
        rnd.inspection_create(actor=SYSTEM, team=team, target=county.villages[name], kind="village")
        for name in villages
    ]
    return team, inspections
