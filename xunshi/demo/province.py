"""The demo province: 中共河南省委, its 十一届 term and rounds 1–9 (2022–2026), built through
the actions, so that loading it doubles as a smoke test of the registry, rounds and accounts.

Everything is drawn from one ``random.Random(SEED)`` with fixed dates, so two loads give the
same province. The registry comes first: the regions, the 321 organizations in scope (18
cities, 156 counties, 80 departments, 15 SOEs, 52 universities), then the pool of 600 cadres
(``pool``) and the counties whose 书记 is one of them. ``history`` writes the rule
sets and the rounds; the demo users come last and sign their own pledges. ``build_demo`` does
it all in one transaction, so a failure leaves nothing behind; ``seed_demo`` calls it once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_uscc
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit
from xunshi.rounds import actions as rnd
from xunshi.users import actions as accounts

from . import history as demo_history
from .group import demo_year_plan, history_decisions
from .knowledge import demo_knowledge
from .lifecycle import build_lifecycle
from .pool import NameMaker, Province, county_title, heads

__all__ = [
    "BODY_NAME",
    "LOGINS",
    "PASSWORD",
    "Summary",
    "build_demo",
    "demo_exists",
    "sign_own_pledges",
]

SEED = 20220101
#: The one password of every demo account, printed by ``manage.py demo_logins``.
PASSWORD = "Try-It-2026!"  # noqa: S105 (a demo password is meant to be printed)
BODY_NAME = "中共河南省委"
TERM_NAME = "十一届省委"
TERM_START, TERM_END = dt.date(2022, 1, 1), dt.date(2027, 12, 31)
#: (username, role, what the account sees); the names and scopes are filled in at load time.
LOGINS: tuple[tuple[str, str, str], ...] = (
    ("bangongshi", Role.OFFICE, "全部单位、干部库、各轮巡视与全覆盖（可编辑）"),
    ("lingdao", Role.LEADING_GROUP, "全覆盖与各轮巡视（只读）"),
    ("zuzhang", Role.INSPECTOR, "本组及其巡视对象（组长）"),
    ("zuyuan", Role.INSPECTOR, "本组及其巡视对象（组员）"),
    ("lianluoyuan", Role.LIAISON, "本单位的反馈与整改"),
    ("xitong", Role.SYSTEM_ADMIN, "用户账号的开设与停用"),
    ("anquan", Role.SECURITY_ADMIN, "角色授权与登录锁定"),
    ("shenji", Role.AUDIT_ADMIN, "审计日志"),
)


@dataclass(frozen=True)
class Summary:
    orgs: dict[str, int]
    cadres: int
    can_lead: int
    rounds: int
    teams: int
    inspections: int
    users: int
    audit_events: int


def demo_exists() -> bool:
    """Whether the demo's inspecting body is there, i.e. the demo was loaded."""
    return InspectingBody.objects.filter(name=BODY_NAME).exists()


def _org_code9(rng: random.Random, first: str) -> str:
    """A GB 11714 organization code (8 characters and its MOD 11 check), as inside a USCC."""
    body = first + "".join(rng.choice("0123456789") for _ in range(7))
    check = 11 - sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _org_inputs(province: Province) -> list[reg.OrgInput]:
    """The 321 organizations in scope, with headcount, credit code and principal leader."""
    rng, out = province.rng, []
    for o in province.orgs.values():
        if o.sector == "city":
            head, post, uscc = rng.randrange(200_000, 700_000, 10), "市委书记", "11"
        elif o.sector == "county":
            head, post, uscc = rng.randrange(18_000, 60_000, 10), "县委书记", "11"
            post = county_title(post, o.name)
        elif o.sector == "department":
            title = heads(o.name)[0]
            post = {"党委部门": title, "事业单位": "党委书记"}.get(o.kind, f"党组书记、{title}")
            uscc = {"事业单位": "12", "群团": "13"}.get(o.kind, "11")
            head = rng.randrange(60, 300) if o.kind == "群团" else rng.randrange(150, 1500)
        elif o.sector == "soe":
            head, post, uscc = rng.randrange(5_000, 120_000, 10), "党委书记、董事长", "91"
        else:
            big = o.kind == "本科"
            head = rng.randrange(1_200, 6_500) if big else rng.randrange(400, 1_200)
            post, uscc = "党委书记", "12"
        region = o.code if o.sector in ("city", "county") else o.city
        out.append(
            reg.OrgInput(
                code=o.code,
                name=o.name,
                short_name=o.short,
                sector="people_org" if o.kind == "群团" else o.sector,
                region_code=region,
                parent_code=o.city if o.sector == "county" else "",
                tags=o.tags,
                headcount=head,
                uscc=make_uscc(uscc + region + _org_code9(rng, "4" if uscc == "12" else "0")),
                principal_name=province.make.name(
                    "男" if rng.random() < 0.85 else "女", unique=True
                ),
                principal_post=post,
            )
        )
    return out


def _users(make: NameMaker, history: demo_history.History, body: InspectingBody) -> list[User]:
    leader, member = history.demo_leader, history.demo_member
    names = {"zuzhang": leader.name, "zuyuan": member.name}
    users = []
    for username, role, _sees in LOGINS:
        full_name = names.get(username) or make.name(
            "女" if username in ("lingdao", "anquan") else "男", unique=True
        )
        user = accounts.user_create(
            actor=SYSTEM,
            username=username,
            full_name=full_name,
            password=PASSWORD,
            must_change_password=False,
        )
        cadre = {"zuzhang": leader, "zuyuan": member}.get(username)
        org = history.demo_liaison_org if role == Role.LIAISON else None
        users.append(
            accounts.user_grant_role(
                actor=SYSTEM, user=user, role=role, cadre=cadre, org=org, body=body
            )
        )
    return users


def sign_own_pledges(users: Sequence[User]) -> None:
    """Members sign the team's rules themselves, so only those with an account have signed."""
    for user in users:
        if user.cadre is None:
            continue
        for m in user.cadre.memberships.select_related("team__rule_set", "cadre"):
            rnd.pledge_sign(actor=user, membership=m)


def build_demo() -> Summary:
    """Write the demo province (one transaction); the caller checks ``demo_exists`` first."""
    rng = random.Random(SEED)  # noqa: S311 (fictitious people, not secrets)
    with transaction.atomic():
        body = reg.body_create(actor=SYSTEM, name=BODY_NAME, level="province", region_code="410000")
        term = reg.term_create(
            actor=SYSTEM, body=body, name=TERM_NAME, start=TERM_START, end=TERM_END
        )
        province = Province(rng)
        reg.regions_load(
            actor=SYSTEM,
            rows=[(r["code"], r["name"], r["level"], r["parent_code"]) for r in province.divisions],
        )
        org_inputs = _org_inputs(province)
        for data in org_inputs:
            reg.org_upsert(actor=SYSTEM, body=body, data=data)
        cadres, principals = province.pool()
        by_code = {c.code: c for c in cadres}
        for cadre in cadres:
            reg.cadre_upsert(actor=SYSTEM, body=body, data=cadre)
        for org in org_inputs:
            if org.code in principals:
                led_by = by_code[principals[org.code]]
                led = replace(org, principal_code=led_by.code, principal_name=led_by.name)
                reg.org_upsert(actor=SYSTEM, body=body, data=led)
        history = demo_history.build_history(rng=rng, body=body, term=term)
        users = _users(province.make, history, body)
        sign_own_pledges(users)
        history_decisions(history.rounds)  # the leading group's records of the closed history
        build_lifecycle(history.rounds[-1], history.demo_liaison_org.pk)
        demo_year_plan(history.rounds[-1])  # approved by the leading group, half carried out
        demo_knowledge(body)  # 知识库: an invented rule, 定性 statements, cases (示例（虚构）)
        sectors: dict[str, int] = {}
        for sector in OrgUnit.objects.filter(body=body).values_list("sector", flat=True):
            sectors[sector] = sectors.get(sector, 0) + 1
        return Summary(
            orgs=sectors,
            cadres=Cadre.objects.count(),
            can_lead=Cadre.objects.filter(can_lead=True).count(),
            rounds=len(history.rounds),
            teams=history.teams,
            inspections=history.inspections,
            users=len(users),
            audit_events=AuditEvent.objects.count(),
        )
