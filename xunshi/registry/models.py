"""The registry: inspecting bodies, terms, organizations in scope, regions, the cadre pool."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from planner.avoidance import KIN_RELATIONS
from xunshi.jobs.models import Job, JobFacts, JobStatus


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    SOE = "soe", _("国有企业")
    UNIVERSITY = "university", _("高校")


class InspectingBody(models.Model):
    """The Party organization that sends the teams (省委, 市委, 县委, 国企党委, 高校党委)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    # The short form in document numbers (豫 in 豫巡1组〔2026〕1号); blank: the province's.
    abbreviation = models.CharField(_("简称"), max_length=10, blank=True)
    # The body that guides and supervises this one (上下联动): a county's city, a city's
    # province; none for the top of the deployment.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级党组织"),
    )
    # Days after an inspection closes during which its team still reads its case records
    # (talks, petitions, clues, papers, files); after them the office alone does.
    team_access_grace_days = models.PositiveSmallIntegerField(
        _("办结后巡视组查阅期限（天）"), default=30
    )

    def __str__(self) -> str:
        return self.name

    @property
    def work_word(self) -> str:
        """巡视 at province level, 巡察 below."""
        return "巡视" if self.level == Level.PROVINCE else "巡察"

    def own_words(self, text: str) -> str:
        """A label written in the province's words (巡视组, 被巡视单位) as this body says it:
        巡察组, 被巡察单位 below the province. A translation without 巡视 passes unchanged."""
        return text if self.work_word == "巡视" else text.replace("巡视", self.work_word)

    @property
    def short_title(self) -> str:
        """省委 for 中共河南省委, 市委, 县委; a company's or university's Party committee by
        its name (without 中共): the body as its documents name it."""
        short = {Level.PROVINCE: "省委", Level.CITY: "市委", Level.COUNTY: "县委"}
        return short.get(Level(self.level), self.name.removeprefix("中共"))


class Term(models.Model):
    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(_("届次"), max_length=50)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="term_unique_name")]

    def __str__(self) -> str:
        return self.name


class SeriesKind(models.TextChoices):
    """The yearly numbered series of an inspecting body's documents (文号)."""

    PAPER = "paper", _("问题底稿")  # one series per team number: 豫巡1组〔2026〕3号
    NOTICE = "notice", _("督办函")  # the body's own: 豫巡办督〔2026〕1号


class NumberSeries(models.Model):
    """The last number given in one series of a body's documents in one year.

    Numbers are drawn from here under a row lock by `registry.actions.number_draw`, inside
    the transaction that creates the document, so none is skipped or given twice.
    """

    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=16, choices=SeriesKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    # The team's number for working papers; 0 where the series is the body's own.
    team_number = models.PositiveSmallIntegerField(_("组号"), default=0)
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "year", "team_number"], name="number_series_unique"
            )
        ]

    def __str__(self) -> str:
        team = f"第{self.team_number}组" if self.team_number else ""
        return f"{self.year}年{team}{self.get_kind_display()}编号（至{self.last}号）"


class Region(models.Model):
    """A GB/T 2260 administrative division (statistical codes below county level)."""

    code = models.CharField(_("代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=16)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    CITY = "city", _("市级党委")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    DEPARTMENT = "department", _("省直单位")
    SOE = "soe", _("省管企业")
    UNIVERSITY = "university", _("高校")
    FINANCIAL = "financial", _("金融机构")
    HOSPITAL = "hospital", _("医院")
    PEOPLE_ORG = "people_org", _("群团组织")
    OTHER = "other", _("其他")


class OrgUnit(models.Model):
    """A Party organization that can be inspected (被巡视党组织)."""

    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="orgs")
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    sector = models.CharField(_("板块"), max_length=16, choices=Sector.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("行政区划")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    tags = models.JSONField(_("标签"), default=list, blank=True)
    headcount = models.PositiveIntegerField(_("党员/职工人数"), null=True, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    principal_name = models.CharField(_("主要负责人"), max_length=50, blank=True)
    principal_post = models.CharField(_("主要负责人职务"), max_length=50, blank=True)
    principal = models.ForeignKey(
        "Cadre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_orgs",
        verbose_name=_("主要负责人（干部库）"),
    )
    in_scope = models.BooleanField(_("纳入巡视范围"), default=True)
    search = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["sector", "code"]),
            # The coverage page counts a body's whole scope by sector and township: read from
            # this index alone, in its order, a province's 100,000 organizations need neither
            # the table nor a hash of the groups.
            models.Index(
                fields=["body", "sector", "parent", "id"],
                condition=models.Q(in_scope=True),
                name="org_scope_groups",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")


class Cadre(models.Model):
    """A member of the inspection cadre pool (巡视干部人才库) of one inspecting body."""

    body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        related_name="cadres",
        verbose_name=_("所属干部库"),
    )
    # Unique in the deployment, not only in the body's pool: plans, avoidance hits and the
    # cross-body teams of 交叉巡察 name cadres by code.
    code = models.CharField(_("人员编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # The ID number is sealed with SM4-GCM; the blind index (HMAC-SM3) allows exact lookup.
    id_number_sealed = models.TextField(editable=False)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    rank = models.CharField(_("职级"), max_length=30, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadres",
        verbose_name=_("所在单位"),
    )
    unit_name = models.CharField(_("单位名称"), max_length=100)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    skills = models.JSONField(_("专业类别"), default=list, blank=True)
    can_lead = models.BooleanField(_("可任组长"), default=False)
    origin = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("籍贯")
    )
    active = models.BooleanField(_("在库"), default=True)
    search = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CadreWork(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="work")
    org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    unit_name = models.CharField(_("单位"), max_length=100)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    start = models.DateField(_("起始"), null=True, blank=True)
    end = models.DateField(_("截止"), null=True, blank=True)
    is_leader = models.BooleanField(_("领导职务"), default=False)

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.unit_name}{self.post}"


class CadreStudy(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="study")
    org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    school_name = models.CharField(_("学校"), max_length=100)
    degree = models.CharField(_("学历学位"), max_length=30, blank=True)
    start = models.DateField(_("入学"), null=True, blank=True)
    end = models.DateField(_("毕业"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return self.school_name


class CadreKin(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="kin")
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(
        _("关系"), max_length=20, choices=sorted(KIN_RELATIONS.items(), key=lambda kv: kv[0])
    )
    org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    unit_name = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}{self.name}"


class AvoidanceWaiver(models.Model):
    """The office's recorded decision that one avoidance hit does not bar a cadre."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="waivers")
    target = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="waivers")
    rule = models.CharField(_("回避规则"), max_length=32)
    reason = models.TextField(_("理由"))
    approver = models.CharField(_("批准人"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cadre", "target", "rule"], name="waiver_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cadre}—{self.target}：{self.rule}"


class ImportKind(models.TextChoices):
    ORGS = "orgs", _("单位名录")
    CADRES = "cadres", _("干部库")


# The import pages' own words for two of the statuses every job has.
_IMPORT_STATUS: dict[str, Promise] = {JobStatus.DONE: _("已导入"), JobStatus.FAILED: _("未导入")}


class ImportJob(JobFacts, models.Model):
    """One uploaded Excel file and its background import into the registry.

    The file is deleted when the job ends; the row keeps what happened: every error with
    its sheet, row and column, or the counts written. Who uploaded it, when, and how the import
    stands are its `job` (xunshi.jobs), the one record of every background job.
    """

    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, related_name="import_job", editable=False
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    # The body whose registry or cadre pool the file goes into: the uploader's.
    body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        verbose_name=_("所属党组织"),
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(max_length=64, editable=False)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已校验行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.original_name}"

    # The job's facts (status, times, message …) come from JobFacts.
    def get_status_display(self) -> str:
        """The job's status in the words of the import pages (已导入, 未导入)."""
        return str(_IMPORT_STATUS.get(self.status) or self.job.get_status_display())

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def writing(self) -> bool:
        """Validation is over and the one write transaction is open (no progress inside it)."""
        return self.status == JobStatus.RUNNING and self.total > 0 and self.done >= self.total


class ExportJob(JobFacts, models.Model):
    """One Excel export of the registry (单位名录 or 干部库, the import layout), written by the
    task worker to a file under MEDIA_ROOT/exports that only its requester downloads (each
    download audited). The rows are what the requester may see when it runs."""

    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, related_name="export_job", editable=False
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    stored_name = models.CharField(max_length=64, editable=False)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已写行数"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导出#{self.pk}"

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
