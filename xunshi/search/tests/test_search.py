"""The search page as its users meet it: a phrase of a working paper found by its team, names
by pinyin initials, snippets escaped, hits ending with the team's access, the index following
the records' writes in their transaction, filters, and the rebuild command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import WorkingPaper
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.search.queries import search_entries, search_page
from xunshi.searchindex.models import SearchEntry
from xunshi.testsupport.lifecycle import _category, set_stage

pytestmark = pytest.mark.django_db


def _paper(world, facts: str, title: str = "扶贫资金问题") -> WorkingPaper:  # type: ignore[no-untyped-def]
    return papers.paper_create(
        actor=SYSTEM,
        inspection=world.inspection1,
        title=title,
        facts=facts,
        qualification="违反有关规定。",
        category=_category(),
    )


def _found(client, login, user, q: str, **params: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.logout()
    login(user)
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page"]
    return (page.paginator.count if page is not None else 0), response.content.decode()


def test_it_finds_a_phrase_inside_a_working_paper_for_its_team(client, login, onsite):  # type: ignore[no-untyped-def]
    paper = _paper(onsite, "经查，该县虚报冒领扶贫补助资金三百万元。")
    users = onsite.users
    for name in ("bob", "carol", "alice"):
        count, body = _found(client, login, users[name], "虚报冒领扶贫补助资金")
        assert count == 1, name
        assert paper.number in body
        assert "<mark>虚报冒领</mark>" in body and f"/inspections/papers/{paper.pk}/" in body
    for name in ("dave", "gina", "erin"):
        assert _found(client, login, users[name], "虚报冒领扶贫补助资金")[0] == 0, name


def test_it_finds_a_cadre_by_the_initials_of_the_name(client, login, world):  # type: ignore[no-untyped-def]
    reg.cadre_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.CadreInput(
            code="C099",
            name="李振华",
            gender="男",
            id_number=make_id_number("410102", dt.date(1970, 5, 6), 21),
            unit_name="省审计厅",
        ),
    )
    for q in ("lzh", "LZH", "lizhenhua", "李振华"):
        count, body = _found(client, login, world.users["alice"], q)
        assert count == 1 and "李振华" in body, q
    count, body = _found(client, login, world.users["alice"], "lk")
    assert "兰考县" in body  # an organization by its initials, as a prefix too


def test_it_escapes_the_record_in_the_snippet(client, login, onsite):  # type: ignore[no-untyped-def]
    _paper(onsite, "<script>alert('x')</script>该县挪用专项经费<b>XSSMARKZ</b>")
    count, body = _found(client, login, onsite.users["bob"], "挪用专项经费")
    assert count == 1
    assert "<script>alert" not in body and "<b>XSSMARKZ" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<mark>挪用</mark>" in body


def test_a_teams_hits_end_when_its_access_ends(client, login, onsite):  # type: ignore[no-untyped-def]
    _paper(onsite, "该县违规配备公务用车。")
    assert _found(client, login, onsite.users["bob"], "违规配备公务用车")[0] == 1
    # Closed without a recorded day: long past the grace, the office's alone.
    set_stage(inspection=onsite.inspection1, stage="closed")
    count, body = _found(client, login, onsite.users["bob"], "违规配备公务用车")
    assert count == 0 and "公务用车" not in body.split('<ol class="search-results">')[1]
    assert _found(client, login, onsite.users["alice"], "违规配备公务用车")[0] == 1


def test_the_index_follows_the_records_transaction(client, login, onsite):  # type: ignore[no-untyped-def]
    before = SearchEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _paper(onsite, "该县超标准接待上级检查。")
        raise RuntimeError("the writer's transaction rolls back")
    assert SearchEntry.objects.count() == before
    assert _found(client, login, onsite.users["bob"], "超标准接待")[0] == 0


def test_an_edit_replaces_the_words_of_a_record(client, login, onsite):  # type: ignore[no-untyped-def]
    bob, carol = onsite.cadres["bob"], onsite.cadres["carol"]
    talk = onsite_actions.talk_create(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        interviewee="赵某",
        interviewee_post="局长",
        category="required",
        interviewers=[bob, carol],
        recorder=carol,
        held_at=dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC),
        place="会议室",
        record="反映食堂账目混乱。",
    )
    assert _found(client, login, onsite.users["bob"], "食堂账目")[0] == 1
    onsite_actions.talk_update(actor=SYSTEM, talk=talk, outline="", record="反映车辆私用。")
    assert _found(client, login, onsite.users["bob"], "食堂账目")[0] == 0
    assert _found(client, login, onsite.users["bob"], "车辆私用")[0] == 1


def test_it_filters_by_kind_and_by_date(client, login, onsite):  # type: ignore[no-untyped-def]
    paper = _paper(onsite, "该县违规发放节日福利。")
    alice = onsite.users["alice"]
    day = timezone.localdate(paper.created_at).isoformat()  # the day its user saw
    assert _found(client, login, alice, "节日福利", kind="paper")[0] == 1
    assert _found(client, login, alice, "节日福利", kind="talk")[0] == 0
    assert _found(client, login, alice, "节日福利", **{"from": day, "to": day})[0] == 1
    assert _found(client, login, alice, "节日福利", **{"to": "2001-01-01"})[0] == 0


def test_a_bad_date_is_named_and_nothing_is_searched(client, login, onsite):  # type: ignore[no-untyped-def]
    _paper(onsite, "该县违规发放节日福利。")
    count, body = _found(client, login, onsite.users["alice"], "节日福利", **{"from": "2026-13-45"})
    assert count == 0
    assert "起始日期（from）不是有效日期" in body
    count, body = _found(
        client,
        login,
        onsite.users["alice"],
        "节日福利",
        **{"from": "2026-12-01", "to": "2026-01-01"},
    )
    assert count == 0 and "起始日期不能晚于截止日期" in body


def test_the_search_box_is_in_the_navigation_of_those_who_may_search(client, login, world):  # type: ignore[no-untyped-def]
    login(world.users["erin"])
    assert 'action="/search/"' in client.get("/").content.decode() or 'action="/search/"' in (
        client.get("/desk/").content.decode()
    )
    client.logout()
    login(world.users["sam"])
    assert client.get("/search/", {"q": "兰考"}).status_code == 403


def test_the_index_is_rebuilt_by_the_command(client, login, onsite):  # type: ignore[no-untyped-def]
    _paper(onsite, "该县违规新建楼堂馆所。")
    SearchEntry.objects.filter(kind="paper").delete()
    call_command("search_reindex", "--kind", "paper", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _found(client, login, onsite.users["bob"], "楼堂馆所")[0] == 1
    with pytest.raises(CommandError, match="没有检索类别“nonsense”"):
        call_command("search_reindex", "--kind", "nonsense")


def test_it_pages_the_hits_twenty_at_a_time(client, login, onsite):  # type: ignore[no-untyped-def]
    for i in range(23):
        _paper(onsite, f"该县第{i + 1}次违规发放节日福利。", title=f"福利问题{i + 1}")
    alice = onsite.users["alice"]
    login(alice)
    shown = {}
    for asked, number, rows in (("1", 1, 20), ("2", 2, 3), ("9", 2, 3), ("下一页", 1, 20)):
        page = client.get("/search/", {"q": "节日福利", "page": asked}).context["page"]
        assert (page.paginator.count, page.number, len(page.object_list)) == (23, number, rows)
        shown[asked] = {entry.object_id for entry in page.object_list}
    assert len(shown["1"] | shown["2"]) == 23


def test_a_search_is_two_statements_the_grace_and_the_page(onsite):  # type: ignore[no-untyped-def]
    # The team's readable inspections are asked once for the four kinds built on them, and
    # the page, its order and its count come from one statement (BENCHMARKS-search.md).
    _paper(onsite, "该县违规发放节日福利。")
    bob = onsite.users["bob"]
    with CaptureQueriesContext(connection) as statements:
        page = search_page(search_entries(bob, q="节日福利"), "1", 20)
    assert page.paginator.count == 1 and len(page.object_list) == 1
    assert len(statements.captured_queries) == 2
