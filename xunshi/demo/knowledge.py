"""The demo's knowledge base: an invented provincial rule, 定性 statements and typical cases.

Everything here is invented for the demo and stored `fictional` (the pages show 示例（虚构）);
the real public regulations come from the knowledge app's own migration, without articles.
The statements are worded as offices commonly word such findings, but cite only the invented
rule's articles, never an article of a real regulation.
"""

from __future__ import annotations

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.knowledge import actions
from xunshi.knowledge.articles import parse_lines
from xunshi.registry.models import InspectingBody

RULE_TITLE = "示例（虚构）省委巡视工作实施细则"
RULE_TEXT = """第一章 总则
第一条 为规范本省巡视工作，结合本省实际，制定本细则。（示例，虚构）
第二条 巡视工作坚持问题导向，发现问题、形成震慑，推动改革、促进发展。（示例，虚构）
第二章 监督重点
第三条 巡视组重点监督被巡视党组织落实全面从严治党主体责任情况。（示例，虚构）
第四条 巡视组重点监督违反中央八项规定精神和“四风”问题。（示例，虚构）
第五条 巡视组重点监督选人用人和基层党组织建设情况。（示例，虚构）
第三章 附则
第六条 本细则自印发之日起施行。（示例，虚构）"""

# (taxonomy code, item code, statement, articles of the invented rule it rests on)
STATEMENTS = [
    ("liuxiangjilv", "3", "违反中央八项规定精神，违规发放津贴补贴。", [4]),
    ("liuxiangjilv", "3", "违规公款吃喝，以会议、培训名义列支接待费用。", [4]),
    ("liuxiangjilv", "5", "落实全面从严治党主体责任不到位，对下级党组织管理监督不力。", [3]),
    ("liuxiangjilv", "5", "形式主义、官僚主义问题突出，文山会海问题反弹。", [2, 4]),
    ("liuxiangjilv", "2", "选人用人把关不严，干部档案审核不规范。", [5]),
    ("liuxiangjilv", "4", "侵害群众利益，惠民资金发放中优亲厚友。", [2]),
]

CASES = [
    (
        "示例（虚构）某县某局违规发放津贴补贴问题",
        "某县某局2025年以加班补助名义向干部职工发放津贴补贴。（虚构）",
        "违反中央八项规定精神，违规发放津贴补贴。",
        "责令退还违规发放款项，对主要负责人给予党内警告处分。（虚构）",
        ("liuxiangjilv", "3"),
        [4],
    ),
    (
        "示例（虚构）某乡镇惠民资金优亲厚友问题",
        "某乡镇在发放危房改造补助时向村干部亲属倾斜。（虚构）",
        "侵害群众利益，惠民资金发放中优亲厚友。",
        "追回违规资金，对相关村干部进行诫勉谈话。（虚构）",
        ("liuxiangjilv", "4"),
        [2],
    ),
]


def _item(taxonomy: str, code: str) -> TaxonomyItem:
    return TaxonomyItem.objects.get(taxonomy__code=taxonomy, taxonomy__body=None, code=code)


def demo_knowledge(body: InspectingBody) -> None:
    """The body's invented rule, statements and cases (inside the demo's transaction)."""
    rule = actions.regulation_create(
        actor=SYSTEM,
        body=body,
        facts=actions.RegulationFacts(
            title=RULE_TITLE,
            issuer="示例（虚构）",
            note="演示数据，内容虚构，不是真实的法规制度。",
        ),
        articles=parse_lines(RULE_TEXT.splitlines()),
        fictional=True,
    )
    assert rule.current is not None
    articles = {a.number: a for a in rule.current.articles.all()}
    for taxonomy, code, text, cited in STATEMENTS:
        actions.statement_save(
            actor=SYSTEM,
            body=body,
            item=_item(taxonomy, code),
            text=text,
            articles=[articles[n] for n in cited],
            fictional=True,
        )
    for title, facts, qualification, handling, (taxonomy, code), cited in CASES:
        actions.case_save(
            actor=SYSTEM,
            body=body,
            title=title,
            facts=facts,
            qualification=qualification,
            handling=handling,
            articles=[articles[n] for n in cited],
            items=[_item(taxonomy, code)],
            fictional=True,
        )
