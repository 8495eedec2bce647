"""The knowledge base (知识库): regulations with their articles, typical cases, and the
定性 dictionary of standard problem statements per taxonomy item.

A record without a `body` is public and shared (公开的党内法规, shipped by migration): every
body reads it, and the office of the top body (the one without a parent) keeps it for all.
A record with a `body` is that body's own, kept by its office and read by its office, its
leading group and its teams. A regulation is versioned: an edit or an import of its articles
makes a new `RegulationVersion`, and the older versions stay readable; cases and statements
cite the article of the version they rest on. Invented demo items carry `fictional` (shown
示例（虚构）); a shipped text not checked against the official publication says so in `note`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.fieldwork.models import TaxonomyItem
from xunshi.registry.models import InspectingBody

from .articles import chinese_numeral


class RegulationStatus(models.TextChoices):
    CURRENT = "current", _("现行")
    REPEALED = "repealed", _("已废止")


class Regulation(models.Model):
    """法规制度: one rule across its versions; `current` is its newest version."""

    body = models.ForeignKey(
        InspectingBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulations",
        verbose_name=_("所属党组织"),
    )
    current = models.OneToOneField(
        "RegulationVersion",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("现行版本"),
    )
    fictional = models.BooleanField(_("示例（虚构）"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.current.title if self.current else f"法规#{self.pk}"


class RegulationVersion(models.Model):
    """One version of a regulation: its title, source, status and articles as edited then."""

    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("制定机关"), max_length=100)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    source = models.CharField(_("来源（网址或出版物）"), max_length=300, blank=True)
    status = models.CharField(
        _("效力状态"),
        max_length=16,
        choices=RegulationStatus.choices,
        default=RegulationStatus.CURRENT,
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        ordering = ["regulation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "number"], name="regulation_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class Article(models.Model):
    """One article (条) of a regulation's version, with the chapter (章) it stands in."""

    version = models.ForeignKey(
        RegulationVersion, on_delete=models.PROTECT, related_name="articles"
    )
    chapter = models.CharField(_("章"), max_length=100, blank=True)
    number = models.PositiveIntegerField(_("条"))
    text = models.TextField(_("条文"))

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="article_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.version.title} {self.heading}"

    @property
    def heading(self) -> str:
        """第十五条, as the article is numbered in the text."""
        return f"第{chinese_numeral(self.number)}条"


class TypicalCase(models.Model):
    """典型案例: what happened, how it was qualified and handled, and on what it rests."""

    body = models.ForeignKey(
        InspectingBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="typical_cases",
        verbose_name=_("所属党组织"),
    )
    title = models.CharField(_("标题"), max_length=200)
    facts = models.TextField(_("基本案情"))
    qualification = models.TextField(_("定性"))
    handling = models.TextField(_("处理结果"))
    articles = models.ManyToManyField(
        Article, blank=True, related_name="cases", verbose_name=_("依据条款")
    )
    items = models.ManyToManyField(
        TaxonomyItem, blank=True, related_name="typical_cases", verbose_name=_("问题分类")
    )
    fictional = models.BooleanField(_("示例（虚构）"), default=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title


class Statement(models.Model):
    """定性表述: a standard way to state a problem of one taxonomy item, and its articles."""

    body = models.ForeignKey(
        InspectingBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("所属党组织"),
    )
    item = models.ForeignKey(
        TaxonomyItem,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("问题分类"),
    )
    text = models.TextField(_("定性表述"))
    articles = models.ManyToManyField(
        Article, blank=True, related_name="statements", verbose_name=_("依据条款")
    )
    fictional = models.BooleanField(_("示例（虚构）"), default=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
