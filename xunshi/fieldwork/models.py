"""What a team records on site inside one inspection.

Talks (个别谈话), petitions (信访), document requests (调阅资料), immediate fixes (立行立改)
and working papers (问题底稿) with their evidence, classified in the office's versioned
taxonomies. Every record belongs to exactly one inspection, so access follows team
membership. What the office makes of them (problems, clues, the report) is `findings`.

The tables keep the app label `inspections` they were created under (see
docs/architecture.md): this app owns that label and its migrations, and the models of
`findings` and `lifecycle` register under it too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.lib.sealed_fields import SealedCharField, SealedTextField
from xunshi.registry.models import Cadre, InspectingBody
from xunshi.rounds.models import Inspection

# --- taxonomies -------------------------------------------------------------------------------


class Taxonomy(models.Model):
    """A versioned classification of problems (四个落实, 六项纪律 …); offices add their own.

    A shipped taxonomy (no `body`) is read by every body; a body's own versions (`body`) are
    read and kept by that body only, and a body's own version of a shipped code takes the
    shipped one's place for that body alone (`taxonomy_queries.current_taxonomies`).
    """

    # None: shipped with Xunshi (系统内置), read by all; else the body whose office keeps it.
    body = models.ForeignKey(
        InspectingBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taxonomies",
        verbose_name=_("所属党组织"),
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    builtin = models.BooleanField(_("系统内置"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(body__isnull=True),
                name="taxonomy_unique_version",
            ),
            models.UniqueConstraint(
                fields=["body", "code", "version"],
                condition=models.Q(body__isnull=False),
                name="taxonomy_unique_body_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class TaxonomyItem(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["taxonomy", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- on-site records --------------------------------------------------------------------------


class TalkCategory(models.TextChoices):
    REQUIRED = "required", _("必谈")
    OPTIONAL = "optional", _("选谈")


class Talk(models.Model):
    """个别谈话: at least two interviewers and a recorder; signed off once the record is final."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="talks")
    interviewee = models.CharField(_("谈话对象"), max_length=50)
    interviewee_post = models.CharField(_("职务"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=TalkCategory.choices)
    interviewers = models.ManyToManyField(
        Cadre, related_name="talks_held", verbose_name=_("谈话人")
    )
    recorder = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="talks_recorded", verbose_name=_("记录人")
    )
    held_at = models.DateTimeField(_("谈话时间"))
    place = models.CharField(_("地点"), max_length=100)
    # Sealed at rest (SM4-GCM, xunshi/lib/sealed_fields.py), like the petitions' and papers' texts.
    outline = SealedTextField(_("谈话提纲"), blank=True)
    record = SealedTextField(_("谈话记录"), blank=True)
    signed_off_at = models.DateTimeField(_("签认时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "held_at", "id"]

    def __str__(self) -> str:
        return f"与{self.interviewee}的谈话"


class PetitionChannel(models.TextChoices):
    LETTER = "letter", _("来信")
    CALL = "call", _("来电")
    VISIT = "visit", _("来访")
    MAILBOX = "mailbox", _("意见箱")
    PORTAL = "portal", _("网络举报")
    FORWARDED = "forwarded", _("转交")


class PetitionCategory(models.TextChoices):
    """What a petition is about, in the headings an office counts its letters and visits by
    (信访举报分类); a portal report stays unclassified ("") until the team classifies it."""

    LEADERS = "leaders", _("反映领导干部问题")
    APPOINTMENTS = "appointments", _("选人用人问题")
    EIGHT_RULES = "eight_rules", _("违反中央八项规定精神问题")
    FORMALISM = "formalism", _("形式主义、官僚主义问题")
    PUBLIC_INTEREST = "public_interest", _("侵害群众利益问题")
    IDEOLOGY = "ideology", _("意识形态问题")
    OTHER = "other", _("其他问题")


class PetitionRouting(models.TextChoices):
    PENDING = "pending", _("待处理")
    PROBLEM = "problem", _("作为问题")
    CLUE = "clue", _("作为线索")
    FORWARDED = "forwarded", _("转交其他机关")
    NOTED = "noted", _("留存备查")


class Petition(models.Model):
    """信访: a report received during the inspection, by any channel, named or anonymous."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="petitions")
    seq = models.PositiveIntegerField(_("序号"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=PetitionChannel.choices)
    category = models.CharField(
        _("反映问题类别"), max_length=16, choices=PetitionCategory.choices, blank=True
    )
    received_on = models.DateField(_("收到日期"))
    real_name = models.BooleanField(_("实名"), default=False)
    petitioner_name = SealedCharField(_("反映人"), max_length=50, blank=True)
    petitioner_contact = SealedCharField(_("联系方式"), max_length=100, blank=True)
    content = SealedTextField(_("反映内容"))
    reported_persons = SealedCharField(_("被反映人"), max_length=200, blank=True)
    in_scope = models.BooleanField(_("属于巡视范围"), null=True, blank=True)
    routing = models.CharField(
        _("处理方式"),
        max_length=16,
        choices=PetitionRouting.choices,
        default=PetitionRouting.PENDING,
    )
    forwarded_to = models.CharField(_("转交机关"), max_length=100, blank=True)
    forwarded_on = models.DateField(_("转交日期"), null=True, blank=True)
    routing_note = models.TextField(_("处理说明"), blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    # The portal's reference of a submission pulled from the public portal (issue 5).
    portal_ref = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="petition_unique_seq")
        ]

    def __str__(self) -> str:
        return f"第{self.seq}号信访件"


class DocumentRequest(models.Model):
    """调阅资料: what the team asked the unit for, with the handover slip (交接单)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="document_requests"
    )
    seq = models.PositiveIntegerField(_("序号"))
    documents = models.TextField(_("调阅资料清单"))
    provider = models.CharField(_("提供部门"), max_length=100)
    requested_on = models.DateField(_("调阅日期"))
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    handed_over_by = models.CharField(_("移交人"), max_length=50, blank=True)
    received_by = models.ForeignKey(
        Cadre, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("接收人")
    )
    returned_on = models.DateField(_("归还日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="docrequest_unique_seq")
        ]

    def __str__(self) -> str:
        return f"第{self.seq}号调阅"


class ImmediateFix(models.Model):
    """立行立改: a problem the unit fixed during the inspection at the team's prompting."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="immediate_fixes"
    )
    issue = models.TextField(_("问题"))
    measure = models.TextField(_("整改措施"))
    responsible_unit = models.CharField(_("责任部门"), max_length=100)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"立行立改：{self.issue[:20]}"


# --- working papers ---------------------------------------------------------------------------


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    GROUP_REVIEW = "group_review", _("待组务会审议")
    LEADER_REVIEW = "leader_review", _("待组长审定")
    APPROVED = "approved", _("已审定")
    RETURNED = "returned", _("退回修改")


class WorkingPaper(models.Model):
    """问题底稿: facts, the rule that qualifies them, responsibility, classification, and a
    two-level review (the group meeting, then the leader)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="working_papers"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("流水号"))
    number = models.CharField(_("底稿编号"), max_length=50, unique=True)
    title = models.CharField(_("问题标题"), max_length=200)
    facts = SealedTextField(_("事实"))
    qualification = SealedTextField(_("定性依据"))
    responsibility_main = SealedTextField(_("主体责任"), blank=True)
    responsibility_first = SealedTextField(_("第一责任人责任"), blank=True)
    responsibility_supervision = SealedTextField(_("监督责任"), blank=True)
    category = models.ForeignKey(
        TaxonomyItem, on_delete=models.PROTECT, related_name="papers", verbose_name=_("问题分类")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PaperStatus.choices, default=PaperStatus.DRAFT
    )
    group_meeting_on = models.DateField(_("组务会日期"), null=True, blank=True)
    group_opinion = models.TextField(_("组务会意见"), blank=True)
    leader_reviewed_at = models.DateTimeField(_("组长审定时间"), null=True, blank=True)
    leader_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "seq"]

    def __str__(self) -> str:
        return self.number


class EvidenceKind(models.TextChoices):
    TALK = "talk", _("谈话记录")
    PETITION = "petition", _("信访件")
    DOCUMENT = "document", _("调阅资料")
    ATTACHMENT = "attachment", _("附件")


class EvidenceItem(models.Model):
    """One piece of evidence behind a working paper: a link to exactly one record."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据类型"), max_length=16, choices=EvidenceKind.choices)
    talk = models.ForeignKey(Talk, null=True, blank=True, on_delete=models.PROTECT)
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT)
    document = models.ForeignKey(DocumentRequest, null=True, blank=True, on_delete=models.PROTECT)
    attachment = models.ForeignKey(
        "files.Attachment", null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("证明内容"), max_length=200, blank=True)

    class Meta:
        ordering = ["paper", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="talk", talk__isnull=False)
                    | models.Q(kind="petition", petition__isnull=False)
                    | models.Q(kind="document", document__isnull=False)
                    | models.Q(kind="attachment", attachment__isnull=False)
                ),
                name="evidence_links_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paper}的证据（{self.get_kind_display()}）"
