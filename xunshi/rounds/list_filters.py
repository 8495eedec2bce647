"""The filters, the pages and the Excel export of the lists (the ledger, 督办, clues, petitions,
problems, the on-site records, rounds, announcements): one form and one set of query
parameters for all of them, and one export (`list_export`).

The parameters are the same on every list, so that a count elsewhere (the home page, a
figure) can link to a filtered list: ``round`` (a round's id), ``stage`` (a `Stage`),
``unit`` (an organization's id), ``colour`` (``red`` / ``yellow`` / ``green``), ``status``
(the list's own statuses), ``from`` and ``to`` (dates, YYYY-MM-DD), ``overdue=1``, ``page``,
and ``export=xlsx`` for the same rows as a workbook. A list takes the parameters that mean
something to it and ignores the others. A value that is not one of the list's (a round the
user does not see, ``colour=purple``, ``from=yesterday``) is named in a Chinese message and
the list is shown unfiltered, never an error page.

The choices of ``round`` and ``unit`` are the rounds and units of the list's own scoped
inspections, so that a filter never reveals a round or a unit the list would not show. Each
app filters and counts in its own queries.py with the `Filters` this form gives.

The export is the page's rows, every page of them: the view passes the rows its own scoped,
filtered query gives (the same access function as the page), and the page's columns as the
header; `list_export` words the header for the user (巡察 below the province) and hands it to
`table_download`, which neutralises every cell and records the export with its row count and
the filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import table_download
from xunshi.lib.sheets import Table
from xunshi.registry.models import OrgUnit

from .access import work_word_of
from .models import Inspection, Round, Stage

__all__ = [
    "COLOURS",
    "PAGE_SIZE",
    "Filters",
    "ListFilterForm",
    "filter_rounds",
    "filter_units",
    "in_words",
    "list_export",
    "list_page",
    "wants_export",
]

PAGE_SIZE = 50
# Above this many units a list offers those of the chosen round (a select of thousands of
# units is of no use and costs seconds to draw).
UNIT_CHOICES = 300
COLOURS = (
    ("red", gettext_lazy("红色（已逾期）")),
    ("yellow", gettext_lazy("黄色（临近时限）")),
    ("green", gettext_lazy("绿色（即将到期）")),
)
_ANY = [("", gettext_lazy("全部"))]
# The parameters a list reads, in the order the form shows them.
NAMES = ("round", "stage", "unit", "colour", "status", "from", "to", "overdue")


@dataclass(frozen=True)
class Filters:
    """The valid filters of one request; empty values filter nothing."""

    round_id: int | None = None
    stage: str = ""
    unit_id: int | None = None
    colour: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    overdue: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, as the audit event of an export records them."""
        out = {
            "round": self.round_id,
            "stage": self.stage,
            "unit": self.unit_id,
            "colour": self.colour,
            "status": self.status,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "overdue": 1 if self.overdue else None,
        }
        return {k: v for k, v in out.items() if v}


def filter_rounds(inspections: QuerySet[Inspection]) -> list[Round]:
    """The rounds of the list's inspections, newest first: the choices of ``round``."""
    ids = inspections.order_by().values("round_id")
    return list(Round.objects.filter(pk__in=ids).order_by("-start", "-pk"))


def filter_units(inspections: QuerySet[Inspection]) -> QuerySet[OrgUnit]:
    """The inspected units of the list's inspections, by code: the choices of ``unit`` (read
    by the form, which offers them all only while they are few, `UNIT_CHOICES`)."""
    ids = inspections.order_by().values("target_id")
    return OrgUnit.objects.filter(pk__in=ids).order_by("code")


class ListFilterForm(forms.Form):
    """The filters a list offers; `filters()` gives the valid ones, or none with a message.
    `word` is the user's work word (`work_word_of`), for the unit's label."""

    def __init__(
        self,
        data: QueryDict,
        *,
        rounds: Sequence[Round] | None = None,
        stages: bool = False,
        units: Sequence[OrgUnit] | QuerySet[OrgUnit] | None = None,
        colours: Sequence[str] = (),
        statuses: Sequence[tuple[str, Any]] = (),
        dates: Any = None,
        overdue: Any = None,
        word: str = "巡视",
    ) -> None:
        # Only the list's own parameters are bound: another one (page, export) is no filter.
        super().__init__({k: v for k, v in data.items() if k in NAMES})
        f = self.fields
        if rounds is not None:
            f["round"] = forms.TypedChoiceField(
                label=_("轮次"),
                required=False,
                coerce=int,
                choices=[*_ANY, *((r.pk, r.name) for r in rounds)],
            )
        if stages:
            f["stage"] = forms.ChoiceField(
                label=_("阶段"), required=False, choices=[*_ANY, *Stage.choices]
            )
        if units is not None:
            offered, hint = self._units_offered(units, data)
            f["unit"] = forms.TypedChoiceField(
                label=in_words([_("被巡视单位")], word)[0],  # 被巡察单位 below the province
                required=False,
                coerce=int,
                choices=[("", hint) if hint else _ANY[0], *((u.pk, u.name) for u in offered)],
            )
        if colours:
            f["colour"] = forms.ChoiceField(
                label=_("预警"),
                required=False,
                choices=[*_ANY, *((c, t) for c, t in COLOURS if c in colours)],
            )
        if statuses:
            f["status"] = forms.ChoiceField(
                label=_("状态"), required=False, choices=[*_ANY, *statuses]
            )
        if dates is not None:
            widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            f["from"] = forms.DateField(
                label=_("%(what)s从") % {"what": dates}, required=False, widget=widget
            )
            f["to"] = forms.DateField(label=_("至"), required=False, widget=widget)
        if overdue is not None:
            f["overdue"] = forms.ChoiceField(
                label=overdue, required=False, choices=[("", _("全部")), ("1", _("仅逾期"))]
            )

    @staticmethod
    def _units_offered(
        units: Sequence[OrgUnit] | QuerySet[OrgUnit], data: QueryDict
    ) -> tuple[Sequence[OrgUnit], str]:
        """The units the select offers: all of them while they are few; else those of the
        chosen round, and the unit asked for (a link from a figure) when it is one of them,
        with the hint that names it for the first choice."""
        if not isinstance(units, QuerySet):
            return units, ""
        # A LIMIT, not a count of them all, and unordered, so that the database stops at the
        # first 301 it finds instead of sorting a province's thousands by code; the few are
        # sorted here.
        first = list(units.order_by().only("pk", "code", "name")[: UNIT_CHOICES + 1])
        if len(first) <= UNIT_CHOICES:
            return sorted(first, key=lambda u: (u.code, u.pk)), ""
        offered: list[OrgUnit] = []
        if (round_id := data.get("round", "")).isdigit():
            offered = list(units.filter(inspections__round_id=int(round_id)).distinct())
        if (unit_id := data.get("unit", "")).isdigit() and int(unit_id) not in {
            u.pk for u in offered
        }:
            offered += list(units.filter(pk=int(unit_id)))
        return offered, _("全部（单位较多，请先选择轮次再选单位）")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("截止日期早于起始日期。"))
        return data

    def filters(self) -> Filters:
        """The filters of the request, or none at all when one of them is wrong."""
        if not self.is_valid():
            return Filters()
        d = self.cleaned_data
        return Filters(
            round_id=d.get("round") or None,
            stage=d.get("stage") or "",
            unit_id=d.get("unit") or None,
            colour=d.get("colour") or "",
            status=d.get("status") or "",
            start=d.get("from"),
            end=d.get("to"),
            overdue=d.get("overdue") == "1",
        )

    def message(self) -> str:
        """A Chinese sentence naming each wrong parameter and its value; empty when none is."""
        if self.is_valid():
            return ""
        wrong = []
        for name, errors in self.errors.items():
            if name in self.fields:
                label = self.fields[name].label
                wrong.append(
                    _("%(label)s“%(value)s”：%(error)s")
                    % {"label": label, "value": self.data.get(name, ""), "error": errors[0]}
                )
        return _("筛选条件有误，已显示全部：%(wrong)s") % {"wrong": "；".join(wrong)}

    def query(self) -> str:
        """The valid filters as a query string, for the pages' and the export's links."""
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.data.items() if k in self.fields and v})


def in_words(texts: Sequence[Any], word: str) -> list[str]:
    """An export's header in the user's work word (巡察 below the province), as `W` gives the
    page's; the msgids stay in the province's words."""
    return [str(t).replace("巡视", word) for t in texts]


def wants_export(data: QueryDict) -> bool:
    """Whether the request asks for the list as a workbook (``export=xlsx``)."""
    return data.get("export") == "xlsx"


def list_export(
    request: SignedInRequest,
    *,
    name: str,
    title: str,
    head: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: Filters | Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The list's rows as a workbook `name` with one sheet `title`, the header in the user's
    work word, recorded as `<object_type>.export` with the row count and the filters.

    `rows` are the rows the page shows that user, every page of them; a generator is fine
    (the workbook streams)."""
    if isinstance(filters, Filters):
        filters = filters.as_dict()
    return table_download(
        actor=request.user,
        name=name,
        tables=[Table(title, in_words(head, work_word_of(request.user)), rows)],
        object_type=object_type,
        filters=filters,
    )


def list_page(rows: Any, number: str | None, per_page: int | None = None) -> Page[Any]:
    """One page of a list, `PAGE_SIZE` rows (a queryset is counted and sliced in SQL); a wrong
    number is the first or the last page, as Django's `get_page` gives it."""
    return Paginator(rows, per_page or PAGE_SIZE).get_page(number)
