"""Read-side questions of the problem taxonomies, per body.

A body reads the shipped taxonomies (no `body`, 系统内置) and its own. The versions of one
code form the body's line of that code: the shipped versions and the body's own; a body's own
version takes the shipped one's place for that body only, so a county's edit never changes
the province's list, nor the province's the county's. The current taxonomy of a code, for a
body, is its own newest version if it has one, else the newest shipped active one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.http import Http404

from .models import Taxonomy, TaxonomyItem

__all__ = [
    "VILLAGE_TAXONOMY_CODE",
    "current_taxonomies",
    "get_taxonomy",
    "is_current_for",
    "offered_items",
    "taxonomies_of",
    "taxonomy_versions",
]

# The village focus list (对村巡察监督重点), shipped by migration 0005 of `inspections`.
VILLAGE_TAXONOMY_CODE = "xuncha-duicun"


def taxonomies_of(body_id: int | None) -> QuerySet[Taxonomy]:
    """The taxonomies a body reads: the shipped ones and its own (only the shipped for None)."""
    return Taxonomy.objects.filter(Q(body__isnull=True) | Q(body_id=body_id))


def _line_order(qs: QuerySet[Taxonomy]) -> QuerySet[Taxonomy]:
    # Within a code: the body's own versions first (newest first), then the shipped ones.
    return qs.order_by("code", F("body_id").asc(nulls_last=True), "-version")


def taxonomy_versions(body_id: int | None) -> QuerySet[Taxonomy]:
    """Every version the body reads, with its items, by code: the current one first, then
    the older ones (the body's own, newest first, then the shipped ones it replaced)."""
    return _line_order(taxonomies_of(body_id)).prefetch_related("items")


def _current(rows: Iterable[Taxonomy]) -> list[Taxonomy]:
    seen: set[str] = set()
    out = []
    for t in rows:
        if t.code in seen:
            continue
        seen.add(t.code)
        if t.active:
            out.append(t)
    return out


def current_taxonomies(body_id: int | None) -> list[Taxonomy]:
    """The taxonomies the body classifies with now, one per code, by code."""
    return _current(_line_order(taxonomies_of(body_id)))


def is_current_for(taxonomy: Taxonomy, body_id: int | None) -> bool:
    """Whether the taxonomy is one the body classifies with now."""
    return any(t.pk == taxonomy.pk for t in current_taxonomies(body_id))


def offered_items(
    body_id: int | None, *, first: str = "", also: TaxonomyItem | None = None
) -> list[tuple[Taxonomy, list[TaxonomyItem]]]:
    """The items of the body's current taxonomies grouped by taxonomy, by code, the taxonomy
    of code `first` first; `also` (a paper's own class) is kept even if its version is no
    longer current, so that the paper's form still shows it."""
    taxonomies = current_taxonomies(body_id)
    groups: dict[int, list[TaxonomyItem]] = {t.pk: [] for t in taxonomies}
    for item in TaxonomyItem.objects.filter(taxonomy__in=list(groups)).order_by(
        "taxonomy_id", "position", "code"
    ):
        groups[item.taxonomy_id].append(item)
    if also is not None and also.taxonomy_id not in groups:
        taxonomies.append(also.taxonomy)
        groups[also.taxonomy_id] = [also]
    taxonomies.sort(key=lambda t: (t.code != first, t.code, -t.version))
    return [(t, groups[t.pk]) for t in taxonomies if groups[t.pk]]


def get_taxonomy(pk: int, body_id: int | None) -> Taxonomy:
    """The taxonomy with this id among those the body reads (404 otherwise)."""
    taxonomy = taxonomies_of(body_id).filter(pk=pk).first()
    if taxonomy is None:
        raise Http404("没有找到该问题分类。")
    return taxonomy
