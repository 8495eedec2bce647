"""Read-side questions of the problem taxonomies: every version for the list page, and one
taxonomy by its id. The taxonomies are not scoped: whoever may read or keep them sees all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Taxonomy

__all__ = ["get_taxonomy", "taxonomy_versions"]


def taxonomy_versions() -> QuerySet[Taxonomy]:
    """Every version of every taxonomy with its items, by code, the newest version first."""
    return Taxonomy.objects.prefetch_related("items").order_by("code", "-version")


def get_taxonomy(pk: int) -> Taxonomy:
    """The taxonomy with this id (404 when there is none)."""
    taxonomy = Taxonomy.objects.filter(pk=pk).first()
    if taxonomy is None:
        raise Http404("没有找到该问题分类。")
    return taxonomy
