"""The demo province's inspections that show the whole chain: team 1 of the latest round.

The demo's history closes every inspection without records. Team 1 of round 9 (its leader
and a member have the logins zuzhang and zuyuan) is walked through the lifecycle instead,
with the actions a team, the office and the liaison would use:

- the county whose liaison has the login lianluoyuan is in rectification: talks, petitions,
  documents, working papers, four problems, three clues (one transfer overdue), the feedback
  and a ledger whose items are green, yellow, red, claimed and closed, relative to today;
- the team's other target went all the way to closure.

Deadlines and progress dates are set relative to the day the demo is loaded, so the ledger
shows its warning colours whenever it is loaded.

The walks themselves (``walk_on_site``, ``walk_to_decision``, ``walk_ledger``) take the days
of each stage (``Days``) and the words that differ by body, so the bodies below the province
(``xunshi.demo.kaifeng_rounds``) walk their inspections the same way on their own dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.findings import actions as clue_actions
from xunshi.findings import report_actions
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round, TeamRole

from .group import approve_round, hear_or_decide
from .pool import county_title

__all__ = [
    "PROVINCE_DAYS",
    "Days",
    "build_lifecycle",
    "walk_ledger",
    "walk_on_site",
    "walk_to_decision",
]

D = dt.date


@dataclass(frozen=True)
class Days:
    """The days an inspection's stages move on, from the authorization to the closure, and the
    ledger's days: progress reported, items claimed and verified, and the one deadline of
    every item when the whole ledger is closed."""

    authorized: dt.date
    notified: dt.date
    on_site: dt.date
    withdrawn: dt.date
    drafted: dt.date
    reviewed: dt.date
    heard: dt.date
    decided: dt.date
    feedback: dt.date
    rectifying: dt.date
    progress: dt.date
    claimed: dt.date
    verified: dt.date
    reported: dt.date
    disclosed: dt.date
    monitoring: dt.date
    closed: dt.date
    deadline: dt.date


PROVINCE_DAYS = Days(
    authorized=D(2026, 2, 27),
    notified=D(2026, 3, 3),
    on_site=D(2026, 3, 9),
    withdrawn=D(2026, 5, 8),
    drafted=D(2026, 5, 22),
    reviewed=D(2026, 6, 1),
    heard=D(2026, 6, 12),
    decided=D(2026, 6, 23),
    feedback=D(2026, 7, 6),
    rectifying=D(2026, 7, 24),
    progress=D(2026, 8, 20),
    claimed=D(2026, 8, 25),
    verified=D(2026, 8, 28),
    reported=D(2026, 9, 6),
    disclosed=D(2026, 9, 30),
    monitoring=D(2026, 10, 8),
    closed=D(2026, 11, 2),
    deadline=D(2026, 9, 30),
)
# Who answers for the province's items: (leader, department) of odd and even items, in a
# 县's words (county_title makes them 区委 / 区长 in a 区).
PROVINCE_OWNERS = (("县委副书记、县长", "县财政局"), ("县委常委、组织部部长", "县委组织部"))
# (title, facts, qualification, category code in 四个落实, feedback summary)
PROBLEMS = [
    (
        "防范化解政府债务风险责任落实不到位",
        "2025年以来，县城投公司新增融资中有3.2亿元未纳入政府债务风险监测，部分项目“先上车后补票”。",
        "违反《中华人民共和国预算法》和省委、省政府关于防范化解地方政府债务风险的有关规定。",
        "1",
        "防范化解政府债务风险责任落实不到位，隐性债务监测存在盲区。",
    ),
    (
        "衔接资金项目推进迟缓",
        "2025年度巩固拓展脱贫攻坚成果衔接资金项目18个，至巡视时仍有6个未开工，资金滞留1860万元。",
        "违反《中央财政衔接推进乡村振兴补助资金管理办法》关于资金拨付时限的规定。",
        "1",
        "巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作推进不够有力，部分衔接资金项目推进迟缓。",
    ),
    (
        "落实中央八项规定精神不严格",
        "县直部分单位存在超标准接待、违规发放津贴补贴问题，涉及金额42.6万元。",
        "违反中央八项规定及其实施细则精神和《中国共产党纪律处分条例》第一百零二条。",
        "2",
        "落实中央八项规定精神不够严格，违规发放津贴补贴问题仍有发生。",
    ),
    (
        "选人用人把关不严",
        "2024年以来提拔的干部中有4人档案信息存疑未查清即履行任职程序。",
        "违反《党政领导干部选拔任用工作条例》第二十七条关于档案审核的规定。",
        "3",
        "选人用人工作把关不严，干部档案审核不够细致。",
    ),
]


def walk_on_site(insp: Inspection, days: Days, *, on_site: bool = True) -> None:
    """Sign the pledges still unsigned, have the leading group approve the round's plan,
    authorize, notify and (unless told not to) enter."""
    for m in insp.team.memberships.filter(pledge_signed_at__isnull=True):
        # Members without a demo login sign their pledges in the demo's name.
        rnd.pledge_sign(actor=SYSTEM, membership=m)
    approve_round(insp.round, days.authorized)
    steps = [("authorized", days.authorized), ("notified", days.notified)]
    if on_site:
        steps.append(("on_site", days.on_site))
    for stage, on in steps:
        inspection_transition(actor=SYSTEM, inspection=insp, to=stage, on=on)


def walk_to_decision(
    insp: Inspection,
    days: Days,
    *,
    overview: str,
    suggestions: str,
    until: str = "feedback_given",
) -> None:
    """Withdraw, write the report's text, and take the report up as far as `until` (the
    feedback unless told otherwise)."""
    inspection_transition(actor=SYSTEM, inspection=insp, to="withdrawn", on=days.withdrawn)
    report_actions.report_text_save(
        actor=SYSTEM, inspection=insp, overview=overview, suggestions=suggestions
    )
    for stage, on in [
        ("report_drafted", days.drafted),
        ("office_reviewed", days.reviewed),
        ("leading_group_heard", days.heard),
        ("committee_decided", days.decided),
        ("feedback_given", days.feedback),
    ]:
        if stage in ("leading_group_heard", "committee_decided"):
            hear_or_decide(insp, stage, on)  # the leading group's login records its meeting
        else:
            inspection_transition(actor=SYSTEM, inspection=insp, to=stage, on=on)
        if stage == until:
            return


def _records(
    insp: Inspection, problems: list[tuple[str, str, str, str, str]]
) -> tuple[list[Any], list[Any]]:
    """Talks, petitions, a document request, a fix, and one approved paper per problem."""
    team = list(insp.team.memberships.select_related("cadre").order_by("role", "id"))
    leader = next(m.cadre for m in team if m.role == TeamRole.LEADER)
    others = [m.cadre for m in team if m.cadre != leader]
    target = insp.target.name

    def local(text: str) -> str:
        return county_title(text, target)

    talks = []
    for n, (who, post) in enumerate(
        [("县委书记", "县委书记"), ("县长", "县委副书记、县长"), ("财政局局长", "县财政局局长")]
    ):
        talk = onsite_actions.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee=f"{target}{local(who)}",
            interviewee_post=local(post),
            category="required",
            interviewers=[leader, others[0]],
            recorder=others[1 % len(others)],
            held_at=dt.datetime(2026, 3, 10 + n, 9, 0, tzinfo=dt.UTC),
            place="巡视组驻地会议室",
            outline="一、落实党中央决策部署情况；二、全面从严治党“两个责任”落实情况。",
            record=f"{who}介绍了本地区经济社会发展和党的建设情况，对政府债务和衔接资金问题作了说明。",
        )
        onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        talks.append(talk)
    petitions = []
    for n, (content, named) in enumerate(
        [
            ("反映某乡镇衔接资金项目迟迟不开工，群众意见较大。", False),
            ("反映县某局违规发放津贴补贴、公款吃喝。", True),
            ("反映某村干部优亲厚友，低保评定不公。", False),
        ]
    ):
        petition = onsite_actions.petition_create(
            actor=SYSTEM,
            inspection=insp,
            channel=["letter", "call", "mailbox"][n],
            category=["public_interest", "eight_rules", "public_interest"][n],
            received_on=D(2026, 3, 15 + n),
            content=content,
            real_name=named,
            petitioner_name="王某某" if named else "",
            petitioner_contact="138****0000" if named else "",
            reported_persons="",
        )
        routing = "forwarded" if n == 2 else ("clue" if n == 1 else "problem")
        onsite_actions.petition_route(
            actor=SYSTEM,
            petition=petition,
            in_scope=True,
            routing=routing,
            forwarded_to="县纪委监委" if routing == "forwarded" else "",
            forwarded_on=D(2026, 3, 20) if routing == "forwarded" else None,
        )
        petitions.append(petition)
    docs = onsite_actions.docrequest_create(
        actor=SYSTEM,
        inspection=insp,
        documents=local(
            "2024年以来县委常委会会议纪要\n2025年度衔接资金项目台账\n县城投公司融资合同"
        ),
        provider=local("县委办公室"),
        requested_on=D(2026, 3, 11),
    )
    onsite_actions.docrequest_handover(
        actor=SYSTEM,
        request=docs,
        handed_over_on=D(2026, 3, 13),
        handed_over_by=local("县委办公室档案员"),
        received_by=others[0],
    )
    onsite_actions.fix_create(
        actor=SYSTEM,
        inspection=insp,
        issue="群众反映的村级活动场所被挪作他用",
        measure="立即腾退，恢复党群服务功能",
        responsible_unit=local("县委组织部"),
        done_on=D(2026, 4, 2),
    )
    categories = {i.code: i for i in TaxonomyItem.objects.filter(taxonomy__code="sigeluoshi")}
    for n, (title, facts, qualification, code, summary) in enumerate(problems):
        paper = papers.paper_create(
            actor=SYSTEM,
            inspection=insp,
            title=title,
            facts=local(facts),
            qualification=qualification,
            category=categories[code],
            responsibility_main=f"{target}委承担主体责任。",
            responsibility_first=f"{target}委书记承担第一责任人责任。",
            responsibility_supervision=f"{target}纪委监委承担监督责任。",
        )
        papers.paper_add_evidence(
            actor=SYSTEM, paper=paper, kind="talk", record_obj=talks[n % len(talks)]
        )
        papers.paper_add_evidence(
            actor=SYSTEM, paper=paper, kind="document", record_obj=docs, note="会议纪要及台账"
        )
        papers.paper_submit(actor=SYSTEM, paper=paper)
        papers.paper_group_review(
            actor=SYSTEM, paper=paper, approve=True, meeting_on=D(2026, 4, 28), opinion="事实清楚"
        )
        papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
        clue_actions.problem_create(actor=SYSTEM, paper=paper, summary=summary)
    return talks, petitions


def _clues(insp: Inspection, petitions: list[Any], talks: list[Any]) -> None:
    first = clue_actions.clue_create(
        actor=SYSTEM,
        inspection=insp,
        source="petition",
        record=petitions[1],
        persons=county_title("县某局局长", insp.target.name),
        summary="反映其违规发放津贴补贴、公款吃喝，涉及金额较大。",
        recipient="discipline",
    )
    # Transferred in May and never answered: overdue on the office's list.
    clue_actions.clue_transfer(
        actor=SYSTEM,
        clue=first,
        transferred_on=D(2026, 5, 15),
        receiving_body="省纪委监委",
        receiver="信访室",
    )
    second = clue_actions.clue_create(
        actor=SYSTEM,
        inspection=insp,
        source="talk",
        record=talks[2],
        persons=county_title("县城投公司原总经理", insp.target.name),
        summary="反映其在融资业务中收受中介机构好处费。",
        recipient="discipline",
        highly_confidential=True,
    )
    clue_actions.clue_transfer(
        actor=SYSTEM,
        clue=second,
        transferred_on=D(2026, 5, 15),
        receiving_body="省纪委监委",
        receiver="第三监督检查室",
    )
    clue_actions.clue_dispose(
        actor=SYSTEM,
        clue=second,
        disposal="preliminary",
        outcome="已初步核实，立案审查调查。",
        reported_on=D(2026, 8, 10),
    )
    third = clue_actions.clue_create(
        actor=SYSTEM,
        inspection=insp,
        source="talk",
        record=talks[0],
        persons="某乡镇党委书记",
        summary="反映其选人用人中搞“小圈子”。",
        recipient="organization",
    )
    clue_actions.clue_transfer(
        actor=SYSTEM,
        clue=third,
        transferred_on=D(2026, 5, 15),
        receiving_body="省委组织部",
        receiver="干部监督处",
    )


def walk_ledger(
    insp: Inspection,
    today: dt.date,
    days: Days,
    *,
    close_all: bool,
    owners: tuple[tuple[str, str], tuple[str, str]] = PROVINCE_OWNERS,
) -> None:
    """Plan every item, then report, claim and close according to its place in the demo: the
    whole ledger closed and the inspection closed, or the first item closed and the others
    red, yellow and green on `today`. `owners` are the (leader, department) of odd and even
    items."""
    items = list(RectificationItem.objects.filter(inspection=insp).order_by("seq"))
    offsets = [30, -3, 6, 16]  # closed below, then red, yellow, green
    for item, offset in zip(items, offsets, strict=False):
        deadline = today + dt.timedelta(days=offset) if not close_all else days.deadline
        leader, department = (
            county_title(text, insp.target.name) for text in owners[item.seq % 2 == 0]
        )
        rect.item_plan(
            actor=SYSTEM,
            item=item,
            measures="制定专项整改方案，逐项建立台账，明确时间表和责任人。",
            responsible_leader=leader,
            responsible_department=department,
            deadline=max(deadline, days.feedback + dt.timedelta(days=1)),
            kind="long_term" if item.seq == 4 else "concentrated",
        )
    inspection_transition(actor=SYSTEM, inspection=insp, to="rectifying", on=days.rectifying)
    for item in items:
        rect.progress_report(
            actor=SYSTEM,
            item=item,
            text="已召开专题会议研究部署，完成问题清单梳理，正在逐项推进。",
            reported_on=days.progress,
            files=[],
            rules_revised=1,
            funds_recovered=Decimal("12.50") if item.seq == 3 else Decimal(0),
            persons_sanctioned=2 if item.seq == 3 else 0,
        )
    done = items if close_all else items[:1]
    for item in done:
        rect.item_claim(actor=SYSTEM, item=item, on=days.claimed)
        rect.item_verify(actor=SYSTEM, item=item, close=True, on=days.verified)
    if close_all:
        for stage, on in [
            ("rectification_reported", days.reported),
            ("disclosed", days.disclosed),
            ("monitoring", days.monitoring),
            ("closed", days.closed),
        ]:
            inspection_transition(actor=SYSTEM, inspection=insp, to=stage, on=on)


def build_lifecycle(latest: Round, liaison_org_id: int) -> None:
    """Walk team 1's inspections of the latest round (left open by the history)."""
    today = timezone.localdate()
    for insp in latest.inspections.filter(team__number=1).select_related("team", "target"):
        live = insp.target_id == liaison_org_id
        walk_on_site(insp, PROVINCE_DAYS)
        talks, petitions = _records(insp, PROBLEMS if live else PROBLEMS[:2])
        if live:
            _clues(insp, petitions, talks)
        walk_to_decision(
            insp,
            PROVINCE_DAYS,
            overview=f"{insp.target.name}委能够贯彻落实党中央决策部署和省委工作要求，"
            "经济社会发展总体平稳，但在防范化解重大风险等方面仍存在一些问题。",
            suggestions="一是提高政治站位；二是压实“两个责任”；三是抓好巡视整改。",
        )
        walk_ledger(insp, today, PROVINCE_DAYS, close_all=not live)
