"""The trail as the audit admin reads it: in Chinese, filtered, checked against the chain, and
taken away as an Excel file that says what the page says."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.chain import username_digest
from xunshi.audit.models import AuditEvent
from xunshi.audit.views import HEAD
from xunshi.rectification import actions as ledger
from xunshi.rectification.models import RectificationItem
from xunshi.rounds import actions as rounds
from xunshi.testsupport.lifecycle import give_feedback

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


class _Cells(HTMLParser):
    """The visible text of the trail's table, row by row (attributes, such as the codes in
    the title of a cell, are not text a reader sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _rows(html: bytes) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html.decode())
    return parser.rows


def _text(html: bytes) -> str:
    return " ".join(" ".join(r) for r in _rows(html))


@pytest.fixture
def aud(world, login):  # type: ignore[no-untyped-def]
    return login(world.users["aud"])


def test_it_names_actions_objects_and_users_in_chinese(world, aud):
    erin = world.users["erin"]
    give_feedback(world.inspection1, ["扶贫资金拨付滞后"])
    item = RectificationItem.objects.get(inspection=world.inspection1)
    ledger.item_plan(
        actor=erin,
        item=item,
        measures="专项整改",
        responsible_leader="县长",
        responsible_department="县财政局",
        deadline=dt.date(2027, 3, 31),
        kind="concentrated",
    )
    rows = _rows(aud.get(reverse("audit_list")).content)
    plan = next(r for r in rows if r[4] == "报送整改方案")
    assert plan[2] == "周晓（erin）" and plan[3] == "被巡视单位联络员"
    assert plan[5] == "整改事项" and plan[6] == "第1项整改事项（兰考县）"
    assert "整改措施：— → 专项整改" in plan[7] and "整改类型：— → 集中整改" in plan[7]
    assert "扶贫资金拨付滞后" not in _text(aud.get(reverse("audit_list")).content)
    system = next(r for r in rows if r[4] == "巡视阶段变更")
    assert system[2] == "系统" and system[5] == "巡视任务"
    # No code where a name should be: neither an action's nor a type's.
    second = aud.get(reverse("audit_list") + f"?before={rows[-1][0]}").content
    text = _text(second) + " ".join(map(str, rows))
    assert not re.search(r"\b[a-z]+\.[a-z_]+(\.[a-z_]+)?\b", text), text


def _events_on(world, days: list[dt.date]) -> None:
    """A team for each day, formed at noon in Shanghai that day."""
    for n, day in enumerate(days, start=1):
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)
        with time_machine.travel(noon, tick=False):
            rounds.team_create(
                actor=world.users["alice"],
                round=world.round,
                number=10 + n,
                rule_set=world.team1.rule_set,
            )


def test_it_filters_by_dates_user_action_and_type(world, aud):
    _events_on(world, [dt.date(2026, 12, 1), dt.date(2026, 12, 3), dt.date(2026, 12, 5)])
    url = reverse("audit_list")
    query = "?start=2026-12-02&end=2026-12-05&action=rounds.team.create"
    rows = _rows(aud.get(url + query).content)
    assert [r[1][:10] for r in rows] == ["2026-12-05", "2026-12-03"]
    assert {r[4] for r in rows} == {"组建巡视组"}
    rows = _rows(aud.get(url + "?end=2026-12-01&object_type=rounds.team").content)
    assert [r[1][:10] for r in rows] == ["2026-12-01"]
    # The user by full name or user name, exactly (a part of a name is no index's range);
    # the system as 系统.
    alice = world.users["alice"]
    by_name = _rows(
        aud.get(url + f"?actor={alice.full_name[1:]}&action=rounds.team.create").content
    )
    assert by_name == [["没有符合条件的记录。"]]
    for who in (alice.full_name, "alice"):
        by_name = _rows(aud.get(url + f"?actor={who}&action=rounds.team.create").content)
        assert len(by_name) == 3 and {r[2] for r in by_name} == {f"{alice.full_name}（alice）"}
    system = _rows(aud.get(url + "?actor=系统").content)
    assert system and {r[2] for r in system} == {"系统"}
    # The reading is recorded with the filters it used.
    event = AuditEvent.objects.filter(action="audit.view").order_by("-id").first()
    assert event.after == {"filters": {"actor": "系统"}}
    # An object by its type and id.
    team = world.round.teams.get(number=12)
    rows = _rows(aud.get(url + f"?object_type=rounds.team&object_id={team.pk}").content)
    assert [r[4] for r in rows] == ["组建巡视组"] and rows[0][1][:10] == "2026-12-03"


def test_it_keeps_the_filters_from_page_to_page(world, aud):
    _events_on(world, [dt.date(2026, 12, 1)] * 3)
    for _ in range(55):
        aud.get(reverse("audit_list") + "?action=accounts.login")
    page = aud.get(reverse("audit_list") + "?action=audit.view").content.decode()
    link = re.search(r'href="\?([^"]*before=\d+)"', page)
    assert link, "no link to the older events"
    rows = _rows(aud.get(reverse("audit_list") + "?" + link.group(1).replace("&amp;", "&")).content)
    assert rows and {r[4] for r in rows} == {"查阅审计日志"}


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(r[0]) for r in _rows(response.content) if r[0].isdigit()]


def _link(response, rel: str) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def test_its_pages_follow_one_another_without_a_gap_or_a_repeat_both_ways(world, aud):
    _events_on(world, [dt.date(2026, 12, 1)] * 3)
    for _ in range(120):
        aud.get(reverse("audit_list") + "?action=accounts.login")
    url = reverse("audit_list")
    # Unfiltered: the total from the chain's head, never counted; filtered: no total.
    total = AuditEvent.objects.count()
    first = aud.get(url)
    assert f"共 {total} 条" in first.content.decode()
    assert "共 " not in aud.get(url + "?action=audit.view").content.decode().split("trail-pages")[1]
    expected = list(
        AuditEvent.objects.filter(action="audit.view").order_by("-id").values_list("id", flat=True)
    )
    pages, link = [], "?action=audit.view"
    while link:
        response = aud.get(url + link)
        pages.append(_ids(response))
        link = _link(response, "next")
    walked = [i for page in pages for i in page]
    # The pages' own readings come after the first page was read: newer than it, not in it.
    assert walked == [i for i in expected if i <= walked[0]]
    assert [len(p) for p in pages[:-1]] == [50] * (len(pages) - 1)
    # Back from the last page to the first, the same pages.
    back, link = [], _link(response, "prev")
    while link:
        response = aud.get(url + link)
        back.append(_ids(response))
        link = _link(response, "prev")
    assert back[: len(pages) - 1][::-1] == pages[:-1]
    # Newer than the first page: only the readings the walk itself recorded.
    assert all(i > pages[0][0] for page in back[len(pages) - 1 :] for i in page)


@pytest.mark.parametrize(
    "query, message",
    [
        ("?start=2026-13-01", "起始日期：起始日期格式不对"),
        ("?start=2026-12-05&end=2026-12-01", "截止日期：截止日期不能早于起始日期。"),
        ("?action=nothing.at.all", "操作："),
    ],
)
def test_it_says_what_is_wrong_with_a_filter_and_records_nothing(world, aud, query, message):
    last = AuditEvent.objects.order_by("-id").first()
    for url in (reverse("audit_list"), reverse("audit_export")):
        response = aud.get(url + query)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert AuditEvent.objects.order_by("-id").first() == last


def _tamper(sql: str) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_event_no_update")
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cur.execute(sql)


def test_it_shows_which_row_of_the_page_breaks_the_chain(world, aud):
    page = aud.get(reverse("audit_list")).content.decode()
    assert "本页记录均与哈希链相符。" in page
    verified = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链完整" in verified
    _tamper("UPDATE audit_auditevent SET object_repr = '伪造' WHERE id = 5")
    # Row 5 was verified already: going on from there does not recompute it, and says so;
    # verifying from the first row finds it.
    again = aud.get(reverse("audit_list") + "?verify=1").content.decode()
    assert "审计链完整" in again and "之前的在上次核验时已通过" in again
    response = aud.get(reverse("audit_list") + "?end=2099-01-01&verify=full")
    rows = {r[0]: r for r in _rows(response.content)}
    assert rows["5"][-1] == "不符" and rows["6"][-1] == "✓"
    page = response.content.decode()
    assert "本页有 1 条记录与哈希链不符" in page
    assert "审计链在第 5 条断裂：内容与哈希不符（记录被改动）" in page


def test_the_export_says_what_the_page_says_and_is_recorded(world, aud):
    _events_on(world, [dt.date(2026, 12, 1), dt.date(2026, 12, 3)])
    query = "?start=2026-12-01&end=2026-12-04&object_type=rounds.team"
    rows = _rows(aud.get(reverse("audit_list") + query).content)
    response = aud.get(reverse("audit_export") + query)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0] == [str(h) for h in HEAD]
    # The page's columns but the last (its check) are the sheet's, row for row.
    assert [[re.sub(r"\s+", "", c) for c in r[:7]] for r in values[1:]] == [
        [re.sub(r"\s+", "", c) for c in r[:7]] for r in rows
    ]
    assert len(values) == 3 and values[1][4] == "组建巡视组"
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "audit.auditevent.export" and event.actor_username == "aud"
    assert event.after == {
        "rows": 2,
        "filters": {"start": "2026-12-01", "end": "2026-12-04", "object_type": "rounds.team"},
    }
    assert (
        _rows(aud.get(reverse("audit_list") + "?action=audit.auditevent.export").content)[0][4]
        == "导出审计日志"
    )


@pytest.mark.parametrize("who", ["alice", "gina", "sam", "sue", "erin"])
def test_nobody_but_the_audit_admin_reads_or_exports_it(world, login, who):
    client = login(world.users[who])
    assert client.get(reverse("audit_list")).status_code == 403
    assert client.get(reverse("audit_export")).status_code == 403


def test_it_names_a_failed_sign_in_as_nobody_signed_in(world, aud):
    Client().post(reverse("login"), {"username": "mallory", "password": "x"})
    rows = _rows(aud.get(reverse("audit_list") + "?action=accounts.login_failed").content)
    named = f"用户名摘要 {username_digest('mallory')}"
    assert rows == [[rows[0][0], rows[0][1], "未登录", "—", "登录失败", "账号", named, "", "✓"]]


def test_it_refuses_an_export_longer_than_the_limit_and_says_how_many(world, aud, monkeypatch):
    from xunshi.audit import views

    total = AuditEvent.objects.count()
    monkeypatch.setattr(views, "EXPORT_LIMIT", total - 1)
    last = AuditEvent.objects.order_by("-id").first()
    response = aud.get(reverse("audit_export") + "?end=2099-12-31")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"所选条件下有 {total} 条记录，一次最多导出 {total - 1} 条" in page
    assert 'value="2099-12-31"' in page  # the filters stay as they were
    assert AuditEvent.objects.order_by("-id").first() == last


def test_it_shows_no_wording_that_an_older_event_kept(world, aud):
    """Events recorded before the actions kept a problem's wording out: the chain keeps them,
    the page does not show it."""
    from django.db import transaction

    from xunshi.audit.actions import record

    with transaction.atomic():
        record(
            actor=SYSTEM,
            action="inspections.problem.create",
            object_type="inspections.problem",
            object_id="7",
            object_repr="扶贫资金拨付滞后",
            after={"paper": "〔2026〕豫巡-1组-01号", "seq": 1, "summary": "扶贫资金拨付滞后"},
        )
        record(
            actor=SYSTEM,
            action="inspections.paper.submit",
            object_type="inspections.workingpaper",
            object_id="3",
            object_repr="〔2026〕豫巡-1组-01号",
            before={"title": "扶贫资金拨付滞后", "status": "draft"},
            after={"title": "扶贫资金拨付滞后", "status": "group_review"},
        )
    rows = _rows(aud.get(reverse("audit_list") + "?end=2099-01-01").content)
    problem = next(r for r in rows if r[4] == "形成问题")
    assert problem[6] == "#7" and "扶贫" not in " ".join(problem)
    paper = next(r for r in rows if r[4] == "底稿提交组务会")
    assert paper[6] == "〔2026〕豫巡-1组-01号" and "扶贫" not in " ".join(paper)
    response = aud.get(reverse("audit_export") + "?end=2099-01-01")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "扶贫" not in " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
