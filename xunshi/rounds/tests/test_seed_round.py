"""The seed round (issue 3): round 10 of the demo province planned like the seed article's —
13 teams 一托三 over 30 counties, 6 provincial departments and 3 provincial SOEs, the counties
drawn from those the special poverty round (round 7) left out, no avoidance hit, proven optimal.

It loads the whole demo first (about 20 s); set XUNSHI_SKIP_DEMO=1 to leave it out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from planner.check import check_plan
from xunshi.accounts.models import User
from xunshi.demo.province import BODY_NAME
from xunshi.jobs.models import JobStatus
from xunshi.registry.models import Cadre, OrgUnit, Term
from xunshi.rounds import actions
from xunshi.rounds.avoidance import blocking_hits
from xunshi.rounds.models import Inspection, Round, TeamMembership
from xunshi.rounds.planning import RoundParams, plan_from_dict, problem_from_dict, propose_targets

SEED_PARAMS = RoundParams(
    teams=13,
    targets_per_team=3,
    team_size=(5, 9),
    team_skills=(("纪检监察", 1), ("组织人事", 1), ("财务审计", 1)),
    max_per_team=(("soe", 1),),
    time_limit_s=60,
    seed=0,
)


@pytest.mark.skipif(
    os.environ.get("XUNSHI_SKIP_DEMO") == "1", reason="the demo load takes about 20 seconds"
)
@pytest.mark.django_db
def test_it_plans_the_seed_round_optimally_without_an_avoidance_hit() -> None:
    call_command("seed_demo", stdout=StringIO())
    term = Term.objects.get(body__name=BODY_NAME)
    office = User.objects.get(username="bangongshi")
    special = Round.objects.get(term=term, ordinal=7)
    assert special.kind == "special"
    rnd = actions.round_create(
        actor=office,
        body=term.body,
        term=term,
        ordinal=10,
        name="十一届省委第十轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=3,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )

    proposals = propose_targets(term, counties=30, departments=6, soes=3)
    orgs = [p.org for p in proposals]
    assert Counter(o.sector for o in orgs) == {"county": 30, "department": 6, "soe": 3}
    poor = [o for o in orgs if o.sector == "county" and "贫困县" in o.tags]
    assert poor and orgs[: len(poor)] == poor  # the poverty counties come first
    assert all("未列入2025年专项巡视" in p.reason for p in proposals[: len(poor)])

    job = actions.planning_job_create(actor=office, round=rnd, params=SEED_PARAMS, targets=orgs)

    assert job.status == JobStatus.DONE, job.message
    plan = job.plan
    assert plan["status"] == "optimal" and plan["objective"] == plan["bound"], job.message
    teams = plan["teams"]
    assert len(teams) == 13 and all(len(t["targets"]) == 3 for t in teams)
    placed = [g for t in teams for g in t["targets"]]
    assert sorted(placed) == sorted(o.code for o in orgs)
    by_code = {o.code: o for o in OrgUnit.objects.filter(code__in=placed)}
    assert Counter(by_code[g].sector for g in placed) == {"county": 30, "department": 6, "soe": 3}
    in_special = set(special.inspections.values_list("target__code", flat=True))
    assert len(in_special) == 30 and not in_special & set(placed)
    for team in teams:
        members = list(Cadre.objects.filter(code__in=team["members"]))
        assert len(members) == len(team["members"])
        targets = [by_code[g] for g in team["targets"]]
        assert blocking_hits(members, targets, for_round=rnd) == []
    assert check_plan(problem_from_dict(job.problem), plan_from_dict(plan)) == []

    created = actions.round_apply_plan(actor=office, job=job)

    assert len(created) == 13
    inspections = Inspection.objects.filter(round=rnd)
    assert inspections.count() == 39
    assert set(inspections.values_list("kind", "counts_for_coverage")) == {("regular", True)}
    assert TeamMembership.objects.filter(team__round=rnd).count() == sum(
        len(t["members"]) for t in teams
    )
    assert TeamMembership.objects.filter(team__round=rnd, role="leader").count() == 13
