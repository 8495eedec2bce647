"""No body reads another body's case records: the crawl of the liaison test, by body.

The test world's body becomes a county, 兰考县委 (county A), under a city, 开封市委, under the
province; a sibling county, 杞县县委 (county B), has an office of its own. The markers of the
liaison crawl are planted in every case record of A's inspection of 兰考县 and the inspection
is taken to the feedback. Signed in as B's office, the city's office, the province's office and
A's liaison, the test follows every link and tries every URL of the app with every id that
exists: no marker ever appears. So that it cannot pass by reaching nothing, each of them must
also have read pages of its own (B its own round, the city and the province their own
registries), the city must have read the summaries A reported up (its report and feedback
filings), and A's own office, crawled the same way, does see the markers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import get_resolver, reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.oversight.models import Filing
from xunshi.registry import actions as reg
from xunshi.registry.models import InspectingBody
from xunshi.rounds import actions as rnd
from xunshi.users import actions as accounts

from .test_liaison_crawl import MARKERS, _crawl, _ids, _plant, _urls


def _office(username: str, body: InspectingBody, role: str = Role.OFFICE) -> User:
    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        full_name=username,
        password="Tq7#vK2p!Lm9x",
        must_change_password=False,
    )
    return accounts.user_grant_role(actor=SYSTEM, user=user, role=role, body=body)


def _bodies(world: Any) -> dict[str, Any]:
    """Turn the world's body into county A under a city under a province; add county B."""
    province = reg.body_create(
        actor=SYSTEM, name="中共河南省委（上级）", level="province", region_code="410000"
    )
    city = reg.body_create(
        actor=SYSTEM, name="中共开封市委", level="city", region_code="410200", parent=province
    )
    county_b = reg.body_create(
        actor=SYSTEM, name="中共杞县县委", level="county", region_code="410221", parent=city
    )
    a = world.body
    InspectingBody.objects.filter(pk=a.pk).update(
        name="中共兰考县委", level="county", region_code="410225", abbreviation="兰", parent=city
    )
    term_b = reg.term_create(
        actor=SYSTEM,
        body=county_b,
        name="十四届县委",
        start=dt.date(2021, 9, 1),
        end=dt.date(2026, 8, 31),
    )
    round_b = rnd.round_create(
        actor=SYSTEM,
        body=county_b,
        term=term_b,
        ordinal=1,
        name="杞县县委第一轮巡察",
        kind="regular",
        sector_mode="mixed",
    )
    reg.org_upsert(
        actor=SYSTEM,
        body=province,
        data=reg.OrgInput(code="P001", name="省直机关工委", sector="department"),
    )
    reg.org_upsert(
        actor=SYSTEM,
        body=city,
        data=reg.OrgInput(code="K001", name="开封市教育局", sector="department"),
    )
    return {
        "round_b": round_b,
        "users": {
            "county_b": _office("qixian", county_b),
            "city": _office("kaifeng", city),
            "city_lead": _office("kaifeng_ld", city, Role.LEADING_GROUP),
            "province": _office("henan", province),
            "liaison_a": world.users["erin"],
        },
    }


def _all_urls() -> list[str]:
    ids = _ids()
    more: list[str] = []
    for name, converters in _urls(get_resolver().url_patterns):
        if name in ("logout", "set_language"):
            continue
        if not converters:
            try:
                more.append(reverse(name))
            except Exception:  # noqa: S112 (patterns with non-id arguments are tried below)
                continue
        elif converters == ["pk"]:
            more += [reverse(name, kwargs={"pk": i}) for i in ids]
    return more


def _crawl_as(client: Client, user: User) -> dict[str, tuple[int, bytes]]:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    more = _all_urls()
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        seen = _crawl(client, ["/"], more)
    assert not more, "the crawl stopped before trying every URL"
    client.logout()
    return seen


def _leaks(seen: dict[str, tuple[int, bytes]]) -> list[str]:
    return [
        f"{name} marker on {url} ({status})"
        for url, (status, body) in seen.items()
        for name, marker in MARKERS.items()
        if marker.encode() in body
    ]


# One test per reader, so that the two workers of `make test` share the crawls.
@pytest.mark.parametrize("who", ["county_b", "city", "city_lead", "province", "liaison_a"])
def test_no_other_body_reads_a_county_s_case_records(world, client, who) -> None:  # type: ignore[no-untyped-def]
    linked = _bodies(world)
    _plant(world)
    insp = world.inspection1
    case_pages = [
        reverse("inspection_detail", kwargs={"pk": insp.pk}),
        reverse("talk_list", kwargs={"pk": insp.pk}),
        reverse("petition_list", kwargs={"pk": insp.pk}),
        reverse("paper_list", kwargs={"pk": insp.pk}),
        reverse("report_docx", kwargs={"pk": insp.pk}),
    ]
    user = linked["users"][who]
    seen = _crawl_as(client, user)
    assert _leaks(seen) == [], who
    ok = {url for url, (status, _) in seen.items() if status == 200}
    assert not ok & set(case_pages), who
    if who == "county_b":
        assert reverse("round_detail", kwargs={"pk": linked["round_b"].pk}) in ok
        assert b"\xe6\x9d\x9e\xe5\x8e\xbf" in seen[reverse("round_list")][1]  # 杞县
    if who in ("city", "city_lead"):
        # The summaries county A reported up are what the city reads of A's work.
        filings = Filing.objects.filter(from_body=world.body)
        assert {f.kind for f in filings} >= {"report", "feedback"}, who
        for filing in filings:
            assert reverse("oversight_filing", kwargs={"pk": filing.pk}) in ok, who
        assert reverse("oversight_body", kwargs={"pk": world.body.pk}) in ok, who
    if who in ("city", "province"):
        org_list = seen[reverse("org_list")]
        assert org_list[0] == 200
        own = "开封市教育局" if who == "city" else "省直机关工委"
        assert own.encode() in org_list[1]
        assert "兰考县".encode() not in org_list[1]
    elif who == "liaison_a":
        assert reverse("ledger", kwargs={"pk": insp.pk}) in ok


def test_the_county_s_own_office_does_read_them(world, client) -> None:  # type: ignore[no-untyped-def]
    """The control: the same crawl as A's own office finds the markers, so the crawl reaches
    the records when the scope allows it."""
    _bodies(world)
    _plant(world)
    seen = _crawl_as(client, world.users["alice"])
    found = {line.split(" marker")[0] for line in _leaks(seen)}
    assert {"talk", "petition", "facts", "clue"} <= found
