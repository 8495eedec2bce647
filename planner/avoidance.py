"""Avoidance (回避): which cadres must not inspect which targets, and why.

A cadre (巡视干部) may not inspect an organization (被巡视党组织) he or she is tied to. The
office's rules name the ties: the cadre works there now, worked there recently or for long,
studied there, has close kin working there, comes from the county, worked side by side with one
of its leaders in a superior/subordinate relation, inspected it last time (三个不固定), or works
in its superior or a subordinate unit. Each tie is a rule with a code in ``RULES``.

The engine is pure: the caller describes a cadre with ``CadreFacts`` and a target with
``TargetFacts`` (frozen dataclasses, tuples not lists), passes ``today`` and the office's
``AvoidanceRules``, and ``evaluate`` returns one ``AvoidanceHit`` per rule that applies. A hit
carries the facts that made it fire in Chinese twice: ``evidence``, a short phrase for a table
cell, and ``sentence``, a full sentence for a document or a tooltip. A pair yields at most one
hit per rule, so ``(rule, cadre_code, target_code)`` names a hit; the office waives a hit by
that triple and the hit is still returned, marked ``waived``, so the page can show it struck
through. ``blocking`` keeps the hits a planner must respect.

One fact gives one hit: when the cadre works at the target now, ``same_unit`` stands for the
whole work history there; when ``worked_recently`` and ``worked_long`` both apply, only
``worked_recently`` is reported and its text names the total length of service.

Time is calendar time. "Within the last 3 years" means the spell ended on or after the same day
three years before ``today`` (29 February falls back to 28 February). Length of service is the
union of the spells with a known start, an ongoing spell running to ``today``: whole calendar
months of each unbroken stretch, plus a month for every 31 days left over from all stretches, so
one stretch is measured exactly and "3 years" means at least 36 months.

``evaluate_all`` gives, for many cadres and targets at once, exactly what ``evaluate`` gives
for every pair, but looks only at pairs that share an organization code, a region, a leader's
former unit or a last-inspection roster (see ``planner.avoidance_index``).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from planner.avoidance_index import candidate_pairs, region_keys

__all__ = [
    "COVERED_KIN_RELATIONS",
    "DEFAULT_RULES",
    "INSPECTION_ROLES",
    "KIN_RELATIONS",
    "RULES",
    "AvoidanceHit",
    "AvoidanceRules",
    "CadreFacts",
    "Kin",
    "LeaderFacts",
    "PastInspection",
    "StudySpell",
    "TargetFacts",
    "WorkSpell",
    "blocking",
    "evaluate",
    "evaluate_all",
]

RULES: dict[str, str] = {
    "same_unit": "同单位",
    "worked_recently": "近期任职",
    "worked_long": "长期任职",
    "studied": "学习经历",
    "kin": "亲属关系",
    "origin": "地域回避",
    "former_colleague": "上下级关系",
    "inspected_last_time": "上次巡视该单位",
    "superior_subordinate_unit": "上下级单位",
}

KIN_RELATIONS: dict[str, str] = {
    "spouse": "配偶",
    "father": "父亲",
    "mother": "母亲",
    "son": "儿子",
    "daughter": "女儿",
    "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女",
    "sibling": "兄弟姐妹",
    "uncle_aunt": "伯叔姑舅姨",
    "nephew_niece": "侄子女/外甥子女",
    "cousin": "堂兄弟姐妹/表兄弟姐妹",
    "parent_in_law": "配偶父母",
    "sibling_in_law": "配偶的兄弟姐妹及其配偶/兄弟姐妹的配偶",
    "child_in_law": "子女配偶",
    "other": "其他",
}

# Spouse, direct blood relatives, collateral kin within three generations, close in-laws.
COVERED_KIN_RELATIONS: frozenset[str] = frozenset(KIN_RELATIONS) - {"other"}

INSPECTION_ROLES: dict[str, str] = {
    "leader": "组长",
    "deputy": "副组长",
    "member": "组员",
    "liaison": "联络员",
    "petition": "信访接待人员",
}

_WORK_HISTORY = ("worked_recently", "worked_long")


@dataclass(frozen=True)
class WorkSpell:
    org_code: str | None
    unit_name: str
    post: str
    start: date | None
    end: date | None  # None: still there
    is_leader: bool = False


@dataclass(frozen=True)
class StudySpell:
    org_code: str | None
    school_name: str
    start: date | None
    end: date | None
    degree: str = ""


@dataclass(frozen=True)
class Kin:
    name: str
    relation: str
    org_code: str | None
    unit_name: str
    post: str = ""

    def __post_init__(self) -> None:
        if self.relation not in KIN_RELATIONS:
            raise ValueError(f"亲属“{self.name}”的关系代码“{self.relation}”无法识别。")


@dataclass(frozen=True)
class PastInspection:
    target_code: str
    role: str
    ended_on: date | None
    round_name: str

    def __post_init__(self) -> None:
        if self.role not in INSPECTION_ROLES:
            raise ValueError(f"巡视经历“{self.round_name}”的组内职务“{self.role}”无法识别。")


@dataclass(frozen=True)
class CadreFacts:
    code: str
    name: str
    unit_code: str | None
    unit_parent_code: str | None
    origin_region: str | None  # 6-digit GB/T 2260 code
    work: tuple[WorkSpell, ...] = ()
    study: tuple[StudySpell, ...] = ()
    kin: tuple[Kin, ...] = ()
    past: tuple[PastInspection, ...] = ()


@dataclass(frozen=True)
class LeaderFacts:
    name: str
    post: str
    cadre_code: str | None
    work: tuple[WorkSpell, ...]


@dataclass(frozen=True)
class TargetFacts:
    code: str
    name: str
    sector: str
    region_code: str | None
    parent_code: str | None
    leaders: tuple[LeaderFacts, ...] = ()
    last_inspection_cadres: tuple[str, ...] = ()


@dataclass(frozen=True)
class AvoidanceRules:
    recent_years: int = 3
    long_service_years: int = 3
    origin_sectors: frozenset[str] = frozenset({"county", "township", "village"})
    enabled: frozenset[str] = frozenset(RULES)
    soft: frozenset[str] = frozenset()  # rules whose hits advise rather than forbid

    def __post_init__(self) -> None:
        if self.recent_years < 1:
            raise ValueError(f"近期任职回避年限应为不小于1的整数，现为{self.recent_years}。")
        if self.long_service_years < 1:
            raise ValueError(f"长期任职回避年限应为不小于1的整数，现为{self.long_service_years}。")
        for name in ("origin_sectors", "enabled", "soft"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = sorted((self.enabled | self.soft) - RULES.keys())
        if unknown:
            raise ValueError(f"未知的回避规则代码：{'、'.join(unknown)}。")


DEFAULT_RULES = AvoidanceRules()


@dataclass(frozen=True)
class AvoidanceHit:
    rule: str
    rule_label: str
    cadre_code: str
    target_code: str
    evidence: str
    sentence: str
    hard: bool = True
    waived: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """The (rule, cadre_code, target_code) triple a waiver names."""
        return (self.rule, self.cadre_code, self.target_code)


class _Draft(NamedTuple):
    rule: str
    evidence: str
    sentence: str


class _Pair(NamedTuple):
    cadre: CadreFacts
    target: TargetFacts
    today: date
    rules: AvoidanceRules


_Check = Callable[[_Pair], _Draft | None]


def evaluate(
    cadre: CadreFacts,
    target: TargetFacts,
    *,
    today: date,
    rules: AvoidanceRules = DEFAULT_RULES,
    waivers: frozenset[tuple[str, str, str]] = frozenset(),
) -> tuple[AvoidanceHit, ...]:
    """Every rule hit between one cadre and one target, in the order of ``RULES``."""
    drafts: list[_Draft] = []
    pair = _Pair(cadre, target, today, rules)
    for codes, check in _CHECKS:
        if not rules.enabled.intersection(codes):
            continue
        if codes == _WORK_HISTORY and drafts and drafts[-1].rule == "same_unit":
            continue
        draft = check(pair)
        if draft is not None:
            drafts.append(draft)
    return tuple(
        AvoidanceHit(
            rule=d.rule,
            rule_label=RULES[d.rule],
            cadre_code=cadre.code,
            target_code=target.code,
            evidence=d.evidence,
            sentence=d.sentence,
            hard=d.rule not in rules.soft,
            waived=(d.rule, cadre.code, target.code) in waivers,
        )
        for d in drafts
    )


def evaluate_all(
    cadres: Iterable[CadreFacts],
    targets: Iterable[TargetFacts],
    *,
    today: date,
    rules: AvoidanceRules = DEFAULT_RULES,
    waivers: frozenset[tuple[str, str, str]] = frozenset(),
) -> dict[tuple[str, str], tuple[AvoidanceHit, ...]]:
    """The non-empty ``evaluate`` results of all pairs, keyed by (cadre_code, target_code)."""
    result: dict[tuple[str, str], tuple[AvoidanceHit, ...]] = {}
    for cadre, target in candidate_pairs(tuple(cadres), tuple(targets), rules):
        hits = evaluate(cadre, target, today=today, rules=rules, waivers=waivers)
        if hits:
            result[(cadre.code, target.code)] = hits
    return result


def blocking(hits: Iterable[AvoidanceHit]) -> tuple[AvoidanceHit, ...]:
    """The hits that forbid the pair: hard and not waived."""
    return tuple(h for h in hits if h.hard and not h.waived)


# --- the rules --------------------------------------------------------------------------------


def _same_unit(pair: _Pair) -> _Draft | None:
    cadre, target = pair.cadre, pair.target
    if cadre.unit_code != target.code:
        return None
    spell = _current_spell(cadre)
    post = f"，任{spell.post}" if spell is not None and spell.post else ""
    return _Draft(
        "same_unit",
        f"现工作单位为{target.name}{post}",
        f"{cadre.name}现在{target.name}工作，应当回避。",
    )


def _work_history(pair: _Pair) -> _Draft | None:
    cadre, target, today, rules = pair
    spells = [w for w in cadre.work if w.org_code == target.code]
    if not spells:
        return None
    months = _service_months(spells, today)
    long_service = "worked_long" in rules.enabled and months >= 12 * rules.long_service_years
    if "worked_recently" in rules.enabled:
        cutoff = _add_months(today, -12 * rules.recent_years)
        recent = [w for w in spells if w.end is None or w.end >= cutoff]
        if recent:
            last = max(recent, key=lambda w: w.end or date.max)
            return _recent_draft(pair, last, months if long_service else None)
    if not long_service:
        return None
    counted = [w for w in spells if w.start is not None]
    spans = "、".join(_span(w.start, w.end) for w in counted)
    return _Draft(
        "worked_long",
        f"{'；'.join(_spell_text(w) for w in counted)}；累计{_months_text(months)}",
        f"{cadre.name}曾于{spans}在{target.name}工作，累计{_months_text(months)}，"
        f"已满{rules.long_service_years}年，应当回避。",
    )


def _recent_draft(pair: _Pair, spell: WorkSpell, total: int | None) -> _Draft:
    cadre, target, years = pair.cadre, pair.target, pair.rules.recent_years
    evidence = _spell_text(spell) + (f"；累计{_months_text(total)}" if total is not None else "")
    tail = f"累计{_months_text(total)}，应当回避。" if total is not None else "应当回避。"
    if spell.end is None and spell.start is not None:
        what = f"{cadre.name}自{_month(spell.start)}起在{target.name}工作至今"
    elif spell.end is None:
        what = f"{cadre.name}目前仍在{target.name}工作"
    elif spell.start is not None:
        what = f"{cadre.name}曾于{_span(spell.start, spell.end)}在{target.name}工作"
    else:
        what = f"{cadre.name}曾在{target.name}工作至{_month(spell.end)}"
    if spell.end is not None:
        what += f"，离开至今未超过{years}年"
    return _Draft("worked_recently", evidence, f"{what}，{tail}")


def _studied(pair: _Pair) -> _Draft | None:
    cadre, target = pair.cadre, pair.target
    spells = [s for s in cadre.study if s.org_code == target.code]
    if not spells:
        return None
    spans = [_span(s.start, s.end) for s in spells]
    when = f"于{'、'.join(spans)}" if all(spans) else "曾"
    evidence = "；".join(
        "，".join(part for part in (s.school_name, s.degree, _span(s.start, s.end)) if part)
        for s in spells
    )
    return _Draft("studied", evidence, f"{cadre.name}{when}在{target.name}学习，应当回避。")


def _kin(pair: _Pair) -> _Draft | None:
    cadre, target = pair.cadre, pair.target
    kin = [
        k for k in cadre.kin if k.relation in COVERED_KIN_RELATIONS and k.org_code == target.code
    ]
    if not kin:
        return None
    who = "、".join(f"{KIN_RELATIONS[k.relation]}{k.name}" for k in kin)
    evidence = "；".join(
        f"{KIN_RELATIONS[k.relation]}{k.name}，{_with_unit(k.unit_name, k.post)}" for k in kin
    )
    return _Draft("kin", evidence, f"{cadre.name}的{who}在{target.name}工作，应当回避。")


def _origin(pair: _Pair) -> _Draft | None:
    cadre, target, sectors = pair.cadre, pair.target, pair.rules.origin_sectors
    keys = region_keys(target.sector, target.region_code, sectors)
    if cadre.origin_region is None or cadre.origin_region not in keys:
        return None
    origin = cadre.origin_region
    if origin == target.region_code:
        place = f"即{target.name}所在地"
        evidence = f"籍贯区划代码{origin}，与{target.name}相同"
    else:
        place = f"即{target.name}所在县（市、区）"
        evidence = f"籍贯区划代码{origin}，为{target.name}区划代码{target.region_code}的前6位"
    return _Draft(
        "origin", evidence, f"{cadre.name}的籍贯地（区划代码{origin}）{place}，应当实行地域回避。"
    )


def _former_colleague(pair: _Pair) -> _Draft | None:
    cadre, target, today = pair.cadre, pair.target, pair.today
    clauses: list[str] = []
    evidence: list[str] = []
    for leader in target.leaders:
        if leader.cadre_code is not None and leader.cadre_code == cadre.code:
            continue  # nobody is his or her own former colleague
        title = _with_unit(target.name, leader.post) + leader.name
        for theirs in leader.work:
            for mine in cadre.work:
                if mine.org_code is None or mine.org_code != theirs.org_code:
                    continue
                span = _overlap(mine, theirs, today)
                if span is None or not (mine.is_leader or theirs.is_leader):
                    continue
                posts = [(leader.name, theirs)] if theirs.is_leader else []
                posts += [(cadre.name, mine)] if mine.is_leader else []
                roles = "、".join(f"{n}时任{w.post or '领导职务'}" for n, w in posts)
                clauses.append(f"于{span}与{title}同在{mine.unit_name}工作")
                evidence.append(f"{title}：{span}同在{mine.unit_name}，{roles}")
    if not clauses:
        return None
    return _Draft(
        "former_colleague",
        "；".join(evidence),
        f"{cadre.name}{'，'.join(clauses)}，存在上下级关系，应当回避。",
    )


def _inspected_last_time(pair: _Pair) -> _Draft | None:
    cadre, target = pair.cadre, pair.target
    if cadre.code not in target.last_inspection_cadres:
        return None
    past = [p for p in cadre.past if p.target_code == target.code]
    if past:
        last = max(past, key=lambda p: p.ended_on or date.max)
        ended = f"，{_month(last.ended_on)}结束" if last.ended_on is not None else ""
        evidence = f"{last.round_name}，任{INSPECTION_ROLES[last.role]}{ended}"
    else:
        evidence = f"{target.name}上次巡视的巡视组名单中有{cadre.name}"
    return _Draft(
        "inspected_last_time",
        evidence,
        f"{cadre.name}参加了对{target.name}的上一次巡视，按照“三个不固定”的要求应当回避。",
    )


def _superior_subordinate_unit(pair: _Pair) -> _Draft | None:
    cadre, target = pair.cadre, pair.target
    if cadre.unit_code is not None and cadre.unit_code == target.parent_code:
        relation = "上级单位"
    elif cadre.unit_parent_code is not None and cadre.unit_parent_code == target.code:
        relation = "下属单位"
    else:
        return None
    spell = _current_spell(cadre)
    unit = f"所在的{spell.unit_name}" if spell is not None else "所在单位"
    return _Draft(
        "superior_subordinate_unit",
        f"现工作单位{spell.unit_name if spell else cadre.unit_code}为{target.name}的{relation}",
        f"{cadre.name}{unit}是{target.name}的{relation}，应当回避。",
    )


_CHECKS: tuple[tuple[tuple[str, ...], _Check], ...] = (
    (("same_unit",), _same_unit),
    (_WORK_HISTORY, _work_history),
    (("studied",), _studied),
    (("kin",), _kin),
    (("origin",), _origin),
    (("former_colleague",), _former_colleague),
    (("inspected_last_time",), _inspected_last_time),
    (("superior_subordinate_unit",), _superior_subordinate_unit),
)


# --- time and words ---------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _full_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if _add_months(start, months) > end else months


def _service_months(spells: Sequence[WorkSpell], today: date) -> int:
    """Whole months in the union of the spells (see the module docstring)."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted((w.start, min(w.end or today, today)) for w in spells if w.start):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif start < end:
            merged.append((start, end))
    months = [_full_months(start, end) for start, end in merged]
    leftover = sum((e - _add_months(s, m)).days for (s, e), m in zip(merged, months, strict=True))
    return sum(months) + leftover // 31


def _overlap(a: WorkSpell, b: WorkSpell, today: date) -> str | None:
    """The overlap of two spells as Chinese text, or None when they do not overlap."""
    if a.start is None or b.start is None:
        return None
    start = max(a.start, b.start)
    end = min(a.end or today, b.end or today)
    if start >= end:
        return None
    return _span(start, None if a.end is None and b.end is None else end)


def _month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _span(start: date | None, end: date | None) -> str:
    if start is None:
        return f"{_month(end)}以前" if end is not None else ""
    return f"{_month(start)}至{_month(end) if end is not None else '今'}"


def _months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{rest}个月" if rest or not years else "")


def _with_unit(unit: str, post: str) -> str:
    """``post`` prefixed by its unit unless it already names the unit."""
    return post if post.startswith(unit) else unit + post


def _spell_text(spell: WorkSpell) -> str:
    return "，".join(
        p for p in (_with_unit(spell.unit_name, spell.post), _span(spell.start, spell.end)) if p
    )


def _current_spell(cadre: CadreFacts) -> WorkSpell | None:
    """The cadre's spell at the current unit, the ongoing one first."""
    spells = [w for w in cadre.work if w.org_code is not None and w.org_code == cadre.unit_code]
    return max(spells, key=lambda w: w.end or date.max) if spells else None
