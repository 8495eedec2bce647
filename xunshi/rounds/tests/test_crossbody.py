"""Kinds that cross bodies, working (上下联动).

提级巡察: the city inspects a unit of 兰考县 with its own team; the records are the city's, and
兰考's office reads the feedback and the ledger as the unit's liaison does, nothing more.
交叉巡察: the city sends 兰考's cadres to 杞县's units and 杞县's to 兰考's, never a cadre to
the own body's units, with avoidance across the bodies. Both need the city's decision (文号,
date) before any inspection. 联动: county and city rounds run in step with a provincial round
(same theme, same dates), and the province sees them side by side, counts only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.jobs.models import JobStatus
from xunshi.rounds import actions as rnd
from xunshi.rounds import crossbody_actions as cross
from xunshi.rounds.access import linkable_rounds_for
from xunshi.rounds.models import Inspection, Round, TeamMembership
from xunshi.rounds.planning import CROSS_OWN_BODY, RoundParams
from xunshi.rounds.tests.kaifeng import (
    DECIDED,
    DECISION,
    END,
    START,
    build_kaifeng,
    city_round,
    elevated_inspection,
    team_of,
)


@pytest.fixture
def kf(world):
    return build_kaifeng(world)


def _lankao_round(kf, kind: str = "regular", **kw) -> Round:
    defaults = {"name": "十四届县委第一轮巡察", "sector_mode": "mixed", "start": START, "end": END}
    return rnd.round_create(
        actor=SYSTEM,
        body=kf.lankao,
        term=kf.terms["lankao"],
        ordinal=kw.pop("ordinal", 1),
        kind=kind,
        **(defaults | kw),
    )


# --- the decision and who may organise ----------------------------------------------------------


def test_a_county_without_bodies_below_may_not_organise_an_elevated_or_cross_round(world, kf):
    for kind, label in [("elevated", "提级巡察"), ("cross", "交叉巡察")]:
        with pytest.raises(ValidationError) as e:
            _lankao_round(kf, kind)
        assert e.value.messages == [
            f"{label}须由有下级党组织的党委组织，中共兰考县委没有下级党组织。"
        ]
    assert not Round.objects.filter(body=kf.lankao).exists()
    assert city_round(kf, "elevated").decision_ref == DECISION


def test_it_refuses_an_elevated_inspection_until_the_city_s_decision_is_recorded(world, kf):
    the_round = city_round(kf, "elevated", decided=False)
    team = team_of(kf, the_round, 1, "zhou", "feng")
    with pytest.raises(ValidationError) as e:
        rnd.inspection_create(
            actor=SYSTEM, team=team, target=kf.units["lk_finance"], kind="elevated"
        )
    assert e.value.messages == ["提级巡察须先录入中共开封市委的决定（文号和日期）。"]
    assert not Inspection.objects.filter(round=the_round).exists()

    cross.round_record_decision(
        actor=SYSTEM, round=the_round, decision_ref=f" {DECISION} ", decided_on=DECIDED
    )
    the_round.refresh_from_db()
    assert (the_round.decision_ref, the_round.decided_on) == (DECISION, DECIDED)
    event = AuditEvent.objects.filter(action="rounds.round.decision").get()
    assert event.after == {"decision_ref": DECISION, "decided_on": "2026-08-20"}
    insp = rnd.inspection_create(
        actor=SYSTEM, team=team, target=kf.units["lk_finance"], kind="elevated"
    )
    assert insp.round.body == kf.city and insp.target.body == kf.lankao


def test_a_decision_needs_its_number_and_a_date_not_in_the_future(world, kf):
    the_round = city_round(kf, "cross", decided=False)
    cases = [
        ("", None, "请填写决定文号和决定日期。"),
        (DECISION, None, "决定文号和决定日期须同时填写。"),
        ("", DECIDED, "决定文号和决定日期须同时填写。"),
        (DECISION, timezone.localdate() + dt.timedelta(days=1), "决定日期不能晚于今天。"),
    ]
    for ref, on, message in cases:
        with pytest.raises(ValidationError) as e:
            cross.round_record_decision(
                actor=SYSTEM, round=the_round, decision_ref=ref, decided_on=on
            )
        assert message in e.value.messages
    the_round.refresh_from_db()
    assert (the_round.decision_ref, the_round.decided_on) == ("", None)
    with pytest.raises(ValidationError, match="决定文号和决定日期须同时填写"):
        rnd.round_create(
            actor=SYSTEM,
            body=kf.city,
            term=kf.terms["city"],
            ordinal=3,
            name="十二届市委第三轮巡察",
            kind="elevated",
            sector_mode="mixed",
            decision_ref=DECISION,
        )
    assert not Round.objects.filter(ordinal=3, body=kf.city).exists()


def test_the_office_records_the_decision_on_the_round_page(world, kf, login):
    the_round = city_round(kf, "elevated", decided=False)
    client = login(kf.users["kfoffice"])
    page = client.get(reverse("round_detail", args=[the_round.pk])).content.decode()
    assert "尚未录入中共开封市委的决定，不能分配巡察对象" in page
    assert reverse("round_record_decision", args=[the_round.pk]) in page

    url = reverse("round_record_decision", args=[the_round.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"decision_ref": DECISION, "decided_on": future}, follow=True)
    assert "未录入决定：决定日期不能晚于今天。" in response.content.decode()
    the_round.refresh_from_db()
    assert the_round.decision_ref == ""

    response = client.post(url, {"decision_ref": DECISION, "decided_on": "2026-08-20"}, follow=True)
    page = response.content.decode()
    assert f"已录入决定{DECISION}。" in page
    assert DECISION in page and "尚未录入" not in page
    # The county office cannot reach the city's round at all.
    other = login(kf.users["lkoffice"]).post(url, {"decision_ref": "兰巡〔2026〕1号"})
    assert other.status_code == 404


def test_the_round_form_takes_the_decision_and_refuses_a_county_s_elevated_round(world, kf, login):
    data = {
        "term": kf.terms["city"].pk,
        "ordinal": 4,
        "name": "十二届市委第四轮巡察",
        "kind": "elevated",
        "sector_mode": "mixed",
        "targets_per_team": 2,
        "decision_ref": DECISION,
        "decided_on": "2026-08-20",
    }
    response = login(kf.users["kfoffice"]).post(reverse("round_create"), data)
    created = Round.objects.get(body=kf.city, ordinal=4)
    assert response.status_code == 302
    assert (created.decision_ref, created.decided_on) == (DECISION, DECIDED)

    data |= {"term": kf.terms["lankao"].pk, "name": "十四届县委第四轮巡察"}
    page = login(kf.users["lkoffice"]).post(reverse("round_create"), data).content.decode()
    assert "提级巡察须由有下级党组织的党委组织，中共兰考县委没有下级党组织。" in page
    assert not Round.objects.filter(body=kf.lankao).exists()


# --- 提级巡察 -------------------------------------------------------------------------------------


def test_it_refuses_targets_outside_the_registries_naming_them(world, kf):
    elevated = city_round(kf, "elevated")
    team = team_of(kf, elevated, 1, "zhou")
    with pytest.raises(ValidationError, match="河南省财政厅不在中共开封市委的巡视巡察对象名录中"):
        rnd.inspection_create(actor=SYSTEM, team=team, target=world.finance, kind="elevated")
    with pytest.raises(ValidationError) as e:
        rnd.planning_job_create(
            actor=kf.users["kfoffice"],
            round=elevated,
            params=RoundParams(1, 2, (1, 2), (), ()),
            targets=[world.finance, kf.units["lk_finance"], world.zzu],
        )
    assert e.value.messages == ["河南省财政厅、郑州大学不在中共开封市委的巡视巡察对象名录中。"]
    # A county's regular round may not reach its sibling's units either.
    county = _lankao_round(kf)
    with pytest.raises(ValidationError) as e:
        rnd.planning_job_create(
            actor=kf.users["lkoffice"],
            round=county,
            params=RoundParams(1, 1, (1, 2), (), ()),
            targets=[kf.units["qx_education"]],
        )
    assert e.value.messages == ["杞县教育局不在中共兰考县委的巡视巡察对象名录中。"]
    assert not Inspection.objects.filter(round__in=[elevated, county]).exists()


def test_the_unit_s_history_lists_the_elevated_inspection_for_the_county(world, kf, login):
    insp = elevated_inspection(kf)
    client = login(kf.users["lkoffice"])
    page = client.get(reverse("org_detail", args=[kf.units["lk_finance"].pk])).content.decode()
    assert "十二届市委第1轮巡察" in page and "提级巡察" in page
    assert reverse("inspection_detail", args=[insp.pk]) not in page
    assert client.get(reverse("inspection_detail", args=[insp.pk])).status_code == 404
    assert client.get(reverse("round_detail", args=[insp.round_id])).status_code == 404
    # The city's office plans and runs it: the inspection is the city's.
    city = login(kf.users["kfoffice"])
    assert city.get(reverse("inspection_detail", args=[insp.pk])).status_code == 200


def test_the_team_page_of_the_city_adds_a_county_s_unit_by_code(world, kf, login):
    elevated = city_round(kf, "elevated")
    team = team_of(kf, elevated, 1, "zhou")
    client = login(kf.users["kfoffice"])
    url = reverse("inspection_create", args=[team.pk])
    response = client.post(url, {"org_code": "QX-D01", "kind": "elevated", "batch": 1}, follow=True)
    assert "已将杞县教育局交由第一巡察组巡视。" in response.content.decode()
    response = client.post(url, {"org_code": "D014", "kind": "elevated", "batch": 1}, follow=True)
    assert "单位名录中没有单位编码“D014”。" in response.content.decode()
    assert [i.target.code for i in team.inspections.all()] == ["QX-D01"]


# --- 交叉巡察 -------------------------------------------------------------------------------------


def test_a_cross_team_never_takes_a_cadre_to_the_own_body_s_units(world, kf):
    the_round = city_round(kf, "cross")
    team = team_of(kf, the_round, 1, "han")
    with pytest.raises(ValidationError) as e:
        rnd.inspection_create(actor=SYSTEM, team=team, target=kf.units["lk_finance"], kind="cross")
    assert e.value.messages == ["韩光明来自被巡察单位所在地的干部库，交叉巡察须异地派出。"]
    insp = rnd.inspection_create(
        actor=SYSTEM, team=team, target=kf.units["qx_education"], kind="cross"
    )
    assert (insp.round.body, insp.team.memberships.get().cadre.body) == (kf.city, kf.lankao)
    with pytest.raises(ValidationError, match="钱进来自被巡察单位所在地的干部库"):
        rnd.membership_add(actor=SYSTEM, team=team, cadre=kf.cadres["qian"], role="member")
    assert team.memberships.count() == 1


def test_cross_body_avoidance_is_found_and_blocks(world, kf):
    the_round = city_round(kf, "cross")
    team = team_of(kf, the_round, 1, "han")
    rnd.inspection_create(actor=SYSTEM, team=team, target=kf.units["qx_education"], kind="cross")
    rnd.inspection_create(actor=SYSTEM, team=team, target=kf.units["qx_town"], kind="cross")
    with pytest.raises(ValidationError) as e:
        rnd.membership_add(actor=SYSTEM, team=team, cadre=kf.cadres["sun"], role="member")
    assert e.value.messages == ["孙丽的配偶马军在杞县教育局工作，应当回避。"]
    with pytest.raises(ValidationError) as e:
        rnd.membership_add(actor=SYSTEM, team=team, cadre=kf.cadres["zhao"], role="member")
    assert e.value.messages == [
        "赵强的籍贯地（区划代码410221）即杞县城关镇党委所在县（市、区），应当实行地域回避。"
    ]
    assert list(team.memberships.values_list("cadre__code", flat=True)) == ["LK001"]


def test_the_cross_plan_draws_on_the_pools_below_and_sends_nobody_home(world, kf):
    the_round = city_round(kf, "cross", decided=False)
    targets = [kf.units["lk_finance"], kf.units["qx_education"]]
    job = rnd.planning_job_create(
        actor=kf.users["kfoffice"],
        round=the_round,
        params=RoundParams(2, 1, (1, 2), (), (), time_limit_s=20),
        targets=targets,
    )
    problem = job.problem
    assert {c["id"] for c in problem["cadres"]} == {
        "KF001",
        "KF002",
        "LK001",
        "LK002",
        "LK003",
        "QX001",
        "QX002",
    }
    own = {(c["cadre"], c["target"]) for c in problem["conflicts"] if c["rule"] == CROSS_OWN_BODY}
    assert own == {
        ("LK001", "LK-D01"), ("LK002", "LK-D01"), ("LK003", "LK-D01"),
        ("QX001", "QX-D01"), ("QX002", "QX-D01"),
    }  # fmt: skip
    detail = next(c["detail"] for c in problem["conflicts"] if c["cadre"] == "QX001")
    assert detail == "钱进来自被巡察单位所在地的干部库，交叉巡察须异地派出。"
    assert ("LK002", "QX-D01", "kin") in {
        (c["cadre"], c["target"], c["rule"]) for c in problem["conflicts"]
    }
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.plan["status"] in ("optimal", "feasible")
    body_of = {c.code: c.body_id for c in kf.cadres.values()}
    target_body = {t.code: t.body_id for t in targets}
    for team in job.plan["teams"]:
        for code in team["members"]:
            assert all(body_of[code] != target_body[t] for t in team["targets"]), team

    with pytest.raises(ValidationError) as e:
        rnd.round_apply_plan(actor=kf.users["kfoffice"], job=job)
    assert e.value.messages == ["交叉巡察须先录入中共开封市委的决定（文号和日期）。"]
    assert not the_round.teams.exists()
    cross.round_record_decision(
        actor=SYSTEM, round=the_round, decision_ref=DECISION, decided_on=DECIDED
    )
    job.round.refresh_from_db()
    teams = rnd.round_apply_plan(actor=kf.users["kfoffice"], job=job)
    assert len(teams) == 2
    for m in TeamMembership.objects.filter(team__round=the_round).select_related("cadre"):
        assert not m.team.inspections.filter(target__body=m.cadre.body).exists()


def test_the_planning_page_offers_the_counties_units_but_the_registry_stays_the_city_s(
    world, kf, login
):
    the_round = city_round(kf, "cross", decided=False)
    client = login(kf.users["kfoffice"])
    page = client.get(reverse("round_plan", args=[the_round.pk])).content.decode()
    for name in ["杞县教育局", "兰考县财政局", "张庄村党支部", "开封市财政局"]:
        assert name in page, name
    assert "中共杞县县委" in page  # the unit's body, beside a unit of another body
    assert "交叉巡察须先录入中共开封市委的决定（文号和日期）。" in page
    assert "河南省财政厅" not in page
    orgs = client.get(reverse("org_list")).content.decode()
    assert "开封市财政局" in orgs and "杞县教育局" not in orgs
    sibling = client.get(reverse("org_detail", args=[kf.units["qx_education"].pk]))
    assert sibling.status_code == 404


# --- 联动 -----------------------------------------------------------------------------------------


@pytest.fixture
def linked(world, kf):
    """The province's 联动 round on 乡村振兴, and rounds of the city and both counties."""
    theme = "乡村振兴政策落实"

    def make(body, term, name, kind="linked"):
        return rnd.round_create(
            actor=SYSTEM,
            body=body,
            term=term,
            ordinal=2,
            name=name,
            kind=kind,
            sector_mode="mixed",
            targets_per_team=2,
            theme=theme,
            start=START,
            end=END,
        )

    return {
        "province": make(world.body, world.term, "十一届省委第二轮巡视"),
        "city": make(kf.city, kf.terms["city"], "十二届市委第二轮巡察"),
        "lankao": make(kf.lankao, kf.terms["lankao"], "十四届县委第二轮巡察", kind="regular"),
        "qixian": make(kf.qixian, kf.terms["qixian"], "十五届县委第二轮巡察"),
        "theme": theme,
    }


def test_a_county_and_the_city_link_their_rounds_to_the_province_s(world, kf, linked):
    city, lankao = linked["city"], linked["lankao"]
    assert set(linkable_rounds_for(kf.users["lkoffice"])) == {linked["province"], city}
    assert set(linkable_rounds_for(kf.users["kfoffice"])) == {linked["province"]}
    assert not linkable_rounds_for(world.users["alice"]).exists()

    cross.round_link(actor=kf.users["kfoffice"], round=city, to=linked["province"])
    cross.round_link(actor=kf.users["lkoffice"], round=lankao, to=linked["province"])
    assert set(linked["province"].linked_rounds.all()) == {city, lankao}
    assert AuditEvent.objects.filter(action="rounds.round.link").count() == 2
    cross.round_link(actor=kf.users["lkoffice"], round=lankao, to=None)
    lankao.refresh_from_db()
    assert lankao.linked_to is None


def test_a_link_is_refused_when_theme_or_dates_differ_naming_the_difference(world, kf, linked):
    other = _lankao_round(kf, ordinal=3, name="十四届县委第三轮巡察", theme="基层党建")
    with pytest.raises(ValidationError) as e:
        cross.round_link(actor=kf.users["lkoffice"], round=other, to=linked["province"])
    assert e.value.messages == [
        "十四届县委第三轮巡察的监督重点（基层党建）与十一届省委第二轮巡视的（乡村振兴政策落实）不同。",
        "联动轮次须与上级轮次监督重点和时间一致。",
    ]
    late = _lankao_round(
        kf, ordinal=4, name="十四届县委第四轮巡察", theme=linked["theme"], start=dt.date(2026, 9, 8)
    )
    with pytest.raises(ValidationError) as e:
        cross.round_link(actor=kf.users["lkoffice"], round=late, to=linked["province"])
    assert e.value.messages[0] == (
        "十四届县委第四轮巡察的进驻日期（2026年9月8日）与十一届省委第二轮巡视的（2026年9月1日）不同。"
    )
    with pytest.raises(
        ValidationError, match="十五届县委第二轮巡察不是中共兰考县委的上级党组织的轮次"
    ):
        cross.round_link(actor=kf.users["lkoffice"], round=linked["lankao"], to=linked["qixian"])
    with pytest.raises(ValidationError, match="十一届省委第一轮巡视不是上下联动轮次"):
        cross.round_link(actor=kf.users["lkoffice"], round=linked["lankao"], to=world.round)
    with pytest.raises(ValidationError, match="尚未与上级轮次联动"):
        cross.round_link(actor=kf.users["lkoffice"], round=linked["lankao"], to=None)
    assert not Round.objects.filter(linked_to__isnull=False).exists()


def test_the_county_links_its_round_on_its_page(world, kf, linked, login):
    lankao = linked["lankao"]
    client = login(kf.users["lkoffice"])
    page = client.get(reverse("round_detail", args=[lankao.pk])).content.decode()
    assert "十一届省委第二轮巡视" in page and "十五届县委第二轮巡察" not in page
    url = reverse("round_link", args=[lankao.pk])
    response = client.post(url, {"to": linked["qixian"].pk}, follow=True)
    assert "所选轮次不是可联动的上级轮次。" in response.content.decode()
    response = client.post(url, {"to": linked["province"].pk}, follow=True)
    page = response.content.decode()
    assert "已与十一届省委第二轮巡视联动。" in page
    assert "与中共河南省委十一届省委第二轮巡视联动" in page
    lankao.refresh_from_db()
    assert lankao.linked_to == linked["province"]


def test_the_province_sees_the_linked_rounds_side_by_side_counts_only(world, kf, linked, login):
    city, lankao = linked["city"], linked["lankao"]
    cross.round_link(actor=kf.users["kfoffice"], round=city, to=linked["province"])
    cross.round_link(actor=kf.users["lkoffice"], round=lankao, to=city)
    team = team_of(kf, lankao, 1, "han", "sun")
    rnd.inspection_create(actor=SYSTEM, team=team, target=kf.units["lk_village"], kind="regular")
    rnd.inspection_create(actor=SYSTEM, team=team, target=kf.units["lk_finance"], kind="regular")

    client = login(world.users["alice"])
    detail = client.get(reverse("round_detail", args=[linked["province"].pk])).content.decode()
    url = reverse("round_linked", args=[linked["province"].pk])
    assert url in detail
    page = client.get(url).content.decode()
    for text in ["中共开封市委", "十二届市委第二轮巡察", "中共兰考县委", "十四届县委第二轮巡察"]:
        assert text in page, text
    assert "下级党组织有2个轮次与本轮联动" in page
    assert "十五届县委第二轮巡察" not in page
    # 兰考's column: one team, two targets, both planned; no unit, no cadre, no link down.
    planned = page.split('class="stage-planned"', 1)[1].split("</tr>", 1)[0]
    assert [c.split("<")[0] for c in planned.split('class="num">')[1:]] == ["0", "0", "2"]
    for private in ["张庄村党支部", "兰考县财政局", "韩光明", "孙丽"]:
        assert private not in page, private
    for lower in (city, lankao):
        assert reverse("round_detail", args=[lower.pk]) not in page

    assert login(kf.users["kfoffice"]).get(url).status_code == 404
    assert login(world.users["bob"]).get(url).status_code == 403
    assert login(world.users["erin"]).get(url).status_code == 403
