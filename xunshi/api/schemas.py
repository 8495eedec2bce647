"""What the API answers with: one schema per resource, the fields a page of that resource
shows (a cadre's ID number only masked, as on the pages), and a page of each list."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from xunshi.rounds.models import Stage

from .pages import NO_NUL

__all__ = [
    "CadreOut",
    "CadrePage",
    "InspectionOut",
    "InspectionPage",
    "ItemOut",
    "ItemPage",
    "OrgOut",
    "OrgPage",
    "ProblemOut",
    "ProblemPage",
    "ProgressIn",
    "ProgressOut",
    "RoundOut",
    "RoundPage",
    "StageChangeOut",
    "StageChangePage",
    "StageIn",
    "TermOut",
    "TermPage",
]


class _Page(Schema):
    count: int = Field(description="符合条件的总数")
    limit: int
    offset: int


class OrgOut(Schema):
    id: int
    code: str = Field(description="单位编码")
    name: str = Field(description="单位名称")
    short_name: str
    sector: str = Field(description="板块")
    sector_label: str
    parent_id: int | None
    tags: list[str]
    in_scope: bool = Field(description="纳入巡视范围")


class OrgPage(_Page):
    items: list[OrgOut]


class CadreOut(Schema):
    id: int
    code: str = Field(description="人员编号")
    name: str
    gender: str
    id_number_masked: str = Field(description="身份证号码（脱敏，同页面所示）")
    rank: str
    unit_name: str
    post: str
    skills: list[str]
    can_lead: bool
    active: bool


class CadrePage(_Page):
    items: list[CadreOut]


class TermOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date


class TermPage(_Page):
    items: list[TermOut]


class RoundOut(Schema):
    id: int
    term_id: int
    ordinal: int
    name: str
    kind: str
    kind_label: str
    theme: str
    start: dt.date | None
    end: dt.date | None
    plan_approved_on: dt.date | None


class RoundPage(_Page):
    items: list[RoundOut]


class InspectionOut(Schema):
    id: int
    round_id: int
    team_id: int
    team_name: str
    target_id: int
    target_name: str
    kind: str
    kind_label: str
    stage: str
    stage_label: str
    start: dt.date | None
    end: dt.date | None


class InspectionPage(_Page):
    items: list[InspectionOut]


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    to_stage_label: str
    on: dt.date
    reason: str


class StageChangePage(_Page):
    items: list[StageChangeOut]


class StageIn(Schema):
    to: Stage = Field(description="目标阶段")
    reason: str = Field(
        "", max_length=2000, pattern=NO_NUL, description="理由（退回、暂停、取消时必填）"
    )
    on: dt.date | None = Field(None, description="日期，默认为今天")


class ProblemOut(Schema):
    id: int
    seq: int
    summary: str = Field(description="问题表述")


class ProblemPage(_Page):
    items: list[ProblemOut]


class ProgressOut(Schema):
    id: int
    reported_on: dt.date
    text: str


class ItemOut(Schema):
    id: int
    inspection_id: int
    seq: int
    title: str
    measures: str
    responsible_leader: str
    responsible_department: str
    deadline: dt.date | None
    kind: str
    status: str
    status_label: str
    claimed_on: dt.date | None
    closed_on: dt.date | None
    progress: list[ProgressOut]


class ItemPage(_Page):
    items: list[ItemOut]


class ProgressIn(Schema):
    text: str = Field(min_length=1, max_length=5000, pattern=NO_NUL, description="进展情况")
    reported_on: dt.date = Field(description="报告日期")
    rules_revised: int = Field(0, ge=0, le=100000)
    # A decimal text, as money is never a binary float: "12.50" (万元).
    funds_recovered: str = Field(
        "0", pattern=r"^\d{1,8}(\.\d{1,2})?$", description="挽回或追缴资金（万元），如 12.50"
    )
    persons_sanctioned: int = Field(0, ge=0, le=100000)
