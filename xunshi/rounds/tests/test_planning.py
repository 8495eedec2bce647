"""Planning a round: the problem built from the registry, proposed targets, the background solve
in a child process, the review of an edited plan, and the plan applied as teams."""

from __future__ import annotations

import datetime as dt
import logging
from importlib.metadata import version
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from planner.check import check_plan
from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.jobs.models import JobStatus
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import InspectingBody
from xunshi.rounds import actions, tasks
from xunshi.rounds.avoidance import blocking_hits
from xunshi.rounds.models import Inspection, PlanningJob, Team, TeamMembership
from xunshi.rounds.planning import (
    RoundParams,
    build_problem,
    plan_from_dict,
    plan_review,
    problem_from_dict,
    propose_targets,
    region_of,
    workload_of,
)
from xunshi.testsupport.lifecycle import set_stage

PARAMS = RoundParams(
    teams=2,
    targets_per_team=2,
    team_size=(2, 3),
    team_skills=(("纪检监察", 1),),
    max_per_team=(("university", 1),),
    time_limit_s=20,
    seed=0,
)


def _cadre(code: str, name: str, unit_name: str, seq: int, **kw):
    data = reg.CadreInput(
        code=code,
        name=name,
        gender="男",
        id_number=make_id_number("410102", dt.date(1972, 4, seq), seq * 2 + 1),
        unit_name=unit_name,
        **kw,
    )
    return reg.cadre_upsert(
        actor=SYSTEM, body=InspectingBody.objects.order_by("pk").first(), data=data
    )[0]


def _next_round(world, *, n: int = 2, ordinal: int = 2):
    """Round 2 of the world (2027), with three more cadres from units of their own."""
    _cadre("C101", "郭宏伟", "省纪委监委", 11, can_lead=True, rank="正厅级", skills=("纪检监察",))
    _cadre("C102", "马丽", "省审计厅", 12, rank="正处级", skills=("财务审计",))
    _cadre("C103", "何军", "省委组织部", 13, rank="正处级", skills=("组织人事",))
    return actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=ordinal,
        name=f"十一届省委第{ordinal}轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=n,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )


def _targets(world):
    return [world.lankao, world.xinxian, world.finance, world.zzu]


def _job(world, params: RoundParams = PARAMS):
    rnd = _next_round(world)
    return actions.planning_job_create(
        actor=world.users["alice"], round=rnd, params=params, targets=_targets(world)
    )


def _hong_on_lankao(world, rnd) -> str:
    hits = blocking_hits([world.cadres["hong"]], [world.lankao], for_round=rnd)
    assert hits, "刘红梅 was born in 兰考县"
    return hits[0].sentence


# --- the problem ------------------------------------------------------------------------------


def test_it_builds_the_problem_with_every_blocking_hit_as_a_sentence(world):
    rnd = _next_round(world)
    problem = build_problem(round=rnd, params=PARAMS, targets=_targets(world))

    assert [t.id for t in problem.targets] == ["410225", "411523", "D014", "U001"]
    assert [t.region for t in problem.targets] == ["4102", "4115", "4101", "4101"]
    assert {c.id for c in problem.cadres} == {f"C00{i}" for i in range(1, 6)} | {
        "C101",
        "C102",
        "C103",
    }
    office = {c.unit for c in problem.cadres if c.id.startswith("C00")}
    assert office == {"name:省委巡视办"}
    hong = [c for c in problem.conflicts if c.cadre == "C004" and c.target == "410225"]
    assert [c.detail for c in hong] == [_hong_on_lankao(world, rnd)]
    assert "刘红梅" in hong[0].detail and "兰考县" in hong[0].detail
    assert ("C005", "D014", "kin") in {(c.cadre, c.target, c.rule) for c in problem.conflicts}


def test_it_leaves_out_cadres_already_in_a_team_of_the_round(world):
    problem = build_problem(round=world.round, params=PARAMS, targets=_targets(world))
    ids = {c.id for c in problem.cadres}
    assert ids == {"C004", "C005"}  # bob, carol and dave are in teams 1 and 2


def test_it_weighs_targets_by_sector_and_size(world):
    big = reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(code="410102", name="中原区", sector="county", headcount=52_000),
    )[0]
    assert workload_of(big) == 4
    assert workload_of(world.lankao) == 3  # no headcount: the county's base
    assert workload_of(world.finance) == 2
    assert region_of(big) == "4101"  # no region of its own: the capital


def test_it_places_a_county_village_without_a_region_in_the_county_prefecture(world):
    lankao = reg.body_create(
        actor=SYSTEM,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        parent=world.body,
    )
    village = reg.org_upsert(
        actor=SYSTEM,
        body=lankao,
        data=reg.OrgInput(code="410225101201", name="东坝头村党支部", sector="village"),
    )[0]
    assert region_of(village) == "4102"  # 开封市, not the provincial capital


# --- proposals --------------------------------------------------------------------------------


def _county(world, code: str, name: str, *tags: str):
    reg.regions_load(actor=SYSTEM, rows=[(code, name, "county", "")])
    data = reg.OrgInput(code=code, name=name, sector="county", region_code=code, tags=tags)
    return reg.org_upsert(actor=SYSTEM, body=world.body, data=data)[0]


def _inspected(world, rnd, org, *, counts: bool = True):
    team = actions.team_create(
        actor=SYSTEM, round=rnd, number=rnd.teams.count() + 1, rule_set=world.team1.rule_set
    )
    insp = actions.inspection_create(
        actor=SYSTEM, team=team, target=org, kind=rnd.kind, counts_for_coverage=counts
    )
    set_stage(inspection=insp, stage="closed")


def test_it_proposes_poverty_counties_left_out_of_the_special_round_first(world):
    shangcheng = _county(world, "411524", "商城县", "贫困县")
    guangshan = _county(world, "411522", "光山县", "贫困县")
    zhongyuan = _county(world, "410102", "中原区")
    dengfeng = _county(world, "410185", "登封市")
    special = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=3,
        name="十一届省委第三轮巡视",
        kind="special",
        sector_mode="rotating",
        targets_per_team=1,
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 4, 30),
    )
    # 光山县 was in the special round, which the office did not count for coverage.
    _inspected(world, special, guangshan, counts=False)
    old_term = reg.term_create(
        actor=SYSTEM,
        body=world.body,
        name="十届省委",
        start=dt.date(2017, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    old = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=old_term,
        ordinal=4,
        name="十届省委第四轮巡视",
        kind="regular",
        sector_mode="rotating",
        start=dt.date(2019, 3, 4),
        end=dt.date(2019, 5, 6),
    )
    _inspected(world, old, zhongyuan)
    soe = reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(code="S001", name="河南投资集团", sector="soe"),
    )[0]

    proposals = propose_targets(world.term, counties=4, departments=6, soes=3)

    # 兰考县 and the finance department are planned in round 1: not proposed again.
    assert [p.org for p in proposals] == [world.xinxian, shangcheng, dengfeng, guangshan, soe]
    assert proposals[0].reason == "贫困县，未列入2025年专项巡视（十一届省委第三轮巡视），本届未巡视"
    assert proposals[2].reason == "本届未巡视"
    assert proposals[4].reason == "省管企业，本届未巡视"
    five = propose_targets(world.term, counties=5, departments=0, soes=0)
    assert five[-1].org == zhongyuan  # inspected in 2019: the shortest time since
    assert five[-1].reason == "本届未巡视，上次巡视结束于2019年5月"


# --- parameters and refusals ------------------------------------------------------------------


def test_it_refuses_parameters_that_cannot_make_a_round():
    with pytest.raises(ValidationError) as e:
        RoundParams(teams=0, targets_per_team=3, team_size=(9, 5), team_skills=(), max_per_team=())
    assert "巡视组数至少为1。" in e.value.messages
    assert "每组人数下限（9）不能大于上限（5）。" in e.value.messages
    with pytest.raises(ValidationError, match="未知的板块"):
        RoundParams(2, 2, (2, 3), (), (("bank", 1),))
    assert RoundParams.from_json(PARAMS.to_json()) == PARAMS


def test_it_refuses_more_targets_per_team_than_the_round_allows(world):
    rnd = _next_round(world, n=1)
    with pytest.raises(ValidationError, match="为一托1"):
        actions.planning_job_create(
            actor=world.users["alice"], round=rnd, params=PARAMS, targets=_targets(world)
        )
    assert not PlanningJob.objects.exists()


# --- the background solve ---------------------------------------------------------------------


def test_it_solves_in_a_child_process_a_plan_that_check_plan_accepts(world):
    job = _job(world)

    assert job.status == JobStatus.DONE and job.progress == 1.0
    assert job.plan["status"] == "optimal"
    assert job.plan["objective"] == job.plan["bound"]
    assert check_plan(problem_from_dict(job.problem), plan_from_dict(job.plan)) == []
    assert job.plan["solver"]["ortools"] == version("ortools")
    assert "最优方案" in job.message
    placed = sorted(g for team in job.plan["teams"] for g in team["targets"])
    assert placed == ["410225", "411523", "D014", "U001"]
    event = AuditEvent.objects.filter(action="rounds.planning.create").get()
    assert event.after["targets"] == ["410225", "411523", "D014", "U001"]


def test_it_explains_a_round_that_cannot_be_planned(world):
    job = _job(world, params=RoundParams(2, 1, (2, 3), (), ()))

    assert job.status == JobStatus.DONE and job.plan["status"] == "infeasible"
    assert any("约束1" in line for line in job.plan["explanation"])
    with pytest.raises(ValidationError, match="没有可采用的分组"):
        actions.round_apply_plan(actor=world.users["alice"], job=job)


def test_it_stops_a_running_job_when_asked(world, monkeypatch):
    alice = world.users["alice"]
    real_poll = tasks._poll
    seen: list[str] = []

    def poll(job: Any, progress: float) -> bool:
        if not seen:  # the office presses 停止 before the task's first look at the row
            planning = PlanningJob.objects.get(job=job)
            seen.append(planning.status)
            actions.planning_job_stop(actor=alice, job=planning)
            seen.append(planning.get_status_display())
        return real_poll(job, progress)

    monkeypatch.setattr(tasks, "_poll", poll)
    monkeypatch.setattr(tasks, "POLL_SECONDS", 0.001)
    job = _job(world)

    assert seen == [JobStatus.RUNNING, "正在停止"]
    assert job.status == JobStatus.STOPPED and job.plan is None
    assert job.message == tasks.STOPPED_MESSAGE
    assert AuditEvent.objects.filter(action="rounds.planning.stop").count() == 1
    with pytest.raises(ValidationError, match="无需再停止"):
        actions.planning_job_stop(actor=alice, job=job)


class _Queue:
    def __init__(self) -> None:
        self.ids: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.ids.append(job_id)


def test_it_stops_a_job_not_started_yet_at_once(world, monkeypatch):
    queue = _Queue()
    monkeypatch.setattr(actions, "run_planning_job", queue)
    job = _job(world)
    assert job.status == JobStatus.QUEUED and queue.ids == [job.pk]

    actions.planning_job_stop(actor=world.users["alice"], job=job)
    tasks.run_planning_job.call(job.pk)  # the worker gets to it later

    job.refresh_from_db()
    assert job.status == JobStatus.STOPPED and job.started_at is None


def test_it_fails_a_job_with_a_generic_message_and_logs_why(world, monkeypatch, caplog):
    monkeypatch.setattr(actions, "run_planning_job", _Queue())
    job = _job(world)
    PlanningJob.objects.filter(pk=job.pk).update(problem={"format": "xunshi-round/1"})

    with caplog.at_level(logging.ERROR, logger="xunshi.rounds.tasks"):
        tasks.run_planning_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == tasks.GENERIC_FAILURE
    assert f"planning job {job.pk} failed" in caplog.text and "Traceback" in caplog.text


# --- reviewing and applying -------------------------------------------------------------------


def _with_hong_on_lankao(plan: dict) -> dict:
    """The plan edited on the page: 刘红梅 swapped into the team that inspects 兰考县."""
    teams = []
    for team in plan["teams"]:
        members = [c for c in team["members"] if c != "C004"]
        if "410225" in team["targets"]:
            members = [*members[:-1], "C004"] if len(members) > 1 else [*members, "C004"]
        teams.append({**team, "members": members})
    return {**plan, "teams": teams}


def test_it_reviews_an_edited_plan_with_the_avoidance_hit_it_breaks(world):
    job = _job(world)
    review = plan_review(job, job.plan)
    assert review.valid and review.objective == job.plan["objective"]
    assert sum(len(t.targets) for t in review.teams) == 4
    assert all(t.leader is not None and t.leader.can_lead for t in review.teams)
    assert all(not t.conflicts for t in review.teams)

    edited = plan_review(job.problem, _with_hong_on_lankao(job.plan))

    sentence = _hong_on_lankao(world, job.round)
    assert not edited.valid
    assert any(v.startswith("约束7") and "刘红梅" in v for v in edited.violations)
    lankao_team = next(t for t in edited.teams if any(g.id == "410225" for g in t.targets))
    assert sentence in lankao_team.conflicts
    assert "C004" in {m.id for m in lankao_team.members}


def test_it_recomputes_the_objective_of_a_swap_of_targets(world):
    job = _job(world)
    first, second = job.plan["teams"]
    swapped = {
        **job.plan,
        "teams": [
            {**first, "targets": [second["targets"][0], *first["targets"][1:]]},
            {**second, "targets": [first["targets"][0], *second["targets"][1:]]},
        ],
    }
    review = plan_review(job, swapped)
    problem = problem_from_dict(job.problem)
    loads = [
        sum(t.workload for t in problem.targets if t.id in team["targets"])
        for team in swapped["teams"]
    ]
    regions = sum(
        len({t.region for t in problem.targets if t.id in team["targets"]})
        for team in swapped["teams"]
    )
    assert review.objective == 10 * (max(loads) - min(loads)) + regions
    assert review.status == ("optimal" if review.objective == job.plan["bound"] else "feasible")


def test_it_applies_a_plan_as_teams_memberships_and_inspections(world):
    alice = world.users["alice"]
    job = _job(world)

    teams = actions.round_apply_plan(actor=alice, job=job)

    rnd = job.round
    assert [t.number for t in teams] == [1, 2]
    for team, planned in zip(teams, job.plan["teams"], strict=True):
        roles = dict(team.memberships.values_list("cadre__code", "role"))
        assert roles == {
            c: "leader" if c == planned["leader"] else "member" for c in planned["members"]
        }
        targets = set(team.inspections.values_list("target__code", flat=True))
        assert targets == set(planned["targets"])
    inspections = Inspection.objects.filter(round=rnd)
    assert inspections.count() == 4
    assert {(i.kind, i.counts_for_coverage, i.start) for i in inspections} == {
        ("regular", True, dt.date(2027, 3, 1))
    }
    job.refresh_from_db()
    assert job.applied_at is not None
    event = AuditEvent.objects.filter(action="rounds.plan.apply").get()
    assert event.object_id == str(rnd.pk) and event.actor_username == "alice"
    solver = event.after["solver"]
    assert solver["ortools"] == version("ortools")
    assert version("highspy") in {v for k, v in solver.items() if k.startswith("highs")}
    assert event.after["seed"] == 0 and event.after["solver"]["seed"] == "0"
    assert event.after["objective"] == job.plan["objective"]
    assert event.after["edited"] is False

    with pytest.raises(ValidationError, match="已被采用"):
        actions.round_apply_plan(actor=alice, job=job)
    again = actions.planning_job_create(
        actor=alice, round=rnd, params=PARAMS, targets=[world.kaifeng]
    )
    with pytest.raises(ValidationError, match="已组建巡视组"):
        actions.round_apply_plan(actor=alice, job=again)
    assert Team.objects.filter(round=rnd).count() == 2


def test_it_refuses_an_edited_plan_that_breaks_avoidance_and_changes_nothing(world):
    job = _job(world)
    teams_before = Team.objects.count()
    members_before = TeamMembership.objects.count()

    with pytest.raises(ValidationError) as e:
        actions.round_apply_plan(
            actor=world.users["alice"], job=job, plan=_with_hong_on_lankao(job.plan)
        )

    assert any(m.startswith("约束7") and "刘红梅" in m for m in e.value.messages)
    assert Team.objects.count() == teams_before
    assert TeamMembership.objects.count() == members_before
    job.refresh_from_db()
    assert job.applied_at is None
