"""The judged test of the search: a marker planted in every kind of case record of 兰考县's
inspection is found by those who read that record, and by nobody else — no hit, no count, no
snippet — searched for as every user of the world who may not read it: the other team, a
member for a 高密 clue, the liaison (and another organization's liaison), the leading group
where it may not read, the three admins and another body's office. So that the test cannot
pass by finding nothing, each marker is also searched for as its readers, and found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import PetitionChannel, PetitionRouting
from xunshi.findings import actions as finding_actions
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as ledger_actions
from xunshi.rectification.models import RectificationKind
from xunshi.searchindex.models import SearchEntry
from xunshi.testsupport.bodies import small_city
from xunshi.testsupport.lifecycle import _category, decide, move_on_site
from xunshi.testsupport.world import PASSWORD
from xunshi.users import actions as account_actions

pytestmark = pytest.mark.django_db

# One marker per kind of record: a phrase of words and a code no other record holds.
MARKERS = {
    "paper": "虚报冒领扶贫补助 MARKPAPERZQ",
    "talk": "酒桌上收受购物卡 MARKTALKZQ",
    "petition": "违规占用集体土地 MARKPETITIONZQ",
    "clue": "涉嫌利用职权谋利 MARKCLUEZQ",
    "clue_secret": "涉嫌收受巨额贿赂 MARKSECRETZQ",
    "problem": "三重一大决策不规范 MARKPROBLEMZQ",
    "ledger_item": "建立专项资金台账 MARKLEDGERZQ",
}

EVERYONE = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud", "kf_office"]
EVERYONE += ["other_liaison"]
READERS = {
    "paper": {"alice", "bob", "carol"},
    "talk": {"alice", "bob", "carol"},
    "petition": {"alice", "bob", "carol"},
    "clue": {"alice", "bob", "carol"},
    "clue_secret": {"alice", "bob"},
    "problem": {"alice", "gina", "bob", "carol"},
    "ledger_item": {"alice", "gina", "bob", "carol", "erin"},
}


@pytest.fixture
def planted(world):  # type: ignore[no-untyped-def]
    inspection = move_on_site(world.inspection1)
    bob, carol = world.cadres["bob"], world.cadres["carol"]
    talk = onsite_actions.talk_create(
        actor=SYSTEM,
        inspection=inspection,
        interviewee="赵某",
        interviewee_post="局长",
        category="required",
        interviewers=[bob, carol],
        recorder=carol,
        held_at=timezone.make_aware(dt.datetime(2026, 9, 10, 9, 0)),
        place="县委招待所",
        record=f"谈话中反映有干部{MARKERS['talk']}。",
    )
    petition = onsite_actions.petition_create(
        actor=SYSTEM,
        inspection=inspection,
        channel=PetitionChannel.LETTER,
        received_on=dt.date(2026, 9, 11),
        content=f"来信反映某村{MARKERS['petition']}。",
        real_name=False,
    )
    onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
    marked = papers.paper_create(
        actor=SYSTEM,
        inspection=inspection,
        title="扶贫资金使用问题",
        facts=f"经查，该县{MARKERS['paper']}，涉及金额较大。",
        qualification="违反有关规定。",
        category=_category(),
    )
    papers.paper_add_evidence(actor=SYSTEM, paper=marked, kind="petition", record_obj=petition)
    marked = papers.paper_submit(actor=SYSTEM, paper=marked)
    marked = papers.paper_group_review(
        actor=SYSTEM, paper=marked, approve=True, meeting_on=dt.date(2026, 9, 20), opinion="同意。"
    )
    marked = papers.paper_leader_review(actor=SYSTEM, paper=marked, approve=True)
    onsite_actions.petition_route(
        actor=SYSTEM, petition=petition, in_scope=True, routing=PetitionRouting.PROBLEM
    )
    for key, secret in (("clue", False), ("clue_secret", True)):
        finding_actions.clue_create(
            actor=SYSTEM,
            inspection=inspection,
            source="petition",
            record=petition,
            persons="钱某",
            summary=f"钱某{MARKERS[key]}。",
            recipient="discipline",
            highly_confidential=secret,
        )
    finding_actions.problem_create(
        actor=SYSTEM, paper=marked, summary=f"县委{MARKERS['problem']}。"
    )
    decide(inspection)
    inspection_transition(
        actor=SYSTEM, inspection=inspection, to="feedback_given", on=dt.date(2026, 11, 2)
    )
    item = inspection.rectification_items.get()
    ledger_actions.item_plan(
        actor=world.users["erin"],
        item=item,
        measures=f"{MARKERS['ledger_item']}，按月核对。",
        responsible_leader="孙某",
        responsible_department="县财政局",
        deadline=dt.date(2027, 3, 31),
        kind=RectificationKind.CONCENTRATED,
    )
    city = small_city(world.body)
    users = dict(world.users)
    users["kf_office"] = city.office
    other = account_actions.user_create(
        actor=SYSTEM, username="other_liaison", full_name="新县联络员", password=PASSWORD
    )
    account_actions.user_grant_role(actor=SYSTEM, user=other, role=Role.LIAISON, org=world.xinxian)
    other.must_change_password = False
    other.save(update_fields=["must_change_password"])
    users["other_liaison"] = other
    return users


def _search(client, login, user, q):  # type: ignore[no-untyped-def]
    client.logout()
    login(user)
    return client.get("/search/", {"q": q})


def test_it_shows_each_marker_to_its_readers_and_to_nobody_else(client, login, planted):  # type: ignore[no-untyped-def]
    seen = []
    for name in EVERYONE:
        client.logout()
        login(planted[name])
        for key, marker in MARKERS.items():
            code = marker.split()[-1]
            # Within the record's own kind: a problem's summary is also its ledger item's
            # title, which the liaison reads.
            kind = "clue" if key == "clue_secret" else key
            response = client.get("/search/", {"q": marker, "kind": kind})
            if name in {"sam", "sue", "aud"}:
                assert response.status_code == 403, name  # the 三员 search nothing
                continue
            assert response.status_code == 200, name
            # A kind the role may not search at all is refused by the form: no page at all.
            page = response.context["page"]
            count = page.paginator.count if page is not None else 0
            content = response.content.decode()
            results = content.split('<ol class="search-results">', 1)[-1] if page else ""
            if name in READERS[key]:
                assert count >= 1, (key, name)
                assert "<mark>" in results and code in results, (key, name)
                seen.append((key, name))
            else:
                assert count == 0, (key, name)
                assert code not in results and "<mark>" not in results, (key, name)
    assert len(seen) == sum(len(r) for r in READERS.values())


def test_the_index_holds_no_word_of_a_case_record(planted):  # type: ignore[no-untyped-def]
    tokens = " ".join(
        SearchEntry.objects.exclude(kind__in=["org", "cadre"]).values_list("tokens", flat=True)
    )
    for marker in MARKERS.values():
        for word in marker.lower().split():
            assert word not in tokens
    assert "扶贫" not in tokens and "钱某" not in tokens
