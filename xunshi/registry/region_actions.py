"""Loading many administrative divisions at once (the whole country: about 660,000 rows).

``regions_load`` (actions.py) writes a few rows one by one and leaves the rows it knows as they
are; ``regions_sync`` writes in batches and brings the known rows up to date, for
``manage.py regions_load_national``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record

from .models import Region
from .regions_national import LEVELS, RegionRow

__all__ = ["RegionCounts", "regions_sync"]

_BATCH = 500
_NAME_LENGTH = Region._meta.get_field("name").max_length or 50
_CODE_LENGTH = Region._meta.get_field("code").max_length or 12


@dataclass(frozen=True)
class RegionCounts:
    added: int
    updated: int
    unchanged: int


def _batches(rows: Iterable[RegionRow]) -> Iterator[list[RegionRow]]:
    it = iter(rows)
    while batch := list(islice(it, _BATCH)):
        yield batch


def _refusal(row: RegionRow, seen: set[str], stored_parents: set[str]) -> str | None:
    code, name, level, parent = row
    if not code.isdigit() or len(code) > _CODE_LENGTH:
        return f"行政区划代码“{code}”应为不超过{_CODE_LENGTH}位的数字。"
    if code in seen:
        return f"行政区划代码“{code}”重复。"
    if not name or len(name) > _NAME_LENGTH:
        return f"行政区划“{code}”的名称应为1至{_NAME_LENGTH}个字。"
    if level not in LEVELS:
        return f"行政区划“{code}”的层级“{level}”不在可选范围内。"
    if parent and parent not in seen and parent not in stored_parents:
        return f"行政区划“{code}”的上级代码“{parent}”不存在。"
    return None


def regions_sync(*, actor: Actor, rows: Iterable[RegionRow], source: str = "") -> RegionCounts:
    """Add the regions not yet known and correct the name, level and parent of the others."""
    added = updated = unchanged = 0
    with transaction.atomic():
        # The codes of this load so far, and the parents found in the table: a parent comes
        # before its children or is in the table already.
        seen: set[str] = set()
        stored_parents: set[str] = set()
        for batch in _batches(rows):
            stored = {
                code: (name, level, parent)
                for code, name, level, parent in Region.objects.filter(
                    code__in=[r[0] for r in batch]
                ).values_list("code", "name", "level", "parent_id")
            }
            wanted = {r[3] for r in batch if r[3] and r[3] not in seen} - {r[0] for r in batch}
            stored_parents.update(
                Region.objects.filter(code__in=wanted).values_list("code", flat=True)
            )
            new: list[Region] = []
            changed: list[Region] = []
            for row in batch:
                if message := _refusal(row, seen, stored_parents):
                    raise ValidationError(message)
                code, name, level, parent = row
                seen.add(code)
                region = Region(code=code, name=name, level=level, parent_id=parent or None)
                if code not in stored:
                    new.append(region)
                elif stored[code] != (name, level, parent or None):
                    changed.append(region)
                else:
                    unchanged += 1
            Region.objects.bulk_create(new)
            Region.objects.bulk_update(changed, ["name", "level", "parent"])
            added += len(new)
            updated += len(changed)
        if added or updated:
            record(
                actor=actor,
                action="registry.region.load",
                object_type="registry.region",
                object_id=str(added + updated),
                object_repr=source,
                after={"added": added, "updated": updated, "source": source},
            )
    return RegionCounts(added, updated, unchanged)
