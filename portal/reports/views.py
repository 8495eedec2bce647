"""The citizen's pages: inspections on site, the report form, the receipt, the follow-up.

The report and follow-up views are exempt from Django's CSRF check: the portal sets no
cookie and has no session, so a forged cross-site request could do nothing that its author
cannot do directly; each form carries a signed, expiring challenge instead (challenge.py),
with a proof of work, spent once. A limit reached gets 系统繁忙 (429 for a code's lookups, 503
for the daily cap of submissions), never another answer's page. A submission's answer is
rendered directly (status 200, no redirect), so no URL ever names a submission; every
response is ``Cache-Control: no-store`` (middleware.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from uploadscan import ACCEPTED_TEXT, size_text

from . import posters
from .actions import before_reception, followup_submit, report_submit
from .attachments import attachments_read
from .challenge import REPLAYED, challenge_check, challenge_new
from .forms import ChallengeForm, FollowupForm, ReportForm
from .models import Announcement, Disclosure, Submission
from .pages import page_filled, page_with_challenge, slot
from .queries import announcement_on_site, report_history
from .receipts import receipt_clean, receipt_find
from .throttle import nonce_spend, throttle_take

BUSY = (
    "今日网上提交的数量已达系统上限，您填写的内容尚未保存。请明天再试，"
    "或按公告的电话、信箱、地址反映。"
)
LOOKUP_BUSY = (
    "这个回执码在一小时内的查询次数已达上限（每小时{n}次，用于防止他人猜测回执码），"
    "本次没有查询。请一小时后再试；如有急事，请通过电话、信件联系巡视巡察组。"
)
LOOKUP_REPLAYED = "这个查询页面已经提交过，每次查询需重新打开页面。请在下方重新输入回执码。"


def _report_url(announcement: Announcement) -> str:
    return settings.PORTAL_BASE_URL + reverse("report", args=[announcement.token])


def _limits() -> dict[str, Any]:
    return {
        "max_files": settings.PORTAL_MAX_FILES,
        "max_file_size": size_text(settings.PORTAL_MAX_FILE_BYTES),
        "max_content": settings.PORTAL_MAX_CONTENT_CHARS,
        "challenge_minutes": settings.PORTAL_CHALLENGE_MAX_AGE // 60,
        "lookups_per_code": settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR,
        "accepted": ACCEPTED_TEXT,
        "envelope_days": settings.PORTAL_ENVELOPE_DAYS,
    }


def _problems(form: Any, file_errors: list[str]) -> list[tuple[str, str]]:
    """Every error as (where, what), in the order of the page."""
    found = [("提交", str(m)) for m in form.non_field_errors()]
    for name, field in form.fields.items():
        found.extend((str(field.label or name), str(m)) for m in form.errors.get(name, []))
    found.extend(("附件", m) for m in file_errors)
    return found


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    announcements = Announcement.objects.filter(active=True)
    return render(request, "portal/index.html", {"announcements": announcements})


@require_GET
def announcement(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(Announcement, token=token)
    qr = mark_safe(posters.qr_svg_inline(_report_url(item))) if item.active else ""  # noqa: S308
    return render(
        request,
        "portal/announcement.html",
        {"a": item, "qr": qr, "report_url": _report_url(item)},
    )


@require_GET
def announcement_qr(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(Announcement, token=token, active=True)
    svg = posters.qr_svg(_report_url(item), posters.poster_title(item))
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
def announcement_poster(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(Announcement, token=token, active=True)
    return HttpResponse(posters.poster_png(item, _report_url(item)), content_type="image/png")


def _challenge_spent(form: ChallengeForm) -> bool:
    """Spend the nonce of a form's challenge (genuine, its work done); False when there was
    nothing to spend or it was spent before (a replay, told on the form)."""
    if not form.nonce:
        return False
    if nonce_spend(form.nonce):
        return True
    form.errors.pop("answer", None)
    form.add_error("answer", REPLAYED)
    return False


def _announcement_state(item: Announcement) -> tuple[object, ...]:
    return tuple(getattr(item, f.attname) for f in Announcement._meta.concrete_fields)


def _blank_report_page(item: Announcement) -> HttpResponse:
    """The report form as a visitor first sees it: drawn once per state of the announcement
    (pages.py), with this request's challenge."""
    not_yet = before_reception(item)
    limits = _limits()
    context = {"a": item, "values": {}, "errors": {}, "problems": [], "file_errors": []}
    page = page_with_challenge(
        "portal/report.html",
        {**context, "not_yet": not_yet, "busy": "", **limits},
        (_announcement_state(item), not_yet, tuple(limits.items())),
        challenge_new(),
    )
    return HttpResponse(page)


def _report_page(
    request: HttpRequest,
    item: Announcement,
    form: ReportForm,
    problems: list[tuple[str, str]] | None = None,
    file_errors: list[str] | None = None,
    busy: str = "",
) -> HttpResponse:
    field_errors = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
    return render(
        request,
        "portal/report.html",
        {
            "a": item,
            "form": form,
            "values": form.data if form.is_bound else {},
            "errors": field_errors,
            "problems": problems or [],
            "file_errors": file_errors or [],
            "challenge": challenge_new(),
            "not_yet": before_reception(item),
            "busy": busy,
            **_limits(),
        },
        status=503 if busy else 200,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, token: str) -> HttpResponse:
    item = announcement_on_site(token)
    if request.method == "GET" or before_reception(item):
        # Before the 受理时间 the page says when it opens, and a post stores nothing.
        return _blank_report_page(item)
    form = ReportForm(request.POST)
    valid = form.is_valid()
    # The challenge is spent whatever else is wrong: one page's work buys one try.
    spent = _challenge_spent(form)
    valid = valid and spent
    files: list[UploadedFile] = request.FILES.getlist("files")
    # A robot (a filled honeypot, no work done, a replay): its files are not even looked at.
    looked = spent and not form.data.get("website")
    attachments, file_errors = attachments_read(files) if looked else ([], [])
    if not valid or file_errors:
        return _report_page(request, item, form, _problems(form, file_errors), file_errors)
    data = form.cleaned_data
    submitted = report_submit(
        announcement=item,
        persons=data["persons"],
        content=data["content"],
        real_name=data["identity"] == "real",
        name=data["name"],
        phone=data["phone"],
        id_number=data["id_number"],
        attachments=attachments,
        daily_cap=settings.PORTAL_SUBMISSIONS_PER_DAY,
    )
    if submitted is None:
        return _report_page(request, item, form, busy=BUSY)
    submission, code = submitted
    # The same page for every report of the day with as many files, but for the code.
    state = (_announcement_state(item), submission.day, len(attachments))
    context = {"a": item, "code": slot("code"), "day": submission.day, "files": len(attachments)}
    return HttpResponse(page_filled("portal/receipt.html", context, state, {"code": code}))


def _status_page(
    request: HttpRequest,
    report_: Submission,
    code: str,
    form: FollowupForm | None = None,
    problems: list[tuple[str, str]] | None = None,
    added: bool = False,
    busy: str = "",
) -> HttpResponse:
    followups, replies = report_history(report_)
    # What this report alone shows; the rest of the page is kept when no one typed into it.
    facts = render_to_string(
        "portal/_status_facts.html",
        {"report": report_, "followups": followups, "replies": replies},
    )
    limits = _limits()
    if form is None and not busy and not problems:
        page = page_with_challenge(
            "portal/status.html",
            {"facts": slot("facts"), "code": slot("code"), "added": added, **limits},
            (added, tuple(limits.items())),
            challenge_new(),
            {"facts": facts, "code": code},
        )
        return HttpResponse(page)
    errors = {name: [str(m) for m in e] for name, e in form.errors.items()} if form else {}
    return render(
        request,
        "portal/status.html",
        {
            "facts": facts,
            "code": code,
            "values": form.data if form is not None and not added else {},
            "errors": errors,
            "problems": problems or [],
            "added": added,
            "busy": busy,
            "challenge": challenge_new(),
            **limits,
        },
        status=503 if busy else 200,
    )


def _lookup_page(request: HttpRequest, **context: Any) -> HttpResponse:
    """The lookup form, with a fresh challenge of proof of work only (no sum to compute);
    drawn once per message it shows (pages.py)."""
    key = tuple(sorted(context.items()))
    return HttpResponse(
        page_with_challenge("portal/follow.html", context, key, challenge_new(question=False))
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _lookup_page(request)
    text = request.POST.get("receipt", "").strip()
    if not text:
        return _lookup_page(request, missing=True)
    # Every lookup (and every follow-up, which looks its code up first) pays its proof of
    # work and spends its nonce before the code is counted or read: no replay, no free guess.
    checked = challenge_check(request.POST.get("challenge", ""), request.POST.get("pow", ""))
    if checked.problem:
        return _lookup_page(request, problem=checked.problem)
    lookup = receipt_find(text, nonce=checked.nonce)
    if lookup.replayed:
        return _lookup_page(request, problem=LOOKUP_REPLAYED)
    if lookup.busy:
        # 系统繁忙, never the wrong-code page: a right code over its limit is still right.
        busy = LOOKUP_BUSY.format(n=settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR)
        response = render(request, "portal/busy.html", {"busy": busy}, status=429)
        response["Retry-After"] = "3600"
        return response
    found = lookup.report
    if found is None:
        # The same page, status and length for an unknown and a wrong code.
        return _lookup_page(request, unknown=True)
    code = receipt_clean(text)
    if request.POST.get("action") != "add":
        return _status_page(request, found, code)
    form = FollowupForm(request.POST)
    valid = form.is_valid()
    files: list[UploadedFile] = request.FILES.getlist("files")
    attachments, file_errors = attachments_read(files)
    if valid and not form.cleaned_data["content"] and not files:
        form.add_error("content", "请填写补充内容或选择附件。")
        valid = False
    if not valid or file_errors:
        return _status_page(request, found, code, form, _problems(form, file_errors))
    if not throttle_take(
        family="submissions", key="all", seconds=86400, limit=settings.PORTAL_SUBMISSIONS_PER_DAY
    ):
        return _status_page(request, found, code, form, busy=BUSY)
    followup_submit(report=found, content=form.cleaned_data["content"], attachments=attachments)
    return _status_page(request, found, code, added=True)


@require_GET
def disclosures(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/disclosures.html", {"items": Disclosure.objects.all()})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", _limits())
