"""A 提级巡察 moves the case records to the higher body: 兰考's office never sees them.

The city inspects 兰考县财政局 (a unit of 兰考's registry) with its own team. A unique marker is
planted in every case record of that inspection (talk, petition and petitioner, document
request, immediate fix, working paper, clue, the report's text); the feedback is given and the
unit's liaison fills in the plan. Signed in as 兰考's office, the test follows every link from
its pages and tries every URL with every id, as the liaison crawl does: no marker may appear.
So that it cannot pass by reaching nothing, it checks that the office did read the ledger and
the feedback, which name the problem.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import get_resolver, reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.findings import actions as clue_actions
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.rounds.models import Inspection
from xunshi.rounds.tests.kaifeng import Kaifeng, build_kaifeng, elevated_inspection
from xunshi.testsupport.lifecycle import decide, move_on_site
from xunshi.web.tests.test_liaison_crawl import _crawl, _ids, _urls

MARKERS = {
    name: f"ZZ{name.upper()}ELEVATED8K"
    for name in [
        "talk",
        "petition",
        "petitioner",
        "docs",
        "fix",
        "facts",
        "qualification",
        "clue",
        "persons",
        "report",
    ]
}
PROBLEM = "专项资金拨付滞后"


def _plant(kf: Kaifeng) -> Inspection:
    insp = elevated_inspection(kf)
    zhou, feng = kf.cadres["zhou"], kf.cadres["feng"]
    m = MARKERS
    with time_machine.travel(dt.datetime(2026, 9, 20, 10, 0), tick=False):
        move_on_site(insp)
        talk = onsite_actions.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee="县财政局局长",
            interviewee_post="局长",
            category="required",
            interviewers=[zhou, feng],
            recorder=feng,
            held_at=dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC),
            place="巡察组驻地",
            record=m["talk"],
        )
        onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        petition = onsite_actions.petition_create(
            actor=SYSTEM,
            inspection=insp,
            channel="letter",
            received_on=dt.date(2026, 9, 8),
            content=m["petition"],
            real_name=True,
            petitioner_name=m["petitioner"],
            petitioner_contact="13800000000",
        )
        onsite_actions.petition_route(
            actor=SYSTEM, petition=petition, in_scope=True, routing="clue"
        )
        onsite_actions.docrequest_create(
            actor=SYSTEM,
            inspection=insp,
            documents=m["docs"],
            provider="县财政局",
            requested_on=dt.date(2026, 9, 9),
        )
        onsite_actions.fix_create(
            actor=SYSTEM,
            inspection=insp,
            issue=m["fix"],
            measure="立即整改",
            responsible_unit="局办",
        )
        paper = papers.paper_create(
            actor=SYSTEM,
            inspection=insp,
            title=PROBLEM,
            facts=m["facts"],
            qualification=m["qualification"],
            responsibility_main="局党组承担主体责任。",
            category=TaxonomyItem.objects.order_by("pk").first(),
        )
        papers.paper_add_evidence(actor=SYSTEM, paper=paper, kind="talk", record_obj=talk)
        papers.paper_submit(actor=SYSTEM, paper=paper)
        papers.paper_group_review(
            actor=SYSTEM, paper=paper, approve=True, meeting_on=dt.date(2026, 9, 15), opinion="同意"
        )
        papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
        clue_actions.problem_create(actor=SYSTEM, paper=paper)
        clue_actions.clue_create(
            actor=SYSTEM,
            inspection=insp,
            source="petition",
            record=petition,
            persons=m["persons"],
            summary=m["clue"],
            recipient="discipline",
        )
    with time_machine.travel(dt.datetime(2026, 10, 30, 10, 0), tick=False):
        decide(insp, overview=m["report"])
        inspection_transition(
            actor=SYSTEM, inspection=insp, to="feedback_given", on=dt.date(2026, 10, 30)
        )
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0), tick=False):
        rect.item_plan(
            actor=kf.users["lkliaison"],
            item=RectificationItem.objects.get(inspection=insp),
            measures="专项整改",
            responsible_leader="局长",
            responsible_department="县财政局",
            deadline=dt.date(2026, 12, 31),
            kind="concentrated",
        )
    return insp


def test_the_county_office_never_sees_the_city_s_elevated_case_records(world, client) -> None:  # type: ignore[no-untyped-def]
    kf = build_kaifeng(world)
    insp = _plant(kf)
    client.force_login(kf.users["lkoffice"], backend="django.contrib.auth.backends.ModelBackend")
    ids = _ids()
    unit = reverse("org_detail", kwargs={"pk": kf.units["lk_finance"].pk})
    starts = ["/", reverse("ledger_home"), reverse("supervision"), unit]
    more: list[str] = []
    for name, converters in _urls(get_resolver().url_patterns):
        if name in ("logout", "set_language"):
            continue
        if not converters:
            try:
                more.append(reverse(name))
            except Exception:  # noqa: S112 (patterns with non-id arguments are not tried)
                continue
        elif converters == ["pk"]:
            more += [reverse(name, kwargs={"pk": i}) for i in ids]
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        seen = _crawl(client, starts, more)

    for url, (status, body) in seen.items():
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{name} marker on {url} ({status})"

    ok = {url for url, (status, _) in seen.items() if status == 200}
    ledger = reverse("ledger", kwargs={"pk": insp.pk})
    feedback = reverse("feedback_docx", kwargs={"pk": insp.pk})
    assert {ledger, feedback, unit} <= ok
    assert PROBLEM.encode() in seen[ledger][1] and PROBLEM.encode() in seen[feedback][1]
    assert "十二届市委第1轮巡察".encode() in seen[unit][1]
    for name in ["talk_list", "petition_list", "paper_list", "clue_list", "report_page"]:
        assert reverse(name, kwargs={"pk": insp.pk}) not in ok, name
