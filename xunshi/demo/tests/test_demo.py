"""The demo province as a user meets it after `manage.py seed_demo` (loaded once for the
package, see conftest.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from xunshi.audit.models import AuditEvent
from xunshi.demo.province import LOGINS, PASSWORD
from xunshi.fieldwork.models import Talk
from xunshi.rectification.models import RectificationItem
from xunshi.registry.models import Cadre, CadreWork, OrgUnit, Term
from xunshi.rounds.avoidance import hits_between
from xunshi.rounds.models import Round, Stage, YearPlan
from xunshi.rounds.queries import term_coverage
from xunshi.rounds.yearplan_queries import year_plan_execution

from .conftest import slow


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@slow
@pytest.mark.django_db
def test_it_seeds_the_demo_province_once(demo: str) -> None:
    assert "演示数据已加载：中共河南省委" in demo

    lankao = OrgUnit.objects.select_related("parent").get(code="410225")
    assert lankao.body.name == "中共河南省委"
    assert lankao.name == "兰考县"
    assert lankao.parent is not None and lankao.parent.name == "开封市"
    assert "贫困县" in lankao.tags
    province = {"body__name": "中共河南省委"}
    orgs = OrgUnit.objects.filter(**province)
    counties = orgs.filter(sector="county").count()
    assert orgs.filter(code="419001", name="济源市").exists()
    assert 150 <= counties + 1 <= 160  # 156 counties and districts, and 济源
    assert orgs.filter(sector__in=["department", "people_org"]).count() >= 50
    assert orgs.filter(sector="soe").count() >= 15
    assert orgs.filter(sector="university").count() >= 40
    assert 550 <= Cadre.objects.filter(**province).count() <= 650

    special = Round.objects.get(ordinal=7)
    assert special.kind == "special"
    targets = [i.target for i in special.inspections.select_related("target")]
    assert len(targets) == 30
    assert all(t.sector == "county" and "贫困县" in t.tags for t in targets)
    assert set(special.inspections.values_list("stage", flat=True)) == {Stage.CLOSED}

    # The leading group's records: every round approved, the year's plan approved by 领导.
    assert not Round.objects.filter(decisions__isnull=True, body__name="中共河南省委").exists()
    plan = YearPlan.objects.get(body__name="中共河南省委", status="approved")
    assert plan.decisions.get().recorded_by.username == "lingdao"
    rows = year_plan_execution(plan)
    assert sum(r.planned for r in rows) >= 70
    assert sum(r.done for r in rows if r.position == 1) == sum(
        r.planned for r in rows if r.position == 1
    )

    coverage = term_coverage(Term.objects.get(body__name="中共河南省委"))
    assert 0.55 <= coverage.share < 0.7
    left = [u.org for u in coverage.uncovered if "贫困县" in u.org.tags]
    assert len(left) == 23  # the next round's natural targets

    hits = hits_between(
        list(Cadre.objects.filter(active=True, **province)),
        list(OrgUnit.objects.filter(in_scope=True, **province)),
    )
    assert len({(h.cadre_code, h.target_code) for h in hits}) >= 1000
    assert {"origin", "kin", "former_colleague", "worked_recently", "studied"} <= {
        h.rule for h in hits
    }

    events = AuditEvent.objects.count()
    assert _seed().strip() == "演示数据已存在，跳过"
    assert AuditEvent.objects.count() == events

    for username, _role, _sees in LOGINS:
        client = Client()
        request = RequestFactory().post("/accounts/login/")
        assert client.login(request=request, username=username, password=PASSWORD), username
        # No forced password change stands between a demo user and the first page.
        home = client.get("/")
        assert home.status_code in (200, 302)
        assert not home.get("Location", "").startswith("/accounts/password/"), username
        # Each lands on a desk that the demo's data does not break.
        assert client.get("/", follow=True).status_code == 200, username

    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计链完整" in out.getvalue()


@slow
@pytest.mark.django_db
def test_it_calls_a_districts_leaders_by_the_districts_words(demo: str) -> None:
    """A 区 has 区委书记 and 区长, never 县委 or 县长, wherever the demo names them."""
    districts = OrgUnit.objects.filter(sector="county", name__endswith="区")
    assert districts.exists()
    posts = CadreWork.objects.filter(org__in=districts).values_list("unit_name", "post")
    wrong = [f"{unit}{post}" for unit, post in posts if "县" in post]
    talks = Talk.objects.filter(inspection__target__in=districts)
    wrong += [
        f"{t.interviewee}（{t.interviewee_post}）" for t in talks if "县" in t.interviewee_post
    ]
    items = RectificationItem.objects.filter(inspection__target__in=districts)
    wrong += [i.responsible_leader for i in items if "县" in i.responsible_leader]
    assert wrong == []
