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

Rows are written with COPY (`_copy`) under ids given here, and the sequences are reset after.
Everything is drawn from one seeded `random.Random`, so a run is reproducible for a given
day. Django must be set up before this module is imported (`bench/province.py` does it).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.deadlines.models import DeadlineRule, DeadlineRuleSet
from xunshi.findings.models import Clue
from xunshi.lifecycle.models import StageChange
from xunshi.oversight.models import Filing, FilingKind, FilingStatus, OversightPoint
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.registry.models import InspectingBody, OrgUnit, Sector, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, Stage, Team
from xunshi.users import actions as accounts

__all__ = ["LOGINS", "PASSWORD", "Province", "generate"]

PASSWORD = "Bench-Province-2026"  # noqa: S105 (a throwaway database)
TZ = ZoneInfo("Asia/Shanghai")
S = Stage

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
ROUND_EVERY, FIRST_ROUND_AFTER, ROUNDS_PER_TERM = 105, 60, 16
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强海涛丽娟红梅立新晓燕光明卫东桂英秀兰俊杰文华"
PROBLEMS = [
    "落实全面从严治党主体责任不到位",
    "“三重一大”事项集体决策执行不严格",
    "惠农补贴资金发放审核把关不严",
    "村级财务管理不规范，白条入账",
    "集体资产资源底数不清、租金长期未收缴",
    "基层党组织“三会一课”制度落实不到位",
    "违规发放津贴补贴",
    "工程项目招投标程序不规范",
    "整治群众身边腐败和不正之风不力",
    "形式主义、官僚主义问题仍然存在",
    "干部选拔任用程序不规范",
    "巡察整改和审计整改不到位",
]
# The main line of `Stage` and the usual days from one stage to the next (the first three are
# before the site: authorized 20 days and notified 7 days before the entry date).
MAIN = [
    S.AUTHORIZED,
    S.NOTIFIED,
    S.ON_SITE,
    S.WITHDRAWN,
    S.REPORT_DRAFTED,
    S.OFFICE_REVIEWED,
    S.LEADING_GROUP_HEARD,
    S.COMMITTEE_DECIDED,
    S.FEEDBACK_GIVEN,
    S.RECTIFYING,
    S.RECTIFICATION_REPORTED,
    S.DISCLOSED,
    S.MONITORING,
    S.CLOSED,
    S.ARCHIVED,
]
GAP_AFTER = {
    S.REPORT_DRAFTED: 15,
    S.OFFICE_REVIEWED: 15,
    S.LEADING_GROUP_HEARD: 10,
    S.COMMITTEE_DECIDED: 10,
    S.FEEDBACK_GIVEN: 10,
    S.RECTIFYING: 5,
    S.RECTIFICATION_REPORTED: 60,
    S.DISCLOSED: 15,
    S.MONITORING: 15,
}


@dataclass
class Body:
    pk: int
    level: str
    name: str
    short: str
    parent: Body | None
    term_ids: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # in scope, not villages
    villages: list[int] = field(default_factory=list)
    pace: float = 1.0  # share of the current term's targets it plans at all
    place: str = ""  # 郑州 for 中共郑州市委
    code: str = ""  # its region code
    abbr: str = ""


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


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


class _Ids:
    """The next free id of each table (the tables may hold rows of the migrations)."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self.next:
            agg = model.objects.aggregate(m=models.Max("pk"))["m"]
            self.next[model] = (agg or 0) + 1
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk


def _copy(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY the rows (values of `fields`, in order) into the model's table; every other column
    gets the field's default."""
    given = [model._meta.get_field(f) for f in fields]
    rest = [
        f
        for f in model._meta.concrete_fields
        if f not in given and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    defaults: list[Any] = []
    for f in rest:
        value = f.get_default()
        defaults.append(json.dumps(value) if isinstance(f, models.JSONField) else value)
    tail = tuple(defaults)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    table = connection.ops.quote_name(model._meta.db_table)
    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *tail))
                n += 1
    return n


def _timeline(start: dt.date, village: bool, rng: random.Random) -> list[tuple[str, dt.date]]:
    """The stage line of one inspection entering its site on `start`, with a few going astray
    (cancelled before the site, stuck in monitoring, suspended, a report left lying)."""
    j = rng.uniform
    days = {
        S.AUTHORIZED: start - dt.timedelta(20),
        S.NOTIFIED: start - dt.timedelta(7),
        S.ON_SITE: start,
        S.WITHDRAWN: start + dt.timedelta(round((20 if village else 45) * j(0.9, 1.2))),
    }
    fate = rng.random()
    if fate < 0.005:
        return [
            (S.AUTHORIZED, days[S.AUTHORIZED]),
            (S.CANCELLED, days[S.AUTHORIZED] + dt.timedelta(5)),
        ]
    late_report = fate > 0.97
    last = days[S.WITHDRAWN]
    for stage in MAIN[4:13]:
        gap = GAP_AFTER[stage] * j(0.8, 1.6)
        if late_report and stage == S.OFFICE_REVIEWED:
            gap += 120
        last = last + dt.timedelta(round(gap))
        days[stage] = last
    out = [(s, days[s]) for s in MAIN[:13]]
    if 0.005 <= fate < 0.009:  # suspended a month after the feedback
        cut = MAIN.index(S.FEEDBACK_GIVEN) + 1
        return [*out[:cut], (S.SUSPENDED, days[S.FEEDBACK_GIVEN] + dt.timedelta(30))]
    if 0.009 <= fate < 0.03:  # never closed: stays in monitoring
        return out
    closed = days[S.FEEDBACK_GIVEN] + dt.timedelta(rng.randint(300, 700))
    out.append((S.CLOSED, closed))
    if rng.random() < 0.5:
        out.append((S.ARCHIVED, closed + dt.timedelta(rng.randint(60, 400))))
    return out


def _bodies(rng: random.Random, ids: _Ids) -> tuple[Body, list[Body], list[Body]]:
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
    _copy(InspectingBody, ["id", "name", "level", "region_code", "abbreviation", "parent_id"], rows)
    return province, cities, counties


def _registry(
    rng: random.Random, ids: _Ids, province: Body, cities: list[Body], counties: list[Body]
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
    _copy(OrgUnit, ["id", "body_id", "code", "name", "sector", "parent_id", "in_scope"], rows)
    return {"townships": sum(townships), "villages": sum(villages), "organizations": len(rows)}


def _terms(
    today: dt.date, ids: _Ids, bodies: list[Body]
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
    _copy(Term, ["id", "body_id", "name", "start", "end"], rows)
    return out


@dataclass
class _Out:
    rounds: list[tuple[Any, ...]] = field(default_factory=list)
    teams: list[tuple[Any, ...]] = field(default_factory=list)
    inspections: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)
    clues: list[tuple[Any, ...]] = field(default_factory=list)
    filings: list[tuple[Any, ...]] = field(default_factory=list)


def _split(targets: list[int], parts: int) -> list[list[int]]:
    size, extra = divmod(len(targets), parts)
    out, at = [], 0
    for i in range(parts):
        n = size + (1 if i < extra else 0)
        out.append(targets[at : at + n])
        at += n
    return out


def _round_plan(body: Body, rng: random.Random, current: bool) -> list[tuple[str, list[int], int]]:
    """The term's rounds as (kind, targets, targets per team): a county alternates village
    rounds with its townships and departments; every body plans its units once a term, at its
    own pace in the current term."""
    pace = body.pace if current else rng.uniform(0.97, 1.0)
    units = rng.sample(body.units, round(len(body.units) * pace))
    if body.level != "county":
        return [("regular", part, 2) for part in _split(units, ROUNDS_PER_TERM)]
    villages = rng.sample(body.villages, round(len(body.villages) * pace))
    half = ROUNDS_PER_TERM // 2
    vparts, uparts = _split(villages, half), _split(units, half)
    plan = []
    for k in range(half):
        plan.append(("village", vparts[k], 12))
        plan.append(("regular", uparts[k], 3))
    return plan


def _inspections(
    rng: random.Random,
    ids: _Ids,
    today: dt.date,
    terms: list[tuple[Body, int, dt.date, dt.date]],
    rule_set: int,
) -> _Out:
    out = _Out()
    horizon = today + dt.timedelta(15)
    for body, term_id, term_start, term_end in terms:
        current = term_start <= today <= term_end
        parent = body.parent.pk if body.parent else None
        # 3 % of the counties never file their current round's plan; 2 % of plans come back.
        skips_plan = current and body.level == "county" and rng.random() < 0.03
        for k, (kind, targets, per_team) in enumerate(_round_plan(body, rng, current)):
            start = term_start + dt.timedelta(FIRST_ROUND_AFTER + k * ROUND_EVERY)
            if start > horizon or not targets:
                continue
            village = kind == "village"
            site_days = 45 if village else 60
            round_pk = ids.take(Round)
            out.rounds.append(
                (
                    round_pk,
                    body.pk,
                    term_id,
                    k + 1,
                    f"{body.name[2:]}{'第十二届' if current else '第十一届'}第{k + 1}轮巡察",
                    kind,
                    "mixed",
                    per_team,
                    start,
                    start + dt.timedelta(site_days),
                )
            )
            first_authorized: dt.date | None = None
            for n, team_targets in enumerate(_split(targets, -(-len(targets) // per_team)), 1):
                team_pk = ids.take(Team)
                out.teams.append((team_pk, round_pk, n, f"第{n}巡察组", rule_set))
                for i, target in enumerate(team_targets):
                    batch = i // 4 + 1 if village else 1
                    entry = start + dt.timedelta((batch - 1) * 15)
                    line = [(s, d) for s, d in _timeline(entry, village, rng) if d <= today]
                    stage = line[-1][0] if line else S.PLANNED
                    pk = ids.take(Inspection)
                    out.inspections.append(
                        (
                            pk,
                            round_pk,
                            team_pk,
                            target,
                            kind,
                            True,
                            batch,
                            entry,
                            entry + dt.timedelta(14 if village else site_days),
                            stage,
                        )
                    )
                    _history(out, pk, line)
                    if line and (first_authorized is None or line[0][1] < first_authorized):
                        first_authorized = line[0][1]
                    reached = dict(line)
                    if S.FEEDBACK_GIVEN in reached:
                        _items(out, ids, rng, pk, village, reached, today)
                    if S.REPORT_DRAFTED in reached:
                        _clues(out, ids, rng, pk, village, reached, today)
                    if parent is not None:
                        _filings(out, ids, body, parent, round_pk, pk, reached, today)
            if (
                parent is not None
                and first_authorized is not None
                and not (skips_plan and start > today - dt.timedelta(200))
            ):
                _plan_filing(out, ids, rng, body, parent, round_pk, first_authorized, today)
    return out


def _history(out: _Out, pk: int, line: list[tuple[str, dt.date]]) -> None:
    before = S.PLANNED
    for stage, day in line:
        out.changes.append((pk, before, stage, day, _at(day)))
        before = stage


def _items(
    out: _Out,
    ids: _Ids,
    rng: random.Random,
    pk: int,
    village: bool,
    reached: dict[str, dt.date],
    today: dt.date,
) -> None:
    feedback = reached[S.FEEDBACK_GIVEN]
    closed = reached.get(S.CLOSED)
    for seq in range(1, (rng.randint(2, 6) if village else rng.randint(6, 14)) + 1):
        kind, months = rng.choice(
            [("immediate", 1), ("concentrated", 3), ("concentrated", 6), ("long_term", 12)]
        )
        deadline = feedback + dt.timedelta(30 * months)
        claimed = closed_on = None
        if closed is not None:
            status = ItemStatus.CLOSED
            closed_on = min(closed, deadline + dt.timedelta(rng.randint(-25, 20)))
        else:
            r = rng.random()
            if deadline < today:
                status = (
                    ItemStatus.CLOSED
                    if r < 0.75
                    else ItemStatus.CLAIMED
                    if r < 0.8
                    else ItemStatus.IN_PROGRESS
                )
            else:
                status = (
                    ItemStatus.CLOSED
                    if r < 0.35
                    else ItemStatus.IN_PROGRESS
                    if r < 0.75
                    else ItemStatus.PENDING
                )
            if status == ItemStatus.CLOSED:
                closed_on = min(today, deadline - dt.timedelta(rng.randint(0, 20)))
            elif status == ItemStatus.CLAIMED:
                claimed = min(today, deadline + dt.timedelta(rng.randint(-10, 10)))
        out.items.append(
            (
                ids.take(RectificationItem),
                pk,
                seq,
                rng.choice(PROBLEMS),
                "制定整改措施，明确责任人和完成时限，建立长效机制。",
                _name(rng),
                "党政办公室",
                deadline,
                kind,
                status,
                claimed,
                closed_on,
            )
        )


def _clues(
    out: _Out,
    ids: _Ids,
    rng: random.Random,
    pk: int,
    village: bool,
    reached: dict[str, dt.date],
    today: dt.date,
) -> None:
    n = (1 if rng.random() < 0.1 else 0) if village else rng.choice([0, 1, 1, 2, 3])
    reviewed = reached.get(S.OFFICE_REVIEWED)
    for seq in range(1, n + 1):
        transferred = reviewed + dt.timedelta(10) if reviewed else None
        if transferred is not None and transferred > today:
            transferred = None
        due = transferred + dt.timedelta(91) if transferred else None
        reported = None
        if due is not None:
            if due < today:
                reported = None if rng.random() < 0.08 else due - dt.timedelta(rng.randint(0, 40))
            elif rng.random() < 0.5 and transferred + dt.timedelta(30) < today:  # type: ignore[operator]
                reported = transferred + dt.timedelta(30)  # type: ignore[operator]
        out.clues.append(
            (
                ids.take(Clue),
                pk,
                seq,
                _name(rng),
                "反映其违规收受礼品礼金。",
                "talk",
                "discipline",
                transferred,
                "纪委监委" if transferred else "",
                due,
                "3个月（期限规则第1版）" if due else "",
                "talk_inquiry" if reported else "",
                reported,
                _at(reached[S.REPORT_DRAFTED]),
            )
        )


_FILED_AT = [
    (FilingKind.REPORT, S.OFFICE_REVIEWED),
    (FilingKind.FEEDBACK, S.FEEDBACK_GIVEN),
    (FilingKind.RECTIFICATION, S.RECTIFICATION_REPORTED),
    (FilingKind.DISCLOSURE, S.DISCLOSED),
]


def _filing(
    out: _Out,
    ids: _Ids,
    body: Body,
    parent: int,
    round_pk: int,
    inspection: int | None,
    kind: str,
    on: dt.date,
    today: dt.date,
    summary: dict[str, Any],
    *,
    version: int = 1,
    status: str | None = None,
    reviewed: dt.date | None = None,
) -> None:
    if status is None:
        status = FilingStatus.ACCEPTED if on < today - dt.timedelta(30) else FilingStatus.FILED
        reviewed = on + dt.timedelta(10) if status == FilingStatus.ACCEPTED else None
    out.filings.append(
        (
            ids.take(Filing),
            body.pk,
            parent,
            kind,
            round_pk,
            inspection,
            json.dumps(summary, ensure_ascii=False),
            _at(on, 15),
            version,
            status,
            "请补充巡察组人员构成。" if status == FilingStatus.RETURNED else "",
            _at(reviewed, 16) if reviewed else None,
        )
    )


def _filings(
    out: _Out,
    ids: _Ids,
    body: Body,
    parent: int,
    round_pk: int,
    pk: int,
    reached: dict[str, dt.date],
    today: dt.date,
) -> None:
    for kind, stage in _FILED_AT:
        if stage in reached:
            summary = {"target": f"单位{pk}", "team": "第1巡察组", "problems": 6, "clues": 1}
            _filing(out, ids, body, parent, round_pk, pk, kind, reached[stage], today, summary)


def _plan_filing(
    out: _Out,
    ids: _Ids,
    rng: random.Random,
    body: Body,
    parent: int,
    round_pk: int,
    on: dt.date,
    today: dt.date,
) -> None:
    summary = {"round": f"第{round_pk}轮", "team_count": 3, "target_count": 9, "teams": []}
    if rng.random() < 0.02:  # returned; filed again ten days later unless that is still ahead
        back = on + dt.timedelta(7)
        if back <= today:
            _filing(
                out,
                ids,
                body,
                parent,
                round_pk,
                None,
                FilingKind.PLAN,
                on,
                today,
                summary,
                status=FilingStatus.RETURNED,
                reviewed=back,
            )
            again = back + dt.timedelta(rng.choice([10, 10, 10, 400]))
            if again <= today:
                _filing(
                    out,
                    ids,
                    body,
                    parent,
                    round_pk,
                    None,
                    FilingKind.PLAN,
                    again,
                    today,
                    summary,
                    version=2,
                )
            return
    _filing(out, ids, body, parent, round_pk, None, FilingKind.PLAN, on, today, summary)


def _own_rules(rng: random.Random, ids: _Ids, counties: list[Body]) -> None:
    """Ten counties issued deadline rules of their own, with a longer yellow warning."""
    deployment = DeadlineRuleSet.objects.get(active=True, body__isnull=True)
    rules = list(deployment.rules.values_list("key", "amount", "unit"))
    sets, rows = [], []
    for county in rng.sample(counties, min(10, len(counties))):
        pk = ids.take(DeadlineRuleSet)
        sets.append((pk, county.pk, 1, "本县期限规则", _at(timezone.localdate()), True))
        for key, amount, unit in rules:
            amount = 15 if key == "warning_yellow" else amount
            rows.append((ids.take(DeadlineRule), pk, key, amount, unit))
    _copy(DeadlineRuleSet, ["id", "body_id", "version", "note", "created_at", "active"], sets)
    _copy(DeadlineRule, ["id", "rule_set_id", "key", "amount", "unit"], rows)


def _points(rng: random.Random, ids: _Ids, today: dt.date, lower: list[Body]) -> None:
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
                    _at(today - dt.timedelta(rng.randint(1, 200))),
                )
            )
    _copy(OversightPoint, ["id", "from_body_id", "to_body_id", "text", "due", "created_at"], rows)


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
    ids = _Ids()
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
        out = _inspections(rng, ids, today, terms, rule_set)
        step(f"{len(out.inspections)} inspections drawn")
        _copy(
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
        _copy(Team, ["id", "round_id", "number", "name", "rule_set_id"], out.teams)
        _copy(
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
        _copy(StageChange, ["inspection_id", "from_stage", "to_stage", "on", "at"], out.changes)
        step(f"{len(out.changes)} stage changes")
        _copy(
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
        _copy(
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
        _copy(
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
