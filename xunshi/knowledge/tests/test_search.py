"""The knowledge base in the full-text search: a team finds the article in force by a word of
it, not the version it replaced; a body's own rule stays its own; the admins and a liaison find
none of the base (a liaison reads the public rules on the base's pages, not through search)."""

from __future__ import annotations

import datetime as dt

import time_machine

from xunshi.fieldwork.models import TaxonomyItem
from xunshi.knowledge import actions
from xunshi.knowledge.articles import parse_lines
from xunshi.testsupport.bodies import small_city


def _found(client, login, user, q: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.logout()
    login(user)
    response = client.get("/search/", {"q": q, "kind": "article"})
    assert response.status_code == 200
    page = response.context["page"]
    return (page.paginator.count if page is not None else 0), response.content.decode()


def test_a_team_finds_the_article_in_force_and_not_the_one_it_replaced(client, login, world):  # type: ignore[no-untyped-def]
    alice = world.users["alice"]
    rule = actions.regulation_create(
        actor=alice,
        body=world.body,
        facts=actions.RegulationFacts(title="某某巡察工作实施办法", issuer="中共某某委员会"),
        articles=parse_lines(["第一条 巡察组应当严守驻点纪律。"]),
        fictional=True,
    )
    count, page = _found(client, login, world.users["bob"], "驻点纪律")
    assert count == 1
    assert "《某某巡察工作实施办法》第一条" in page and f"/knowledge/regulations/{rule.pk}/" in page
    actions.regulation_revise(
        actor=alice,
        regulation=rule,
        facts=actions.RegulationFacts(title="某某巡察工作实施办法", issuer="中共某某委员会"),
        articles=parse_lines(["第一条 巡察组应当遵守廉洁纪律。"]),
    )
    assert _found(client, login, world.users["bob"], "驻点纪律")[0] == 0
    assert _found(client, login, world.users["bob"], "廉洁纪律")[0] == 1
    assert _found(client, login, world.users["gina"], "廉洁纪律")[0] == 1
    assert _found(client, login, world.users["erin"], "廉洁纪律")[0] == 0

    city = small_city(world.body)
    assert _found(client, login, city.office, "廉洁纪律")[0] == 0


def test_the_office_finds_a_typical_case_and_a_statement(client, login, world):  # type: ignore[no-untyped-def]
    item = TaxonomyItem.objects.order_by("pk").first()
    assert item is not None
    actions.case_save(
        actor=world.users["alice"],
        body=world.body,
        title="某局违规发放津贴补贴案",
        facts="某局以加班费名义发放津贴。",
        qualification="违反中央八项规定精神。",
        handling="责令退还。",
        fictional=True,
    )
    actions.statement_save(
        actor=world.users["alice"],
        body=world.body,
        item=item,
        text="违规发放津贴补贴，违反中央八项规定精神。",
        fictional=True,
    )
    client.logout()
    login(world.users["alice"])
    page = client.get("/search/", {"q": "津贴"}).content.decode()
    assert "某局违规发放津贴补贴案" in page
    assert "违规发放<mark>津贴</mark>补贴" in page


def test_a_case_written_after_midnight_in_beijing_is_found_on_that_day(client, login, world):  # type: ignore[no-untyped-def]
    # 18:30 UTC on 6 December is 02:30 on 7 December in Beijing, the day the office saw
    with time_machine.travel(dt.datetime(2026, 12, 6, 18, 30, tzinfo=dt.UTC), tick=False):
        actions.case_save(
            actor=world.users["alice"],
            body=world.body,
            title="某局违规收受礼金案",
            facts="某局干部收受礼金。",
            qualification="违反廉洁纪律。",
            handling="给予党内警告处分。",
            fictional=True,
        )
    client.logout()
    login(world.users["alice"])
    for day, count in (("2026-12-07", 1), ("2026-12-06", 0)):
        response = client.get("/search/", {"q": "收受礼金", "from": day, "to": day})
        page = response.context["page"]
        assert (page.paginator.count if page is not None else 0) == count, day
