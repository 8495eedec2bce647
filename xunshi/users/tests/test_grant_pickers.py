"""The grant form's pickers: a part of a name, its pinyin initials or a code lists the cadres
(for 巡视组干部) or the units (for a liaison) the form accepts, each with the code it posts;
only the security admin, who grants roles, may search."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from xunshi.accounts.models import Role


def _options(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    doc = lxml.html.fromstring("<div>" + response.content.decode() + "</div>")
    return [(b.get("data-code"), b.get("data-label")) for b in doc.xpath("//button")]


@pytest.mark.parametrize("q", ["红梅", "lhm", "c004"])
def test_the_cadre_picker_finds_a_cadre_by_name_initials_or_code(world, login, q):
    client = login(world.users["sue"])
    assert ("C004", "刘红梅（C004）") in _options(client.get(reverse("user_pick_cadre"), {"q": q}))


def test_the_unit_picker_finds_a_unit_and_nothing_for_an_empty_search(world, login):
    client = login(world.users["sue"])
    url = reverse("user_pick_org")
    assert ("410225", "兰考县（410225）") in _options(client.get(url, {"q": "兰考"}))
    assert _options(client.get(url, {"q": ""})) == []
    assert "没有找到“无此单位”" in client.get(url, {"q": "无此单位"}).content.decode()


@pytest.mark.parametrize("who", ["sam", "aud", "alice", "bob", "erin"])
def test_nobody_but_the_security_admin_searches(world, login, who):
    client = login(world.users[who])
    for name in ["user_pick_cadre", "user_pick_org"]:
        assert client.get(reverse(name), {"q": "l"}).status_code == 403


def test_the_grant_form_draws_the_pickers_and_still_posts_the_code(world, login):
    client = login(world.users["sue"])
    gina = world.users["gina"]
    page = client.get(reverse("user_grant", args=[gina.pk])).content.decode()
    assert f'hx-get="{reverse("user_pick_cadre")}"' in page
    assert f'hx-get="{reverse("user_pick_org")}"' in page
    response = client.post(
        reverse("user_grant", args=[gina.pk]), {"role": "liaison", "org_code": "411523"}
    )
    assert response.status_code == 302
    gina.refresh_from_db()
    assert gina.role == Role.LIAISON and gina.org == world.xinxian
