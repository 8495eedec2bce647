"""The planning pages: parameters and targets, the job with its plan, live edits, acceptance.

The world's round already has its teams, so each test plans a second round. The world's pool
is small and every cadre in it works at 省委巡视办 (one unit, so one person a team): the plans
here are teams of their leader alone. 郭宏伟 (C006), added here, can lead, has 纪检监察 like
王建国 and was born in 兰考县, which he must avoid.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import InspectingBody
from xunshi.rounds import actions
from xunshi.rounds.models import PlanningJob, Round, Team
from xunshi.rounds.planning import RoundParams

TINY = {
    "teams": 1,
    "targets_per_team": 1,
    "size_lo": 1,
    "size_hi": 3,
    "time_limit_s": 10,
    "seed": 0,
}


def second_round(world: Any, n: int = 1) -> Round:
    return actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=n,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )


def guo(world: Any) -> Any:
    """A second leader with 纪检监察, born in 兰考县."""
    data = reg.CadreInput(
        code="C006",
        name="郭宏伟",
        gender="男",
        unit_name="省纪委监委",
        post="室主任",
        id_number=make_id_number("410225", dt.date(1970, 5, 6), 7),
        can_lead=True,
        rank="正厅级",
        skills=("纪检监察",),
        origin_code="410225",
    )
    return reg.cadre_upsert(
        actor=SYSTEM, body=InspectingBody.objects.order_by("pk").first(), data=data
    )[0]


def tiny_job(world: Any, rnd: Round | None = None) -> PlanningJob:
    """1 team × 1 target (新县), solved at once (the test settings run tasks immediately)."""
    rnd = rnd or second_round(world)
    return actions.planning_job_create(
        actor=world.users["alice"],
        round=rnd,
        params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=10),
        targets=[world.xinxian],
    )


def two_team_job(world: Any) -> PlanningJob:
    """王建国 and 郭宏伟 lead the two teams (only they have 纪检监察); 郭宏伟 gets 新县."""
    guo(world)
    return actions.planning_job_create(
        actor=world.users["alice"],
        round=second_round(world),
        params=RoundParams(2, 1, (1, 1), (("纪检监察", 1),), (), time_limit_s=10),
        targets=[world.lankao, world.xinxian],
    )


def working(html: str) -> list[dict[str, Any]]:
    found = re.search(r'name="plan" id="working-plan" value="([^"]*)"', html)
    assert found, "the page carries the working copy"
    raw = found.group(1).replace("&quot;", '"').replace("&amp;", "&")
    return json.loads(raw)


def test_it_shows_the_plan_page_with_the_proposals_and_their_reasons(world, login):
    rnd = second_round(world)
    html = login(world.users["alice"]).get(reverse("round_plan", args=[rnd.pk])).content.decode()
    assert "编制巡视方案" in html
    row = re.search(r"<li [^>]*data-proposed>.*?</li>", html, re.S)
    assert row and "新县" in row.group(0) and "checked" in row.group(0)
    assert "由全覆盖推荐" in row.group(0) and "贫困县" in row.group(0)
    # Not proposed, but selectable by hand: 郑州大学, with the skills of the pool to require.
    zzu = re.search(r"<li [^>]*>\s*<label><input [^>]*>\s*<span class=\"org-name\">郑州大学", html)
    assert zzu and "checked" not in zzu.group(0)
    for skill in ["纪检监察", "财务审计", "组织人事"]:
        assert f'name="skill_{skill}"' in html
    assert 'name="teams" value="1"' in html  # one proposal, 一托1


def test_it_proposes_again_with_other_counts(world, login):
    rnd = second_round(world)
    url = reverse("round_plan", args=[rnd.pk]) + "?counties=0&departments=0&soes=0"
    html = login(world.users["alice"]).get(url).content.decode()
    assert "<li data-proposed" not in html and " data-proposed>" not in html
    assert "共推荐 0 个对象" in html


def test_it_shows_bad_parameters_again_in_chinese_and_creates_no_job(world, login):
    rnd = second_round(world)
    client = login(world.users["alice"])
    data = TINY | {"size_lo": 5, "size_hi": 3, "targets": [world.xinxian.pk]}
    response = client.post(reverse("round_plan", args=[rnd.pk]), data)
    assert response.status_code == 200
    assert "每组人数下限（5）不能大于上限（3）" in response.content.decode()
    # The round is 一托1: three targets a team is refused by the action.
    data = TINY | {"targets_per_team": 3, "targets": [world.xinxian.pk]}
    html = client.post(reverse("round_plan", args=[rnd.pk]), data).content.decode()
    assert "不能多于此数" in html
    html = client.post(reverse("round_plan", args=[rnd.pk]), TINY).content.decode()
    assert "请至少选择一个巡视对象" in html
    assert not PlanningJob.objects.exists()


def test_it_runs_a_tiny_plan_and_shows_it(world, login):
    rnd = second_round(world)
    client = login(world.users["alice"])
    data = TINY | {"targets": [world.xinxian.pk]}
    response = client.post(reverse("round_plan", args=[rnd.pk]), data, follow=True)
    job = PlanningJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("plan_job", args=[job.pk])
    html = response.content.decode()
    assert "第一巡视组" in html and "新县" in html
    assert "最优" in html and "已证明最优" in html
    assert "未发现回避情形" in html
    assert job.plan["teams"][0]["leader"] in {"C001", "C003"}
    leader = {"C001": "王建国", "C003": "张志强"}[job.plan["teams"][0]["leader"]]
    assert leader in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert "ortools" in html  # the solver record


def test_it_polls_a_pending_job_and_stops_it(world, login, monkeypatch):
    monkeypatch.setattr(actions, "run_planning_job", SimpleNamespace(enqueue=lambda *a: None))
    job = tiny_job(world)
    client = login(world.users["alice"])
    html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "排队等候计算" in html
    assert reverse("plan_job_stop", args=[job.pk]) in html
    response = client.post(reverse("plan_job_stop", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "已停止" in html and 'hx-trigger="every 1s"' not in html
    job.refresh_from_db()
    assert job.status == "stopped"
    response = client.post(reverse("plan_job_stop", args=[job.pk]), follow=True)
    assert "该计算已结束或正在停止" in response.content.decode()


def test_it_shows_the_violation_of_a_swap_that_creates_a_conflict(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    teams = working(html)
    number = next(i for i, t in enumerate(teams, start=1) if t["leader"] == "C006")
    assert teams[number - 1]["targets"] == ["411523"]  # 郭宏伟 must avoid 兰考县
    # Open his team's editor, then swap 新县 for the other team's 兰考县.
    check = reverse("plan_check", args=[job.pk])
    plan = json.dumps(teams, ensure_ascii=False)
    html = client.post(
        check, {"op": "open", "team": number, "plan": plan}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.startswith('<div id="plan-result">') and 'name="other"' in html
    html = client.post(
        check,
        {"op": "swap_target", "team": number, "target": "411523", "other": "410225", "plan": plan},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "约束7" in html
    assert "地域回避" in html and "兰考县" in html  # the avoidance sentence on his card
    assert "目标值 " in html and "已调整" in html
    edited = working(html)
    assert edited[number - 1]["targets"] == ["410225"]
    assert re.search(r'id="accept-plan"[^>]*disabled', html)
    # Accepting it anyway is refused with the same reasons, and nothing is created.
    response = client.post(
        reverse("plan_accept", args=[job.pk]), {"plan": json.dumps(edited, ensure_ascii=False)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "未采用该方案" in html and "约束7" in html
    assert not Team.objects.filter(round=job.round).exists()
    # Back to the solver's plan.
    html = client.post(
        check, {"op": "reset", "plan": json.dumps(edited)}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert working(html) == teams and "约束7" not in html


def test_it_refuses_an_edit_that_does_not_fit(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    teams = working(client.get(reverse("plan_job", args=[job.pk])).content.decode())
    html = client.post(
        reverse("plan_check", args=[job.pk]),
        {"op": "swap_target", "team": 1, "target": "NOPE", "other": "410225", "plan": "[]"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "方案数据格式有误" in html
    html = client.post(
        reverse("plan_check", args=[job.pk]),
        {"op": "swap_target", "team": 1, "target": "NOPE", "other": "410225", "plan": "x"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "方案数据格式有误" in html and working(html) == teams
    mine = teams[0]["targets"][0]
    html = client.post(
        reverse("plan_check", args=[job.pk]),
        {"op": "swap_target", "team": 1, "target": mine, "other": mine, "plan": json.dumps(teams)},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "请选择其他组的一个巡视对象" in html
    tampered = json.dumps([{**teams[0], "members": ["X999"]}, teams[1]])
    html = client.post(
        reverse("plan_check", args=[job.pk]), {"op": "open", "plan": tampered}
    ).content.decode()
    assert "方案中有本次计算以外的干部或对象" in html


def test_it_accepts_the_plan_and_creates_the_teams(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    teams = working(client.get(reverse("plan_job", args=[job.pk])).content.decode())
    response = client.post(
        reverse("plan_accept", args=[job.pk]),
        {"plan": json.dumps(teams, ensure_ascii=False)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("round_detail", args=[job.round_id])
    html = response.content.decode()
    assert "已采用方案，组建了2个巡视组" in html
    assert "第一巡视组" in html and "第二巡视组" in html and "郭宏伟" in html
    created = Team.objects.filter(round=job.round).order_by("number")
    assert [t.inspections.get().target.code for t in created] == [t["targets"][0] for t in teams]
    # The job page now says so, offers no more edits, and a second acceptance is refused.
    html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert "本方案已于" in html and "调整本组" not in html
    html = client.post(reverse("plan_accept", args=[job.pk]), {"plan": ""}).content.decode()
    assert "不能重复采用" in html


def test_it_accepts_an_edited_plan_as_edited(world, login):
    job = tiny_job(world)
    client = login(world.users["alice"])
    teams = working(client.get(reverse("plan_job", args=[job.pk])).content.decode())
    other = "C003" if teams[0]["leader"] == "C001" else "C001"
    html = client.post(
        reverse("plan_check", args=[job.pk]),
        {
            "op": "replace_member",
            "team": 1,
            "member": teams[0]["leader"],
            "replacement": other,
            "plan": json.dumps(teams),
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "调整后的方案满足全部约束" in html
    client.post(reverse("plan_accept", args=[job.pk]), {"plan": json.dumps(working(html))})
    team = Team.objects.get(round=job.round)
    assert team.memberships.get(role="leader").cadre.code == other


def test_it_exports_the_plan_and_records_it(world, login):
    job = tiny_job(world)
    client = login(world.users["alice"])
    response = client.get(reverse("plan_export_xlsx", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith(".sheet")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E6%96%B9%E6%A1%88.xlsx" in response["Content-Disposition"]  # 方案.xlsx
    response = client.get(reverse("plan_export_docx", args=[job.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    events = AuditEvent.objects.filter(action="rounds.plan.export").order_by("id")
    assert [e.after["format"] for e in events] == ["xlsx", "docx"]
    assert all(e.actor_username == "alice" for e in events)


@pytest.mark.parametrize("who", ["gina", "bob", "carol", "erin", "sam", "sue", "aud"])
def test_it_refuses_everyone_but_the_office(world, login, who):
    job = tiny_job(world)
    client = login(world.users[who])
    for name, method in [
        ("round_plan", "get"),
        ("round_plan", "post"),
        ("plan_job", "get"),
        ("plan_job_progress", "get"),
        ("plan_job_stop", "post"),
        ("plan_check", "post"),
        ("plan_accept", "post"),
        ("plan_export_xlsx", "get"),
        ("plan_export_docx", "get"),
    ]:
        pk = job.round_id if name == "round_plan" else job.pk
        response = getattr(client, method)(reverse(name, args=[pk]))
        assert response.status_code == 403, (name, method, response.status_code)
    assert not Team.objects.filter(round=job.round).exists()


def test_it_explains_a_round_without_a_plan(world, login):
    # Five cadres, all of 省委巡视办: no team of five people from five units can be formed.
    job = actions.planning_job_create(
        actor=world.users["alice"],
        round=second_round(world),
        params=RoundParams(1, 1, (5, 9), (), (), time_limit_s=10),
        targets=[world.xinxian],
    )
    assert job.plan["status"] == "infeasible"
    client = login(world.users["alice"])
    html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert "无解" in html and "按当前条件不存在可行方案" in html
    lines = re.findall(r'<ul class="explanation">(.*?)</ul>', html, re.S)[0]
    assert "约束" in lines
    assert 'id="accept-plan"' not in html and "调整本组" not in html
    assert client.get(reverse("plan_export_docx", args=[job.pk])).status_code == 404
