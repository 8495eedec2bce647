"""The cadre pool pages and avoidance waivers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.registry.models import AvoidanceWaiver, Cadre
from xunshi.registry.sealing import reveal_id_number


def _cadre_form(cadre: Cadre, **changes: Any) -> dict[str, Any]:
    data = {
        "name": cadre.name,
        "rank": cadre.rank,
        "unit_code": cadre.unit.code if cadre.unit else "",
        "unit_name": cadre.unit_name,
        "post": cadre.post,
        "skills": "、".join(cadre.skills),
        "can_lead": "on" if cadre.can_lead else "",
        "origin_code": cadre.origin_id or "",
        "active": "on" if cadre.active else "",
    }
    data.update(changes)
    return data


def _waive(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "cadre": world.cadres["wei"].pk,
        "target": world.finance.pk,
        "rule": "kin",
        "reason": "该同志配偶已于2026年8月调离",
        "approver": "省委巡视办主任",
    }
    data.update(changes)
    return data


def test_it_lists_the_pool(world, login):
    response = login(world.users["alice"]).get(reverse("cadre_list"))
    assert response.status_code == 200
    assert [c.name for c in response.context["page"]] == [
        "王建国",
        "李秀英",
        "张志强",
        "刘红梅",
        "陈伟",
    ]


def test_it_filters_the_pool_by_skill_and_can_lead(world, login):
    client = login(world.users["alice"])
    assert [
        c.name for c in client.get(reverse("cadre_list"), {"skill": "财务审计"}).context["page"]
    ] == ["李秀英"]
    assert [
        c.name for c in client.get(reverse("cadre_list"), {"can_lead": "1"}).context["page"]
    ] == ["王建国", "张志强"]


def test_it_shows_carol_only_her_teammates(world, login):
    client = login(world.users["carol"])
    assert [c.name for c in client.get(reverse("cadre_list")).context["page"]] == [
        "王建国",
        "李秀英",
    ]
    assert client.get(reverse("cadre_detail", args=[world.cadres["bob"].pk])).status_code == 200
    assert client.get(reverse("cadre_detail", args=[world.cadres["wei"].pk])).status_code == 404


def test_it_refuses_a_liaison_the_pool(world, login):
    client = login(world.users["erin"])
    assert client.get(reverse("cadre_list")).status_code == 403
    assert client.get(reverse("cadre_detail", args=[world.cadres["hong"].pk])).status_code == 403


def test_it_shows_the_id_number_masked_never_in_full(world, login):
    hong = world.cadres["hong"]
    full = reveal_id_number(hong.id_number_sealed)
    response = login(world.users["alice"]).get(reverse("cadre_detail", args=[hong.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert hong.id_number_masked in html
    assert hong.id_number_masked == full[:6] + "********" + full[14:]
    assert full not in html
    assert full[6:14] not in html


def test_it_shows_the_histories_and_the_hits_of_liu_hongmei(world, login):
    hong = world.cadres["hong"]
    html = login(world.users["alice"]).get(reverse("cadre_detail", args=[hong.pk])).content.decode()
    assert "郑州大学" in html and "本科" in html
    assert "地域回避" in html and "学习经历" in html
    assert f'href="{reverse("org_detail", args=[world.lankao.pk])}">兰考县</a>' in html


def test_it_shows_the_kin_hit_of_chen_wei_on_the_finance_department(world, login):
    wei = world.cadres["wei"]
    html = login(world.users["alice"]).get(reverse("cadre_detail", args=[wei.pk])).content.decode()
    assert "配偶" in html and "周丽" in html
    assert "亲属关系" in html
    assert "陈伟的配偶周丽在河南省财政厅工作，应当回避。" in html
    assert 'class="hit waived"' not in html
    assert reverse("waiver_create") in html


def test_it_waives_a_hit_which_then_shows_as_waived(world, login):
    client = login(world.users["alice"])
    response = client.post(reverse("waiver_create"), _waive(world))
    wei = world.cadres["wei"]
    assert response.status_code == 302
    assert response["Location"] == reverse("cadre_detail", args=[wei.pk])
    html = client.get(response["Location"]).content.decode()
    assert 'class="hit waived"' in html
    assert "该同志配偶已于2026年8月调离" in html
    assert AuditEvent.objects.filter(
        action="registry.waiver.create", actor_username="alice"
    ).exists()
    again = client.post(reverse("waiver_create"), _waive(world))
    assert again.status_code == 302
    assert AvoidanceWaiver.objects.count() == 1


def test_it_refuses_a_waiver_of_no_hit(world, login):
    client = login(world.users["alice"])
    response = client.post(reverse("waiver_create"), _waive(world, rule="origin"), follow=True)
    assert "该回避情形不存在或已经豁免。" in response.content.decode()
    assert not AvoidanceWaiver.objects.exists()


def test_it_refuses_a_waiver_without_reason(world, login):
    client = login(world.users["alice"])
    response = client.post(reverse("waiver_create"), _waive(world, reason=""), follow=True)
    assert "豁免回避须写明理由和批准人。" in response.content.decode()
    assert not AvoidanceWaiver.objects.exists()


def test_it_refuses_waivers_to_all_but_the_office(world, login, client):
    for who in ("gina", "carol", "bob", "erin"):
        assert (
            login(world.users[who]).post(reverse("waiver_create"), _waive(world)).status_code == 403
        ), who
        client.logout()
    assert not AvoidanceWaiver.objects.exists()
    html = (
        login(world.users["gina"])
        .get(reverse("cadre_detail", args=[world.cadres["wei"].pk]))
        .content.decode()
    )
    assert "亲属关系" in html
    assert reverse("waiver_create") not in html


def test_it_edits_basic_fields_keeping_histories_and_the_id_number(world, login):
    hong = world.cadres["hong"]
    sealed = hong.id_number_sealed
    response = login(world.users["alice"]).post(
        reverse("cadre_edit", args=[hong.pk]),
        _cadre_form(hong, rank="正处级", post="处长", skills="财务审计、纪检监察", can_lead="on"),
    )
    assert response.status_code == 302
    hong.refresh_from_db()
    assert (hong.rank, hong.post, hong.can_lead) == ("正处级", "处长", True)
    assert hong.skills == ["财务审计", "纪检监察"]
    assert hong.id_number_sealed == sealed
    assert [s.school_name for s in hong.study.all()] == ["郑州大学"]
    assert AuditEvent.objects.filter(
        action="registry.cadre.update", actor_username="alice"
    ).exists()


def test_it_shows_an_unknown_origin_in_chinese_and_saves_nothing(world, login):
    hong = world.cadres["hong"]
    client = login(world.users["alice"])
    count = AuditEvent.objects.count()
    response = client.post(
        reverse("cadre_edit", args=[hong.pk]), _cadre_form(hong, origin_code="419999", rank="X")
    )
    assert response.status_code == 200
    assert "行政区划代码“419999”不存在。" in response.content.decode()
    hong.refresh_from_db()
    assert hong.rank == "副处级"
    assert AuditEvent.objects.count() == count


def test_it_refuses_gina_the_cadre_editor(world, login):
    wei = world.cadres["wei"]
    client = login(world.users["gina"])
    assert client.get(reverse("cadre_edit", args=[wei.pk])).status_code == 403
    assert (
        client.post(
            reverse("cadre_edit", args=[wei.pk]), _cadre_form(wei, rank="正厅级")
        ).status_code
        == 403
    )
    wei.refresh_from_db()
    assert wei.rank == "正处级"
