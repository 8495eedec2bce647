"""Every rounds page against every role: 403 for a function the role lacks, 404 for an object
outside its scope, 403 for a read-only user's write. The data must not change on a refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xunshi.audit.models import AuditEvent

GET_PAGES = {
    "coverage": lambda w: (),
    "round_list": lambda w: (),
    "round_create": lambda w: (),
    "round_detail": lambda w: (w.round.pk,),
    "team_detail": lambda w: (w.team1.pk,),
    "inspection_detail": lambda w: (w.inspection1.pk,),
}
POSTS = {
    "round_create": lambda w: (),
    "team_create": lambda w: (w.round.pk,),
    "membership_add": lambda w: (w.team1.pk,),
    "inspection_create": lambda w: (w.team1.pk,),
    "branch_establish": lambda w: (w.team2.pk,),
    "pledge_sign": lambda w: (w.team1.memberships.get(cadre__code="C002").pk,),
}
# The expected status of each GET page, by user.
EXPECTED_GET = {
    "alice": {
        "coverage": 200,
        "round_list": 200,
        "round_create": 200,
        "round_detail": 200,
        "team_detail": 200,
        "inspection_detail": 200,
    },
    "gina": {
        "coverage": 200,
        "round_list": 200,
        "round_create": 403,
        "round_detail": 200,
        "team_detail": 200,
        "inspection_detail": 200,
    },
    "bob": {
        "coverage": 403,
        "round_list": 200,
        "round_create": 403,
        "round_detail": 200,
        "team_detail": 200,
        "inspection_detail": 200,
    },
    "carol": {
        "coverage": 403,
        "round_list": 200,
        "round_create": 403,
        "round_detail": 200,
        "team_detail": 200,
        "inspection_detail": 200,
    },
    "dave": {
        "coverage": 403,
        "round_list": 200,
        "round_create": 403,
        "round_detail": 200,
        "team_detail": 404,
        "inspection_detail": 404,
    },
}
OUTSIDERS = ["erin", "sam", "sue", "aud"]


@pytest.mark.parametrize("who", sorted(EXPECTED_GET))
def test_it_gives_each_case_role_its_pages(world, login, who):
    client = login(world.users[who])
    got = {
        name: client.get(reverse(name, args=args(world))).status_code
        for name, args in GET_PAGES.items()
    }
    assert got == EXPECTED_GET[who]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_forbids_the_liaison_and_the_three_admins_every_rounds_page(world, login, who):
    client = login(world.users[who])
    before = AuditEvent.objects.count()
    for name, args in GET_PAGES.items():
        assert client.get(reverse(name, args=args(world))).status_code == 403, name
    for name, args in POSTS.items():
        assert client.post(reverse(name, args=args(world)), {}).status_code == 403, name
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["gina", "bob", "carol", "dave"])
def test_it_refuses_every_office_write_to_the_others(world, login, who):
    client = login(world.users[who])
    before = AuditEvent.objects.count()
    for name, args in POSTS.items():
        if name == "pledge_sign":
            continue
        status = client.post(reverse(name, args=args(world)), {}).status_code
        # A team cadre learns nothing about another team, not even that it exists.
        outside = name in (
            {"branch_establish"}
            if who in {"bob", "carol"}
            else {"membership_add", "inspection_create"}
            if who == "dave"
            else set()
        )
        assert status == (404 if outside else 403), name
    assert AuditEvent.objects.count() == before


def test_it_sends_a_stranger_to_the_login_page(world, client):
    for name, args in GET_PAGES.items():
        response = client.get(reverse(name, args=args(world)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_a_get_on_a_write(world, login):
    client = login(world.users["alice"])
    assert client.get(reverse("team_create", args=[world.round.pk])).status_code == 405
