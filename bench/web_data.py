"""The whole deployment at national size, written straight into PostgreSQL for the pages'
benchmark (`bench/web.py`, `make bench-web`).

Issue 13's size, all in one body's registry and work, which is the worst case for that body's
office: 103,318 organizations (departments, townships and their villages), 20,000 cadres,
20,000 inspections in 100 rounds of two terms (40 teams of five cadres each, one team to five
targets), 1,000,000 problems with their approved working papers, 977,000 ledger items,
302,000 petitions, 101,000 clues and 2,000,000 audit events; 18 bodies below it with a
registry and terms of their own, so that the oversight pages list someone. `scale` multiplies
every count (0.01 loads in seconds). Everything is drawn from one seeded `random.Random`
relative to the day of the run, so a run is reproducible for a given day and scale.

Each inspection's stage follows from its round's age (on site for the newest, closed and
archived for the oldest), with its stage history; problems exist from the report on,
ledger items from the feedback on (red when open past their deadline), petitions from the
announcement, clues from the withdrawal (some transferred and past their disposal due).
Sealed texts (petitions, papers, clues) are sealed with the running field key, a few
distinct texts each, each sealed once and its token reused.

The audit events are chained (`xunshi/audit/chain.py`): each row's hash is `event_hash` of
the one before, continuing the events that creating the accounts wrote, and the head is set
with its MAC, so `verify_chain` passes (with `first_checkpoint`, since no checkpoint was
written on the way). Not generated, since no page measured here needs them: talks, document
requests, evidence, progress reports, 督办函, filings, the numbered series (a paper drawn
after the generator would start its team's series again).

COPY, ids and the bodies' plumbing come from `bench/province_rows.py`; the rows of the work in
`bench/web_rows.py`. Django must be set up before this module is imported.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.fieldwork.models import Petition, WorkingPaper
from xunshi.findings.models import Clue, Problem
from xunshi.lib.ids import make_id_number
from xunshi.lifecycle.models import StageChange
from xunshi.rectification.models import RectificationItem
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Sector, Term
from xunshi.registry.sealing import seal_id_number
from xunshi.registry.search import search_key
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, Stage, Team, TeamMembership
from xunshi.users import actions as accounts

from .province_data import CITIES
from .province_rows import Ids, at, copy_rows
from .web_rows import audit_events, work_rows

__all__ = ["FULL", "LOGINS", "PASSWORD", "World", "find_world", "generate"]

PASSWORD = "Bench-Web-2026-Nation"  # noqa: S105 (a throwaway database)

# Issue 13's national size, scale 1.
FULL = {
    "organizations": 103_318,
    "cadres": 20_000,
    "inspections": 20_000,
    "problems": 1_000_000,
    "ledger_items": 977_000,
    "petitions": 302_000,
    "clues": 101_000,
    "audit_events": 2_000_000,
}
PER_ROUND, PER_TEAM, TEAM_SIZE, ROUND_EVERY_MAX = 200, 5, 5, 150
TERM_DAYS, CURRENT_TERM_GONE = 1826, 1620
CITY_UNITS = 20

# The user name of each role the timing signs in as (the test world's people, by role).
LOGINS = {
    "office": "web_office",
    "leading group": "web_group",
    "team leader": "web_leader",
    "member": "web_member",
    "liaison": "web_liaison",
    "system admin": "web_sysadmin",
    "security admin": "web_secadmin",
    "audit admin": "web_audadmin",
}


@dataclass
class World:
    """What the timing needs: the body, the inspection, round and team it opens, the counts."""

    body: int
    round: int
    team: int
    inspection: int
    sizes: dict[str, int] = field(default_factory=dict)


def _count(name: str, scale: float) -> int:
    return max(1, round(FULL[name] * scale))


def _bodies(ids: Ids) -> tuple[int, list[int]]:
    top = ids.take(InspectingBody)
    rows: list[tuple[Any, ...]] = [(top, "中共全国样本省委", "province", "990000", "样", None)]
    cities = []
    for name, code, abbr in CITIES:
        pk = ids.take(InspectingBody)
        cities.append(pk)
        rows.append((pk, f"中共{name}样本市委", "city", code + "00", abbr, top))
    copy_rows(
        InspectingBody, ["id", "name", "level", "region_code", "abbreviation", "parent_id"], rows
    )
    return top, cities


def _registry(rng: random.Random, ids: Ids, top: int, cities: list[int], n: int) -> list[int]:
    """The body's organizations (3 % departments, the rest townships of about nine villages
    each), and 20 departments of each body below; the body's own ids."""
    rows: list[tuple[Any, ...]] = []
    own: list[int] = []
    departments = max(1, n * 3 // 100)
    sectors = [Sector.DEPARTMENT] * 6 + [Sector.SOE, Sector.UNIVERSITY, Sector.FINANCIAL]
    for k in range(1, departments + 1):
        pk = ids.take(OrgUnit)
        own.append(pk)
        name = f"样本单位{k}党组"
        rows.append((pk, top, f"W{k:06d}", name, rng.choice(sectors), None, search_key(name)))
    town, t = 0, 0
    while len(own) < n:
        if town == 0 or rng.random() < 0.1:
            t += 1
            town = ids.take(OrgUnit)
            own.append(town)
            name = f"第{t}镇党委"
            rows.append((town, top, f"T{t:06d}", name, Sector.TOWNSHIP, None, search_key(name)))
            continue
        pk = ids.take(OrgUnit)
        own.append(pk)
        name = f"第{t}镇{pk}村党支部"
        rows.append((pk, top, f"V{pk:07d}", name, Sector.VILLAGE, town, search_key(name)))
    for c, city in enumerate(cities):
        for k in range(1, CITY_UNITS + 1):
            name = f"市直单位{k}党组"
            pk = ids.take(OrgUnit)
            rows.append(
                (pk, city, f"C{c:02d}{k:03d}", name, Sector.DEPARTMENT, None, search_key(name))
            )
    fields = ["id", "body_id", "code", "name", "sector", "parent_id", "search"]
    copy_rows(OrgUnit, fields, rows)
    return own


def _cadres(rng: random.Random, ids: Ids, top: int, n: int) -> tuple[list[int], list[int]]:
    """The pool: every fifth cadre may lead a team; (leaders, the others)."""
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "建国志强海涛丽娟红梅立新晓燕光明"
    rows, leaders, others = [], [], []
    for k in range(1, n + 1):
        pk = ids.take(Cadre)
        birth = dt.date(1965, 1, 1) + dt.timedelta(rng.randint(0, 12_000))
        # Unique: a region code per thousand cadres, the sequence within it.
        sealed = seal_id_number(make_id_number(f"11{k // 1000:04d}", birth, k % 1000))
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        lead = k % 5 == 1
        (leaders if lead else others).append(pk)
        gender = "男" if k % 3 else "女"
        rows.append(
            (pk, top, f"WC{k:06d}", name, gender, birth, sealed.sealed, sealed.index,
             sealed.masked, "正处级" if lead else "副处级", "样本单位", "干部", lead,
             search_key(name))
        )  # fmt: skip
    fields = ["id", "body_id", "code", "name", "gender", "birth_date", "id_number_sealed",
              "id_number_index", "id_number_masked", "rank", "unit_name", "post", "can_lead",
              "search"]  # fmt: skip
    copy_rows(Cadre, fields, rows)
    return leaders, others


def _terms(ids: Ids, today: dt.date, bodies: list[int]) -> dict[int, list[tuple[int, dt.date]]]:
    current = today - dt.timedelta(CURRENT_TERM_GONE)
    spans = [(current - dt.timedelta(TERM_DAYS), "十一"), (current, "十二")]
    rows, out = [], {}
    for body in bodies:
        out[body] = []
        for start, word in spans:
            pk = ids.take(Term)
            out[body].append((pk, start))
            rows.append((pk, body, f"第{word}届", start, start + dt.timedelta(TERM_DAYS - 1)))
    copy_rows(Term, ["id", "body_id", "name", "start", "end"], rows)
    return out


# Days from the round's start to each stage (negative: before the site).
STAGE_DAYS = [
    (Stage.AUTHORIZED, -20),
    (Stage.NOTIFIED, -7),
    (Stage.ON_SITE, 0),
    (Stage.WITHDRAWN, 45),
    (Stage.REPORT_DRAFTED, 75),
    (Stage.OFFICE_REVIEWED, 100),
    (Stage.LEADING_GROUP_HEARD, 115),
    (Stage.COMMITTEE_DECIDED, 130),
    (Stage.FEEDBACK_GIVEN, 140),
    (Stage.RECTIFYING, 150),
    (Stage.RECTIFICATION_REPORTED, 330),
    (Stage.DISCLOSED, 400),
    (Stage.MONITORING, 430),
    (Stage.CLOSED, 800),
    (Stage.ARCHIVED, 1200),
]


def stage_line(start: dt.date, today: dt.date) -> list[tuple[Stage, dt.date]]:
    """The stages an inspection of a round started on `start` has reached by `today`."""
    return [
        (stage, start + dt.timedelta(days))
        for stage, days in STAGE_DAYS
        if start + dt.timedelta(days) <= today
    ]


def _rounds(
    rng: random.Random,
    ids: Ids,
    today: dt.date,
    top: int,
    terms: list[tuple[int, dt.date]],
    orgs: list[int],
    pool: tuple[list[int], list[int]],
    n: int,
) -> dict[str, list[tuple[Any, ...]]]:
    """The rounds of both terms, evenly spaced up to a month from today, their teams, members,
    inspections and stage history; a term's targets are distinct organizations."""
    rule_set = rnd.ruleset_create(actor=SYSTEM, name="巡视工作纪律", items=["严格遵守政治纪律"]).pk
    first, last = terms[0][1] + dt.timedelta(60), today + dt.timedelta(30)
    # At least a round every ROUND_EVERY_MAX days, so that some round is in rectification.
    n_rounds = max(math.ceil(n / PER_ROUND), math.ceil((last - first).days / ROUND_EVERY_MAX))
    step = (last - first).days / (n_rounds - 1)
    leaders, others = pool
    out: dict[str, list[tuple[Any, ...]]] = {
        k: [] for k in ("rounds", "teams", "members", "inspections", "changes")
    }
    ordinals = {t: 0 for t, _ in terms}
    targets: dict[int, list[int]] = {}
    for r in range(n_rounds):
        start = first + dt.timedelta(round(r * step))
        term = terms[1][0] if start >= terms[1][1] else terms[0][0]
        if term not in targets:
            targets[term] = rng.sample(orgs, min(len(orgs), n))
        ordinals[term] += 1
        pk = ids.take(Round)
        name = f"第{ordinals[term]}轮巡视"
        out["rounds"].append(
            (pk, top, term, ordinals[term], name, "regular", "mixed", PER_TEAM, start,
             start + dt.timedelta(45))
        )  # fmt: skip
        count = n * (r + 1) // n_rounds - n * r // n_rounds
        line = stage_line(start, today)
        stage = line[-1][0] if line else Stage.PLANNED
        team = 0
        for i in range(count):
            if i % PER_TEAM == 0:
                team = ids.take(Team)
                number = i // PER_TEAM + 1
                out["teams"].append((team, pk, number, f"第{number}巡视组", rule_set))
                crew = [rng.choice(leaders), *rng.sample(others, TEAM_SIZE - 1)]
                for role, cadre in zip(
                    ["leader", *["member"] * (TEAM_SIZE - 1)], crew, strict=True
                ):
                    out["members"].append((ids.take(TeamMembership), team, cadre, role))
            insp = ids.take(Inspection)
            target = targets[term].pop()
            out["inspections"].append(
                (insp, pk, team, target, "regular", start, start + dt.timedelta(45), stage)
            )
            previous = Stage.PLANNED
            for reached, day in line:
                out["changes"].append((insp, previous, reached, day, at(day)))
                previous = reached
    return out


def _user(username: str, full_name: str, role: str, **kw: Any) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    return accounts.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)


def _users(top: int, insp: Inspection) -> None:
    body = InspectingBody.objects.get(pk=top)
    crew = dict(TeamMembership.objects.filter(team=insp.team_id).values_list("role", "cadre"))
    member = (
        TeamMembership.objects.filter(team=insp.team_id, role="member")
        .values_list("cadre", flat=True)
        .first()
    )
    _user(LOGINS["office"], "巡视办干部", Role.OFFICE, body=body)
    _user(LOGINS["leading group"], "领导小组成员", Role.LEADING_GROUP, body=body)
    _user(LOGINS["team leader"], "组长", Role.INSPECTOR, cadre=Cadre.objects.get(pk=crew["leader"]))
    _user(LOGINS["member"], "组员", Role.INSPECTOR, cadre=Cadre.objects.get(pk=member))
    _user(LOGINS["liaison"], "联络员", Role.LIAISON, org=OrgUnit.objects.get(pk=insp.target_id))
    _user(LOGINS["system admin"], "系统管理员", Role.SYSTEM_ADMIN)
    _user(LOGINS["security admin"], "安全管理员", Role.SECURITY_ADMIN)
    _user(LOGINS["audit admin"], "审计管理员", Role.AUDIT_ADMIN)


def find_world() -> World | None:
    """The generated deployment in this database (None: not generated): its liaison's unit's
    inspection in rectification is the one the cases open."""
    liaison = User.objects.filter(username=LOGINS["liaison"]).first()
    if liaison is None:
        return None
    insp = Inspection.objects.filter(target=liaison.org_id, stage=Stage.RECTIFYING).get()
    round_ = Round.objects.get(pk=insp.round_id)
    return World(body=round_.body_id, round=round_.pk, team=insp.team_id, inspection=insp.pk)


SEQUENCED = [
    InspectingBody, OrgUnit, Cadre, Term, Round, Team, TeamMembership, Inspection, StageChange,
    WorkingPaper, Problem, RectificationItem, Petition, Clue,
]  # fmt: skip


def generate(scale: float = 1.0, seed: int = 2026, *, log: Any = print) -> World:
    """Write the deployment into the (migrated, empty) database; what the timing needs."""
    rng = random.Random(seed)
    today = timezone.localdate()
    ids = Ids()
    started = time.perf_counter()

    def step(what: str) -> None:
        log(f"  {time.perf_counter() - started:6.1f} s  {what}")

    with transaction.atomic():
        top, cities = _bodies(ids)
        orgs = _registry(rng, ids, top, cities, _count("organizations", scale))
        pool = _cadres(rng, ids, top, _count("cadres", scale))
        terms = _terms(ids, today, [top, *cities])
        step(f"{len(orgs)} organizations, {len(pool[0]) + len(pool[1])} cadres")
        work = _rounds(rng, ids, today, top, terms[top], orgs, pool, _count("inspections", scale))
        round_fields = ["id", "body_id", "term_id", "ordinal", "name", "kind", "sector_mode",
                        "targets_per_team", "start", "end"]  # fmt: skip
        copy_rows(Round, round_fields, work["rounds"])
        copy_rows(Team, ["id", "round_id", "number", "name", "rule_set_id"], work["teams"])
        copy_rows(TeamMembership, ["id", "team_id", "cadre_id", "role"], work["members"])
        insp_fields = ["id", "round_id", "team_id", "target_id", "kind", "start", "end", "stage"]
        copy_rows(Inspection, insp_fields, work["inspections"])
        copy_rows(
            StageChange, ["inspection_id", "from_stage", "to_stage", "on", "at"], work["changes"]
        )
        step(f"{len(work['rounds'])} rounds, {len(work['inspections'])} inspections")
        sizes = work_rows(rng, ids, today, top, work, scale, FULL, log=step)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), SEQUENCED):
                cursor.execute(sql)
        # The inspection every case opens: the newest round's first one in rectification.
        rectifying = Inspection.objects.filter(stage=Stage.RECTIFYING).order_by(
            "-round__start", "pk"
        )
        insp = rectifying.select_related("team").first() or Inspection.objects.order_by("-pk")[0]
        _users(top, insp)
        users = dict(User.objects.values_list("username", "pk"))
        events = audit_events(rng, today, users, _count("audit_events", scale))
        step(f"{events} audit events chained")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("vacuumed and analyzed")
    sizes.update(
        organizations=len(orgs),
        cadres=len(pool[0]) + len(pool[1]),
        rounds=len(work["rounds"]),
        teams=len(work["teams"]),
        inspections=len(work["inspections"]),
        stage_changes=len(work["changes"]),
        audit_events=events,
    )
    return World(body=top, round=insp.round_id, team=insp.team_id, inspection=insp.pk, sizes=sizes)
