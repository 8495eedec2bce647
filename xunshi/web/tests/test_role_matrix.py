"""Every role against every URL and method, compared with the table kept in role_matrix.tsv.

Each URL with an object in it is tried on an object inside the user's scope ("own": team 1's
target 兰考县, its members, erin's organization) and one outside it ("other": 新县, team 2 …).
A URL missing from the table, or from OBJECTS below, fails the test. After a deliberate
change of the rules, regenerate the table with XUNSHI_WRITE_MATRIX=1 and review the diff.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

TABLE = Path(__file__).with_name("role_matrix.tsv")
ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud", "anon"]
METHODS = ["GET", "POST"]
# The REST API answers tokens, never sessions (a signed-in browser gets 401 everywhere there);
# its role × scope answers are xunshi/api/tests (test_api.py, and schemathesis per token).
SKIP_PREFIXES = ("i18n/", "api/v1/")

W = Any


def _rec(w: W, related: str, which: int) -> int:
    """The id of the first record of that kind in inspection 1 (own) or 2 (other)."""
    insp = w.inspection1 if which == 1 else w.inspection2
    obj = getattr(insp, related).order_by("pk").first()
    assert obj is not None, f"the matrix world has no {related} in inspection {which}"
    return int(obj.pk)


def _submission() -> int:
    from xunshi.intake.models import PortalSubmission

    unrouted = PortalSubmission.objects.filter(routed=False).order_by("pk")
    return int(unrouted.values_list("pk", flat=True)[0])


def _first_taxonomy() -> int:
    from xunshi.fieldwork.models import Taxonomy

    return int(Taxonomy.objects.order_by("pk").values_list("pk", flat=True)[0])


def _records(related: str, names: list[str]) -> dict[str, dict[str, Callable[[W], dict[str, Any]]]]:
    return {
        name: {
            "own": lambda w: {"pk": _rec(w, related, 1)},
            "other": lambda w: {"pk": _rec(w, related, 2)},
        }
        for name in names
    }


# url name → {scope: function(world) → kwargs}
OBJECTS: dict[str, dict[str, Callable[[W], dict[str, Any]]]] = {
    "org_detail": {"own": lambda w: {"pk": w.lankao.pk}, "other": lambda w: {"pk": w.xinxian.pk}},
    "org_edit": {"own": lambda w: {"pk": w.lankao.pk}, "other": lambda w: {"pk": w.xinxian.pk}},
    "cadre_detail": {
        "own": lambda w: {"pk": w.cadres["carol"].pk},
        "other": lambda w: {"pk": w.cadres["hong"].pk},
    },
    "cadre_edit": {
        "own": lambda w: {"pk": w.cadres["carol"].pk},
        "other": lambda w: {"pk": w.cadres["hong"].pk},
    },
    "round_detail": {"own": lambda w: {"pk": w.round.pk}},
    "round_record_decision": {"own": lambda w: {"pk": w.round.pk}},
    "round_link": {"own": lambda w: {"pk": w.round.pk}},
    "round_linked": {"own": lambda w: {"pk": w.round.pk}},
    "team_create": {"own": lambda w: {"pk": w.round.pk}},
    "team_detail": {"own": lambda w: {"pk": w.team1.pk}, "other": lambda w: {"pk": w.team2.pk}},
    "membership_add": {"own": lambda w: {"pk": w.team1.pk}, "other": lambda w: {"pk": w.team2.pk}},
    "team_pick_cadre": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "team_pick_unit": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "inspection_create": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "branch_establish": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "inspection_detail": {
        "own": lambda w: {"pk": w.inspection1.pk},
        "other": lambda w: {"pk": w.inspection2.pk},
    },
    "pledge_sign": {
        "own": lambda w: {"pk": w.team1.memberships.get(cadre__code="C002").pk},
        "other": lambda w: {"pk": w.team2.memberships.get(cadre__code="C003").pk},
    },
    **{
        name: {
            "own": lambda w: {"pk": w.inspection1.pk},
            "other": lambda w: {"pk": w.inspection2.pk},
        }
        for name in [
            "inspection_workspace",
            "inspection_stage",
            "talk_list",
            "talk_create",
            "petition_list",
            "petition_create",
            "docrequest_list",
            "docrequest_create",
            "fix_list",
            "fix_create",
            "paper_list",
            "paper_create",
            "problem_list",
            "clue_list",
            "clue_create",
            "report_page",
            "report_text_save",
            "report_docx",
            "feedback_docx",
            "notice_docx",
            "ledger",
            "rect_report_docx",
            "notice_issue",
            "lookback_create",
            "disclosure_page",
            "announcement_save",
        ]
    },
    "submission_route": {"-": lambda w: {"pk": _submission()}},
    "submission_file": {"-": lambda w: {"pk": _submission(), "n": 1}},
    **{
        name: {"own": lambda w: {"pk": _rec(w, "talks", 1)}}
        for name in ["talk_detail", "talk_update", "talk_sign_off"]
    },
    **_records("petitions", ["petition_detail", "petition_route", "petition_reply"]),
    **_records(
        "document_requests", ["docrequest_handover", "docrequest_return", "docrequest_slip"]
    ),
    **_records("immediate_fixes", ["fix_done"]),
    **_records(
        "working_papers",
        [
            "paper_detail",
            "paper_update",
            "paper_evidence_add",
            "paper_submit",
            "paper_group_review",
            "paper_leader_review",
            "problem_create",
        ],
    ),
    **_records("clues", ["clue_detail", "clue_transfer", "clue_dispose"]),
    **_records(
        "rectification_items",
        ["item_forms", "item_plan", "progress_report", "item_claim", "item_verify"],
    ),
    **_records("attachments", ["attachment_download"]),
    "taxonomy_new_version": {"-": lambda w: {"pk": _first_taxonomy()}},
    "notice_docx_download": {"own": lambda w: {"pk": _rec(w, "supervision_notices", 1)}},
    "user_toggle": {"-": lambda w: {"pk": w.users["gina"].pk}},
    "user_grant": {"-": lambda w: {"pk": w.users["gina"].pk}},
    # The security admin resets another account's second factor, never her own.
    "otp_reset": {
        "own": lambda w: {"pk": w.users["alice"].pk},
        "other": lambda w: {"pk": w.users["sue"].pk},
    },
    "admin_request_create": {"-": lambda w: {"pk": w.users["aud"].pk}},
    **{
        name: {"-": lambda w: {"pk": _admin_request(w)}}
        for name in ["admin_request_approve", "admin_request_refuse"]
    },
    **{
        name: {"-": lambda w: {"pk": w.team1.pk}}
        for name in ["team_accounts", "team_accounts_create", "team_grants_confirm"]
    },
    "import_template": {"-": lambda w: {"kind": "orgs"}},
    "doctemplate_upload": {"-": lambda w: {"kind": "supervision_notice"}},
    "doctemplate_restore": {"-": lambda w: {"kind": "supervision_notice", "version": 1}},
    "doctemplate_preview": {"-": lambda w: {"kind": "supervision_notice", "version": 1}},
    "export": {"-": lambda w: {"kind": "orgs"}},
    "dashboard_export": {"-": lambda w: {"key": "coverage"}},
    "audit_verification": {"-": lambda w: {"pk": _verification(w).pk}},
    "export_job": {"-": lambda w: {"pk": _export(w).pk}},
    "export_job_progress": {"-": lambda w: {"pk": _export(w).pk}},
    "export_download": {"-": lambda w: {"pk": _export(w).pk}},
    "import_job": {"-": lambda w: {"pk": _job(w).pk}},
    "pdf_request": {
        "own": lambda w: {"kind": "findings.feedback", "pk": w.inspection1.pk},
        "other": lambda w: {"kind": "findings.feedback", "pk": w.inspection2.pk},
    },
    **{
        name: {"-": lambda w: {"pk": _pdf(w).pk}}
        for name in ["pdf_job", "pdf_job_progress", "pdf_download"]
    },
    "import_job_progress": {"-": lambda w: {"pk": _job(w).pk}},
    "round_plan": {"own": lambda w: {"pk": w.round.pk}},
    "round_schedule": {"own": lambda w: {"pk": _village_round(w).pk}},
    **{
        name: {"-": lambda w: {"pk": _plan(w).pk}}
        for name in [
            "plan_job",
            "plan_job_progress",
            "plan_job_stop",
            "plan_check",
            "plan_accept",
            "plan_export_xlsx",
            "plan_export_docx",
        ]
    },
    # oversight: "own" is a body below alice's (开封市委), "other" her own body, not below it.
    **{
        name: {
            "own": lambda w: {"pk": _plan_filing(w).from_body_id},
            "other": lambda w: {"pk": w.body.pk},
        }
        for name in ["oversight_body", "point_create"]
    },
    **{
        name: {"own": lambda w: {"pk": _plan_filing(w).pk}}
        for name in ["oversight_filing", "filing_return", "filing_accept"]
    },
    "filing_refile": {"own": lambda w: {"pk": w.round.pk}},
    # api: one of alice's API tokens
    "api_token_revoke": {"own": lambda w: {"pk": _api_token(w)}},
    # desk: one of alice's reminders (every other person's is 404 to her, and hers to them)
    "notification_open": {"own": lambda w: {"pk": _notification(w)}},
    # decisions: the leading group's records, and the year plan of the own body
    "round_approve": {"own": lambda w: {"pk": w.round.pk}},
    "inspection_decide": {
        "own": lambda w: {"pk": w.inspection1.pk},
        "other": lambda w: {"pk": w.inspection2.pk},
    },
    "pledge_paper": {"own": lambda w: {"pk": w.team1.memberships.get(cadre__code="C002").pk}},
    **{
        name: {"own": lambda w: {"pk": _year_plan(w).pk}}
        for name in [
            "year_plan_detail",
            "year_plan_round_save",
            "year_plan_revise",
            "year_plan_execution",
            "year_plan_approve",
        ]
    },
    **{
        name: {"own": lambda w: {"pk": _year_plan(w).rounds.get().pk}}
        for name in ["year_plan_round_remove", "year_plan_link"]
    },
    # knowledge: "own" the world's body's own record, "public" a shipped public regulation
    **{
        name: {
            "own": lambda w: {"pk": _knowledge(w, "regulation")},
            "public": lambda w: {"pk": _public_regulation()},
        }
        for name in ["regulation_detail", "regulation_edit", "regulation_import"]
    },
    **{
        name: {"own": lambda w: {"pk": _knowledge(w, "case")}}
        for name in ["case_detail", "case_edit"]
    },
    "statement_edit": {"own": lambda w: {"pk": _knowledge(w, "statement")}},
}


# Two scopes of issue 12 (access from the record): "closed", a round-6 inspection of team 1's
# cadres closed two years ago, past every grace (the office alone reads its case records, the
# leading group what it read before); "portal", the photo a citizen sent with a report that
# became a petition of inspection 1 (its readers are the petition's: never the leading group).
_CLOSED_RECORDS = {
    "talks": ["talk_detail"],
    "petitions": ["petition_detail"],
    "clues": ["clue_detail"],
    "attachments": ["attachment_download"],
}
for _related, _names_of in _CLOSED_RECORDS.items():
    for _name in _names_of:
        OBJECTS[_name]["closed"] = lambda w, r=_related: {"pk": _closed_rec(w, r)}
for _name in ["inspection_detail", "talk_list", "petition_list", "clue_list", "paper_list"]:
    OBJECTS[_name]["closed"] = lambda w: {"pk": _closed(w).pk}
OBJECTS["attachment_download"]["portal"] = lambda w: {"pk": _portal_file(w)}


def _closed(w: W) -> Any:
    """Team 1's cadres (bob leads, carol) in a round-6 inspection of 新县 with a talk, a
    petition, a transferred clue and a file, closed two years ago; made on first use."""
    import datetime as dt

    from django.utils import timezone

    from xunshi.accounts.actors import SYSTEM
    from xunshi.fieldwork import actions as onsite_actions
    from xunshi.files.actions import attachment_store
    from xunshi.findings import actions as clue_actions
    from xunshi.lifecycle.actions import inspection_transition
    from xunshi.rounds import actions
    from xunshi.rounds.models import Inspection
    from xunshi.testsupport.lifecycle import move_on_site, set_stage

    found = Inspection.objects.filter(round__body=w.body, round__ordinal=6).first()
    if found is not None:
        return found
    today = timezone.localdate()
    rnd = actions.round_create(
        actor=SYSTEM,
        body=w.body,
        term=w.term,
        ordinal=6,
        name="十一届省委第六轮巡视",
        kind="regular",
        sector_mode="mixed",
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=w.team1.rule_set)
    actions.membership_add(actor=SYSTEM, team=team, cadre=w.cadres["bob"], role="leader")
    actions.membership_add(actor=SYSTEM, team=team, cadre=w.cadres["carol"], role="member")
    insp = actions.inspection_create(actor=SYSTEM, team=team, target=w.xinxian, kind="regular")
    move_on_site(insp)
    talk = onsite_actions.talk_create(
        actor=SYSTEM,
        inspection=insp,
        interviewee="县长",
        interviewee_post="县长",
        category="required",
        interviewers=[w.cadres["bob"], w.cadres["carol"]],
        recorder=w.cadres["carol"],
        held_at=timezone.now(),
        place="驻地",
        record="谈话记录",
    )
    onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
    onsite_actions.petition_create(
        actor=SYSTEM,
        inspection=insp,
        channel="letter",
        received_on=today,
        content="群众来信",
        real_name=False,
    )
    docs = onsite_actions.docrequest_create(
        actor=SYSTEM, inspection=insp, documents="会议纪要", provider="办公室", requested_on=today
    )
    clue = clue_actions.clue_create(
        actor=SYSTEM,
        inspection=insp,
        source="document",
        record=docs,
        persons="某某",
        summary="线索",
        recipient="discipline",
    )
    clue_actions.clue_transfer(
        actor=SYSTEM, clue=clue, transferred_on=today, receiving_body="省纪委监委", receiver="某某"
    )
    attachment_store(
        actor=SYSTEM, inspection=insp, upload=("材料.txt", "材料".encode()), audience="team"
    )
    set_stage(inspection=insp, stage="monitoring")
    two_years_ago = today - dt.timedelta(days=730)
    inspection_transition(actor=SYSTEM, inspection=insp, to="closed", on=two_years_ago)
    return insp


def _closed_rec(w: W, related: str) -> int:
    obj = getattr(_closed(w), related).order_by("pk").first()
    assert obj is not None, f"the closed inspection has no {related}"
    return int(obj.pk)


def _portal_file(w: W) -> int:
    from xunshi.intake.models import PortalSubmission

    pk = (
        PortalSubmission.objects.filter(petition__inspection=w.inspection1)
        .values_list("attachments", flat=True)
        .first()
    )
    assert pk is not None, "the matrix world has no portal petition with a file in inspection 1"
    return int(pk)


def _notification(w: W) -> int:
    """The first reminder of alice's, written by the reminder job on first use."""
    from xunshi.desk.actions import reminders_run
    from xunshi.desk.models import Notification

    mine = Notification.objects.filter(recipient=w.users["alice"]).order_by("pk")
    if not mine.exists():
        reminders_run()
    first = mine.first()
    assert first is not None, "the matrix world has nothing waiting for alice"
    return int(first.pk)


def _public_regulation() -> int:
    from xunshi.knowledge.models import Regulation

    return int(Regulation.objects.filter(body=None).order_by("pk").values_list("pk", flat=True)[0])


def _knowledge(w: W, kind: str) -> int:
    """The world body's own regulation, typical case or 定性 statement, made on first use."""
    from xunshi.accounts.actors import SYSTEM
    from xunshi.fieldwork.models import TaxonomyItem
    from xunshi.knowledge import actions
    from xunshi.knowledge.models import Regulation, Statement, TypicalCase

    if not Regulation.objects.filter(body=w.body).exists():
        facts = actions.RegulationFacts(title="示例巡视工作办法", issuer="中共某省委")
        actions.regulation_create(actor=SYSTEM, body=w.body, facts=facts, fictional=True)
        item = TaxonomyItem.objects.order_by("pk").first()
        assert item is not None
        actions.case_save(
            actor=SYSTEM,
            body=w.body,
            title="示例案例",
            facts="案情",
            qualification="定性",
            handling="处理",
            fictional=True,
        )
        actions.statement_save(actor=SYSTEM, body=w.body, item=item, text="示例定性表述")
    model = {"regulation": Regulation, "case": TypicalCase, "statement": Statement}[kind]
    return int(model.objects.filter(body=w.body).values_list("pk", flat=True)[0])  # type: ignore[attr-defined]


def _api_token(w: W) -> int:
    """An API token of alice's, made on first use (everyone else's answer is 404 or 403)."""
    from xunshi.api.actions import token_create
    from xunshi.api.models import ApiToken

    mine = ApiToken.objects.filter(user=w.users["alice"]).order_by("pk").first()
    if mine is None:
        mine, _secret = token_create(actor=w.users["alice"], name="矩阵", scope="read", days=1)
    return int(mine.pk)


def _admin_request(w: W) -> int:
    """The security admin's request to unlock the system admin (harmless when approved),
    made on first use."""
    from xunshi.accounts.models import AdminRequest
    from xunshi.users.request_actions import admin_request_create

    found = AdminRequest.objects.order_by("pk").first()
    if found is None:
        found = admin_request_create(
            actor=w.users["sue"], target=w.users["sam"], kind="unlock", reason="多次输错密码"
        )
    return int(found.pk)


def _year_plan(w: W) -> Any:
    """A draft year plan of the world's body with one round, made on first use."""
    import datetime as dt

    from xunshi.accounts.actors import SYSTEM
    from xunshi.rounds import yearplan_actions
    from xunshi.rounds.models import YearPlan

    plan = YearPlan.objects.filter(body=w.body).first()
    if plan is None:
        plan = yearplan_actions.year_plan_create(actor=SYSTEM, body=w.body, year=2026)
        yearplan_actions.year_plan_round_save(
            actor=SYSTEM,
            plan=plan,
            position=1,
            name="2026年第一轮巡视",
            start=dt.date(2026, 9, 1),
            end=dt.date(2026, 10, 31),
            targets=[w.lankao],
        )
    return plan


def _plan_filing(w: W) -> Any:
    """中共开封市委 under the world's province, with a round whose first authorized team
    filed its plan up to the province, made on first use (only the oversight URLs need it)."""
    import datetime as dt

    from xunshi.accounts.actors import SYSTEM
    from xunshi.demo.group import approve_round
    from xunshi.lifecycle.actions import inspection_transition
    from xunshi.oversight.models import Filing
    from xunshi.rounds import actions
    from xunshi.testsupport.bodies import small_city

    filing = Filing.objects.order_by("pk").first()
    if filing is None:
        city = small_city(w.body)
        rnd = actions.round_create(
            actor=SYSTEM,
            body=city.body,
            term=city.term,
            ordinal=1,
            name="十三届市委第一轮巡察",
            kind="regular",
            sector_mode="mixed",
        )
        team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=w.team1.rule_set)
        member = actions.membership_add(
            actor=SYSTEM, team=team, cadre=city.cadres[0], role="leader"
        )
        actions.pledge_sign(actor=SYSTEM, membership=member)
        insp = actions.inspection_create(
            actor=SYSTEM, team=team, target=city.orgs[0], kind="regular"
        )
        approve_round(rnd, dt.date(2026, 9, 1))
        inspection_transition(actor=SYSTEM, inspection=insp, to="authorized")
        filing = Filing.objects.get()
    return filing


def _job(w: W) -> Any:
    from xunshi.registry.models import ImportJob

    job = ImportJob.objects.order_by("pk").first()
    assert job is not None, "the world fixture of this test makes one import job"
    return job


def _export(w: W) -> Any:
    """An export of the registry by the office (alice), done; its file is hers alone."""
    from xunshi.registry.export_actions import export_job_create
    from xunshi.registry.models import ExportJob
    from xunshi.registry.tasks import run_export

    found = ExportJob.objects.order_by("pk").first()
    if found is None:
        found = export_job_create(actor=w.users["alice"], kind="orgs")
        run_export.enqueue(found.pk)
    return found


def _pdf(w: W) -> Any:
    """The office's PDF of 兰考县's feedback, done (a blank page stands for LibreOffice's work,
    which the matrix does not need); it is alice's alone."""
    from pypdf import PdfWriter

    from xunshi.accounts.actors import SYSTEM
    from xunshi.jobs.actions import job_start
    from xunshi.lib.documentkinds import document_kind
    from xunshi.pdfjobs.actions import pdf_job_create, pdf_job_store
    from xunshi.pdfjobs.models import PdfJob

    found = PdfJob.objects.filter(attachment__isnull=False).order_by("pk").first()
    if found is None:
        kind = document_kind("findings.feedback")
        assert kind is not None
        found = pdf_job_create(actor=w.users["alice"], kind=kind, document=w.inspection1)
        job_start(actor=SYSTEM, job=found.job)
        writer, out = PdfWriter(), io.BytesIO()
        writer.add_blank_page(width=595, height=842)
        writer.write(out)
        pdf_job_store(
            job=found, kind=kind, document=w.inspection1, name="反馈意见.pdf", pdf=out.getvalue()
        )
    return found


def _verification(w: W) -> Any:
    """A verification of the audit chain, asked for by the command (the system)."""
    from xunshi.accounts.actors import SYSTEM
    from xunshi.audit.models import ChainVerification
    from xunshi.audit.verify_actions import verification_request

    found = ChainVerification.objects.order_by("pk").first()
    return found or verification_request(actor=SYSTEM, join=False)


def _village_round(w: W) -> Any:
    """A village round (对村巡察) of the world's body, made on first use."""
    from xunshi.accounts.actors import SYSTEM
    from xunshi.rounds import actions
    from xunshi.rounds.models import Round

    found = Round.objects.filter(body=w.body, kind="village").first()
    if found is not None:
        return found
    return actions.round_create(
        actor=SYSTEM,
        body=w.body,
        term=w.term,
        ordinal=9,
        name="十一届省委第九轮巡视",
        kind="village",
        sector_mode="mixed",
        targets_per_team=20,
    )


def _plan(w: W) -> Any:
    """A solved plan of one team for 新县 in a second round, made on first use (it runs the
    solver, which only the planning URLs need)."""
    import datetime as dt

    from xunshi.accounts.actors import SYSTEM
    from xunshi.rounds import actions
    from xunshi.rounds.models import PlanningJob
    from xunshi.rounds.planning import RoundParams

    job = PlanningJob.objects.order_by("pk").first()
    if job is None:
        rnd = actions.round_create(
            actor=SYSTEM,
            body=w.body,
            term=w.term,
            ordinal=2,
            name="十一届省委第二轮巡视",
            kind="regular",
            sector_mode="mixed",
            start=dt.date(2027, 3, 1),
            end=dt.date(2027, 4, 30),
        )
        job = actions.planning_job_create(
            actor=w.users["alice"],
            round=rnd,
            params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=10),
            targets=[w.xinxian],
        )
    return job


def _names(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            if not route.startswith(SKIP_PREFIXES):
                yield p.name, route


def url_names() -> list[str]:
    return sorted({name for name, _ in _names(get_resolver().url_patterns)})


def _read_table() -> dict[tuple[str, str, str], list[str]]:
    table = {}
    for line in TABLE.read_text().splitlines()[1:]:
        if line.strip():
            name, scope, method, *codes = line.split("\t")
            table[(name, scope, method)] = codes
    return table


def _observe(world: W, name: str) -> dict[tuple[str, str, str], list[str]]:
    rows = {}
    for scope, make in OBJECTS.get(name, {"-": lambda w: {}}).items():
        url = reverse(name, kwargs=make(world))
        for method in METHODS:
            codes = []
            for role in ROLES:
                client = Client()
                if role != "anon":
                    client.force_login(
                        world.users[role], backend="django.contrib.auth.backends.ModelBackend"
                    )
                response = client.get(url) if method == "GET" else client.post(url, {})
                codes.append(str(response.status_code))
            rows[(name, scope, method)] = codes
    return rows


@pytest.fixture
def matrix_world(world: W, settings: Any, tmp_path: Any) -> W:
    from xunshi.jobs.models import Job
    from xunshi.registry.models import ImportJob

    settings.MEDIA_ROOT = tmp_path / "media"
    _export(world)  # the office's export, before any other (the POSTs below make more)

    # One finished import job made by the office, for the job pages.
    job = Job.objects.create(kind="registry.import", created_by=world.users["alice"], status="done")
    ImportJob.objects.create(job=job, kind="orgs", original_name="单位.xlsx", body=world.body)
    _lifecycle(world)
    # 生成PDF really queues a job: a LibreOffice that fails at once ends it without waiting.
    settings.XUNSHI_SOFFICE = "false"
    # 立即拉取 really calls the portal: a closed port answers at once.
    settings.XUNSHI_PORTAL_URL = "http://127.0.0.1:9"
    return world


def _lifecycle(w: W) -> None:
    """Both inspections past the feedback, each with one record of every kind (team 1 also
    a talk: team 2 has a single cadre), a planned ledger item, and a 督办函 for 兰考县."""
    import datetime as dt

    from django.utils import timezone

    from xunshi.accounts.actors import SYSTEM
    from xunshi.fieldwork import actions as onsite_actions
    from xunshi.files.actions import attachment_store
    from xunshi.findings import actions as clue_actions
    from xunshi.lifecycle.actions import inspection_transition
    from xunshi.rectification import actions as rect
    from xunshi.testsupport.lifecycle import decide, move_on_site, problems_for

    today = timezone.localdate()
    for insp in (w.inspection1, w.inspection2):
        move_on_site(insp)
        day = insp.start
        if insp == w.inspection1:
            talk = onsite_actions.talk_create(
                actor=SYSTEM,
                inspection=insp,
                interviewee="县委书记",
                interviewee_post="县委书记",
                category="required",
                interviewers=[w.cadres["bob"], w.cadres["carol"]],
                recorder=w.cadres["carol"],
                held_at=dt.datetime(2026, 9, 2, 9, 0, tzinfo=dt.UTC),
                place="驻地",
                record="谈话记录",
            )
            onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        docs = onsite_actions.docrequest_create(
            actor=SYSTEM, inspection=insp, documents="会议纪要", provider="办公室", requested_on=day
        )
        onsite_actions.fix_create(
            actor=SYSTEM, inspection=insp, issue="问题", measure="措施", responsible_unit="办公室"
        )
        attachment_store(
            actor=SYSTEM, inspection=insp, upload=("材料.txt", "材料".encode()), audience="team"
        )
        (problem,) = problems_for(insp, [f"{insp.target.name}的问题"])
        if insp == w.inspection1:
            _portal_report(w)
        clue_actions.clue_create(
            actor=SYSTEM,
            inspection=insp,
            source="document",
            record=docs,
            persons="某某",
            summary="线索",
            recipient="discipline",
        )
        decide(insp)
        inspection_transition(
            actor=SYSTEM, inspection=insp, to="feedback_given", on=dt.date(2026, 11, 2)
        )
        item = problem.ledger_items.get()
        rect.item_plan(
            actor=SYSTEM,
            item=item,
            measures="措施",
            responsible_leader="县长",
            responsible_department="财政局",
            deadline=today + dt.timedelta(days=5),
            kind="concentrated",
        )
    rect.notice_issue(actor=SYSTEM, inspection=w.inspection1, on=today)
    # A portal report for an announcement nobody knows: kept unrouted for the office.
    _pull_report(seq=2, announcement="unknown-token", file_name="a.txt")
    w.inspection1.refresh_from_db()


def _pull_report(*, seq: int, announcement: str, file_name: str) -> None:
    """A citizen's report sealed as the portal seals it and pulled as R000<seq>matrix."""
    import base64
    import json

    from django.conf import settings

    from envelope import seal
    from xunshi.accounts.actors import SYSTEM
    from xunshi.intake.actions import submission_store

    report = {
        "announcement": announcement,
        "org_code": "410225",
        "org_name": "兰考县",
        "reported_persons": "",
        "content": "举报内容",
        "real_name": False,
        "name": "",
        "phone": "",
        "id_number": "",
        "files": [{"name": file_name, "kind": "txt", "original": "YQ==", "clean": "YQ=="}],
    }
    blob = seal(settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY, json.dumps(report).encode())
    submission_store(
        actor=SYSTEM,
        item={
            "seq": seq,
            "ref": f"R{seq:04d}matrix",
            "kind": "report",
            "parent": None,
            "day": "2026-09-10",
            "envelope": base64.b64encode(blob).decode(),
        },
    )


def _portal_report(w: W) -> None:
    """A citizen's report with a photo, through inspection 1's announcement: a petition of
    team 1 with the file attached."""
    from xunshi.accounts.actors import SYSTEM
    from xunshi.fieldwork.actions import petition_route
    from xunshi.intake.actions import announcement_save
    from xunshi.intake.models import PortalSubmission

    ann = announcement_save(
        actor=SYSTEM,
        inspection=w.inspection1,
        phone="0371-12345678",
        mailbox="郑州市A001信箱",
        address="兰考县驻地",
        scope="兰考县领导班子及其成员",
    )
    _pull_report(seq=1, announcement=ann.token, file_name="现场.txt")
    petition = PortalSubmission.objects.get(ref="R0001matrix").petition
    assert petition is not None, "the report did not become a petition of inspection 1"
    petition_route(
        actor=SYSTEM, petition=petition, in_scope=True, routing="noted", routing_note="留存备查"
    )


@pytest.mark.parametrize("name", url_names())
def test_it_gives_every_role_the_expected_status(matrix_world: W, name: str) -> None:
    observed = _observe(matrix_world, name)
    if os.environ.get("XUNSHI_WRITE_MATRIX"):
        out = Path(os.environ.get("XUNSHI_MATRIX_DIR", "/tmp")) / f"matrix-{name}.tsv"
        out.write_text("".join("\t".join([*k, *v]) + "\n" for k, v in observed.items()))
        return
    table = _read_table()
    for key, codes in observed.items():
        assert key in table, f"{key} is missing from role_matrix.tsv"
        expected = dict(zip(ROLES, table[key], strict=True))
        got = dict(zip(ROLES, codes, strict=True))
        wrong = {r: (expected[r], got[r]) for r in ROLES if expected[r] != got[r]}
        assert not wrong, f"{key}: role → (expected, got) {wrong}"


def test_it_lists_every_url_in_the_table() -> None:
    listed = {name for name, _, _ in _read_table()}
    missing = set(url_names()) - listed
    assert not missing, f"URLs missing from role_matrix.tsv: {sorted(missing)}"
