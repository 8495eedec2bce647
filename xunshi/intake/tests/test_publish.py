"""Publishing to the real portal: the announcements taking petitions and the disclosures."""

from __future__ import annotations

import datetime as dt

import time_machine

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.intake.actions import portal_publish
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import Disclosure

from .conftest import needs_portal

pytestmark = needs_portal


def _disclose(world):  # type: ignore[no-untyped-def]
    """兰考县 from the feedback to the disclosure, through the ledger's actions."""
    erin, insp = world.users["erin"], world.inspection1
    when = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        items = list(insp.rectification_items.all())
        for item in items:
            rect.item_plan(
                actor=erin,
                item=item,
                measures="逐笔核查。",
                responsible_leader="县长 李明",
                responsible_department="县财政局",
                deadline=dt.date(2026, 12, 31),
                kind="concentrated",
            )
        inspection_transition(actor=erin, inspection=insp, to="rectifying")
        for item in items:
            rect.progress_report(
                actor=erin, item=item, text="已拨付到位。", reported_on=dt.date(2026, 11, 9)
            )
        inspection_transition(actor=erin, inspection=insp, to="rectification_reported")
        inspection_transition(actor=world.users["alice"], inspection=insp, to="disclosed")
    return Disclosure.objects.get(inspection=insp)


def test_it_publishes_the_disclosure_and_audits_only_a_change(feedback, portal):
    disclosure = _disclose(feedback)
    result = portal_publish(actor=SYSTEM)
    assert (result.disclosures, result.announcements, result.error) == (1, 0, "")
    page = portal.get("/disclosures/")
    assert "兰考县" in page and disclosure.text.splitlines()[0][:30] in page
    assert portal_publish(actor=SYSTEM).disclosures == 1
    assert AuditEvent.objects.filter(action="intake.publish").count() == 1


def test_it_publishes_an_announcement_with_its_contacts(announced, portal):
    assert not portal_publish(actor=SYSTEM).error
    token = announced.announcement.token
    page = portal.get(f"/a/{token}/")
    assert "兰考县邮政信箱1号" in page and "0371-12345678" in page
    announced.announcement.refresh_from_db()
    assert announced.announcement.published_at is not None
