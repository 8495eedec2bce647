"""A province at full size, written straight into a PostgreSQL database for the oversight and
village-ledger benchmark (`bench/province.py`, `make bench-province`).

The shape is Henan's: one provincial committee, 18 city committees, 157 county committees
(`InspectingBody` with parent), about 2,400 townships and 47,000 villages in the counties'
registries, plus each body's own departments. Every body has two five-year terms (`Term`), the
current one about 89 % gone, and a round every 105 days from two months into each term up to
the next fortnight: close to ten years of rounds. A county alternates village rounds (对村巡察,
teams of up to 12 villages in batches of four) with rounds of its townships and departments;
each body plans its in-scope units once a term at a pace of its own (85–100 % in the current
term, so that some bodies fall behind). Each inspection runs the stage line on dates drawn
around its round's start, from the authorization to the closing a year or two after the
feedback, and a few go astray: cancelled before the site, suspended after the feedback,
stuck in monitoring with overdue items, a report left unpassed for months. The stage
history (`StageChange`), the ledger items (a few per village, about ten elsewhere; red when
open past their deadline), the clues (some transferred and past their disposal due) and the
filings up (`Filing`: the plan at the first authorization, then report, feedback,
rectification report and disclosure; some plans returned, a few never filed) follow from
those dates. Ten counties keep deadline rules of their own.

Not generated, because none of the measured pages reads them: cadres and memberships,
talks, petitions, papers, problems, progress reports, disclosures' texts, audit events.

Here the bodies, registries, terms and users; the rounds and what follows them in
`province_history.py`; COPY and the ids in `province_rows.py`. Rows are written with COPY under
ids given here, and the sequences are reset after. Everything is drawn from one seeded
`random.Random`, so a run is reproducible for a given day. Django must be set up before this
module is imported (`bench/province.py` does it).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.deadlines.models import DeadlineRule, DeadlineRuleSet
from xunshi.findings.models import Clue
from xunshi.lifecycle.models import StageChange
from xunshi.oversight.models import Filing, OversightPoint
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.registry.models import InspectingBody, OrgUnit, Sector, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, Team
from xunshi.users import actions as accounts

from .province_history import inspections
from .province_rows import Body, Ids, at, copy_rows

__all__ = ["LOGINS", "PASSWORD", "Province", "generate"]

PASSWORD = "Bench-Province-2026"  # noqa: S105 (a throwaway database)

CITIES = [
    ("郑州", "4101", "郑"),
    ("开封", "4102", "汴"),
    ("洛阳", "4103", "洛"),
    ("平顶山", "4104", "平"),
    ("安阳", "4105", "安"),
    ("鹤壁", "4106", "鹤"),
    ("新乡", "4107", "新"),
    ("焦作", "4108", "焦"),
    ("濮阳", "4109", "濮"),
    ("许昌", "4110", "许"),
    ("漯河", "4111", "漯"),
    ("三门峡", "4112", "三"),
    ("南阳", "4113", "宛"),
    ("商丘", "4114", "商"),
    ("信阳", "4115", "信"),
    ("周口", "4116", "周"),
    ("驻马店", "4117", "驻"),
    ("济源", "4190", "济"),
]
COUNTIES, TOWNSHIPS, VILLAGES = 157, 2400, 47000
PROVINCE_UNITS, CITY_DEPARTMENTS, COUNTY_DEPARTMENTS = 282, 60, 40
TERM_DAYS, CURRENT_TERM_GONE = 1826, 1620  # the current term is 1,620 of 1,826 days old


@dataclass
class Province:
    """The ids the timing needs: the bodies and users it signs in as."""

    province: int
    city: int  # the city with the most counties
    county: int  # the county with the most villages
    township: int  # that county's township with the most villages
    sizes: dict[str, int]


def _spread(total: int, n: int, rng: random.Random, low: float = 0.5) -> list[int]:
    """`n` whole numbers that add up to `total`, each within about ±50 % of the mean."""
    weights = [rng.uniform(low, 2 - low) for _ in range(n)]
    scale = total / sum(weights)
    out = [int(w * scale) for w in weights]
    for i in rng.sample(range(n), total - sum(out)):
        out[i] += 1
    return out


def _bodies(rng: random.Random, ids: Ids) -> tuple[Body, list[Body], list[Body]]:
    province = Body(ids.take(InspectingBody), "province", "中共河南省委", "省委", None)
    province.code = "410000"
    cities, counties = [], []
    per_city = [*_spread(COUNTIES, len(CITIES) - 1, rng, 0.6), 0]  # 济源 has no county
    for (name, code, abbr), n in zip(CITIES, per_city, strict=True):
        pk = ids.take(InspectingBody)
        city = Body(pk, "city", f"中共{name}市委", "市委", province, place=name)
        city.code, city.abbr = code + "00", abbr
        cities.append(city)
        for k in range(1, n + 1):
            pk = ids.take(InspectingBody)
            county = Body(
                pk, "county", f"中共{name}第{k}县委", "县委", city, place=f"{name}第{k}县"
            )
            county.code, county.abbr = f"{code}{20 + k:02d}", abbr
            counties.append(county)
    rows = [
        (b.pk, b.name, b.level, b.code, b.abbr, b.parent.pk if b.parent else None)
        for b in [province, *cities, *counties]
    ]
    copy_rows(
        InspectingBody, ["id", "name", "level", "region_code", "abbreviation", "parent_id"], rows
    )
    return province, cities, counties


def _registry(
    rng: random.Random, ids: Ids, province: Body, cities: list[Body], counties: list[Body]
) -> dict[str, int]:
    """Each body's units in scope: the province's city committees and 282 provincial units, a
    city's county committees and 60 departments, a county's 40 departments, its townships and
    their villages."""
    rows: list[tuple[Any, ...]] = []

    def unit(body: Body, code: str, name: str, sector: str, parent: int | None = None) -> int:
        pk = ids.take(OrgUnit)
        rows.append((pk, body.pk, code, name, sector, parent, True))
        return pk

    for city in cities:
        province.units.append(unit(province, f"C{city.code}", f"{city.place}市委", Sector.CITY))
    sectors = [Sector.DEPARTMENT] * 6 + [Sector.SOE, Sector.UNIVERSITY, Sector.FINANCIAL]
    for n in range(1, PROVINCE_UNITS + 1):
        name = f"省直单位{n}党组"
        province.units.append(unit(province, f"P41{n:04d}", name, rng.choice(sectors)))
    for city in cities:
        for n in range(1, CITY_DEPARTMENTS + 1):
            name = f"{city.place}市直单位{n}党组"
            city.units.append(unit(city, f"D{city.code}{n:03d}", name, Sector.DEPARTMENT))
    for county in counties:
        assert county.parent is not None
        name = f"{county.place}委"
        county.parent.units.append(unit(county.parent, f"K{county.code}", name, Sector.COUNTY))
    townships = _spread(TOWNSHIPS, len(counties), rng)
    villages = _spread(VILLAGES, TOWNSHIPS, rng)
    v = 0
    for county, n_towns in zip(counties, townships, strict=True):
        code = county.code
        for n in range(1, COUNTY_DEPARTMENTS + 1):
            name = f"{county.place}直单位{n}党组"
            county.units.append(unit(county, f"D{code}{n:03d}", name, Sector.DEPARTMENT))
        for t in range(1, n_towns + 1):
            town_code = f"{code}{100 + t:03d}"
            town = unit(county, f"{town_code}000", f"第{t}镇党委", Sector.TOWNSHIP)
            county.units.append(town)
            for k in range(1, villages[v] + 1):
                name = f"第{t}镇{k}村党支部"
                village = unit(county, f"{town_code}{200 + k:03d}", name, Sector.VILLAGE, town)
                county.villages.append(village)
            v += 1
    copy_rows(OrgUnit, ["id", "body_id", "code", "name", "sector", "parent_id", "in_scope"], rows)
    return {"townships": sum(townships), "villages": sum(villages), "organizations": len(rows)}


def _terms(
    today: dt.date, ids: Ids, bodies: list[Body]
) -> list[tuple[Body, int, dt.date, dt.date]]:
    current = today - dt.timedelta(CURRENT_TERM_GONE)
    spans = [
        (current - dt.timedelta(TERM_DAYS), current - dt.timedelta(1), "十一"),
        (current, current + dt.timedelta(TERM_DAYS - 1), "十二"),
    ]
    out, rows = [], []
    for body in bodies:
        for start, end, word in spans:
            pk = ids.take(Term)
            body.term_ids.append(pk)
            rows.append((pk, body.pk, f"第{word}届{body.short}", start, end))
            out.append((body, pk, start, end))
    copy_rows(Term, ["id", "body_id", "name", "start", "end"], rows)
    return out


def _own_rules(rng: random.Random, ids: Ids, counties: list[Body]) -> None:
    """Ten counties issued deadline rules of their own, with a longer yellow warning."""
    deployment = DeadlineRuleSet.objects.get(active=True, body__isnull=True)
    rules = list(deployment.rules.values_list("key", "amount", "unit"))
    sets, rows = [], []
    for county in rng.sample(counties, min(10, len(counties))):
        pk = ids.take(DeadlineRuleSet)
        sets.append((pk, county.pk, 1, "本县期限规则", at(timezone.localdate()), True))
        for key, amount, unit in rules:
            amount = 15 if key == "warning_yellow" else amount
            rows.append((ids.take(DeadlineRule), pk, key, amount, unit))
    copy_rows(DeadlineRuleSet, ["id", "body_id", "version", "note", "created_at", "active"], sets)
    copy_rows(DeadlineRule, ["id", "rule_set_id", "key", "amount", "unit"], rows)


def _points(rng: random.Random, ids: Ids, today: dt.date, lower: list[Body]) -> None:
    rows = []
    for body in lower:
        assert body.parent is not None
        for n in range(2):
            rows.append(
                (
                    ids.take(OversightPoint),
                    body.parent.pk,
                    body.pk,
                    f"督导要点{n + 1}：加快村级巡察进度，抓好反馈问题整改。",
                    today + dt.timedelta(rng.randint(10, 90)),
                    at(today - dt.timedelta(rng.randint(1, 200))),
                )
            )
    copy_rows(
        OversightPoint, ["id", "from_body_id", "to_body_id", "text", "due", "created_at"], rows
    )


def _user(username: str, full_name: str, role: str, **kw: Any) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    return accounts.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)


# The user name of each role the timing signs in as.
LOGINS = {
    "province office": "prov_office",
    "city office": "city_office",
    "county office": "county_office",
    "township liaison": "town_liaison",
}


def generate(seed: int = 2026, *, log: Any = print) -> Province:
    """Write the province into the (migrated, empty) database; its ids and sizes."""
    rng = random.Random(seed)
    today = timezone.localdate()
    ids = Ids()
    started = time.perf_counter()

    def step(what: str) -> None:
        log(f"  {time.perf_counter() - started:6.1f} s  {what}")

    with transaction.atomic():
        province, cities, counties = _bodies(rng, ids)
        bodies = [province, *cities, *counties]
        sizes = _registry(rng, ids, province, cities, counties)
        step(f"{len(bodies)} bodies, {sizes['organizations']} organizations")
        for body in bodies:
            body.pace = rng.uniform(0.88, 1.0)
        terms = _terms(today, ids, bodies)
        rules = ["严格遵守政治纪律", "严禁违规干预被巡察单位工作"]
        rule_set = rnd.ruleset_create(actor=SYSTEM, name="巡察工作纪律", items=rules).pk
        out = inspections(rng, ids, today, terms, rule_set)
        step(f"{len(out.inspections)} inspections drawn")
        copy_rows(
            Round,
            [
                "id",
                "body_id",
                "term_id",
                "ordinal",
                "name",
                "kind",
                "sector_mode",
                "targets_per_team",
                "start",
                "end",
            ],
            out.rounds,
        )
        copy_rows(Team, ["id", "round_id", "number", "name", "rule_set_id"], out.teams)
        copy_rows(
            Inspection,
            [
                "id",
                "round_id",
                "team_id",
                "target_id",
                "kind",
                "counts_for_coverage",
                "batch",
                "start",
                "end",
                "stage",
            ],
            out.inspections,
        )
        copy_rows(StageChange, ["inspection_id", "from_stage", "to_stage", "on", "at"], out.changes)
        step(f"{len(out.changes)} stage changes")
        copy_rows(
            RectificationItem,
            [
                "id",
                "inspection_id",
                "seq",
                "title",
                "measures",
                "responsible_leader",
                "responsible_department",
                "deadline",
                "kind",
                "status",
                "claimed_on",
                "closed_on",
            ],
            out.items,
        )
        step(f"{len(out.items)} ledger items")
        copy_rows(
            Clue,
            [
                "id",
                "inspection_id",
                "seq",
                "persons",
                "summary",
                "source",
                "recipient",
                "transferred_on",
                "receiving_body",
                "disposal_due",
                "disposal_due_rule",
                "disposal",
                "disposal_reported_on",
                "created_at",
            ],
            out.clues,
        )
        copy_rows(
            Filing,
            [
                "id",
                "from_body_id",
                "to_body_id",
                "kind",
                "round_id",
                "inspection_id",
                "summary",
                "filed_at",
                "version",
                "status",
                "review_reason",
                "reviewed_at",
            ],
            out.filings,
        )
        step(f"{len(out.clues)} clues, {len(out.filings)} filings")
        _own_rules(rng, ids, counties)
        _points(rng, ids, today, [*cities, *counties])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(),
                [
                    InspectingBody,
                    OrgUnit,
                    Term,
                    Round,
                    Team,
                    Inspection,
                    StageChange,
                    RectificationItem,
                    Clue,
                    Filing,
                    OversightPoint,
                    DeadlineRuleSet,
                    DeadlineRule,
                ],
            ):
                cursor.execute(sql)

        city = max(cities, key=lambda c: sum(1 for k in counties if k.parent is c))
        county = max(counties, key=lambda k: len(k.villages))
        township = (
            OrgUnit.objects.filter(body_id=county.pk, sector=Sector.TOWNSHIP)
            .annotate(n=models.Count("children"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        body = InspectingBody.objects.get
        _user(LOGINS["province office"], "省委巡视办", Role.OFFICE, body=body(pk=province.pk))
        _user(LOGINS["city office"], "市委巡察办", Role.OFFICE, body=body(pk=city.pk))
        _user(LOGINS["county office"], "县委巡察办", Role.OFFICE, body=body(pk=county.pk))
        town = OrgUnit.objects.get(pk=township)
        _user(LOGINS["township liaison"], "乡镇联络员", Role.LIAISON, org=town)
    step("written")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("vacuumed and analyzed")
    sizes.update(
        bodies=len(bodies),
        cities=len(cities),
        counties=len(counties),
        terms=len(terms),
        rounds=len(out.rounds),
        teams=len(out.teams),
        inspections=len(out.inspections),
        stage_changes=len(out.changes),
        ledger_items=len(out.items),
        red_items=sum(1 for row in out.items if row[9] != ItemStatus.CLOSED and row[7] < today),
        clues=len(out.clues),
        filings=len(out.filings),
    )
    return Province(
        province=province.pk, city=city.pk, county=county.pk, township=township, sizes=sizes
    )
