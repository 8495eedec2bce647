"""The organization list and pages, by role: office, leading group, team cadres, a liaison."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_uscc
from xunshi.registry import actions as reg
from xunshi.registry.models import OrgUnit


def _names(response: Any) -> list[str]:
    return [org.name for org, _last in response.context["rows"]]


def _registry_state() -> tuple[list[dict[str, Any]], int]:
    return list(OrgUnit.objects.order_by("pk").values()), AuditEvent.objects.count()


def _org_form(org: OrgUnit, **changes: Any) -> dict[str, Any]:
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "sector": org.sector,
        "region_code": org.region_id or "",
        "parent_code": org.parent.code if org.parent else "",
        "tags": "、".join(org.tags),
        "headcount": org.headcount or "",
        "uscc": org.uscc,
        "principal_name": org.principal_name,
        "principal_post": org.principal_post,
        "principal_code": "",
        "in_scope": "on" if org.in_scope else "",
    }
    data.update(changes)
    return data


def test_it_lists_orgs_with_their_last_inspection(world, login):
    response = login(world.users["alice"]).get(reverse("org_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(response) == ["开封市", "兰考县", "新县", "河南省财政厅", "郑州大学"]
    assert "十一届省委第一轮巡视" in html
    assert "贫困县" in html


def test_it_filters_orgs_by_sector(world, login):
    response = login(world.users["alice"]).get(reverse("org_list"), {"sector": "county"})
    assert _names(response) == ["兰考县", "新县"]


def test_it_filters_orgs_by_tag(world, login):
    client = login(world.users["alice"])
    assert _names(client.get(reverse("org_list"), {"tag": "贫困县"})) == ["兰考县", "新县"]
    assert _names(client.get(reverse("org_list"), {"tag": "国家级"})) == ["兰考县"]


def test_it_filters_orgs_by_city_through_region_and_parent(world, login):
    reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(
            code="410200-CZJ", name="开封市财政局", sector="other", parent_code="410200"
        ),
    )
    response = login(world.users["alice"]).get(reverse("org_list"), {"city": "410200"})
    assert _names(response) == ["开封市", "开封市财政局", "兰考县"]


def test_it_filters_orgs_by_scope(world, login):
    reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(
            code="U001", name="郑州大学", sector="university", region_code="410102", in_scope=False
        ),
    )
    response = login(world.users["alice"]).get(reverse("org_list"), {"in_scope": "0"})
    assert _names(response) == ["郑州大学"]


def test_it_paginates_fifty_a_page_and_keeps_the_filters(world, login):
    for n in range(60):
        reg.org_upsert(
            actor=SYSTEM,
            body=world.body,
            data=reg.OrgInput(
                code=f"T{n:03d}", name=f"兰考县第{n}乡", sector="township", parent_code="410225"
            ),
        )
    client = login(world.users["alice"])
    first = client.get(reverse("org_list"), {"sector": "township"})
    assert len(first.context["rows"]) == 50
    assert 'href="?sector=township&page=2"' in first.content.decode()
    second = client.get(reverse("org_list"), {"sector": "township", "page": 2})
    assert len(second.context["rows"]) == 10
    assert _names(second)[-1] == "兰考县第59乡"


def test_it_counts_queries_independently_of_the_page_length(world, login):
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            reg.org_upsert(
                actor=SYSTEM,
                body=world.body,
                data=reg.OrgInput(
                    code=f"T{n:03d}", name=f"乡镇{n}", sector="township", parent_code="410225"
                ),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("org_list")).status_code == 200
        return len(captured)

    client = login(world.users["alice"])
    add(0, 5)
    few = queries()
    add(5, 30)
    assert queries() == few
    # Sessions saved in the database (PostgreSQL) add their read and write; SQLite's are cached.
    assert few <= 16


def test_it_offers_new_org_only_to_office(world, login, client):
    assert "新增单位" in login(world.users["alice"]).get(reverse("org_list")).content.decode()
    client.logout()
    assert "新增单位" not in login(world.users["gina"]).get(reverse("org_list")).content.decode()


def test_it_shows_the_origin_hit_of_liu_hongmei_on_lankao_to_alice(world, login):
    response = login(world.users["alice"]).get(reverse("org_detail", args=[world.lankao.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    hong = world.cadres["hong"]
    assert f'href="{reverse("cadre_detail", args=[hong.pk])}">刘红梅</a>' in html
    assert "地域回避" in html
    assert "刘红梅的籍贯地（区划代码410225）即兰考县所在地，应当实行地域回避。" in html
    assert "开封市" in html  # the parent


def test_it_shows_a_liaison_only_her_own_org_without_cadres(world, login):
    client = login(world.users["erin"])
    response = client.get(reverse("org_detail", args=[world.lankao.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "十一届省委第一轮巡视" in html
    for secret in (
        "刘红梅",
        "王建国",
        "李秀英",
        "地域回避",
        "回避情形",
        "/registry/cadres/",
        reverse("inspection_detail", args=[world.inspection1.pk]),
    ):
        assert secret not in html
    assert client.get(reverse("org_detail", args=[world.xinxian.pk])).status_code == 404
    assert client.get(reverse("org_list")).status_code == 403


def test_it_shows_carol_her_team_target_only(world, login):
    client = login(world.users["carol"])
    response = client.get(reverse("org_detail", args=[world.lankao.pk]))
    assert response.status_code == 200
    assert reverse("inspection_detail", args=[world.inspection1.pk]) in response.content.decode()
    assert "回避情形" not in response.content.decode()
    assert client.get(reverse("org_detail", args=[world.finance.pk])).status_code == 404
    assert _names(client.get(reverse("org_list"))) == ["兰考县"]


def test_it_refuses_gina_a_write(world, login):
    client = login(world.users["gina"])
    before = _registry_state()
    response = client.post(
        reverse("org_edit", args=[world.lankao.pk]), _org_form(world.lankao, name="改名县")
    )
    assert response.status_code == 403
    assert client.post(reverse("org_create"), {"code": "X1"}).status_code == 403
    assert _registry_state() == before


def test_it_edits_an_org_with_an_audit_event(world, login):
    client = login(world.users["alice"])
    response = client.post(
        reverse("org_edit", args=[world.xinxian.pk]),
        _org_form(world.xinxian, headcount="1234", tags="贫困县、革命老区"),
    )
    assert response.status_code == 302
    world.xinxian.refresh_from_db()
    assert world.xinxian.headcount == 1234
    assert world.xinxian.tags == ["贫困县", "革命老区"]
    assert AuditEvent.objects.filter(action="registry.org.update", actor_username="alice").exists()


def test_it_shows_a_bad_uscc_in_chinese_and_saves_nothing(world, login):
    client = login(world.users["alice"])
    before = _registry_state()
    bad = make_uscc("11410225MB0000000")[:-1] + "0"
    response = client.post(
        reverse("org_edit", args=[world.lankao.pk]), _org_form(world.lankao, uscc=bad)
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验码不正确，请核对" in response.content.decode()
    assert _registry_state() == before


def test_it_shows_an_unknown_region_in_chinese_and_saves_nothing(world, login):
    client = login(world.users["alice"])
    before = _registry_state()
    response = client.post(
        reverse("org_edit", args=[world.lankao.pk]),
        _org_form(world.lankao, region_code="419999", name="兰考县（改）"),
    )
    assert response.status_code == 200
    assert "行政区划代码“419999”不存在。" in response.content.decode()
    assert _registry_state() == before


def test_it_refuses_a_parent_loop(world, login):
    client = login(world.users["alice"])
    before = _registry_state()
    response = client.post(
        reverse("org_edit", args=[world.kaifeng.pk]), _org_form(world.kaifeng, parent_code="410225")
    )
    assert "上级单位不能是本单位或其下属单位。" in response.content.decode()
    assert _registry_state() == before


def test_it_creates_an_org(world, login):
    response = login(world.users["alice"]).post(
        reverse("org_create"),
        {
            "code": "411500",
            "name": "信阳市",
            "sector": "city",
            "region_code": "411500",
            "tags": "",
            "in_scope": "on",
        },
    )
    org = OrgUnit.objects.get(code="411500")
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=[org.pk])
    assert org.body == world.body
    assert AuditEvent.objects.filter(action="registry.org.create", object_id=str(org.pk)).exists()


def test_it_refuses_to_create_over_an_existing_code(world, login):
    client = login(world.users["alice"])
    before = _registry_state()
    response = client.post(
        reverse("org_create"), {"code": "410225", "name": "冒名县", "sector": "county"}
    )
    assert response.status_code == 200
    assert "单位编码“410225”已被使用。" in response.content.decode()
    assert _registry_state() == before


def test_it_files_a_new_organization_only_in_the_office_s_own_body(world, login):
    other = reg.body_create(
        actor=SYSTEM, name="中共开封市委", level="city", region_code="410200", parent=world.body
    )
    client = login(world.users["alice"])
    assert "派出巡视的党组织" not in client.get(reverse("org_create")).content.decode()
    client.post(
        reverse("org_create"),
        {"code": "K001", "name": "开封市教育局", "sector": "other", "body": other.pk},
    )
    assert OrgUnit.objects.get(code="K001").body == world.body


@pytest.mark.parametrize("who", ["sam", "sue", "aud"])
def test_it_refuses_the_admins_every_registry_page(world, login, who):
    client = login(world.users[who])
    cadre = world.cadres["wei"]
    pages = [
        reverse("org_list"),
        reverse("org_detail", args=[world.lankao.pk]),
        reverse("cadre_list"),
        reverse("cadre_detail", args=[cadre.pk]),
    ]
    forms = [
        reverse("org_create"),
        reverse("org_edit", args=[world.lankao.pk]),
        reverse("cadre_edit", args=[cadre.pk]),
    ]
    for url in pages + forms:
        assert client.get(url).status_code == 403, url
    for url in [*forms, reverse("waiver_create")]:
        assert client.post(url, {}).status_code == 403, url


def test_it_answers_a_post_to_a_read_page_with_405(world, login):
    client = login(world.users["alice"])
    assert client.post(reverse("org_list")).status_code == 405
    assert client.post(reverse("cadre_detail", args=[world.cadres["wei"].pk])).status_code == 405


def test_it_refuses_a_bad_credit_code_in_the_action_too(world):
    import pytest
    from django.core.exceptions import ValidationError

    from xunshi.registry import actions

    with pytest.raises(ValidationError, match="统一社会信用代码"):
        actions.org_upsert(
            actor=world.users["alice"],
            body=world.body,
            data=actions.OrgInput(code="X9", name="某单位", sector="other", uscc="123"),
        )
    assert not OrgUnit.objects.filter(code="X9").exists()
