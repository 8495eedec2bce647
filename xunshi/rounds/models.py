"""Rounds, teams, memberships, temporary Party branches and inspections (team × target)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xunshi.jobs.models import Job, JobFacts, JobStatus
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term


class SectorMode(models.TextChoices):
    ROTATING = "rotating", _("板块轮动")
    MIXED = "mixed", _("板块混动")


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("常规巡视")
    SPECIAL = "special", _("专项巡视")
    MOBILE = "mobile", _("机动巡视")
    LOOK_BACK = "look_back", _("巡视“回头看”")
    ELEVATED = "elevated", _("提级巡察")
    CROSS = "cross", _("交叉巡察")
    LINKED = "linked", _("上下联动")
    VILLAGE = "village", _("对村巡察")


# The kinds that count towards full coverage (全覆盖) unless the office says otherwise.
COVERAGE_KINDS = frozenset(
    {
        InspectionKind.REGULAR,
        InspectionKind.SPECIAL,
        InspectionKind.ELEVATED,
        InspectionKind.CROSS,
        InspectionKind.LINKED,
        InspectionKind.VILLAGE,
    }
)


class Stage(models.TextChoices):
    PLANNED = "planned", _("已计划")
    AUTHORIZED = "authorized", _("已授权")
    NOTIFIED = "notified", _("已通知")
    ON_SITE = "on_site", _("进驻中")
    WITHDRAWN = "withdrawn", _("已撤离")
    REPORT_DRAFTED = "report_drafted", _("报告起草")
    OFFICE_REVIEWED = "office_reviewed", _("巡视办审核")
    LEADING_GROUP_HEARD = "leading_group_heard", _("领导小组听取汇报")
    COMMITTEE_DECIDED = "committee_decided", _("党委决定")
    FEEDBACK_GIVEN = "feedback_given", _("已反馈")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFICATION_REPORTED = "rectification_reported", _("已报送整改报告")
    DISCLOSED = "disclosed", _("已公开")
    MONITORING = "monitoring", _("日常监督")
    CLOSED = "closed", _("已办结")
    ARCHIVED = "archived", _("已归档")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("已取消")


# While the team can record talks, documents and papers.
RECORDING_STAGES = frozenset({Stage.ON_SITE, Stage.WITHDRAWN})
# While petitions are received: from the announcement until the report goes up.
PETITION_STAGES = frozenset({Stage.NOTIFIED, Stage.ON_SITE, Stage.WITHDRAWN})
_TERMINAL = frozenset({Stage.CLOSED, Stage.ARCHIVED, Stage.CANCELLED})
ACTIVE_STAGES = frozenset(s for s in Stage if s not in _TERMINAL and s != Stage.SUSPENDED)
# The main line as the overview page draws it.
STAGE_LINE = [s for s in Stage if s not in (Stage.SUSPENDED, Stage.CANCELLED)]

_ORDER = [s for s in Stage if s not in (Stage.SUSPENDED, Stage.CANCELLED)]
# An inspection counts as done for coverage once the team has left the site.
DONE_STAGES = frozenset(_ORDER[_ORDER.index(Stage.WITHDRAWN) :])


class Round(models.Model):
    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="rounds")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="rounds")
    ordinal = models.PositiveSmallIntegerField(_("轮次"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=InspectionKind.choices)
    sector_mode = models.CharField(_("对象确定方式"), max_length=16, choices=SectorMode.choices)
    theme = models.CharField(_("监督重点"), max_length=200, blank=True)
    # The registry's tags the theme looks for (贫困县, 有扶贫资金的部门): targets carrying
    # them come first in the proposal (`propose_targets`).
    theme_tags = models.JSONField(_("重点标签"), default=list, blank=True)
    targets_per_team = models.PositiveSmallIntegerField(_("一托N"), default=1)
    start = models.DateField(_("进驻日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    # The organising body's decision (决定): a round that crosses bodies (提级巡察, 交叉巡察)
    # creates no inspection before its number and date are recorded (`decision_missing`).
    decision_ref = models.CharField(_("决定文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    # 上下联动: the round of a higher body this one runs in step with (same theme, same dates).
    linked_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linked_rounds",
        verbose_name=_("联动轮次"),
    )
    # The leading group's approval of the round's plan (审批巡视工作方案), set with its record
    # (`decision_record` → `round_mark_plan_approved`) and withdrawn when a team not yet
    # authorized changes (`round_plan_approval_withdraw`); the decisions stay as history.
    plan_approved_on = models.DateField(_("方案批准日期"), null=True, blank=True)
    plan_approved_by_meeting = models.CharField(_("方案批准会议"), max_length=60, blank=True)

    class Meta:
        ordering = ["-term__start", "-ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["term", "ordinal"], name="round_unique_ordinal"),
            models.CheckConstraint(
                condition=models.Q(decision_ref="", decided_on__isnull=True)
                | (~models.Q(decision_ref="") & models.Q(decided_on__isnull=False)),
                name="round_decision_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DisciplineRuleSet(models.Model):
    """A versioned list of discipline rules (五严格, 六严禁, 十不准 …) members pledge to keep."""

    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    items = models.JSONField(_("条目"), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ruleset_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Team(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="teams")
    number = models.PositiveSmallIntegerField(_("组号"))
    name = models.CharField(_("名称"), max_length=50)
    rule_set = models.ForeignKey(
        DisciplineRuleSet, on_delete=models.PROTECT, verbose_name=_("纪律规定")
    )

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="team_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.round.name}{self.name}"


class TeamRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("组员")
    LIAISON = "liaison", _("联络员")
    PETITION = "petition", _("信访专员")


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("职责"), max_length=16, choices=TeamRole.choices)
    pledge_signed_at = models.DateTimeField(_("签署承诺时间"), null=True, blank=True)
    pledge_rule_set = models.ForeignKey(
        DisciplineRuleSet, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["team", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "cadre"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(role="leader"), name="one_leader_per_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}：{self.cadre.name}（{self.get_role_display()}）"


class PartyBranch(models.Model):
    """The temporary Party branch (临时党支部) of a team."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="branch")
    secretary = models.ForeignKey(Cadre, on_delete=models.PROTECT, verbose_name=_("书记"))
    established_on = models.DateField(_("成立日期"))

    def __str__(self) -> str:
        return f"{self.team}临时党支部"


class Inspection(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="inspections")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="inspections")
    target = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("类型"), max_length=16, choices=InspectionKind.choices)
    counts_for_coverage = models.BooleanField(_("计入全覆盖"), default=True)
    batch = models.PositiveSmallIntegerField(_("批次"), default=1)
    start = models.DateField(_("进驻日期"), null=True, blank=True)
    end = models.DateField(_("撤离日期"), null=True, blank=True)
    stage = models.CharField(_("阶段"), max_length=32, choices=Stage.choices, default=Stage.PLANNED)
    # A look-back (回头看) points at the inspection whose rectification it checks.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="look_backs",
        verbose_name=_("原巡视"),
    )

    class Meta:
        ordering = ["round", "team__number", "batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "target"], name="inspection_unique_target")
        ]
        # The few inspections of a stage (those with open ledgers, with a report due …) among
        # every body's ten years of them, for the oversight figures.
        indexes = [models.Index(fields=["stage", "round"], name="inspection_stage_round")]

    def __str__(self) -> str:
        return f"{self.team}对{self.target.name}的{self.get_kind_display()}"


# The planning pages' own word for one of the statuses every job has.
_PLANNING_STATUS: dict[str, Promise] = {JobStatus.RUNNING: _("计算中")}


class PlanningJob(JobFacts, models.Model):
    """One run of the planning engine on a round: the problem as it was built from the
    registry (``xunshi-round/1``), the parameters, and the plan the solver returned. Who asked
    for it, when, and how the run stands are its `job` (xunshi.jobs), the one record of every
    background job."""

    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, related_name="planning_job", editable=False
    )
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="planning_jobs")
    params = models.JSONField(_("参数"), default=dict)
    target_ids = models.JSONField(_("巡视对象"), default=list)
    problem = models.JSONField(_("问题"), default=dict)
    plan = models.JSONField(_("方案"), null=True, blank=True)
    applied_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.round.name}方案计算（{self.get_status_display()}）"

    # The job's facts (status, times, message …) come from JobFacts.
    def get_status_display(self) -> str:
        """The job's status in the words of the planning pages (计算中, 正在停止)."""
        if self.job.stopping:
            return str(_("正在停止"))
        return str(_PLANNING_STATUS.get(self.status) or self.job.get_status_display())


# --- the year's plan (年度巡视巡察工作计划) ------------------------------------------------------


class YearPlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")
    SUPERSEDED = "superseded", _("已被新版本取代")


class YearPlan(models.Model):
    """One version of a body's plan for a year: its rounds with dates and themes, the targets
    planned per round, and the numbers the plan must reach. Only a draft is edited; the
    leading group approves a version (`year_plan_mark_approved`, called by the decisions
    room), and a change after that is a new version that goes to the leading group again."""

    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="year_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=YearPlanStatus.choices, default=YearPlanStatus.DRAFT
    )
    theme = models.CharField(_("年度工作重点"), max_length=200, blank=True)
    # The rules of the plan, with the province's defaults: ≥ 70 organizations, two rounds.
    min_targets = models.PositiveSmallIntegerField(_("年度巡视对象不少于"), default=70)
    min_rounds = models.PositiveSmallIntegerField(_("年度轮次不少于"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approved_by_meeting = models.CharField(_("批准会议"), max_length=60, blank=True)

    class Meta:
        ordering = ["body", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "version"], name="yearplan_unique_version"
            ),
            models.UniqueConstraint(
                fields=["body", "year"],
                condition=models.Q(status="approved"),
                name="yearplan_one_approved",
            ),
            models.UniqueConstraint(
                fields=["body", "year"],
                condition=models.Q(status="draft"),
                name="yearplan_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(approved_on__isnull=False),
                name="yearplan_approved_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.name}{self.year}年度工作计划（第{self.version}版）"


class YearPlanRound(models.Model):
    """A round the year's plan schedules: its place in the year, dates, kind and theme, and,
    once the office has opened it, the round that carries it out."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="rounds")
    position = models.PositiveSmallIntegerField(_("年度第几轮"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.REGULAR
    )
    theme = models.CharField(_("监督重点"), max_length=200, blank=True)
    theme_tags = models.JSONField(_("重点标签"), default=list, blank=True)
    start = models.DateField(_("进驻日期"))
    end = models.DateField(_("结束日期"))
    round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="year_plan_rounds",
        verbose_name=_("实施轮次"),
    )
    targets = models.ManyToManyField(OrgUnit, related_name="+", verbose_name=_("计划巡视对象"))

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="yearplanround_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="yearplanround_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ForecastResult(models.Model):
    """A solved coverage forecast (全覆盖预测), kept so that the page does not solve the term
    again for the same term, parameters, day, language and inputs (`forecast_key`: a digest of
    them all). A change of the inputs (an inspection, a round, the registry) gives another key;
    old results are pruned when a new one is kept (`forecast_keep`)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    computed_at = models.DateTimeField()
    result = models.JSONField()  # `forecast_to_json`

    def __str__(self) -> str:
        return f"{self.term_id}:{self.key[:12]}"
