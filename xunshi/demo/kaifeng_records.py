"""The case records of the demo's bodies below the province: what a village's or a city
department's talks, petitions, working papers, problems and clues say (``Words``), and the
actions of fieldwork and findings that write them for ``kaifeng_rounds``' walk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import Petition, Talk, TaxonomyItem
from xunshi.findings import actions as clue_actions
from xunshi.registry.models import Cadre
from xunshi.rounds.models import Inspection, TeamRole

__all__ = [
    "DEPARTMENT",
    "VILLAGE",
    "Words",
    "clue_transferred",
    "problems_written",
    "talks_and_petitions",
]


@dataclass(frozen=True)
class Words:
    """What a kind of target's records say: the talks' interviewees (who, post), the place
    of the talks, the petitions, the taxonomy and the problems (title, facts, qualification,
    category code, summary), the report's suggestions, and the ledger's (leader, department)
    of odd and even items."""

    interviewees: tuple[tuple[str, str], ...]
    place: str
    petitions: tuple[str, ...]
    taxonomy: str
    problems: tuple[tuple[str, str, str, str, str], ...]
    suggestions: str
    owners: tuple[tuple[str, str], tuple[str, str]]


VILLAGE = Words(
    interviewees=(("村党支部书记", "村党支部书记、村委会主任"), ("村报账员", "村报账员")),
    place="村党群服务中心",
    petitions=(
        "反映村里坑塘承包多年未公开竞价，租金去向不明。",
        "反映村干部在村道硬化工程中优亲厚友，指定亲属承揽工程。",
    ),
    taxonomy="xuncha-duicun",
    problems=(
        (
            "集体资金管理不规范",
            "2024年以来村集体收支中有白条入账12笔，金额3.6万元，部分支出无经办人签字。",
            "违反《农村集体经济组织财务制度》关于原始凭证和审批程序的规定。",
            "2.1",
            "集体“三资”管理不规范，白条入账问题仍有发生。",
        ),
        (
            "惠农补贴发放把关不严",
            "2025年耕地地力保护补贴发放中，有5户已流转土地仍由原承包户领取补贴。",
            "违反《耕地地力保护补贴资金管理办法》关于补贴对象核实的规定。",
            "1.3",
            "惠农补贴申报发放审核把关不严。",
        ),
        (
            "“四议两公开”执行不到位",
            "村道硬化项目未经村民代表会议表决即组织施工，决议和实施结果未公开。",
            "违反《中国共产党农村基层组织工作条例》关于“四议两公开”的规定。",
            "3.3",
            "“四议两公开”制度执行不到位，村务公开不及时。",
        ),
        (
            "集体资源发包不公开",
            "村集体坑塘2处未经公开竞价即续租给原承包人，租金低于周边水平。",
            "违反《河南省农村集体资产管理条例》关于集体资源发包的规定。",
            "2.2",
            "集体资源发包不公开、不规范。",
        ),
    ),
    suggestions="一是加强村党组织建设；二是规范集体“三资”管理；三是落实“四议两公开”。",
    owners=(("乡镇党委副书记", "乡镇农村经营管理站"), ("村党支部书记", "村民委员会")),
)
DEPARTMENT = Words(
    interviewees=(("主要负责人", "党组书记"), ("分管财务的负责人", "党组成员、副局长")),
    place="巡察组驻地会议室",
    petitions=("反映单位以加班费名义发放补贴。", "反映单位干部选任中个别人员未经公示即提拔。"),
    taxonomy="sigeluoshi",
    problems=(
        (
            "贯彻落实市委决策部署有差距",
            "2025年以来牵头的3项市委重点工作任务中有1项未按期完成。",
            "违反《中国共产党重大事项请示报告条例》和市委关于重点工作督办的规定。",
            "1",
            "贯彻落实市委重大决策部署不够有力，重点工作推进迟缓。",
        ),
        (
            "违规发放津贴补贴",
            "2024年至2025年以加班费名义向干部职工发放补贴18.4万元。",
            "违反中央八项规定及其实施细则精神和《中国共产党纪律处分条例》第一百零二条。",
            "2",
            "落实中央八项规定精神不够严格，违规发放津贴补贴。",
        ),
        (
            "干部选任程序不规范",
            "2024年以来提拔的5名科级干部中有2人未按规定进行任前公示。",
            "违反《党政领导干部选拔任用工作条例》第四十五条关于任前公示的规定。",
            "3",
            "选人用人工作不够规范，任前公示制度执行不到位。",
        ),
    ),
    suggestions="一是提高政治站位；二是压实全面从严治党主体责任；三是抓好巡察整改。",
    owners=(("党组书记", "办公室"), ("党组成员、副局长", "人事科")),
)


def _petition_category(content: str) -> str:
    """The category a team would give the demo's petition (反映问题类别)."""
    if "选任" in content or "提拔" in content:
        return "appointments"
    if "补贴" in content or "吃喝" in content:
        return "eight_rules"
    return "public_interest"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    """`hour` o'clock in Beijing on `day`, as the talks store it."""
    return dt.datetime.combine(day, dt.time(hour - 8), tzinfo=dt.UTC)


def _team(insp: Inspection) -> list[Cadre]:
    """The team's cadres, the leader first."""
    rows = list(insp.team.memberships.select_related("cadre"))
    rows.sort(key=lambda m: (m.role != TeamRole.LEADER, m.pk))
    return [m.cadre for m in rows]


def talks_and_petitions(
    insp: Inspection, words: Words, *, talks: int = 1, petitions: int = 1
) -> tuple[list[Talk], list[Petition]]:
    """The team's first talks (signed) and petitions, on the target's first day; the first
    petition goes to the problems, the second to the clues."""
    assert insp.start is not None
    team = _team(insp)
    target = insp.target.name
    held = []
    for n, (who, post) in enumerate(words.interviewees[:talks]):
        talk = onsite_actions.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee=f"{target}{who}",
            interviewee_post=post,
            category="required",
            interviewers=team[:2],
            recorder=team[-1],
            held_at=_at(insp.start, 9 + 2 * n),
            place=words.place,
            outline="一、落实上级决策部署情况；二、全面从严治党和基层党组织建设情况。",
            record=f"{who}介绍了{target}的基本情况，对群众反映的问题作了说明。",
        )
        onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        held.append(talk)
    routed = []
    for n, content in enumerate(words.petitions[:petitions]):
        petition = onsite_actions.petition_create(
            actor=SYSTEM,
            inspection=insp,
            channel=("letter", "mailbox")[n % 2],
            category=_petition_category(content),
            received_on=insp.start,
            content=content,
            real_name=False,
        )
        routed.append(
            onsite_actions.petition_route(
                actor=SYSTEM,
                petition=petition,
                in_scope=True,
                routing="problem" if n == 0 else "clue",
            )
        )
    return held, routed


def problems_written(insp: Inspection, words: Words, talks: list[Talk], count: int) -> None:
    """One working paper per problem, with a talk as evidence, through both reviews."""
    assert insp.end is not None
    categories = {
        i.code: i
        for i in TaxonomyItem.objects.filter(
            taxonomy__code=words.taxonomy, taxonomy__body__isnull=True
        )
    }
    for n, (title, facts, qualification, code, summary) in enumerate(words.problems[:count]):
        paper = papers.paper_create(
            actor=SYSTEM,
            inspection=insp,
            title=title,
            facts=facts,
            qualification=qualification,
            category=categories[code],
            responsibility_main=f"{insp.target.name}党组织承担主体责任。",
        )
        papers.paper_add_evidence(
            actor=SYSTEM, paper=paper, kind="talk", record_obj=talks[n % len(talks)]
        )
        papers.paper_submit(actor=SYSTEM, paper=paper)
        papers.paper_group_review(
            actor=SYSTEM, paper=paper, approve=True, meeting_on=insp.end, opinion="事实清楚，同意。"
        )
        papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
        clue_actions.problem_create(actor=SYSTEM, paper=paper, summary=summary)


def clue_transferred(insp: Inspection, petition: Petition, *, disposed: bool) -> None:
    """A clue from the petition, transferred to the county's commission five days after the
    village (its disposal reported back, or never: past due three months later)."""
    assert insp.end is not None
    clue = clue_actions.clue_create(
        actor=SYSTEM,
        inspection=insp,
        source="petition",
        record=petition,
        persons="村党支部书记",
        summary="反映其在村道硬化工程中指定亲属承揽工程、收受好处。",
        recipient="discipline",
    )
    clue = clue_actions.clue_transfer(
        actor=SYSTEM,
        clue=clue,
        transferred_on=insp.end + dt.timedelta(days=5),
        receiving_body=f"{insp.round.body.name.removeprefix('中共').removesuffix('委')}纪委监委",
        receiver="第一纪检监察室",
    )
    if disposed:
        clue_actions.clue_dispose(
            actor=SYSTEM,
            clue=clue,
            disposal="talk_inquiry",
            outcome="已对其谈话函询，本人作出说明，责令退还违规所得。",
            reported_on=insp.end + dt.timedelta(days=60),
        )
