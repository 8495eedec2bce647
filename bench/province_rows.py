"""The plumbing of the province generator (`bench/province_data.py`): the bodies being built,
the next free id of each table, and COPY into a table with the other columns' defaults."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

__all__ = ["TZ", "Body", "Ids", "at", "copy_rows"]

TZ = ZoneInfo("Asia/Shanghai")


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


class Ids:
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


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
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
