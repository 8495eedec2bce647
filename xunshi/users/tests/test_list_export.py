"""The users list and the teams waiting for accounts taken to Excel as the page shows them:
the same rows, recorded on the audit trail, a typed formula kept as text, never a password."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions as rnd
from xunshi.testsupport.lists import export_cells, export_rows, page_rows
from xunshi.testsupport.world import PASSWORD
from xunshi.users import actions

FORMULA = '=HYPERLINK("http://example.invalid","点我")'


def _open(world, username: str, full_name: str):  # type: ignore[no-untyped-def]
    return actions.user_create(
        actor=world.users["sam"], username=username, full_name=full_name, password=PASSWORD
    )


def test_the_user_export_has_the_page_s_rows(world, login):
    client = login(world.users["sam"])
    url = reverse("user_list")
    for query in [{}, {"q": "ali"}, {"never": "1"}]:
        page = page_rows(client.get(url, query).content, "user-list")
        export = export_rows(client.get(url, {**query, "export": "xlsx"}).content)
        assert page, query
        assert [r[:5] for r in export] == [r[:5] for r in page], query
        # The last sign-in: the page's minutes, the workbook's date (or 从未登录 in both).
        assert all(p[5].startswith(e[5]) for p, e in zip(page, export, strict=True)), query
    head = [c.value for c in export_cells(client.get(url, {"export": "xlsx"}).content)[0]]
    assert head == ["用户名", "姓名", "所属党组织", "角色", "状态", "最近登录"]


def test_the_user_export_shows_who_signed_in_and_who_never_did(world, login):
    client = login(world.users["sam"])  # sam signs in: his last login is today
    rows = {
        r[0]: r for r in export_rows(client.get(reverse("user_list"), {"export": "xlsx"}).content)
    }
    assert rows["sam"][3] == "系统管理员" and rows["sam"][4] == "启用"
    assert rows["sam"][5][:4].isdigit()
    assert rows["gina"][5] == "从未登录"
    never = export_rows(client.get(reverse("user_list"), {"never": "1", "export": "xlsx"}).content)
    assert "gina" in [r[0] for r in never] and "sam" not in [r[0] for r in never]


def test_the_user_export_is_on_the_audit_trail_with_its_filters(world, login):
    client = login(world.users["sue"])
    before = AuditEvent.objects.filter(action="users.user_list.export").count()
    client.get(reverse("user_list"), {"q": "ali", "export": "xlsx"})
    events = AuditEvent.objects.filter(action="users.user_list.export")
    assert events.count() == before + 1
    event = events.last()
    assert event is not None and event.actor_id == world.users["sue"].pk
    assert event.after == {"rows": 1, "filters": {"q": "ali"}}


def test_a_name_typed_as_a_formula_comes_back_as_text_and_no_password_leaves(world, login):
    user = _open(world, "formula", FORMULA)
    client = login(world.users["sam"])
    content = client.get(reverse("user_list"), {"q": "formula", "export": "xlsx"}).content
    cells = export_cells(content)
    name = cells[1][1]
    assert name.value == FORMULA and name.data_type == "s"
    every = [
        str(c.value)
        for row in export_cells(client.get(reverse("user_list"), {"export": "xlsx"}).content)
        for c in row
    ]
    user.refresh_from_db()
    assert user.password not in every
    assert not any(v.startswith(("pbkdf2", "argon2", "bcrypt")) for v in every)


def test_the_team_accounts_export_has_the_page_s_teams(world, login):
    team = rnd.team_create(actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set)
    rnd.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["hong"], role="member")
    client = login(world.users["sue"])
    url = reverse("team_account_list")
    page = page_rows(client.get(url).content, "team-account-list")
    export = export_rows(client.get(url, {"export": "xlsx"}).content)
    assert export == page and [team.name, "1", "0"] in [r[1:] for r in export]
    assert AuditEvent.objects.filter(action="users.team_account_list.export").count() == 1


def test_the_exports_are_refused_to_everybody_but_the_two_admins(world, login):
    for who in ["alice", "aud", "erin"]:
        client = login(world.users[who])
        for name in ["user_list", "team_account_list"]:
            assert client.get(reverse(name), {"export": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="users.").exists()


def test_the_list_and_its_export_cost_the_same_queries_for_more_accounts(world, login):
    client = login(world.users["sam"])
    url = reverse("user_list")

    def queries(**params: str) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url, params).status_code == 200
        return len(seen)

    before = (queries(), queries(export="xlsx"))
    for n in range(5):
        user = _open(world, f"office{n}", f"办公室{n}")
        actions.user_grant_role(
            actor=world.users["sue"], user=user, role=Role.OFFICE, body=world.body
        )
    assert (queries(), queries(export="xlsx")) == before
