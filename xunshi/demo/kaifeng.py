"""The demo's bodies below the province (上下联动): 中共开封市委 under 中共河南省委,
and 中共兰考县委 and 中共杞县委 under the city, each with its office and leading group, its
terms, its registry, its cadre pool and its rounds (``kaifeng_rounds``), built through the
actions after the province (``seed_demo``; ``build_kaifeng`` also adds them to a province
loaded before them).

The city's registry holds 24 of its departments; each county's its departments, its real
townships (乡镇、街道, from the country's list shipped in ``xunshi/registry/data/``, loaded
for the two counties only) and 30 villages under six of them. The villages are invented:
their names look like the county's (王庄村, 后李寨村) and each carries the tag 演示数据,
which the registry's pages show. The pools (``local_pool``: 80 for the city, 50 for each
county) are fictitious people. Everything comes from one ``random.Random(SEED)`` of its own,
so the bodies below do not change when the province's data do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.oversight.actions import filing_accept, point_create
from xunshi.oversight.models import Filing
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Sector
from xunshi.registry.region_actions import regions_sync
from xunshi.registry.regions_national import SOURCE, national_regions
from xunshi.rounds.models import DisciplineRuleSet, Inspection
from xunshi.users import actions as accounts

from . import kaifeng_rounds as rounds
from .history import RULE_SETS
from .local_pool import Locality, LocalPlace, town_word
from .pool import NameMaker, Org, Province, heads
from .province import BODY_NAME, PASSWORD, sign_own_pledges

__all__ = [
    "CITY_NAME",
    "DEMO_TAG",
    "LOGINS",
    "BodySummary",
    "build_kaifeng",
    "kaifeng_exists",
]

SEED = 20261006
D = dt.date
CITY_NAME = "中共开封市委"
#: The tag of every invented organization (the villages), shown on the registry's pages.
DEMO_TAG = "演示数据"


def _words(text: str) -> list[str]:
    return text.split()


def _staff(text: str) -> tuple[tuple[str, str], ...]:
    """The office's posts: ``post:rank:count`` cells."""
    return tuple(
        (post, rank)
        for post, rank, n in (c.split(":") for c in text.split())
        for _ in range(int(n))
    )


CITY_DEPARTMENTS = _words(
    "市委办公室 市委组织部 市委宣传部 市委统战部 市委政法委员会 市发展和改革委员会 市教育局 "
    "市科学技术局 市工业和信息化局 市民政局 市司法局 市财政局 市人力资源和社会保障局 "
    "市自然资源和规划局 市生态环境局 市住房和城乡建设局 市交通运输局 市水利局 市农业农村局 "
    "市商务局 市文化广电和旅游局 市卫生健康委员会 市审计局 市市场监督管理局"
)
COUNTY_DEPARTMENTS = _words(
    "县委办公室 县委组织部 县委宣传部 县发展和改革委员会 县教育局 县民政局 县财政局 "
    "县人力资源和社会保障局 县自然资源局 县住房和城乡建设局 县水利局 县农业农村局 "
    "县卫生健康委员会 县市场监督管理局"
)
VILLAGE_PREFIXES = "东西南北前后大小新"
VILLAGE_SUFFIXES = "庄寨营集楼屯店岗堂桥庙洼"
TOWNSHIPS_WITH_VILLAGES = 6
VILLAGES_PER_TOWNSHIP = 5


@dataclass(frozen=True)
class BodyPlan:
    name: str
    abbreviation: str
    level: str
    region: str
    place: str  # 开封市, 兰考县
    login: str  # the logins' prefix
    code_prefix: str  # of its organizations' and cadres' codes
    terms: tuple[tuple[str, dt.date, dt.date], ...]  # oldest first
    office: tuple[tuple[str, str], ...]  # the office's staff: (post, rank)
    departments: int  # cadres at home in the departments
    townships: int  # cadres at home in the townships
    heads: int  # heads of units in the pool (a county's township 书记)


CITY = BodyPlan(
    name=CITY_NAME,
    abbreviation="汴",
    level="city",
    region="410200",
    place="开封市",
    login="kaifeng",
    code_prefix="KF",
    terms=(("十四届市委", D(2026, 9, 1), D(2031, 8, 31)),),
    office=_staff(
        "市委巡察办主任:正处级:1 市委巡察办副主任:副处级:2 巡察组组长:副处级:4 "
        "巡察组副组长:正科级:2 科长:正科级:1 一级主任科员:一级主任科员:1 一级科员:一级科员:1"
    ),
    departments=66,
    townships=0,
    heads=2,
)
_COUNTY_TERMS = (
    ("十四届县委", D(2021, 8, 1), D(2026, 7, 31)),
    ("十五届县委", D(2026, 8, 1), D(2031, 7, 31)),
)
_COUNTY_OFFICE = _staff(
    "县委巡察办主任:正科级:1 县委巡察办副主任:副科级:1 巡察组组长:正科级:3 "
    "巡察组副组长:副科级:1 一级主任科员:一级主任科员:1 一级科员:一级科员:1"
)
COUNTIES = (
    BodyPlan("中共兰考县委", "兰", "county", "410225", "兰考县", "lankao", "LK", _COUNTY_TERMS,
             _COUNTY_OFFICE, 24, 15, 3),
    BodyPlan("中共杞县委", "杞", "county", "410221", "杞县", "qixian", "QX", _COUNTY_TERMS,
             _COUNTY_OFFICE, 24, 15, 3),
)  # fmt: skip


def _county_logins(login: str) -> tuple[tuple[str, str, str], ...]:
    return (
        (f"{login}_bangongshi", Role.OFFICE, "本县的单位、村（社区）、干部库和巡察轮次（可编辑）"),
        (f"{login}_lingdao", Role.LEADING_GROUP, "本县的巡察轮次与全覆盖（只读）"),
        (f"{login}_zuzhang", Role.INSPECTOR, "本组及其巡察对象（组长）"),
        (f"{login}_zuyuan", Role.INSPECTOR, "本组及其巡察对象（组员）"),
        (f"{login}_xiangzhen", Role.LIAISON, "本乡镇及所辖村的反馈与整改"),
        (f"{login}_cun", Role.LIAISON, "本村的反馈与整改"),
    )


#: Per body below the province: (body name, ((username, role, what the account sees), …)).
LOGINS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        CITY_NAME,
        (
            (
                "kaifeng_bangongshi",
                Role.OFFICE,
                "本市的单位、干部库和巡察轮次（可编辑），两县的上下联动",
            ),
            ("kaifeng_lingdao", Role.LEADING_GROUP, "本市的巡察轮次与两县的上下联动（只读）"),
            ("kaifeng_lianluoyuan", Role.LIAISON, "本单位的反馈与整改"),
        ),
    ),
    *((c.name, _county_logins(c.login)) for c in COUNTIES),
)


@dataclass(frozen=True)
class BodySummary:
    name: str
    orgs: int
    villages: int
    cadres: int
    rounds: int
    inspections: int
    users: int


def kaifeng_exists() -> bool:
    """Whether the demo's city was loaded."""
    return InspectingBody.objects.filter(name=CITY_NAME).exists()


# --- the registries ---------------------------------------------------------------------------


def _load_townships() -> dict[str, list[tuple[str, str]]]:
    """The two counties' townships from the shipped national list, written to the regions;
    returns county code → [(code, name)] of the 乡, 镇 and 街道 (not the farms and parks)."""
    wanted = {c.region for c in COUNTIES}
    rows = [
        row
        for row in national_regions(depth="township", prefix=CITY.region[:4])
        if row[2] == "township" and row[3] in wanted
    ]
    regions_sync(actor=SYSTEM, rows=rows, source=SOURCE)
    out: dict[str, list[tuple[str, str]]] = {code: [] for code in wanted}
    for code, name, _level, county in rows:
        if name.endswith(("乡", "镇", "街道")):
            out[county].append((code, name))
    return out


def _village_names(rng: random.Random, make: NameMaker, count: int, taken: set[str]) -> list[str]:
    """Invented village names in the county's manner: 王庄村, 后李寨村, 大刘集村."""
    names: list[str] = []
    while len(names) < count:
        surname = rng.choices(*make.surnames)[0]
        prefix = rng.choice(VILLAGE_PREFIXES) if rng.random() < 0.3 else ""
        name = f"{prefix}{surname}{rng.choice(VILLAGE_SUFFIXES)}村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _principal(rng: random.Random, make: NameMaker) -> str:
    return make.name("男" if rng.random() < 0.8 else "女", unique=True)


def _registry(
    plan: BodyPlan, rng: random.Random, make: NameMaker, towns: list[tuple[str, str]]
) -> tuple[list[reg.OrgInput], list[tuple[str, str]]]:
    """The body's organizations, and the townships (code, name) given villages."""
    names = CITY_DEPARTMENTS if plan.level == "city" else COUNTY_DEPARTMENTS
    stem = plan.place[:-1]  # 开封, 兰考, 杞
    inputs = []
    for n, dept in enumerate(names, start=1):
        name = stem + dept
        inputs.append(
            reg.OrgInput(
                code=f"{plan.code_prefix}-D{n:02d}",
                name=name,
                sector=Sector.DEPARTMENT,
                region_code=plan.region,
                headcount=rng.randrange(30, 400 if plan.level == "city" else 120),
                principal_name=_principal(rng, make),
                principal_post=heads(name)[0],
            )
        )
    for code, name in towns:
        word = town_word(name)
        inputs.append(
            reg.OrgInput(
                code=code,
                name=name,
                sector=Sector.TOWNSHIP,
                region_code=code,
                headcount=rng.randrange(600, 2600, 10),
                principal_name=_principal(rng, make),
                principal_post="街道党工委书记" if word == "街道" else f"{word}党委书记",
            )
        )
    rural = [t for t in towns if not t[1].endswith("街道")]
    with_villages = sorted(rng.sample(rural, min(TOWNSHIPS_WITH_VILLAGES, len(rural))))
    taken = {name for _code, name in towns}
    for code, _town in with_villages:
        for k, name in enumerate(_village_names(rng, make, VILLAGES_PER_TOWNSHIP, taken), 1):
            inputs.append(
                reg.OrgInput(
                    code=f"{code[:9]}Y{k:02d}",
                    name=name,
                    sector=Sector.VILLAGE,
                    region_code=code,
                    parent_code=code,
                    tags=(DEMO_TAG,),
                    headcount=rng.randrange(25, 140),
                    principal_name=_principal(rng, make),
                    principal_post="村党支部书记",
                )
            )
    return inputs, with_villages


def _org(data: reg.OrgInput) -> Org:
    return Org(data.code, data.name, "", data.sector, "", CITY.region, data.tags)


def _body(
    plan: BodyPlan,
    parent: InspectingBody,
    rng: random.Random,
    make: NameMaker,
    towns: list[tuple[str, str]],
) -> rounds.LocalBody:
    """The body, its terms, registry and pool."""
    body = reg.body_create(
        actor=SYSTEM,
        name=plan.name,
        level=plan.level,
        region_code=plan.region,
        abbreviation=plan.abbreviation,
        parent=parent,
    )
    terms = [
        reg.term_create(actor=SYSTEM, body=body, name=name, start=start, end=end)
        for name, start, end in plan.terms
    ]
    inputs, with_villages = _registry(plan, rng, make, towns)
    orgs = {data.code: reg.org_upsert(actor=SYSTEM, body=body, data=data)[0] for data in inputs}
    by_sector: dict[str, list[Org]] = {}
    for data in inputs:
        by_sector.setdefault(data.sector, []).append(_org(data))
    place = LocalPlace(
        level=plan.level,
        place=plan.place,
        region=plan.region,
        office=f"{plan.place}委巡察办",
        code_prefix=plan.code_prefix,
        departments=tuple(by_sector.get(Sector.DEPARTMENT, ())),
        townships=tuple(by_sector.get(Sector.TOWNSHIP, ())),
        villages=tuple(by_sector.get(Sector.VILLAGE, ())),
    )
    pool, led = Locality(rng, place, make).local_pool(
        plan.office,
        {"department": plan.departments, "township": plan.townships},
        plan.heads,
    )
    cadres = [reg.cadre_upsert(actor=SYSTEM, body=body, data=c)[0] for c in pool]
    by_code = {c.code: c for c in cadres}
    for data in inputs:
        if data.code in led:
            head = by_code[led[data.code]]
            reg.org_upsert(
                actor=SYSTEM,
                body=body,
                data=replace(data, principal_code=head.code, principal_name=head.name),
            )
    townships = [orgs[code] for code, _name in with_villages]
    villages = {
        t.pk: sorted((o for o in orgs.values() if o.parent_id == t.pk), key=lambda o: o.code)
        for t in townships
    }
    return rounds.LocalBody(
        body=body,
        login=plan.login,
        terms=terms,
        departments=[o for o in orgs.values() if o.sector == Sector.DEPARTMENT],
        townships=townships,
        villages=villages,
        cadres=cadres,
    )


# --- the accounts -----------------------------------------------------------------------------


def _user(
    username: str,
    full_name: str,
    role: str,
    *,
    body: InspectingBody | None = None,
    cadre: Cadre | None = None,
    org: OrgUnit | None = None,
) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    return accounts.user_grant_role(
        actor=SYSTEM, user=user, role=role, body=body, cadre=cadre, org=org
    )


def _users(lb: rounds.LocalBody, make: NameMaker, rng: random.Random) -> list[User]:
    """The body's logins (see LOGINS)."""
    login, body = lb.login, lb.body

    def name() -> str:
        return make.name("女" if rng.random() < 0.4 else "男", unique=True)

    users = [
        _user(f"{login}_bangongshi", name(), Role.OFFICE, body=body),
        _user(f"{login}_lingdao", name(), Role.LEADING_GROUP, body=body),
    ]
    if lb.liaison_org is not None:
        users.append(_user(f"{login}_lianluoyuan", name(), Role.LIAISON, org=lb.liaison_org))
    if lb.leader is not None and lb.member is not None:
        users.append(_user(f"{login}_zuzhang", lb.leader.name, Role.INSPECTOR, cadre=lb.leader))
        users.append(_user(f"{login}_zuyuan", lb.member.name, Role.INSPECTOR, cadre=lb.member))
    if lb.township is not None and lb.village is not None:
        users.append(_user(f"{login}_xiangzhen", name(), Role.LIAISON, org=lb.township))
        users.append(_user(f"{login}_cun", name(), Role.LIAISON, org=lb.village))
    return users


# --- the whole -----------------------------------------------------------------------------------


def _review(city: rounds.LocalBody, counties: list[rounds.LocalBody], today: dt.date) -> None:
    """The city's office accepts what the counties filed of their closed rounds (their new
    rounds' plans wait for it) and sets 兰考's office a point about the overdue clue."""
    office = User.objects.get(username=f"{city.login}_bangongshi")
    for county in counties:
        closed = county.rounds[0]
        for filing in Filing.objects.filter(round=closed).order_by("pk"):
            filing_accept(actor=office, filing=filing)
    lankao = counties[0]
    point_create(
        actor=office,
        to_body=lankao.body,
        round=lankao.rounds[0],
        text="第十轮巡察移交的问题线索已超过处置反馈期限，请督促县纪委监委反馈处置结果，"
        "并将村级整改台账中逾期未销号事项的整改进展报市委巡察办。",
        due=today + dt.timedelta(days=20),
    )


def build_kaifeng(*, province: InspectingBody | None = None) -> list[BodySummary]:
    """Write the city and its two counties under the province (one transaction); the caller
    checks ``kaifeng_exists`` first."""
    rng = random.Random(SEED)  # noqa: S311 (fictitious people, not secrets)
    today = timezone.localdate()
    with transaction.atomic():
        province = province or InspectingBody.objects.get(name=BODY_NAME)
        # One maker for the three pools and their logins: names and ID numbers stay unique.
        make = Province(rng).make
        towns = _load_townships()
        city = _body(CITY, province, rng, make, [])
        counties = [_body(plan, city.body, rng, make, towns[plan.region]) for plan in COUNTIES]
        rule_set = DisciplineRuleSet.objects.get(name=RULE_SETS[-1][0], version=1)
        rounds.plan_city_round(city, rng=rng, rule_set=rule_set)
        for county in counties:
            rounds.plan_county_rounds(county, rng=rng, rule_set=rule_set)
        users = {lb.body.pk: _users(lb, make, rng) for lb in (city, *counties)}
        sign_own_pledges([u for group in users.values() for u in group])
        rounds.walk_city(city)
        for county in counties:
            rounds.walk_county(county, today)
        _review(city, counties, today)
        return [
            BodySummary(
                name=lb.body.name,
                orgs=OrgUnit.objects.filter(body=lb.body).count(),
                villages=OrgUnit.objects.filter(body=lb.body, sector=Sector.VILLAGE).count(),
                cadres=Cadre.objects.filter(body=lb.body).count(),
                rounds=len(lb.rounds),
                inspections=Inspection.objects.filter(round__body=lb.body).count(),
                users=len(users[lb.body.pk]),
            )
            for lb in (city, *counties)
        ]
