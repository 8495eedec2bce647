"""Working papers through their actions: the numbering, the two-level review, the problems
made from them, and every refusal (a Chinese reason, nothing written)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import Petition, Taxonomy, TaxonomyItem, WorkingPaper
from xunshi.findings import actions as findings_actions
from xunshi.findings.models import Problem
from xunshi.lifecycle.actions import inspection_transition
from xunshi.registry.models import NumberSeries
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
NOW = dt.datetime(2026, 9, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(world, clock):  # type: ignore[no-untyped-def]
    move_on_site(world.inspection1)
    world.inspection1.refresh_from_db()
    return world


def category(name: str = "围绕党的纪律建设") -> TaxonomyItem:
    return TaxonomyItem.objects.get(taxonomy__active=True, name=name)


def new_paper(w: Any, actor: str = "carol", **kw: Any) -> WorkingPaper:
    data = {
        "actor": w.users[actor],
        "inspection": w.inspection1,
        "title": "扶贫资金拨付滞后",
        "facts": "2025年县财政局滞拨扶贫资金1200万元。",
        "qualification": "违反《中央财政衔接推进乡村振兴补助资金管理办法》第十二条。",
        "category": category(),
        "responsibility_main": "县委负主体责任。",
    } | kw
    return papers.paper_create(**data)


def new_petition(w: Any, content: str = "反映扶贫资金被截留。") -> Petition:
    return onsite_actions.petition_create(
        actor=w.users["carol"],
        inspection=w.inspection1,
        channel="letter",
        received_on=D(2026, 9, 5),
        content=content,
        real_name=False,
    )


def approved_paper(w: Any, **kw: Any) -> WorkingPaper:
    """A paper with a petition as evidence, through the group meeting and the leader."""
    paper = new_paper(w, **kw)
    papers.paper_add_evidence(
        actor=w.users["carol"], paper=paper, kind="petition", record_obj=new_petition(w)
    )
    papers.paper_submit(actor=w.users["carol"], paper=paper)
    papers.paper_group_review(
        actor=w.users["bob"], paper=paper, approve=True, meeting_on=D(2026, 9, 20), opinion="同意。"
    )
    papers.paper_leader_review(actor=w.users["bob"], paper=paper, approve=True)
    return paper


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- numbering --------------------------------------------------------------------------------


def test_it_numbers_papers_consecutively_per_team_and_year(site):
    numbers = [new_paper(site, title=f"问题{n}").number for n in range(1, 4)]
    assert numbers == ["豫巡1组〔2026〕1号", "豫巡1组〔2026〕2号", "豫巡1组〔2026〕3号"]


def test_it_gives_no_number_to_a_refused_paper(site):
    new_paper(site)
    with pytest.raises(ValidationError) as e:
        new_paper(site, facts="  ")
    assert "问题底稿缺少：事实。" in e.value.messages
    with pytest.raises(ValidationError):
        new_paper(site, actor="dave")
    assert new_paper(site).number == "豫巡1组〔2026〕2号"
    assert WorkingPaper.objects.count() == 2


def test_it_numbers_the_other_team_on_its_own(site):
    new_paper(site)
    move_on_site(site.inspection2)
    other = new_paper(site, actor="dave", inspection=site.inspection2)
    assert other.number == "豫巡2组〔2026〕1号"


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks; CI runs this on PostgreSQL"
)
def test_it_gives_concurrent_saves_distinct_gapless_numbers(committed):
    from xunshi.testsupport.world import build_world

    world = build_world()
    move_on_site(world.inspection1)
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            numbers.append(new_paper(world, title=f"并发问题{n}").number)
        except BaseException as e:  # reported by the assertion below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == ["豫巡1组〔2026〕1号", "豫巡1组〔2026〕2号"]
    assert NumberSeries.objects.get().last == 2


# --- writing and review -----------------------------------------------------------------------


def test_it_refuses_a_paper_outside_the_recording_stages(world, clock):
    with pytest.raises(ValidationError) as e:
        new_paper(world)
    assert "巡视当前处于“已计划”阶段，不能新建问题底稿。" in e.value.messages
    assert (
        not WorkingPaper.objects.exists() and not NumberSeries.objects.filter(last__gt=0).exists()
    )


def test_it_refuses_a_class_of_a_retired_taxonomy(site):
    old = Taxonomy.objects.create(code="old", name="旧分类", active=False)
    item = TaxonomyItem.objects.create(taxonomy=old, code="1", name="旧条目")
    with pytest.raises(ValidationError) as e:
        new_paper(site, category=item)
    assert "已停用" in e.value.messages[0]
    assert not WorkingPaper.objects.exists()


def test_it_needs_evidence_before_the_group_meeting(site):
    paper = new_paper(site)
    with pytest.raises(ValidationError) as e:
        papers.paper_submit(actor=site.users["carol"], paper=paper)
    assert e.value.messages == [f"底稿{paper.number}还没有证据材料，不能提交组务会审议。"]
    paper.refresh_from_db()
    assert paper.status == "draft"


def test_it_refuses_evidence_of_another_inspection_or_twice(site):
    paper = new_paper(site)
    petition = new_petition(site)
    papers.paper_add_evidence(
        actor=site.users["carol"], paper=paper, kind="petition", record_obj=petition
    )
    with pytest.raises(ValidationError) as e:
        papers.paper_add_evidence(
            actor=site.users["carol"], paper=paper, kind="petition", record_obj=petition
        )
    assert e.value.messages == ["该证据已关联到本底稿。"]
    move_on_site(site.inspection2)
    foreign = onsite_actions.petition_create(
        actor=site.users["dave"],
        inspection=site.inspection2,
        channel="call",
        received_on=D(2026, 9, 5),
        content="别处的信访。",
        real_name=False,
    )
    with pytest.raises(ValidationError) as e:
        papers.paper_add_evidence(
            actor=site.users["carol"], paper=paper, kind="petition", record_obj=foreign
        )
    assert e.value.messages == ["证据须是本次巡视的记录。"]
    assert paper.evidence.count() == 1


def test_it_leaves_the_group_meeting_and_the_approval_to_the_leader(site):
    paper = new_paper(site)
    papers.paper_add_evidence(
        actor=site.users["carol"], paper=paper, kind="petition", record_obj=new_petition(site)
    )
    papers.paper_submit(actor=site.users["carol"], paper=paper)
    before = events("inspections.paper.group_review")
    with pytest.raises(ValidationError) as e:
        papers.paper_group_review(
            actor=site.users["carol"],
            paper=paper,
            approve=True,
            meeting_on=D(2026, 9, 20),
            opinion="同意。",
        )
    assert e.value.messages == ["登记组务会审议意见须由组长操作。"]
    paper.refresh_from_db()
    assert paper.status == "group_review" and events("inspections.paper.group_review") == before
    papers.paper_group_review(
        actor=site.users["bob"],
        paper=paper,
        approve=True,
        meeting_on=D(2026, 9, 20),
        opinion="同意",
    )
    with pytest.raises(ValidationError) as e:
        papers.paper_leader_review(actor=site.users["carol"], paper=paper, approve=True)
    assert e.value.messages == ["审定底稿须由组长操作。"]
    with pytest.raises(ValidationError) as e:
        papers.paper_leader_review(actor=site.users["bob"], paper=paper, approve=False)
    assert e.value.messages == ["退回底稿须说明理由。"]
    papers.paper_leader_review(
        actor=site.users["bob"], paper=paper, approve=False, reason="事实不清"
    )
    paper.refresh_from_db()
    assert paper.status == "returned" and paper.return_reason == "事实不清"
    # The author edits and submits again; the reason goes once it is resubmitted.
    papers.paper_update(actor=site.users["carol"], paper=paper, facts="补充后的事实。")
    papers.paper_submit(actor=site.users["carol"], paper=paper)
    paper.refresh_from_db()
    assert (paper.status, paper.return_reason, paper.facts) == (
        "group_review",
        "",
        "补充后的事实。",
    )


def test_it_refuses_a_group_meeting_in_the_future(site):
    paper = new_paper(site)
    papers.paper_add_evidence(
        actor=site.users["carol"], paper=paper, kind="petition", record_obj=new_petition(site)
    )
    papers.paper_submit(actor=site.users["carol"], paper=paper)
    with pytest.raises(ValidationError) as e:
        papers.paper_group_review(
            actor=site.users["bob"],
            paper=paper,
            approve=True,
            meeting_on=D(2026, 9, 26),
            opinion="好",
        )
    assert e.value.messages == ["组务会日期不能晚于今天。"]


def test_it_freezes_a_paper_under_review(site):
    paper = approved_paper(site)
    with pytest.raises(ValidationError) as e:
        papers.paper_update(actor=site.users["carol"], paper=paper, title="改标题")
    assert e.value.messages == [f"底稿{paper.number}处于“已审定”状态，不能修改。"]
    paper.refresh_from_db()
    assert paper.title == "扶贫资金拨付滞后"


def test_it_makes_one_problem_of_an_approved_paper_by_the_leader(site):
    paper = approved_paper(site)
    with pytest.raises(ValidationError) as e:
        findings_actions.problem_create(actor=site.users["carol"], paper=paper)
    assert e.value.messages == ["将底稿形成问题须由组长操作。"]
    problem = findings_actions.problem_create(
        actor=site.users["bob"], paper=paper, summary="  扶贫资金滞拨 "
    )
    assert (problem.seq, problem.summary) == (1, "扶贫资金滞拨")
    with pytest.raises(ValidationError) as e:
        findings_actions.problem_create(actor=site.users["bob"], paper=paper)
    assert e.value.messages == [f"底稿{paper.number}已形成问题。"]
    second = findings_actions.problem_create(
        actor=site.users["bob"], paper=approved_paper(site, title="二")
    )
    assert (second.seq, second.summary) == (2, "二")
    assert Problem.objects.count() == 2


def test_it_refuses_a_problem_of_a_paper_not_approved(site):
    paper = new_paper(site)
    with pytest.raises(ValidationError) as e:
        findings_actions.problem_create(actor=site.users["bob"], paper=paper)
    assert e.value.messages == [f"底稿{paper.number}尚未审定，不能形成问题。"]
    assert not Problem.objects.exists()


def test_it_refuses_a_problem_while_the_inspection_is_suspended(site):
    paper = approved_paper(site)
    inspection_transition(actor=SYSTEM, inspection=site.inspection1, to="suspended", reason="暂停")
    with pytest.raises(ValidationError) as e:
        findings_actions.problem_create(actor=site.users["bob"], paper=paper)
    assert e.value.messages == ["巡视当前处于“暂停”阶段，不能再形成问题。"]
    assert not Problem.objects.exists()
