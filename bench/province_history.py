"""The ten years of work of the generated province (`bench/province_data.py`): each body's
rounds over its two terms, each inspection's stage line drawn around its round's start (a few
going astray), and what follows from its dates: the stage history, the ledger items, the
clues and the filings up."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Any

from xunshi.findings.models import Clue
from xunshi.oversight.models import Filing, FilingKind, FilingStatus
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.rounds.models import Inspection, Round, Stage, Team

from .province_rows import Body, Ids, at

__all__ = ["FIRST_ROUND_AFTER", "ROUNDS_PER_TERM", "ROUND_EVERY", "History", "inspections"]

S = Stage
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


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


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


@dataclass
class History:
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


def inspections(
    rng: random.Random,
    ids: Ids,
    today: dt.date,
    terms: list[tuple[Body, int, dt.date, dt.date]],
    rule_set: int,
) -> History:
    out = History()
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


def _history(out: History, pk: int, line: list[tuple[str, dt.date]]) -> None:
    before = S.PLANNED
    for stage, day in line:
        out.changes.append((pk, before, stage, day, at(day)))
        before = stage


def _items(
    out: History,
    ids: Ids,
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
    out: History,
    ids: Ids,
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
                at(reached[S.REPORT_DRAFTED]),
            )
        )


_FILED_AT = [
    (FilingKind.REPORT, S.OFFICE_REVIEWED),
    (FilingKind.FEEDBACK, S.FEEDBACK_GIVEN),
    (FilingKind.RECTIFICATION, S.RECTIFICATION_REPORTED),
    (FilingKind.DISCLOSURE, S.DISCLOSED),
]


def _filing(
    out: History,
    ids: Ids,
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
            at(on, 15),
            version,
            status,
            "请补充巡察组人员构成。" if status == FilingStatus.RETURNED else "",
            at(reviewed, 16) if reviewed else None,
        )
    )


def _filings(
    out: History,
    ids: Ids,
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
    out: History,
    ids: Ids,
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
