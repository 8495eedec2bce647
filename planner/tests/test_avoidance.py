"""The avoidance (回避) rules, one cadre against one target, and many against many."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from planner.avoidance import (
    RULES,
    AvoidanceHit,
    AvoidanceRules,
    CadreFacts,
    Kin,
    LeaderFacts,
    PastInspection,
    StudySpell,
    TargetFacts,
    WorkSpell,
    blocking,
    evaluate,
    evaluate_all,
)

TODAY = date(2025, 6, 15)
LANKAO = "410225"  # 兰考县, also its GB/T 2260 region code
KAIFENG = "410200"  # 开封市, 兰考县's parent
ZZU = "4141010459"  # 郑州大学
KAIFENG_FINANCE = "410200-czj"  # 开封市财政局

lankao = TargetFacts(
    code=LANKAO, name="兰考县", sector="county", region_code=LANKAO, parent_code=KAIFENG
)
zzu = TargetFacts(
    code=ZZU, name="郑州大学", sector="university", region_code="410102", parent_code=None
)


def zhang_wei(**changes: Any) -> CadreFacts:
    """张伟 of the 河南省委组织部, with nothing tying him to 兰考县 unless a test adds it."""
    cadre = CadreFacts(
        code="C001",
        name="张伟",
        unit_code="410000-zzb",
        unit_parent_code="410000",
        origin_region="411303",
        work=(WorkSpell("410000-zzb", "河南省委组织部", "干部一处处长", date(2020, 7, 1), None),),
    )
    return replace(cadre, **changes)


def spell_at_lankao(start: date | None, end: date | None, *, post: str = "副县长") -> WorkSpell:
    return WorkSpell(LANKAO, "兰考县", post, start, end)


def rules_of(hits: tuple[AvoidanceHit, ...]) -> list[str]:
    return [h.rule for h in hits]


def test_it_flags_a_cadre_who_works_at_the_target_once() -> None:
    cadre = zhang_wei(unit_code=LANKAO, work=(spell_at_lankao(date(2019, 3, 1), None),))

    (hit,) = evaluate(cadre, lankao, today=TODAY)

    assert hit.rule == "same_unit"
    assert hit.rule_label == "同单位"
    assert hit.evidence == "现工作单位为兰考县，任副县长"
    assert hit.sentence == "张伟现在兰考县工作，应当回避。"
    assert hit.hard and not hit.waived


def test_it_flags_work_at_the_target_that_ended_within_the_last_years() -> None:
    cadre = zhang_wei(work=(spell_at_lankao(date(2020, 3, 1), date(2022, 6, 30)),))

    (hit,) = evaluate(cadre, lankao, today=TODAY)

    assert hit.rule == "worked_recently"
    assert hit.evidence == "兰考县副县长，2020年3月至2022年6月"
    assert hit.sentence == "张伟曾于2020年3月至2022年6月在兰考县工作，离开至今未超过3年，应当回避。"


def test_it_stops_flagging_recent_work_three_years_and_one_day_after_it_ended() -> None:
    left_exactly_three_years_ago = zhang_wei(
        work=(spell_at_lankao(date(2021, 1, 1), date(2022, 6, 15)),)
    )
    left_a_day_earlier = zhang_wei(work=(spell_at_lankao(date(2021, 1, 1), date(2022, 6, 14)),))

    assert rules_of(evaluate(left_exactly_three_years_ago, lankao, today=TODAY)) == [
        "worked_recently"
    ]
    assert evaluate(left_a_day_earlier, lankao, today=TODAY) == ()


def test_it_counts_years_back_from_29_february_to_28_february() -> None:
    leap_day = date(2024, 2, 29)
    left_on_28th = zhang_wei(work=(spell_at_lankao(date(2020, 1, 1), date(2021, 2, 28)),))
    left_on_27th = zhang_wei(work=(spell_at_lankao(date(2020, 1, 1), date(2021, 2, 27)),))

    assert rules_of(evaluate(left_on_28th, lankao, today=leap_day)) == ["worked_recently"]
    assert evaluate(left_on_27th, lankao, today=leap_day) == ()


def test_it_flags_a_concurrent_post_at_the_target_as_recent_work() -> None:
    concurrent = WorkSpell(LANKAO, "兰考县", "县委常委（挂职）", date(2024, 3, 1), None)
    cadre = zhang_wei(work=(*zhang_wei().work, concurrent))

    (hit,) = evaluate(cadre, lankao, today=TODAY)

    assert hit.rule == "worked_recently"
    assert hit.sentence == "张伟自2024年3月起在兰考县工作至今，应当回避。"


def test_it_flags_long_service_at_the_target_even_long_ago() -> None:
    cadre = zhang_wei(work=(*zhang_wei().work, spell_at_lankao(date(2008, 1, 1), date(2012, 3, 1))))

    (hit,) = evaluate(cadre, lankao, today=TODAY)

    assert hit.rule == "worked_long"
    assert hit.rule_label == "长期任职"
    assert hit.evidence == "兰考县副县长，2008年1月至2012年3月；累计4年2个月"
    assert (
        hit.sentence
        == "张伟曾于2008年1月至2012年3月在兰考县工作，累计4年2个月，已满3年，应当回避。"
    )


def test_it_adds_up_separate_spells_to_whole_years() -> None:
    two_years = spell_at_lankao(date(2001, 1, 1), date(2003, 1, 1), post="财政局副局长")
    one_year = spell_at_lankao(date(2005, 1, 1), date(2006, 1, 1), post="常务副县长")
    one_day_short = replace(one_year, end=date(2005, 12, 31))

    (hit,) = evaluate(zhang_wei(work=(two_years, one_year)), lankao, today=TODAY)

    assert hit.sentence == (
        "张伟曾于2001年1月至2003年1月、2005年1月至2006年1月在兰考县工作，累计3年，已满3年，应当回避。"
    )
    assert evaluate(zhang_wei(work=(two_years, one_day_short)), lankao, today=TODAY) == ()


def test_it_reports_recent_and_long_work_as_one_hit_naming_the_total() -> None:
    cadre = zhang_wei(work=(spell_at_lankao(date(2018, 3, 1), date(2022, 6, 30)),))

    (hit,) = evaluate(cadre, lankao, today=TODAY)

    assert hit.rule == "worked_recently"
    assert hit.evidence == "兰考县副县长，2018年3月至2022年6月；累计4年3个月"
    assert hit.sentence == (
        "张伟曾于2018年3月至2022年6月在兰考县工作，离开至今未超过3年，累计4年3个月，应当回避。"
    )


def test_it_lets_same_unit_speak_for_the_work_history_there() -> None:
    cadre = zhang_wei(unit_code=LANKAO, work=(spell_at_lankao(date(2010, 3, 1), None),))

    assert rules_of(evaluate(cadre, lankao, today=TODAY)) == ["same_unit"]
    without_same_unit = AvoidanceRules(enabled=frozenset(RULES) - {"same_unit"})
    (hit,) = evaluate(cadre, lankao, today=TODAY, rules=without_same_unit)
    assert hit.rule == "worked_recently"
    assert hit.sentence == "张伟自2010年3月起在兰考县工作至今，累计15年3个月，应当回避。"


def test_it_flags_study_at_the_target() -> None:
    cadre = zhang_wei(
        study=(StudySpell(ZZU, "郑州大学", date(2005, 9, 1), date(2009, 6, 30), "本科"),)
    )

    (hit,) = evaluate(cadre, zzu, today=TODAY)

    assert hit.rule == "studied"
    assert hit.evidence == "郑州大学，本科，2005年9月至2009年6月"
    assert hit.sentence == "张伟于2005年9月至2009年6月在郑州大学学习，应当回避。"


def test_it_flags_a_spouse_working_at_the_target() -> None:
    wife = Kin("李娜", "spouse", LANKAO, "兰考县人民政府办公室", "副主任")
    brother = Kin("张强", "sibling", LANKAO, "兰考县财政局")

    (hit,) = evaluate(zhang_wei(kin=(wife, brother)), lankao, today=TODAY)

    assert hit.rule == "kin"
    assert hit.evidence == "配偶李娜，兰考县人民政府办公室副主任；兄弟姐妹张强，兰考县财政局"
    assert hit.sentence == "张伟的配偶李娜、兄弟姐妹张强在兰考县工作，应当回避。"


def test_it_does_not_cover_kin_of_relation_other() -> None:
    friend = Kin("赵磊", "other", LANKAO, "兰考县财政局")

    assert evaluate(zhang_wei(kin=(friend,)), lankao, today=TODAY) == ()


def test_it_refuses_an_unknown_kin_relation() -> None:
    with pytest.raises(ValueError, match="亲属“赵磊”的关系代码“friend”无法识别"):
        Kin("赵磊", "friend", LANKAO, "兰考县财政局")


def test_it_applies_the_origin_rule_to_the_home_county_and_its_townships_only() -> None:
    cadre = zhang_wei(origin_region=LANKAO)
    township = TargetFacts("410225100", "东坝头镇", "township", "410225100", LANKAO)
    bureau = TargetFacts("410225-czj", "兰考县财政局", "department", LANKAO, LANKAO)

    (hit,) = evaluate(cadre, lankao, today=TODAY)
    (township_hit,) = evaluate(cadre, township, today=TODAY)

    assert hit.rule == "origin"
    assert hit.sentence == "张伟的籍贯地（区划代码410225）即兰考县所在地，应当实行地域回避。"
    assert township_hit.sentence == (
        "张伟的籍贯地（区划代码410225）即东坝头镇所在县（市、区），应当实行地域回避。"
    )
    assert township_hit.evidence == "籍贯区划代码410225，为东坝头镇区划代码410225100的前6位"
    assert evaluate(cadre, bureau, today=TODAY) == ()


def test_it_flags_a_former_subordinate_of_the_targets_secretary() -> None:
    secretary = LeaderFacts(
        name="王强",
        post="县委书记",
        cadre_code=None,
        work=(
            WorkSpell(
                KAIFENG_FINANCE, "开封市财政局", "局长", date(2014, 1, 1), date(2019, 6, 30), True
            ),
            WorkSpell(LANKAO, "兰考县", "县委书记", date(2019, 7, 1), None, True),
        ),
    )
    target = replace(lankao, leaders=(secretary,))
    clerk = WorkSpell(
        KAIFENG_FINANCE, "开封市财政局", "预算科科长", date(2016, 3, 1), date(2020, 6, 30)
    )

    (hit,) = evaluate(zhang_wei(work=(clerk,)), target, today=TODAY)

    assert hit.rule == "former_colleague"
    assert hit.evidence == "兰考县县委书记王强：2016年3月至2019年6月同在开封市财政局，王强时任局长"
    assert hit.sentence == (
        "张伟于2016年3月至2019年6月与兰考县县委书记王强同在开封市财政局工作，"
        "存在上下级关系，应当回避。"
    )


def test_it_does_not_flag_colleagues_without_overlap_a_leader_or_another_person() -> None:
    mayor = LeaderFacts(
        "李明",
        "县长",
        None,
        (WorkSpell(KAIFENG_FINANCE, "开封市财政局", "科员", date(2010, 1, 1), date(2016, 3, 1)),),
    )
    target = replace(lankao, leaders=(mayor,))
    peer = WorkSpell(KAIFENG_FINANCE, "开封市财政局", "科员", date(2012, 1, 1), date(2014, 1, 1))
    later_boss = WorkSpell(KAIFENG_FINANCE, "开封市财政局", "局长", date(2016, 3, 1), None, True)

    assert evaluate(zhang_wei(work=(peer,)), target, today=TODAY) == ()
    assert evaluate(zhang_wei(work=(later_boss,)), target, today=TODAY) == ()
    himself = replace(mayor, cadre_code="C001", work=(later_boss,))
    assert (
        evaluate(zhang_wei(work=(later_boss,)), replace(lankao, leaders=(himself,)), today=TODAY)
        == ()
    )


def test_it_flags_a_member_of_the_last_team_that_inspected_the_target() -> None:
    past = PastInspection(LANKAO, "member", date(2021, 6, 30), "十届省委第三轮巡视")
    target = replace(lankao, last_inspection_cadres=("C001", "C002"))

    (hit,) = evaluate(zhang_wei(past=(past,)), target, today=TODAY)

    assert hit.rule == "inspected_last_time"
    assert hit.evidence == "十届省委第三轮巡视，任组员，2021年6月结束"
    assert hit.sentence == "张伟参加了对兰考县的上一次巡视，按照“三个不固定”的要求应当回避。"


def test_it_flags_the_superior_and_a_subordinate_unit_of_the_target() -> None:
    in_city = zhang_wei(
        unit_code=KAIFENG,
        unit_parent_code="410000",
        work=(WorkSpell(KAIFENG, "中共开封市委", "副秘书长", date(2021, 1, 1), None),),
    )
    in_bureau = zhang_wei(
        unit_code="410225-czj",
        unit_parent_code=LANKAO,
        work=(WorkSpell("410225-czj", "兰考县财政局", "局长", date(2021, 1, 1), None, True),),
    )

    (up,) = evaluate(in_city, lankao, today=TODAY)
    (down,) = evaluate(in_bureau, lankao, today=TODAY)

    assert up.rule == down.rule == "superior_subordinate_unit"
    assert up.sentence == "张伟所在的中共开封市委是兰考县的上级单位，应当回避。"
    assert down.sentence == "张伟所在的兰考县财政局是兰考县的下属单位，应当回避。"


def test_it_keeps_a_waived_hit_visible_but_not_blocking() -> None:
    cadre = zhang_wei(
        origin_region=LANKAO, kin=(Kin("李娜", "spouse", LANKAO, "兰考县人民政府办公室"),)
    )
    waivers = frozenset({("origin", "C001", LANKAO), ("origin", "C001", "other-target")})

    hits = evaluate(cadre, lankao, today=TODAY, waivers=waivers)

    assert [(h.rule, h.waived) for h in hits] == [("kin", False), ("origin", True)]
    assert hits[1].key == ("origin", "C001", LANKAO)
    assert rules_of(blocking(hits)) == ["kin"]


def test_it_lets_the_office_make_a_rule_advisory() -> None:
    advisory_origin = AvoidanceRules(soft=frozenset({"origin"}))

    (hit,) = evaluate(zhang_wei(origin_region=LANKAO), lankao, today=TODAY, rules=advisory_origin)

    assert not hit.hard
    assert blocking((hit,)) == ()


def test_it_explains_bad_parameters_in_chinese() -> None:
    with pytest.raises(ValueError, match=r"^近期任职回避年限应为不小于1的整数，现为0。$"):
        AvoidanceRules(recent_years=0)
    with pytest.raises(ValueError, match=r"^长期任职回避年限应为不小于1的整数，现为-1。$"):
        AvoidanceRules(long_service_years=-1)
    with pytest.raises(ValueError, match=r"^未知的回避规则代码：hometown。$"):
        AvoidanceRules(enabled=frozenset({"same_unit", "hometown"}))


def test_it_uses_the_parameters() -> None:
    cadre = zhang_wei(work=(spell_at_lankao(date(2020, 3, 1), date(2021, 6, 30)),))

    assert evaluate(cadre, lankao, today=TODAY, rules=AvoidanceRules(recent_years=5)) != ()
    assert evaluate(cadre, lankao, today=TODAY, rules=AvoidanceRules(recent_years=3)) == ()
    assert rules_of(
        evaluate(cadre, lankao, today=TODAY, rules=AvoidanceRules(long_service_years=1))
    ) == ["worked_long"]


def test_it_refuses_two_targets_with_one_code() -> None:
    with pytest.raises(ValueError, match="被巡视单位代码“410225”重复出现"):
        evaluate_all([zhang_wei()], [lankao, lankao], today=TODAY)


def test_it_gives_the_same_hits_for_all_pairs_as_pair_by_pair() -> None:
    cadres, targets = _random_world(random.Random(20190401), n_cadres=200, n_targets=80)
    waivers = frozenset(
        (rule, c.code, t.code) for rule in RULES for c in cadres[:20] for t in targets[:5]
    )

    for rules in (AvoidanceRules(), AvoidanceRules(recent_years=1, long_service_years=5)):
        expected = {
            (c.code, t.code): hits
            for c in cadres
            for t in targets
            if (hits := evaluate(c, t, today=TODAY, rules=rules, waivers=waivers))
        }

        assert evaluate_all(cadres, targets, today=TODAY, rules=rules, waivers=waivers) == expected
        assert {h.rule for hits in expected.values() for h in hits} == set(RULES)


def test_it_does_not_import_django() -> None:
    code = "import sys, planner.avoidance; assert 'django' not in sys.modules"
    root = Path(__file__).resolve().parents[2]

    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, check=False)

    assert done.returncode == 0, done.stderr.decode()


def _random_world(
    rng: random.Random, *, n_cadres: int, n_targets: int
) -> tuple[list[CadreFacts], list[TargetFacts]]:
    """Cadres and targets drawn from small pools of codes, so that every rule fires somewhere."""
    counties = [f"4102{i:02d}" for i in range(1, 9)]
    orgs = [*counties, *(f"org{i}" for i in range(30))]
    sectors = ["county", "township", "village", "department", "soe", "university"]

    def day() -> date:
        return date(2000, 1, 1) + timedelta(days=rng.randrange(9300))

    def spell() -> WorkSpell:
        start = rng.choice([day(), day(), day(), None])
        end = rng.choice([None, (start or day()) + timedelta(days=rng.randrange(60, 2500))])
        org = rng.choice(orgs)
        return WorkSpell(org, f"单位{org}", "科长", start, end, rng.random() < 0.4)

    targets: list[TargetFacts] = []
    for i in range(n_targets):
        sector = rng.choice(sectors)
        county = rng.choice(counties)
        region = {"township": county + "100", "village": county + "100201"}.get(sector, county)
        code = orgs[i] if i < len(orgs) else f"t{i}"
        leaders = tuple(
            LeaderFacts(
                f"领导{i}-{j}",
                "书记",
                rng.choice([None, f"C{rng.randrange(n_cadres)}"]),
                tuple(spell() for _ in range(3)),
            )
            for j in range(rng.randrange(3))
        )
        roster = tuple(f"C{rng.randrange(n_cadres)}" for _ in range(rng.randrange(4)))
        targets.append(
            TargetFacts(
                code, f"单位{code}", sector, region, rng.choice([None, *orgs]), leaders, roster
            )
        )

    cadres: list[CadreFacts] = []
    for i in range(n_cadres):
        cadres.append(
            CadreFacts(
                code=f"C{i}",
                name=f"干部{i}",
                unit_code=rng.choice([None, *orgs]),
                unit_parent_code=rng.choice([None, *orgs]),
                origin_region=rng.choice([None, *counties]),
                work=tuple(spell() for _ in range(rng.randrange(4))),
                study=tuple(
                    StudySpell(rng.choice(orgs), "某大学", day(), None)
                    for _ in range(rng.randrange(2))
                ),
                kin=tuple(
                    Kin(
                        f"亲属{j}",
                        rng.choice(["spouse", "cousin", "other"]),
                        rng.choice(orgs),
                        "某单位",
                    )
                    for j in range(rng.randrange(3))
                ),
                past=tuple(
                    PastInspection(rng.choice(orgs), "member", day(), "某轮巡视")
                    for _ in range(rng.randrange(2))
                ),
            )
        )
    return cadres, targets
