"""The records of the generated deployment's work (`bench/web_data.py`): working papers and
their problems, ledger items, petitions and clues, spread over the inspections that have
reached the stage where each exists; and the chained audit trail."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import models

from xunshi.audit.chain import event_hash, head_mac
from xunshi.audit.models import AuditEvent, AuditHead
from xunshi.fieldwork.models import Petition, TaxonomyItem, WorkingPaper
from xunshi.findings.models import Clue, Problem
from xunshi.lib.sealed_fields import SealedTextField
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.rounds.models import Stage

from .province_history import PROBLEMS
from .province_rows import TZ, Ids, at, copy_rows

__all__ = ["audit_events", "work_rows"]

_ORDER = [s for s in Stage.values]
PROBLEM_FROM, ITEMS_FROM = Stage.REPORT_DRAFTED, Stage.FEEDBACK_GIVEN
PETITIONS_FROM, CLUES_FROM = Stage.NOTIFIED, Stage.WITHDRAWN
DONE = {Stage.MONITORING, Stage.CLOSED, Stage.ARCHIVED}
OPEN = [ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.IN_PROGRESS, ItemStatus.CLAIMED]
PEOPLE = ["王建国", "李丽娟", "张海涛", "刘红梅", "陈立新", "杨晓燕", "赵光明", "黄秀兰"]


class Sealer:
    """A sealed token per distinct (field, text), made once: reusing one is as valid as a
    fresh one, and sealing a million texts would be most of the generator's time."""

    def __init__(self) -> None:
        self.done: dict[tuple[str, str], str] = {}

    def __call__(self, model: type[models.Model], name: str, text: str) -> str:
        key = (f"{model._meta.db_table}.{name}", text)
        if key not in self.done:
            found = model._meta.get_field(name)
            assert isinstance(found, SealedTextField)
            self.done[key] = found.get_prep_value(text)
        return self.done[key]


def _reached(stage: str, since: Stage) -> bool:
    return stage not in (Stage.SUSPENDED, Stage.CANCELLED) and _ORDER.index(stage) >= _ORDER.index(
        since
    )


def _spread(total: int, eligible: Sequence[Any], rng: random.Random) -> list[int]:
    """`total` shared among the eligible rows, each within about ±50 % of the mean."""
    if not eligible:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in eligible]
    scale = total / sum(weights)
    out = [int(w * scale) for w in weights]
    for i in rng.sample(range(len(out)), min(len(out), total - sum(out))):
        out[i] += 1
    return out


def _dates(changes: list[tuple[Any, ...]]) -> dict[tuple[int, str], dt.date]:
    return {(row[0], row[2]): row[3] for row in changes}


def work_rows(
    rng: random.Random,
    ids: Ids,
    today: dt.date,
    top: int,
    work: dict[str, list[tuple[Any, ...]]],
    scale: float,
    full: dict[str, int],
    *,
    log: Any,
) -> dict[str, int]:
    """COPY the papers, problems, items, petitions and clues; their counts."""
    seal = Sealer()
    reached = _dates(work["changes"])
    insps = work["inspections"]  # (id, round, team, target, kind, start, end, stage)
    team_number = {row[0]: row[2] for row in work["teams"]}
    category = TaxonomyItem.objects.filter(taxonomy__body__isnull=True).order_by("pk")[0].pk

    def count(name: str) -> int:
        return max(1, round(full[name] * scale))

    with_problems = [r for r in insps if _reached(r[7], PROBLEM_FROM)]
    per = _spread(count("problems"), with_problems, rng)
    papers, problems, series = [], [], {}
    facts = seal(
        WorkingPaper, "facts", "经查，该单位存在相关问题，有会议记录、账目和谈话记录为证。"
    )
    basis = seal(WorkingPaper, "qualification", "违反《中国共产党纪律处分条例》有关规定。")
    problem_ids: dict[int, list[int]] = {}
    for row, n in zip(with_problems, per, strict=True):
        drafted = reached[(row[0], Stage.REPORT_DRAFTED)]
        key = (drafted.year, team_number[row[2]])
        for seq in range(1, n + 1):
            paper = ids.take(WorkingPaper)
            series[key] = series.get(key, 0) + 1
            number = f"〔{drafted.year}〕样巡-{row[2]}队-{series[key]:02d}号"
            title = PROBLEMS[(paper + seq) % len(PROBLEMS)]
            papers.append(
                (paper, row[0], drafted.year, series[key], number, title, facts, basis,
                 category, "approved", at(drafted))
            )  # fmt: skip
            pk = ids.take(Problem)
            problem_ids.setdefault(row[0], []).append(pk)
            problems.append((pk, row[0], paper, seq, title, at(drafted)))
    paper_fields = ["id", "inspection_id", "year", "seq", "number", "title", "facts",
                    "qualification", "category_id", "status", "created_at"]  # fmt: skip
    copy_rows(WorkingPaper, paper_fields, papers)
    copy_rows(
        Problem, ["id", "inspection_id", "paper_id", "seq", "summary", "created_at"], problems
    )
    log(f"{len(papers)} working papers and problems")

    with_items = [r for r in insps if _reached(r[7], ITEMS_FROM)]
    per = _spread(count("ledger_items"), with_items, rng)
    items, red = [], 0
    for row, n in zip(with_items, per, strict=True):
        given = reached[(row[0], Stage.FEEDBACK_GIVEN)]
        linked = problem_ids.get(row[0], [])
        for seq in range(1, n + 1):
            deadline = given + dt.timedelta(rng.choice([30, 90, 180, 365]))
            kind = "immediate" if deadline < given + dt.timedelta(60) else "concentrated"
            if row[7] in DONE or (deadline < today and rng.random() < 0.8):
                status, closed = ItemStatus.CLOSED, min(today, deadline)
            else:
                status, closed = rng.choice(OPEN), None
                red += deadline < today
            items.append(
                (ids.take(RectificationItem), row[0], seq,
                 linked[seq - 1] if seq <= len(linked) else None,
                 PROBLEMS[seq % len(PROBLEMS)], "逐项对照整改，建立长效机制。", "分管副书记",
                 "办公室", deadline, kind, status,
                 closed if status == ItemStatus.CLOSED else None, closed)
            )  # fmt: skip
    item_fields = ["id", "inspection_id", "seq", "problem_id", "title", "measures",
                   "responsible_leader", "responsible_department", "deadline", "kind",
                   "status", "claimed_on", "closed_on"]  # fmt: skip
    copy_rows(RectificationItem, item_fields, items)
    log(f"{len(items)} ledger items ({red} red)")

    with_petitions = [r for r in insps if _reached(r[7], PETITIONS_FROM)]
    per = _spread(count("petitions"), with_petitions, rng)
    contents = [seal(Petition, "content", f"反映{p}等问题，请巡视组核查。") for p in PROBLEMS]
    names = [seal(Petition, "petitioner_name", name) for name in PEOPLE]
    petitions = []
    channels = ["letter", "call", "visit", "mailbox", "portal"]
    for row, n in zip(with_petitions, per, strict=True):
        start = row[5]
        for seq in range(1, n + 1):
            named = seq % 3 == 0
            received = start + dt.timedelta(rng.randint(0, 44))
            petitions.append(
                (ids.take(Petition), row[0], seq, channels[seq % 5], "public_interest",
                 min(received, today), named, names[seq % len(names)] if named else "",
                 contents[seq % len(contents)], "noted" if seq % 2 else "pending",
                 at(min(received, today)))
            )  # fmt: skip
    pet_fields = ["id", "inspection_id", "seq", "channel", "category", "received_on",
                  "real_name", "petitioner_name", "content", "routing", "created_at"]  # fmt: skip
    copy_rows(Petition, pet_fields, petitions)
    log(f"{len(petitions)} petitions")

    with_clues = [r for r in insps if _reached(r[7], CLUES_FROM)]
    per = _spread(count("clues"), with_clues, rng)
    persons = [seal(Clue, "persons", name) for name in PEOPLE]
    summaries = [seal(Clue, "summary", f"涉嫌{p}，建议移交处置。") for p in PROBLEMS]
    clues, overdue = [], 0
    for row, n in zip(with_clues, per, strict=True):
        made = reached[(row[0], Stage.WITHDRAWN)]
        for seq in range(1, n + 1):
            transferred = made + dt.timedelta(rng.randint(5, 40))
            due = transferred + dt.timedelta(90)
            if transferred > today:
                fields: tuple[Any, ...] = ("", None, "", None, "", "", None)
            elif due < today and rng.random() < 0.92:
                fields = ("discipline", transferred, "纪委监委", due, "clue_disposal",
                          "preliminary", due - dt.timedelta(3))  # fmt: skip
            else:
                overdue += due < today
                fields = ("discipline", transferred, "纪委监委", due, "clue_disposal", "", None)
            clues.append(
                (ids.take(Clue), row[0], seq, persons[seq % len(persons)],
                 summaries[seq % len(summaries)], "petition", *fields, at(made))
            )  # fmt: skip
    clue_fields = ["id", "inspection_id", "seq", "persons", "summary", "source", "recipient",
                   "transferred_on", "receiving_body", "disposal_due", "disposal_due_rule",
                   "disposal", "disposal_reported_on", "created_at"]  # fmt: skip
    copy_rows(Clue, clue_fields, clues)
    log(f"{len(clues)} clues ({overdue} past their disposal due)")
    return {
        "working_papers": len(papers),
        "problems": len(problems),
        "ledger_items": len(items),
        "red_items": red,
        "petitions": len(petitions),
        "clues": len(clues),
        "overdue_clues": overdue,
    }


# What the generated trail records: (action, object type), each with a named object.
EVENTS = [
    ("inspections.stage", "rounds.inspection"),
    ("rectification.progress.report", "rectification.rectificationitem"),
    ("rectification.item.close", "rectification.rectificationitem"),
    ("rectification.item.plan", "rectification.rectificationitem"),
    ("inspections.petition.create", "inspections.petition"),
    ("inspections.paper.create", "inspections.workingpaper"),
    ("inspections.problem.create", "inspections.problem"),
    ("inspections.clue.create", "inspections.clue"),
    ("registry.org.update", "registry.orgunit"),
    ("registry.cadre.update", "registry.cadre"),
    ("accounts.login", "accounts.user"),
]
TRAIL_YEARS = 5


def audit_events(rng: random.Random, today: dt.date, users: dict[str, int], n: int) -> int:
    """Chain `n` events onto the trail, spread over the last five years up to an hour ago, and
    set the head (with its MAC) to the last; the number written."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    people = sorted(users.items())
    first = dt.datetime.combine(today - dt.timedelta(365 * TRAIL_YEARS), dt.time(8), tzinfo=TZ)
    span = (dt.datetime.combine(today, dt.time(0), tzinfo=TZ) - first).total_seconds()
    last_id, last_hash = head.last_id, head.last_hash

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal last_id, last_hash
        for k in range(n):
            action, object_type = EVENTS[k % len(EVENTS)]
            username, actor = people[k % len(people)]
            when = first + dt.timedelta(seconds=span * k / n, microseconds=rng.randint(0, 999))
            after = {"status": "closed"} if k % 4 == 0 else None
            event = AuditEvent(
                id=last_id + 1,
                at=when,
                actor_id=actor,
                actor_username=username,
                actor_role="office",
                action=action,
                object_type=object_type,
                object_id=str(1 + k % 50_000),
                object_repr=f"第{1 + k % 50_000}号",
                before=None,
                after=after,
                prev_hash=last_hash,
            )
            event.hash = event_hash(last_hash, event)
            yield (event.id, when, actor, username, "office", action, object_type,
                   event.object_id, event.object_repr, None,
                   None if after is None else json.dumps(after), last_hash, event.hash)  # fmt: skip
            last_id, last_hash = event.id, event.hash

    fields = ["id", "at", "actor_id", "actor_username", "actor_role", "action", "object_type",
              "object_id", "object_repr", "before", "after", "prev_hash", "hash"]  # fmt: skip
    written = copy_rows(AuditEvent, fields, rows())
    head.last_id, head.last_hash = last_id, last_hash
    head.mac = head_mac(last_id, last_hash, last_id)
    head.save(update_fields=["last_id", "last_hash", "mac"])
    return written
