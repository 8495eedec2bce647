"""The API answers as the pages do: the same scope (outside it 404, a role without the function
403), writes only through the actions (audited, with the holder as actor), pages of bounded
size, and every refusal in Chinese with a stable code."""

from __future__ import annotations

from typing import Any

from xunshi.api.actions import token_create
from xunshi.audit.models import AuditEvent
from xunshi.rectification.models import RectificationItem

W = Any


def _get(client: Any, user: Any, url: str, scope: str = "read") -> Any:
    _token, secret = token_create(actor=user, name="测试", scope=scope, days=1)
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Any, user: Any, url: str, body: dict[str, Any]) -> Any:
    _token, secret = token_create(actor=user, name="测试", scope="write", days=1)
    return client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def test_it_lists_the_office_its_registry_a_page_at_a_time(world: W, client: Any) -> None:
    alice = world.users["alice"]
    whole = _get(client, alice, "/api/v1/orgs?limit=100").json()
    first = _get(client, alice, "/api/v1/orgs?limit=2").json()
    second = _get(client, alice, "/api/v1/orgs?limit=2&offset=2").json()
    assert first["count"] == whole["count"] == len(whole["items"]) >= 4
    assert first["items"] + second["items"] == whole["items"][:4]
    assert "兰考县" in [o["name"] for o in whole["items"]]


def test_it_refuses_a_page_of_more_than_a_hundred_naming_the_field(world: W, client: Any) -> None:
    answer = _get(client, world.users["alice"], "/api/v1/orgs?limit=1000")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid"
    assert body["errors"] == [{"field": "每页条数", "message": "每页条数不能大于100。"}]


def test_it_shows_a_cadre_s_id_number_only_masked(world: W, client: Any) -> None:
    carol = world.cadres["carol"]
    body = _get(client, world.users["alice"], f"/api/v1/cadres/{carol.pk}").json()
    assert body["name"] == carol.name and body["id_number_masked"] == carol.id_number_masked
    assert "*" in body["id_number_masked"] and "id_number" not in body


def test_it_keeps_a_team_to_its_own_inspections(world: W, client: Any) -> None:
    bob = world.users["bob"]
    listed = _get(client, bob, "/api/v1/inspections").json()
    assert [i["id"] for i in listed["items"]] == [world.inspection1.pk]
    other = _get(client, bob, f"/api/v1/inspections/{world.inspection2.pk}")
    assert other.status_code == 404
    assert other.json() == {"code": "not_found", "message": "没有找到该巡视任务。", "errors": []}


def test_it_gives_a_liaison_no_registry_list_and_only_its_own_organization(
    world: W, client: Any
) -> None:
    erin = world.users["erin"]
    listed = _get(client, erin, "/api/v1/orgs")
    assert listed.status_code == 403 and listed.json()["code"] == "forbidden"
    assert _get(client, erin, f"/api/v1/orgs/{world.lankao.pk}").json()["name"] == "兰考县"
    assert _get(client, erin, f"/api/v1/orgs/{world.xinxian.pk}").status_code == 404
    assert _get(client, erin, f"/api/v1/inspections/{world.inspection1.pk}").status_code == 403


def test_it_moves_a_stage_through_the_lifecycle_with_the_holder_as_actor(
    onsite: W, client: Any
) -> None:
    url = f"/api/v1/inspections/{onsite.inspection1.pk}/stage"
    refused = _post(client, onsite.users["alice"], url, {"to": "withdrawn"})
    assert refused.status_code == 403 and "巡视组组长" in refused.json()["message"]
    moved = _post(client, onsite.users["bob"], url, {"to": "withdrawn"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "withdrawn" and moved.json()["stage_label"]
    event = AuditEvent.objects.filter(action="inspections.stage").latest("id")
    assert event.actor_username == "bob" and event.after["stage"] == "withdrawn"
    again = _post(client, onsite.users["bob"], url, {"to": "on_site"})
    assert again.status_code == 409 and again.json()["code"] == "refused"
    history = _get(client, onsite.users["alice"], f"{url}s").json()
    assert history["items"][-1]["to_stage"] == "withdrawn"


def test_it_names_a_bad_stage_in_chinese(onsite: W, client: Any) -> None:
    url = f"/api/v1/inspections/{onsite.inspection1.pk}/stage"
    answer = _post(client, onsite.users["bob"], url, {"to": "nowhere"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "目标阶段"
    assert "目标阶段须为以下之一" in answer.json()["message"]


def test_it_reads_problems_and_the_ledger_and_takes_the_liaison_s_progress(
    feedback: W, client: Any
) -> None:
    insp = feedback.inspection1
    problems = _get(client, feedback.users["gina"], f"/api/v1/inspections/{insp.pk}/problems")
    assert [p["summary"] for p in problems.json()["items"]] == [
        "扶贫资金拨付滞后",
        "违规发放津贴补贴",
    ]
    assert (
        _get(client, feedback.users["erin"], f"/api/v1/inspections/{insp.pk}/problems").status_code
        == 403
    )
    ledger = _get(client, feedback.users["erin"], f"/api/v1/inspections/{insp.pk}/ledger").json()
    assert ledger["count"] == 2
    item = RectificationItem.objects.filter(inspection=insp).order_by("seq").first()
    assert item is not None
    url = f"/api/v1/ledger/items/{item.pk}/progress"
    body = {"text": "已拨付到位", "reported_on": "2026-11-20"}
    by_office = _post(client, feedback.users["alice"], url, body)
    assert by_office.status_code == 403
    answer = _post(client, feedback.users["erin"], url, body)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["progress"][-1]["text"] == "已拨付到位"
    event = AuditEvent.objects.filter(action__startswith="rectification.").latest("id")
    assert event.actor_username == "erin"
    future = _post(client, feedback.users["erin"], url, {**body, "reported_on": "2199-01-01"})
    assert future.status_code == 409 and "报告日期" in future.json()["message"]


def test_it_does_not_take_a_session_for_a_token(world: W, login: Any) -> None:
    client = login(world.users["alice"])
    answer = client.get("/api/v1/orgs")
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    assert client.post(f"/api/v1/inspections/{world.inspection1.pk}/stage", {}).status_code == 401


def test_it_refuses_a_lone_surrogate_before_any_database_sees_it(onsite: W, client: Any) -> None:
    _token, secret = token_create(actor=onsite.users["alice"], name="测试", scope="write", days=1)
    answer = client.post(
        f"/api/v1/inspections/{onsite.inspection1.pk}/stage",
        b'{"to": "suspended", "reason": "\\ud800"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_request" and "JSON" in answer.json()["message"]
