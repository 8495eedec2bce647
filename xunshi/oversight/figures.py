"""The oversight figures: one row per body below (`BodyRow`), counted in SQL for all of them
at once (`body_rows`) or read from what the background count kept (`BodyFigures`, written by
`figures_refresh`), the reasons a body is behind pace (落后进度), and the list's pages.

Each figure is one GROUP BY query over every body of the page (a fixed number of queries
whatever the number of bodies, rounds, inspections or ledger items); nothing loads a table
into Python. The figures are the lower body's own work, never summed over the bodies below it.

Definitions:

- current term: the body's term that contains today (the latest starting, if several);
  elapsed: the share of its days gone by.
- coverage: as `xunshi.rounds.queries.term_coverage`: of the body's in-scope organizations,
  those inspected in a round of the current term by an inspection that counts for coverage
  and has left the site (`DONE_STAGES`).
- rounds this year: rounds whose entry date (进驻日期) falls in today's year.
- inspections by stage: those of the current term's rounds, and earlier ones not yet closed
  (cancelled ones left out).
- warnings of the ledger: open items with a deadline, as `warning_level` under the rules in
  force for the body: red once overdue, yellow within the yellow days, green within the green
  days (cancelled inspections left out, as on the supervision page). Open items exist only
  from the feedback to the monitoring (or suspended there): an inspection is closed (办结)
  only with every item closed, so only those inspections' items are counted, from the index
  of open items.
- clues: transferred in the current term's rounds; overdue: transferred in any round, no
  disposal reported, past their disposal due date (the rule's three months by default).
- late to report (报备滞后), only for work still under way: a round with an inspection on site
  or between the site and the monitoring and no plan filed; an inspection that left the site
  more than `REPORT_LATE_DAYS` days ago whose report the office has not passed (no report
  filed); a plan returned more than `REFILE_LATE_DAYS` days ago and not filed again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from xunshi.deadlines.models import DeadlineRuleSet
from xunshi.deadlines.rules import warning_thresholds
from xunshi.findings.models import Clue
from xunshi.rectification.models import OPEN_STATUSES, RectificationItem
from xunshi.registry.models import InspectingBody, OrgUnit, Term
from xunshi.rounds.models import ACTIVE_STAGES, DONE_STAGES, Inspection, Round, Stage

from .models import BodyFigures, Filing, FilingKind, FilingStatus

__all__ = [
    "FIGURES",
    "PHASES",
    "REFILE_LATE_DAYS",
    "REPORT_LATE_DAYS",
    "BodyRow",
    "body_rows",
    "body_tree",
    "figures_of",
    "tree_pages",
]

REPORT_LATE_DAYS = 60
REFILE_LATE_DAYS = 15

S = Stage
# The stages grouped as the overview's columns show them (cancelled inspections are left out).
PHASES: list[tuple[str, str | Promise, frozenset[str]]] = [
    ("prepare", _("准备"), frozenset({S.PLANNED, S.AUTHORIZED, S.NOTIFIED})),
    ("on_site", _("进驻"), frozenset({S.ON_SITE})),
    (
        "report",
        _("报告"),
        frozenset(
            {
                S.WITHDRAWN,
                S.REPORT_DRAFTED,
                S.OFFICE_REVIEWED,
                S.LEADING_GROUP_HEARD,
                S.COMMITTEE_DECIDED,
            }
        ),
    ),
    (
        "rectify",
        _("整改"),
        frozenset(
            {S.FEEDBACK_GIVEN, S.RECTIFYING, S.RECTIFICATION_REPORTED, S.DISCLOSED, S.MONITORING}
        ),
    ),
    ("closed", _("办结"), frozenset({S.CLOSED, S.ARCHIVED})),
    ("suspended", _("暂停"), frozenset({S.SUSPENDED})),
]
_PHASE_OF = {stage: key for key, _label, stages in PHASES for stage in stages}
_MAIN_LINE = [s for s in Stage if s not in (S.SUSPENDED, S.CANCELLED)]
# Work under way whose round's plan should have been filed.
_PLAN_DUE = frozenset(_MAIN_LINE[_MAIN_LINE.index(S.ON_SITE) : _MAIN_LINE.index(S.CLOSED)])
# Where a ledger may still hold open items.
_LEDGER_OPEN = frozenset(
    _MAIN_LINE[_MAIN_LINE.index(S.FEEDBACK_GIVEN) : _MAIN_LINE.index(S.CLOSED)]
) | {S.SUSPENDED}
# Left the site, the report not yet passed by the office.
_REPORT_DUE = frozenset({S.WITHDRAWN, S.REPORT_DRAFTED})
_UNFINISHED = ACTIVE_STAGES | {S.SUSPENDED}
# BodyRow's numbers, as a summary keeps them (with the phases).
FIGURES = [
    "in_scope",
    "covered",
    "rounds_this_year",
    "red",
    "yellow",
    "green",
    "clues_transferred",
    "clues_overdue",
    "plans_missing",
    "reports_late",
    "plans_returned",
]


@dataclass
class BodyRow:
    body: InspectingBody
    depth: int  # 0 for the bodies right below the viewer's
    today: dt.date
    has_children: bool = False  # bodies below it follow in the list
    term: Term | None = None
    in_scope: int = 0
    covered: int = 0
    rounds_this_year: int = 0
    phases: dict[str, int] = field(default_factory=dict)
    red: int = 0
    yellow: int = 0
    green: int = 0
    clues_transferred: int = 0
    clues_overdue: int = 0
    last_filing: dt.datetime | None = None
    plans_missing: int = 0
    reports_late: int = 0
    plans_returned: int = 0
    counted_at: dt.datetime | None = None  # when read from the body's summary (BodyFigures)

    @property
    def elapsed(self) -> float | None:
        """The share of the current term gone by, 0 … 1."""
        if self.term is None:
            return None
        days = (self.term.end - self.term.start).days
        gone = (self.today - self.term.start).days
        return min(1.0, max(0.0, gone / days)) if days > 0 else 1.0

    @property
    def coverage(self) -> float | None:
        if self.term is None or not self.in_scope:
            return None
        return self.covered / self.in_scope

    @property
    def elapsed_pct(self) -> int | None:
        return None if self.elapsed is None else round(self.elapsed * 100)

    @property
    def coverage_pct(self) -> int | None:
        return None if self.coverage is None else round(self.coverage * 100)

    # Written here rather than by template filters: the province's page has 175 rows.
    @property
    def elapsed_text(self) -> str:
        return gettext("届期已过 %(p)s%%") % {"p": self.elapsed_pct}

    @property
    def last_filing_text(self) -> str:
        """The day of the latest filing, 2026-06-01, or "" for none."""
        return f"{timezone.localdate(self.last_filing):%Y-%m-%d}" if self.last_filing else ""

    @property
    def behind_coverage(self) -> bool:
        elapsed, coverage = self.elapsed, self.coverage
        return elapsed is not None and coverage is not None and coverage < elapsed

    @property
    def phase_counts(self) -> list[tuple[str | Promise, int]]:
        return [(label, self.phases.get(key, 0)) for key, label, _stages in PHASES]

    @cached_property
    def warnings(self) -> list[tuple[str, str]]:
        """Why the body is behind pace: (a short tag, the sentence) each, in the language of
        the request (read once the row is complete: the page asks for them more than once)."""
        out = []
        if self.term is None:
            out.append((gettext("无当前届次"), gettext("没有正在进行的届次，无法衡量全覆盖进度。")))
        elif self.behind_coverage:
            out.append(
                (
                    gettext("覆盖落后"),
                    gettext(
                        "全覆盖进度落后：%(term)s届期已过%(elapsed)s%%，"
                        "仅覆盖%(coverage)s%%（%(covered)s/%(in_scope)s个单位）。"
                    )
                    % {
                        "term": self.term.name,
                        "elapsed": self.elapsed_pct,
                        "coverage": self.coverage_pct,
                        "covered": self.covered,
                        "in_scope": self.in_scope,
                    },
                )
            )
        if n := self.plans_missing:
            out.append(
                (
                    gettext("方案未报备"),
                    ngettext(
                        "%(n)s轮巡察已进驻，未报备巡察工作方案。",
                        "%(n)s轮巡察已进驻，未报备巡察工作方案。",
                        n,
                    )
                    % {"n": n},
                )
            )
        if n := self.reports_late:
            out.append(
                (
                    gettext("报告报备滞后"),
                    ngettext(
                        "%(n)s个巡察对象撤离已超过%(d)s天，未报备巡察报告情况。",
                        "%(n)s个巡察对象撤离已超过%(d)s天，未报备巡察报告情况。",
                        n,
                    )
                    % {"n": n, "d": REPORT_LATE_DAYS},
                )
            )
        if n := self.plans_returned:
            out.append(
                (
                    gettext("退回未重报"),
                    ngettext(
                        "%(n)s轮巡察工作方案被退回已超过%(d)s天，未重新报备。",
                        "%(n)s轮巡察工作方案被退回已超过%(d)s天，未重新报备。",
                        n,
                    )
                    % {"n": n, "d": REFILE_LATE_DAYS},
                )
            )
        if n := self.red:
            out.append(
                (
                    gettext("整改红色预警"),
                    ngettext(
                        "%(n)s项整改事项红色预警（已逾期未销号）。",
                        "%(n)s项整改事项红色预警（已逾期未销号）。",
                        n,
                    )
                    % {"n": n},
                )
            )
        if n := self.clues_overdue:
            out.append(
                (
                    gettext("线索逾期"),
                    ngettext(
                        "%(n)s条问题线索已超过处置反馈期限，未反馈处置结果。",
                        "%(n)s条问题线索已超过处置反馈期限，未反馈处置结果。",
                        n,
                    )
                    % {"n": n},
                )
            )
        return out

    @property
    def reasons(self) -> list[str]:
        """Why the body is behind pace, one sentence each; empty when it is not."""
        return [sentence for _tag, sentence in self.warnings]


def body_tree(bodies: Iterable[InspectingBody], root_id: int) -> list[tuple[InspectingBody, int]]:
    """The bodies in tree order under `root_id`, each with its depth (0 right below it):
    each city followed by its counties."""
    children: dict[int | None, list[InspectingBody]] = {}
    for b in bodies:
        children.setdefault(b.parent_id, []).append(b)
    for kids in children.values():
        kids.sort(key=lambda b: (b.region_code or "~", b.name))
    out: list[tuple[InspectingBody, int]] = []

    def walk(parent_id: int, depth: int) -> None:
        for b in children.get(parent_id, []):
            out.append((b, depth))
            walk(b.pk, depth + 1)

    walk(root_id, 0)
    return out


def tree_pages(rows: list[BodyRow], per_page: int) -> list[list[BodyRow]]:
    """The rows in pages of at most `per_page`, cut only between the bodies right below the
    viewer's: each city stays on one page with its counties (one with more than a page of
    them has a page of its own). At least one page, empty for no rows."""
    groups: list[list[BodyRow]] = []
    for row in rows:
        if row.depth == 0 or not groups:
            groups.append([])
        groups[-1].append(row)
    pages: list[list[BodyRow]] = [[]]
    for group in groups:
        if pages[-1] and len(pages[-1]) + len(group) > per_page:
            pages.append([])
        pages[-1] += group
    return pages


def _thresholds(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each body's warning thresholds (green days, yellow days): its own rules if its office
    issued some, else the deployment's; one query per rule set in force, not per body."""
    deployment = warning_thresholds()
    own = DeadlineRuleSet.objects.filter(active=True, body_id__in=ids).prefetch_related("rules")
    by_body = {rs.body_id: warning_thresholds(rule_set=rs) for rs in own}
    return {pk: by_body.get(pk, deployment) for pk in ids}


def _item_warnings(thresholds: dict[int, tuple[int, int]], today: dt.date) -> list[dict[str, Any]]:
    """Per body, the open items of its ledgers counted red, yellow and green under its
    thresholds: one query per distinct pair of thresholds, read from the index of open items
    (`rect_item_open`) and the inspections in a stage with open items."""
    groups: dict[tuple[int, int], list[int]] = {}
    for body, pair in thresholds.items():
        groups.setdefault(pair, []).append(body)
    out: list[dict[str, Any]] = []
    for (green, yellow), bodies in groups.items():
        due = "deadline"
        out += (
            RectificationItem.objects.filter(
                status__in=OPEN_STATUSES,
                deadline__isnull=False,
                inspection__stage__in=_LEDGER_OPEN,
                inspection__round__body_id__in=bodies,
            )
            .order_by()
            .values("inspection__round__body_id")
            .annotate(
                red=Count("pk", filter=Q(**{f"{due}__lt": today})),
                yellow=Count(
                    "pk",
                    filter=Q(**{f"{due}__gte": today, f"{due}__lte": today + dt.timedelta(yellow)}),
                ),
                green=Count(
                    "pk",
                    filter=Q(
                        **{
                            f"{due}__gt": today + dt.timedelta(yellow),
                            f"{due}__lte": today + dt.timedelta(green),
                        }
                    ),
                ),
            )
        )
    return out


def _current_terms(ids: list[int], today: dt.date) -> dict[int, Term]:
    terms: dict[int, Term] = {}
    rows = Term.objects.filter(body_id__in=ids, start__lte=today, end__gte=today).order_by(
        "body_id", "-start", "-pk"
    )
    for term in rows:
        terms.setdefault(term.body_id, term)
    return terms


def _count(rows: QuerySet[Any], key: str, counted: str = "pk", **kw: Any) -> dict[int, int]:
    return dict(rows.order_by().values(key).annotate(n=Count(counted, **kw)).values_list(key, "n"))


def body_rows(
    tree: list[tuple[InspectingBody, int]],
    *,
    today: dt.date | None = None,
    summaries_after: dt.datetime | None = None,
) -> list[BodyRow]:
    """The oversight figures of each body of `tree` (as `body_tree` gives it), in its order.

    With `summaries_after`, a body whose figures `figures_refresh` counted today at or after
    that moment takes them from its `BodyFigures` (the row's `counted_at` says when); only
    the other bodies are counted now."""
    today = today or timezone.localdate()
    rows = [BodyRow(body=b, depth=d, today=today) for b, d in tree]
    for row, after in itertools.pairwise(rows):
        row.has_children = after.depth > row.depth
    if summaries_after is not None:
        _read_summaries(rows, today, summaries_after)
    _count_figures([r for r in rows if r.counted_at is None], today)
    return rows


def figures_of(row: BodyRow) -> dict[str, Any]:
    """The row's numbers as `BodyFigures.figures` keeps them."""
    return {name: getattr(row, name) for name in FIGURES} | {"phases": dict(row.phases)}


def _read_summaries(rows: list[BodyRow], today: dt.date, after: dt.datetime) -> None:
    kept = BodyFigures.objects.filter(
        body_id__in=[r.body.pk for r in rows], day=today, counted_at__gte=after
    ).select_related("term")
    by_body = {f.body_id: f for f in kept}
    for row in rows:
        summary = by_body.get(row.body.pk)
        if summary is None:
            continue
        row.counted_at, row.term, row.last_filing = (
            summary.counted_at,
            summary.term,
            summary.last_filing,
        )
        for name in FIGURES:
            setattr(row, name, int(summary.figures.get(name, 0)))
        row.phases = {k: int(n) for k, n in summary.figures.get("phases", {}).items()}


def _count_figures(rows: list[BodyRow], today: dt.date) -> None:
    """Count the figures of the rows' bodies, one GROUP BY query per figure for them all."""
    ids = [r.body.pk for r in rows]
    if not ids:
        return
    by_id = {r.body.pk: r for r in rows}
    terms = _current_terms(ids, today)
    term_ids = [t.pk for t in terms.values()]

    in_scope = _count(OrgUnit.objects.filter(body_id__in=ids, in_scope=True), "body_id")
    # The body's in-scope units with an inspection done in its current term (a semi-join: no
    # DISTINCT over the inspections to sort).
    done = Inspection.objects.filter(
        target_id=OuterRef("pk"),
        round__body_id=OuterRef("body_id"),
        round__term_id__in=term_ids,
        counts_for_coverage=True,
        stage__in=DONE_STAGES,
    )
    covered = _count(
        OrgUnit.objects.filter(body_id__in=ids, in_scope=True).filter(Exists(done)), "body_id"
    )
    this_year = _count(Round.objects.filter(body_id__in=ids, start__year=today.year), "body_id")
    stages = (
        Inspection.objects.filter(round__body_id__in=ids)
        .filter(Q(round__term_id__in=term_ids) | Q(stage__in=_UNFINISHED))
        .exclude(stage=S.CANCELLED)
        .order_by()
        .values("round__body_id", "stage")
        .annotate(n=Count("pk"))
    )

    items = _item_warnings(_thresholds(ids), today)
    this_term = Q(inspection__round__term_id__in=term_ids)
    overdue = Q(disposal_reported_on__isnull=True, disposal_due__lt=today)
    clues = (
        Clue.objects.filter(inspection__round__body_id__in=ids, transferred_on__isnull=False)
        .filter(this_term | overdue)
        .order_by()
        .values("inspection__round__body_id")
        .annotate(
            transferred=Count("pk", filter=this_term),
            overdue=Count("pk", filter=overdue),
        )
    )
    # Each body's latest filing from the (from_body, filed_at) index, not a MAX over them all.
    latest = Filing.objects.filter(from_body_id=OuterRef("pk")).order_by("-filed_at")
    last_filed = dict(
        InspectingBody.objects.filter(pk__in=ids)
        .annotate(last=Subquery(latest.values("filed_at")[:1]))
        .values_list("pk", "last")
    )
    plans_missing = _count(
        Round.objects.filter(body_id__in=ids, inspections__stage__in=_PLAN_DUE).exclude(
            Exists(Filing.objects.filter(round_id=OuterRef("pk"), kind=FilingKind.PLAN))
        ),
        "body_id",
        distinct=True,
    )
    reports_late = _count(
        Inspection.objects.filter(
            round__body_id__in=ids,
            stage__in=_REPORT_DUE,
            stage_changes__to_stage=S.WITHDRAWN,
            stage_changes__on__lt=today - dt.timedelta(REPORT_LATE_DAYS),
        ).exclude(
            Exists(Filing.objects.filter(inspection_id=OuterRef("pk"), kind=FilingKind.REPORT))
        ),
        "round__body_id",
        distinct=True,
    )
    cutoff = timezone.now() - dt.timedelta(REFILE_LATE_DAYS)
    newer = Filing.objects.filter(
        round_id=OuterRef("round_id"), kind=FilingKind.PLAN, version__gt=OuterRef("version")
    )
    plans_returned = _count(
        Filing.objects.filter(
            from_body_id__in=ids,
            kind=FilingKind.PLAN,
            status=FilingStatus.RETURNED,
            reviewed_at__lt=cutoff,
        ).exclude(Exists(newer)),
        "from_body_id",
        "round_id",
        distinct=True,
    )

    for pk, row in by_id.items():
        row.term = terms.get(pk)
        row.in_scope = in_scope.get(pk, 0)
        row.covered = covered.get(pk, 0)
        row.rounds_this_year = this_year.get(pk, 0)
        row.last_filing = last_filed.get(pk)
        row.plans_missing = plans_missing.get(pk, 0)
        row.reports_late = reports_late.get(pk, 0)
        row.plans_returned = plans_returned.get(pk, 0)
    for r in stages:
        phases = by_id[r["round__body_id"]].phases
        key = _PHASE_OF[r["stage"]]
        phases[key] = phases.get(key, 0) + r["n"]
    for r in items:
        row = by_id[r["inspection__round__body_id"]]
        row.red, row.yellow, row.green = r["red"], r["yellow"], r["green"]
    for r in clues:
        row = by_id[r["inspection__round__body_id"]]
        row.clues_transferred, row.clues_overdue = r["transferred"], r["overdue"]
