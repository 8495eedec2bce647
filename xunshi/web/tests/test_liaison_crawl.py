"""The liaison of an inspected organization never sees a confidential record.

A unique marker is planted in every confidential record of the inspection of 兰考县 (talks,
petitions and the petitioner's name, document requests, immediate fixes, working papers,
clues, the report's own text, a team attachment). The feedback is then given and the
liaison, erin, fills in the plan and reports progress. Signed in as erin, the test follows
every link from her pages and also tries every URL of the app with every id that exists,
reading pages and downloads (Word and Excel files are unzipped and read as text); no marker
may appear anywhere. So that the test cannot pass by reaching nothing, it also checks that
erin did read her ledger and the feedback, and that the feedback names the problems.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

import time_machine
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.files.models import Attachment
from xunshi.findings import actions as clue_actions
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.testsupport.lifecycle import decide, move_on_site

MARKERS = {
    name: f"ZZ{name.upper()}MARK7Q"
    for name in [
        "talk",
        "outline",
        "petition",
        "petitioner",
        "docs",
        "fix",
        "facts",
        "qualification",
        "responsibility",
        "clue",
        "persons",
        "report",
        "attachment",
    ]
}
PROBLEM = "扶贫项目资金拨付滞后"
HREF = re.compile(rb"""(?:href|src|action|hx-get)=["']([^"'#]+)""")
MAX_PAGES = 20_000


def _plant(world: Any) -> int:
    """Plant the markers; returns the id of the team's attachment."""
    insp = world.inspection1
    bob, carol = world.cadres["bob"], world.cadres["carol"]
    m = MARKERS
    with time_machine.travel(dt.datetime(2026, 9, 20, 10, 0), tick=False):
        move_on_site(insp)
        talk = onsite_actions.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee="县财政局局长",
            interviewee_post="局长",
            category="required",
            interviewers=[bob, carol],
            recorder=carol,
            held_at=dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC),
            place="巡视组驻地",
            outline=m["outline"],
            record=m["talk"],
        )
        onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        petition = onsite_actions.petition_create(
            actor=SYSTEM,
            inspection=insp,
            channel="letter",
            received_on=dt.date(2026, 9, 8),
            content=m["petition"],
            real_name=True,
            petitioner_name=m["petitioner"],
            petitioner_contact="13800000000",
            reported_persons="某副县长",
        )
        onsite_actions.petition_route(
            actor=SYSTEM, petition=petition, in_scope=True, routing="clue"
        )
        onsite_actions.docrequest_create(
            actor=SYSTEM,
            inspection=insp,
            documents=m["docs"],
            provider="县财政局",
            requested_on=dt.date(2026, 9, 9),
        )
        onsite_actions.fix_create(
            actor=SYSTEM,
            inspection=insp,
            issue=m["fix"],
            measure="立即整改",
            responsible_unit="县委办",
        )
        from xunshi.files.actions import attachment_store

        team_file = attachment_store(
            actor=SYSTEM,
            inspection=insp,
            upload=("evidence.txt", f"证据 {m['attachment']}".encode()),
            audience="team",
        )
        paper = papers.paper_create(
            actor=SYSTEM,
            inspection=insp,
            title=PROBLEM,
            facts=m["facts"],
            qualification=m["qualification"],
            responsibility_main=m["responsibility"],
            category=TaxonomyItem.objects.order_by("pk").first(),
        )
        papers.paper_add_evidence(actor=SYSTEM, paper=paper, kind="talk", record_obj=talk)
        papers.paper_add_evidence(
            actor=SYSTEM, paper=paper, kind="attachment", record_obj=team_file
        )
        papers.paper_submit(actor=SYSTEM, paper=paper)
        papers.paper_group_review(
            actor=SYSTEM, paper=paper, approve=True, meeting_on=dt.date(2026, 9, 15), opinion="同意"
        )
        papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
        clue_actions.problem_create(actor=SYSTEM, paper=paper)
        clue = clue_actions.clue_create(
            actor=SYSTEM,
            inspection=insp,
            source="petition",
            record=petition,
            persons=m["persons"],
            summary=m["clue"],
            recipient="discipline",
        )
        clue_actions.clue_transfer(
            actor=SYSTEM,
            clue=clue,
            transferred_on=dt.date(2026, 9, 20),
            receiving_body="省纪委监委",
            receiver="信访室",
        )
    with time_machine.travel(dt.datetime(2026, 10, 30, 10, 0), tick=False):
        decide(insp, overview=m["report"])
        inspection_transition(
            actor=SYSTEM, inspection=insp, to="feedback_given", on=dt.date(2026, 10, 30)
        )
    erin = world.users["erin"]
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0), tick=False):
        item = RectificationItem.objects.get(inspection=insp)
        rect.item_plan(
            actor=erin,
            item=item,
            measures="专项整改",
            responsible_leader="县长",
            responsible_department="县财政局",
            deadline=dt.date(2026, 12, 31),
            kind="concentrated",
        )
        rect.progress_report(
            actor=erin,
            item=item,
            text="已拨付到位",
            reported_on=dt.date(2026, 11, 10),
            files=[("拨付凭证.txt", "拨付凭证".encode())],
        )
    return team_file.pk


def _urls(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    for p in patterns:
        # The REST API (namespace api-v1) answers a session 401 everywhere; the liaison's
        # crawl with her token is xunshi/api/tests/test_liaison_api_crawl.py.
        if isinstance(p, URLResolver) and p.namespace == "api-v1":
            continue
        if isinstance(p, URLResolver):
            yield from _urls(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield p.name, list(p.pattern.converters)


def _ids() -> list[int]:
    """Every id of the records a URL of the app can name: inspections and all they hold,
    teams, rounds, organizations, cadres, attachments, taxonomies. (On PostgreSQL the ids of
    different tables rarely coincide, so every table's ids are tried on every URL.) Left out,
    as reference data that holds no case record: regions, holidays, calendar years, and the
    shipped taxonomy's items (55 rows, the same in every deployment), with which every URL
    was tried with ids 1 to 50 although the test worlds' other tables hold about a dozen rows
    each."""
    seen: set[int] = set()
    reference = ("region", "holiday", "calendaryear", "auditevent", "taxonomyitem")
    for label in ["rounds", "inspections", "rectification", "files", "registry", "deadlines"]:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name in reference:
                continue
            pks = model.objects.values_list("pk", flat=True).order_by("pk")[:50]
            seen.update(pk for pk in pks if isinstance(pk, int))
    return sorted(seen)


def _text(body: bytes) -> bytes:
    """The response as searchable bytes: Office files unzipped, their XML included."""
    if body[:2] == b"PK":
        out = [body]
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            out += [z.read(n) for n in z.namelist()]
        return b"\n".join(out)
    return body


def _crawl(client: Client, starts: list[str], more: list[str]) -> dict[str, tuple[int, bytes]]:
    """Follow every link from the starts, then try the other URLs (following their links)."""
    seen: dict[str, tuple[int, bytes]] = {}
    queue = deque(starts)
    while (queue or more) and len(seen) < MAX_PAGES:
        if not queue:
            queue.append(more.pop())
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        seen[url] = (response.status_code, _text(body))
        if response.status_code in (301, 302) and response.get("Location"):
            queue.append(urljoin(url, response["Location"]))
        if response.get("Content-Type", "").startswith("text/html"):
            for link in HREF.findall(body):
                target = urljoin(url, link.decode())
                parsed = urlparse(target)
                if parsed.netloc in ("", "testserver") and not parsed.path.startswith("/static/"):
                    queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return seen


def test_it_shows_the_liaison_nothing_confidential(world, client) -> None:  # type: ignore[no-untyped-def]
    team_file = _plant(world)
    erin = world.users["erin"]
    client.force_login(erin, backend="django.contrib.auth.backends.ModelBackend")
    ids = _ids()
    starts = ["/", reverse("ledger_home")]
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
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        seen = _crawl(client, starts, more)
    assert not more, f"the crawl stopped at {MAX_PAGES} pages with {len(more)} URLs untried"

    for url, (status, body) in seen.items():
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{name} marker on {url} ({status})"

    ok = {url for url, (status, _) in seen.items() if status == 200}
    insp = world.inspection1
    ledger = reverse("ledger", kwargs={"pk": insp.pk})
    feedback = reverse("feedback_docx", kwargs={"pk": insp.pk})
    assert ledger in ok
    assert feedback in ok
    assert PROBLEM.encode() in seen[feedback][1]
    assert PROBLEM.encode() in seen[ledger][1]
    evidence = Attachment.objects.get(audience="rectification")
    assert reverse("attachment_download", kwargs={"pk": evidence.pk}) in ok
    assert reverse("attachment_download", kwargs={"pk": team_file}) not in ok
    assert reverse("talk_list", kwargs={"pk": insp.pk}) not in ok
    assert reverse("report_docx", kwargs={"pk": insp.pk}) not in ok


def test_it_keeps_the_case_out_of_the_audit_trail(world, client) -> None:  # type: ignore[no-untyped-def]
    """The audit admin reads the trail, not the case: every change of the planted records is
    an event, and no event carries what the records say."""
    from xunshi.audit.models import AuditEvent

    _plant(world)
    events = list(AuditEvent.objects.all())
    actions = {e.action for e in events}
    assert {"inspections.paper.create", "inspections.clue.create"} <= actions
    text = "\n".join(f"{e.object_repr} {e.before} {e.after}" for e in events)
    for name, marker in MARKERS.items():
        if name == "attachment":  # a file's bytes are not text of the trail
            continue
        assert marker not in text, f"{name} marker in the audit trail"
    # Nor the problem's wording, which the liaison reads in her ledger: the paper's title, the
    # problem's summary and the ledger item's title, as a value or as an object's name.
    assert PROBLEM not in text
    aud = world.users["aud"]
    client.force_login(aud, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("audit_list")).content.decode()
    assert "inspections.paper.create" in page or "底稿" in page
    assert not any(marker in page for marker in MARKERS.values())
    assert PROBLEM not in page


def test_it_keeps_the_case_out_of_the_reminders(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    """The reminders and their digests say the kind, the unit, the date and a link: after a
    run over the planted inspection, with the clue's disposal overdue and the item red, no
    reminder, digest, desk or notification page of anybody carries a marker, though the
    planted clue and item are among what they remind of."""
    from django.core import mail

    from xunshi.desk.actions import reminders_run
    from xunshi.desk.models import Notification

    _plant(world)
    settings.EMAIL_HOST = "smtp.example"
    for user in world.users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    with time_machine.travel(dt.datetime(2027, 4, 12, 9, 0), tick=False):
        reminders_run()
        pages = []
        for user in world.users.values():
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            pages += [client.get(reverse(n)).content for n in ("desk_home", "notification_list")]
    rules = set(Notification.objects.values_list("rule", flat=True))
    assert {"clue_disposal", "items_red", "report_due"} <= rules
    texts = [f"{n.rule} {n.object_key} {n.unit} {n.link}" for n in Notification.objects.all()]
    texts += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert mail.outbox
    for name, marker in MARKERS.items():
        assert not [t for t in texts if marker in t], f"{name} marker in a reminder"
        assert not [p for p in pages if marker.encode() in p], f"{name} marker on a desk"
