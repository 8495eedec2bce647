"""Test scenes shared by the inspection, rectification and web tests: the test world's
inspection of 兰考县 (team 1) moved on site, or on to the feedback with problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User
from xunshi.demo.group import approve_round, hear_or_decide
from xunshi.demo.history import inspection_set_stage
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import (
    Petition,
    PetitionChannel,
    PetitionRouting,
    TaxonomyItem,
    WorkingPaper,
)
from xunshi.findings import actions as clue_actions
from xunshi.findings.models import Problem
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection

__all__ = ["decide", "give_feedback", "move_on_site", "problems_for"]

ON_SITE_PATH = ["authorized", "notified", "on_site"]
DECISION_PATH = [
    "withdrawn",
    "report_drafted",
    "office_reviewed",
    "leading_group_heard",
    "committee_decided",
]


def move_on_site(inspection: Inspection) -> Inspection:
    """Sign every pledge of the team, have the leading group approve the round's plan (if it
    has not) and move the inspection on site."""
    for m in inspection.team.memberships.all():
        if m.pledge_signed_at is None:
            signer = User.objects.filter(cadre=m.cadre).first() or SYSTEM
            rnd.pledge_sign(actor=signer, membership=m)
    approve_round(inspection.round, timezone.localdate())
    for stage in ON_SITE_PATH:
        inspection_transition(actor=SYSTEM, inspection=inspection, to=stage)
    return inspection


def _category() -> TaxonomyItem:
    item = TaxonomyItem.objects.order_by("taxonomy__code", "position", "pk").first()
    assert item is not None, "the taxonomies are shipped by a data migration"
    return item


def _petition(inspection: Inspection, text: str) -> Petition:
    petition = onsite_actions.petition_create(
        actor=SYSTEM,
        inspection=inspection,
        channel=PetitionChannel.LETTER,
        received_on=inspection.start or dt.date(2026, 9, 1),
        content=text,
        real_name=False,
    )
    return onsite_actions.petition_route(
        actor=SYSTEM, petition=petition, in_scope=True, routing=PetitionRouting.PROBLEM
    )


def paper_in_review(inspection: Inspection, title: str) -> WorkingPaper:
    """A working paper with a petition as evidence, submitted to the team's group review."""
    paper = papers.paper_create(
        actor=SYSTEM,
        inspection=inspection,
        title=title,
        facts=f"{title}的具体事实。",
        qualification="违反《中国共产党纪律处分条例》有关规定。",
        category=_category(),
        responsibility_main="县委承担主体责任。",
    )
    evidence = _petition(inspection, f"群众反映：{title}。")
    papers.paper_add_evidence(actor=SYSTEM, paper=paper, kind="petition", record_obj=evidence)
    return papers.paper_submit(actor=SYSTEM, paper=paper)


def approved_paper(inspection: Inspection, title: str) -> WorkingPaper:
    """A working paper through both reviews, ready to become a problem."""
    paper = paper_in_review(inspection, title)
    papers.paper_group_review(
        actor=SYSTEM,
        paper=paper,
        approve=True,
        meeting_on=dt.date(2026, 9, 20),
        opinion="同意报组长审定。",
    )
    return papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)


def problems_for(inspection: Inspection, titles: list[str]) -> list[Problem]:
    """One approved working paper and problem per title, each with a petition as evidence."""
    return [
        clue_actions.problem_create(actor=SYSTEM, paper=approved_paper(inspection, title))
        for title in titles
    ]


def decide(inspection: Inspection, *, overview: str = "兰考县委总体情况良好。") -> Inspection:
    """From on site to the committee's decision, with the report's overview written and the
    leading group's meetings recorded by its login."""
    for stage in DECISION_PATH:
        if stage == "report_drafted":
            report_text_save(actor=SYSTEM, inspection=inspection, overview=overview, suggestions="")
        if stage in ("leading_group_heard", "committee_decided"):
            hear_or_decide(inspection, stage, timezone.localdate())
        else:
            inspection_transition(actor=SYSTEM, inspection=inspection, to=stage)
    return inspection


def give_feedback(
    inspection: Inspection, titles: list[str], on: dt.date = dt.date(2026, 11, 2)
) -> Any:
    """On site, problems from the titles, the decision, and the feedback given on `on`."""
    move_on_site(inspection)
    problems = problems_for(inspection, titles)
    decide(inspection)
    inspection_transition(actor=SYSTEM, inspection=inspection, to="feedback_given", on=on)
    inspection.refresh_from_db()
    return problems


def set_stage(*, inspection: Inspection, stage: str) -> Inspection:
    """Place an inspection at a stage without the lifecycle's table and guards (the demo's
    back door, for tests that need an inspection closed or on site and nothing more)."""
    return inspection_set_stage(inspection=inspection, stage=stage)
