"""The pickers of the team page and the registry forms: a part of a name, its pinyin
initials or a code lists the matching cadres or units of what the form accepts, each with the
code the form posts; a role without the form gets 403, another body's records never show."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from xunshi.testsupport.bodies import build_linked_world


def _options(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    doc = lxml.html.fromstring("<div>" + response.content.decode() + "</div>")
    return [(b.get("data-code"), b.get("data-label")) for b in doc.xpath("//button")]


@pytest.mark.parametrize("q", ["李秀", "lxy", "c002"])
def test_the_team_s_cadre_picker_finds_a_cadre_by_name_initials_or_code(world, login, q):
    client = login(world.users["alice"])
    url = reverse("team_pick_cadre", args=[world.team1.pk])
    assert ("C002", "李秀英（C002）") in _options(client.get(url, {"q": q}))


def test_the_team_s_unit_picker_lists_the_round_s_registry(world, login):
    client = login(world.users["alice"])
    url = reverse("team_pick_unit", args=[world.team1.pk])
    assert [code for code, _ in _options(client.get(url, {"q": "lk"}))] == [world.lankao.code]
    assert _options(client.get(url, {"q": ""})) == []
    assert "没有找到“无此单位”" in client.get(url, {"q": "无此单位"}).content.decode()


def test_the_team_page_draws_the_pickers_and_the_form_still_posts_the_code(world, login):
    client = login(world.users["alice"])
    page = client.get(reverse("team_detail", args=[world.team2.pk])).content.decode()
    assert f'hx-get="{reverse("team_pick_cadre", args=[world.team2.pk])}"' in page
    assert f'hx-get="{reverse("team_pick_unit", args=[world.team2.pk])}"' in page
    assert 'name="cadre_code"' in page and 'name="org_code"' in page
    response = client.post(
        reverse("membership_add", args=[world.team2.pk]), {"cadre_code": "C004", "role": "member"}
    )
    assert response.status_code == 302
    after = client.get(reverse("team_detail", args=[world.team2.pk])).content.decode()
    assert "已将刘红梅编入第二巡视组" in after


@pytest.mark.parametrize("who", ["gina", "bob", "erin", "sam"])
def test_a_role_without_the_form_gets_403(world, login, who):
    client = login(world.users[who])
    for name in ["team_pick_cadre", "team_pick_unit"]:
        status = client.get(reverse(name, args=[world.team1.pk]), {"q": "l"}).status_code
        assert status in (403, 404)
    assert client.get(reverse("pick_org"), {"q": "l"}).status_code == 403
    assert client.get(reverse("pick_cadre"), {"q": "l"}).status_code == 403


def test_the_registry_pickers_show_only_the_own_body_s_records(world, login):
    linked = build_linked_world(world, marker="下级")
    client = login(world.users["alice"])
    orgs = _options(client.get(reverse("pick_org"), {"q": "lk"}))
    assert (world.lankao.code, f"{world.lankao.name}（{world.lankao.code}）") in orgs
    # The city's office finds its own units, never the province's 兰考县 record.
    city = login(linked.city.office)
    found = _options(city.get(reverse("pick_org"), {"q": linked.city.orgs[0].code}))
    assert [c for c, _ in found] == [linked.city.orgs[0].code]
    assert world.lankao.code not in [
        c for c, _ in _options(city.get(reverse("pick_org"), {"q": "lk"}))
    ]
    assert _options(city.get(reverse("pick_cadre"), {"q": "c002"})) == []
    page = login(world.users["alice"]).get(reverse("org_edit", args=[world.lankao.pk]))
    assert f'hx-get="{reverse("pick_org")}"' in page.content.decode()
    assert f'hx-get="{reverse("pick_cadre")}"' in page.content.decode()
