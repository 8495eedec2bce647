"""A city and two counties below the test world's province, for the kinds that cross bodies.

中共开封市委 (city, office kfoffice) guides 中共兰考县委 (office lkoffice, leading group lkgroup)
and 中共杞县县委 (office qxoffice); each keeps its own registry, cadre pool and term. Two of
兰考's cadres are tied to 杞县's units across the bodies: 孙丽's husband works at 杞县教育局 and
赵强 was born in 杞县, whose 城关镇 is in 杞县's registry. `elevated_with_feedback` gives the
city's 提级巡察 of 兰考县财政局 its feedback with two problems.

Built through the actions, as the test world is; used by the tests of rounds, rectification and
findings (a plain module, not a fixture, so each test module names its own fixture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import DisciplineRuleSet, Inspection, Round, Team
from xunshi.testsupport.lifecycle import give_feedback
from xunshi.testsupport.world import PASSWORD, World
from xunshi.users import actions as accounts

DECISION = "汴巡组〔2026〕3号"
DECIDED = dt.date(2026, 8, 20)
START, END = dt.date(2026, 9, 1), dt.date(2026, 10, 31)
PROBLEMS = ["专项资金拨付滞后", "违规发放津贴补贴"]


@dataclass
class Kaifeng:
    city: InspectingBody
    lankao: InspectingBody
    qixian: InspectingBody
    terms: dict[str, Term]  # by body key: city, lankao, qixian
    units: dict[str, OrgUnit]
    cadres: dict[str, Cadre]
    users: dict[str, User]
    rules: DisciplineRuleSet


def _unit(body: InspectingBody, code: str, name: str, sector: str, **kw: Any) -> OrgUnit:
    data = reg.OrgInput(code=code, name=name, sector=sector, **kw)
    return reg.org_upsert(actor=SYSTEM, body=body, data=data)[0]


def _cadre(body: InspectingBody, code: str, name: str, seq: int, **kw: Any) -> Cadre:
    data = reg.CadreInput(
        code=code,
        name=name,
        gender=kw.pop("gender", "男"),
        id_number=make_id_number("410200", dt.date(1978, 5, seq), seq * 2 + 1),
        unit_name=kw.pop("unit_name", f"{body.name.removeprefix('中共')}巡察办"),
        **kw,
    )
    return reg.cadre_upsert(actor=SYSTEM, body=body, data=data)[0]


def _user(username: str, full_name: str, role: str, **kw: Any) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    return accounts.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)


def build_kaifeng(world: World) -> Kaifeng:
    """The city and its two counties with their registries, pools, terms and users."""
    reg.regions_load(
        actor=SYSTEM,
        rows=[
            ("410221", "杞县", "county", "410200"),
            ("410221100000", "城关镇", "township", "410221"),
        ],
    )
    city = reg.body_create(
        actor=SYSTEM,
        name="中共开封市委",
        level="city",
        region_code="410200",
        abbreviation="汴",
        parent=world.body,
    )
    lankao = reg.body_create(
        actor=SYSTEM,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        parent=city,
    )
    qixian = reg.body_create(
        actor=SYSTEM,
        name="中共杞县县委",
        level="county",
        region_code="410221",
        abbreviation="杞",
        parent=city,
    )
    terms = {
        key: reg.term_create(
            actor=SYSTEM, body=body, name=name, start=dt.date(2021, 9, 1), end=dt.date(2026, 12, 31)
        )
        for key, body, name in [
            ("city", city, "十二届市委"),
            ("lankao", lankao, "十四届县委"),
            ("qixian", qixian, "十五届县委"),
        ]
    }
    units = {
        "kf_finance": _unit(city, "KF-D01", "开封市财政局", "department"),
        "lk_finance": _unit(lankao, "LK-D01", "兰考县财政局", "department"),
        "lk_village": _unit(lankao, "410225100201", "张庄村党支部", "village"),
        "qx_education": _unit(qixian, "QX-D01", "杞县教育局", "department"),
        "qx_town": _unit(
            qixian, "QX-T01", "杞县城关镇党委", "township", region_code="410221100000"
        ),
    }
    cadres = {
        "zhou": _cadre(city, "KF001", "周明", 1, can_lead=True, skills=("纪检监察",)),
        "feng": _cadre(city, "KF002", "冯涛", 2, skills=("财务审计",)),
        "han": _cadre(lankao, "LK001", "韩光明", 3, can_lead=True, skills=("纪检监察",)),
        "sun": _cadre(
            lankao,
            "LK002",
            "孙丽",
            4,
            gender="女",
            kin=(reg.KinInput("马军", "spouse", "QX-D01", "杞县教育局", "科员"),),
        ),
        "zhao": _cadre(lankao, "LK003", "赵强", 5, origin_code="410221"),
        "qian": _cadre(qixian, "QX001", "钱进", 6, can_lead=True, skills=("纪检监察",)),
        "wu": _cadre(qixian, "QX002", "吴芳", 7, gender="女"),
    }
    users = {
        "kfoffice": _user("kfoffice", "开封市委巡察办", Role.OFFICE, body=city),
        "lkoffice": _user("lkoffice", "兰考县委巡察办", Role.OFFICE, body=lankao),
        "lkgroup": _user("lkgroup", "兰考县委巡察工作领导小组", Role.LEADING_GROUP, body=lankao),
        "qxoffice": _user("qxoffice", "杞县县委巡察办", Role.OFFICE, body=qixian),
        "lkliaison": _user(
            "lkliaison", "兰考县财政局联络员", Role.LIAISON, org=units["lk_finance"]
        ),
    }
    rules = world.team1.rule_set
    return Kaifeng(city, lankao, qixian, terms, units, cadres, users, rules)


def city_round(kf: Kaifeng, kind: str, *, ordinal: int = 1, decided: bool = True) -> Round:
    """A round of the city of the given kind, with its decision unless `decided` is False."""
    return rnd.round_create(
        actor=SYSTEM,
        body=kf.city,
        term=kf.terms["city"],
        ordinal=ordinal,
        name=f"十二届市委第{ordinal}轮巡察",
        kind=kind,
        sector_mode="mixed",
        targets_per_team=2,
        start=START,
        end=END,
        decision_ref=DECISION if decided else "",
        decided_on=DECIDED if decided else None,
    )


def team_of(kf: Kaifeng, round: Round, number: int, *cadres: str) -> Team:
    """A team of the round led by the first of the named cadres."""
    team = rnd.team_create(actor=SYSTEM, round=round, number=number, rule_set=kf.rules)
    for i, key in enumerate(cadres):
        role = "leader" if i == 0 else "member"
        rnd.membership_add(actor=SYSTEM, team=team, cadre=kf.cadres[key], role=role)
    return team


def elevated_inspection(kf: Kaifeng) -> Inspection:
    """The city's 提级巡察 of 兰考县财政局 by a team of the city's own cadres, planned."""
    the_round = city_round(kf, "elevated")
    team = team_of(kf, the_round, 1, "zhou", "feng")
    return rnd.inspection_create(
        actor=SYSTEM, team=team, target=kf.units["lk_finance"], kind="elevated"
    )


def elevated_with_feedback(kf: Kaifeng) -> Inspection:
    """The city's 提级巡察 of 兰考县财政局 past its feedback, with the two PROBLEMS."""
    inspection = elevated_inspection(kf)
    give_feedback(inspection, PROBLEMS)
    return inspection
