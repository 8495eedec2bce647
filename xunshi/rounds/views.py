"""Pages of rounds, teams and inspections, and the full-coverage dashboard.

Every view reads as form → access (rounds.access) → action (rounds.actions) → render. A
write posted from a page goes back to that page with the action's refusal as a message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.charts import category_axis
from xunshi.lib.form_errors import error_text
from xunshi.registry.access import cadres_visible_to, terms_visible_to
from xunshi.rounds.avoidance import hits_between

from . import actions
from .access import (
    get_inspection_for,
    get_membership_for,
    get_round_for,
    get_team_for,
    linkable_rounds_for,
    rounds_visible_to,
    teams_visible_to,
)
from .bodies import CROSSING_KINDS
from .forms import (
    BranchForm,
    DecisionForm,
    InspectionForm,
    LinkForm,
    MembershipForm,
    RoundForm,
    TeamForm,
    TermChoiceForm,
)
from .list_filters import list_export, list_page, wants_export
from .models import (
    Inspection,
    InspectionKind,
    PartyBranch,
    Round,
    Team,
    TeamMembership,
    TeamRole,
    YearPlanRound,
)
from .queries import (
    Coverage,
    round_pool,
    round_registry,
    term_coverage,
    township_coverage,
    uncovered_villages,
)
from .yearplan_queries import plan_rounds_to_open

UNCOVERED_PER_PAGE = 50
_ROLE_ORDER = {role: i for i, role in enumerate(TeamRole.values)}


def _refusal(request: SignedInRequest, e: ValidationError, lead: str = "") -> None:
    """The action's reasons as one message; the action's sentences end with their own 。"""
    messages.error(request, lead + "".join(e.messages))


def _approval_withdrawn(request: SignedInRequest, rnd: Round, was_approved: bool) -> None:
    """Say so when the change just made to a team withdrew the leading group's approval of the
    round's plan (`round_plan_approval_withdraw`, which updates the round passed in)."""
    if was_approved and rnd.plan_approved_on is None:
        said = _("巡视组有变动，本轮巡视工作方案的审批已撤销，须重新报领导小组审批后才能授权。")
        messages.warning(request, rnd.body.own_words(said))


def _percent(share: float) -> str:
    return f"{share * 100:.1f}"


# --- coverage ---------------------------------------------------------------------------------


def _bar(n: int) -> dict[str, Any]:
    # A zero segment would still print its "0" label on the axis line.
    return {"value": n, "label": {"show": n > 0}}


def _chart_option(cov: Coverage) -> dict[str, Any]:
    labels = [str(s.label) for s in cov.sectors]
    covered, uncovered = _("已覆盖"), _("未覆盖")
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": [covered, uncovered], "top": 0},
        "grid": {"left": 40, "right": 20, "top": 40, "bottom": 10, "containLabel": True},
        "xAxis": category_axis(labels),
        "yAxis": {"type": "value", "name": _("单位数"), "minInterval": 1},
        "series": [
            {
                "name": covered,
                "type": "bar",
                "stack": "total",
                "barMaxWidth": 56,
                "itemStyle": {"color": "#b8232f"},
                "label": {"show": True},
                "data": [_bar(s.covered) for s in cov.sectors],
            },
            {
                "name": uncovered,
                "type": "bar",
                "stack": "total",
                "barMaxWidth": 56,
                "itemStyle": {"color": "#c9ced4"},
                "label": {"show": True},
                "data": [_bar(s.total - s.covered) for s in cov.sectors],
            },
        ],
    }


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v})


@require_safe
def coverage(request: SignedInRequest) -> HttpResponse:
    require(request.user, "coverage.view")
    terms = terms_visible_to(request.user)
    form = TermChoiceForm(request.GET or None, terms=terms)
    if form.is_bound and not form.is_valid():
        raise Http404("没有找到该届次。")
    term = form.cleaned_data.get("term") if form.is_bound else None
    term = term or form.fields["term"].queryset.first()  # type: ignore[attr-defined]
    if term is None:
        return render(request, "rounds/coverage.html", {"form": form, "cov": None})
    form = TermChoiceForm(initial={"term": term.pk}, terms=terms)
    cov = term_coverage(term)
    sectors = [
        {
            "label": s.label,
            "total": s.total,
            "covered": s.covered,
            "uncovered": s.total - s.covered,
            "percent": _percent(s.share),
        }
        for s in cov.sectors
    ]
    townships = list_page(township_coverage(cov), request.GET.get("township_page"))
    left = uncovered_villages(term, [t["id"] for t in townships.object_list])
    township_rows = [
        {
            "name": t["name"],
            "total": t["total"],
            "covered": t["covered"],
            "uncovered": left.get(t["id"], []),
            "percent": _percent(t["covered"] / t["total"] if t["total"] else 0.0),
        }
        for t in townships.object_list
    ]
    page = Paginator(cov.uncovered, UNCOVERED_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"org": u.org, "last_end": u.last_end, "years": u.years_since(cov.today)} for u in page]
    return render(
        request,
        "rounds/coverage.html",
        {
            "form": form,
            "cov": cov,
            "term": term,
            "percent": _percent(cov.share),
            "sectors": sectors,
            "townships": township_rows,
            "township_page": townships,
            "chart": _chart_option(cov),
            "page": page,
            "rows": rows,
            # Each list's page links keep the other list's page.
            "query": _query(term=term.pk, township_page=request.GET.get("township_page")),
            "township_query": _query(term=term.pk, page=request.GET.get("page")),
        },
    )


# --- rounds -----------------------------------------------------------------------------------


def _count_of(model: type[Team] | type[Inspection]) -> Coalesce:
    rows = model.objects.filter(round=OuterRef("pk")).order_by().values("round")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def _with_counts(rounds: QuerySet[Round]) -> QuerySet[Round]:
    # Subqueries, not Count() over a join: a team cadre's queryset is already filtered
    # through his teams, and a join would count only those.
    return rounds.annotate(team_count=_count_of(Team), target_count=_count_of(Inspection))


@require_safe
def round_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "round.view")
    rounds = _with_counts(rounds_visible_to(request.user).select_related("term", "body"))
    rounds = rounds.order_by("-term__start", "-ordinal")
    if wants_export(request.GET):
        return list_export(
            request,
            name=_("轮次.xlsx"),
            title=_("轮次"),
            head=[
                _("届次"),
                _("轮次"),
                _("名称"),
                _("类型"),
                _("对象确定方式"),
                _("一托N"),
                _("进驻日期"),
                _("结束日期"),
                _("巡视组"),
                _("巡视对象"),
            ],
            rows=(_round_row(r) for r in rounds.iterator(chunk_size=500)),
            object_type="rounds.round",
        )
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    can_edit = can(request.user, "round.edit")
    return render(
        request,
        "rounds/round_list.html",
        {
            "page": page,
            "query": "",
            "can_edit": can_edit,
            "form": RoundForm(terms=terms_visible_to(request.user)) if can_edit else None,
        },
    )


def _round_row(r: Any) -> list[Any]:
    return [
        r.term.name,
        _("第%(n)s轮") % {"n": r.ordinal},
        r.name,
        r.get_kind_display(),
        r.get_sector_mode_display(),
        ngettext("一托%(n)s", "一托%(n)s", r.targets_per_team) % {"n": r.targets_per_team},
        r.start or "—",
        r.end or "—",
        r.team_count,
        r.target_count,
    ]


def _from_plan(plan_round: YearPlanRound | None) -> dict[str, Any]:
    """The new round's fields as the year plan has them (`?plan_round=` of the plan's page)."""
    if plan_round is None:
        return {}
    return {
        "name": plan_round.name,
        "kind": plan_round.kind,
        "theme": plan_round.theme,
        "theme_tags": "、".join(plan_round.theme_tags),
        "start": plan_round.start,
        "end": plan_round.end,
        "plan_round": str(plan_round.pk),
    }


def round_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, "round.edit")
    plan_rounds = list(plan_rounds_to_open(request.user.body_id))
    chosen = next((r for r in plan_rounds if str(r.pk) == request.GET.get("plan_round")), None)
    form = RoundForm(
        request.POST or None,
        terms=terms_visible_to(request.user),
        plan_rounds=plan_rounds,
        initial=_from_plan(chosen),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = actions.round_create(actor=request.user, body=data["term"].body, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已新建%(round)s。") % {"round": rnd.name})
            if data.get("plan_round") is not None:
                said = _("已记为年度计划中“%(plan_round)s”的实施轮次。")
                messages.success(request, said % {"plan_round": data["plan_round"].name})
            return redirect("round_detail", pk=rnd.pk)
    return render(request, "rounds/round_form.html", {"form": form})


def _team_rows(teams: QuerySet[Team]) -> list[dict[str, Any]]:
    rows = []
    teams = teams.select_related("rule_set")
    for team in teams.prefetch_related("memberships__cadre", "inspections__target"):
        members = list(team.memberships.all())
        leader = next((m.cadre for m in members if m.role == TeamRole.LEADER), None)
        rows.append(
            {
                "team": team,
                "leader": leader,
                "member_count": len(members),
                "inspections": list(team.inspections.all()),
            }
        )
    return rows


@require_safe
def round_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    rnd = get_round_for(request.user, pk)
    teams = teams_visible_to(request.user).filter(round=rnd).order_by("number")
    can_edit = can(request.user, "round.edit")
    linkable = linkable_rounds_for(request.user).exclude(pk=rnd.pk)
    crossing = rnd.kind in CROSSING_KINDS
    return render(
        request,
        "rounds/round_detail.html",
        {
            "round": rnd,
            "teams": _team_rows(teams),
            "can_edit": can_edit,
            "team_form": TeamForm(initial={"number": teams.count() + 1}) if can_edit else None,
            "crossing": crossing,
            "decision_form": (
                DecisionForm(
                    initial={"decision_ref": rnd.decision_ref, "decided_on": rnd.decided_on}
                )
                if can_edit and crossing
                else None
            ),
            "link_form": (
                LinkForm(rounds=linkable, initial={"to": rnd.linked_to_id})
                if can_edit and linkable.exists()
                else None
            ),
            "shows_linked": rnd.kind == InspectionKind.LINKED
            and can(request.user, "coverage.view"),
        },
    )


@require_POST
def team_create(request: SignedInRequest, pk: int) -> HttpResponse:
    rnd = get_round_for(request.user, pk, write=True)
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("round_detail", pk=rnd.pk)
    approved = rnd.plan_approved_on is not None
    try:
        team = actions.team_create(actor=request.user, round=rnd, **form.cleaned_data)
    except ValidationError as e:
        _refusal(request, e)
        return redirect("round_detail", pk=rnd.pk)
    messages.success(request, _("已组建%(team)s。") % {"team": team.name})
    _approval_withdrawn(request, rnd, approved)
    return redirect("team_detail", pk=team.pk)


# --- teams ------------------------------------------------------------------------------------


def _members(team: Team) -> list[TeamMembership]:
    rows = team.memberships.select_related("cadre", "pledge_rule_set")
    return sorted(rows, key=lambda m: (_ROLE_ORDER.get(m.role, 99), m.pk))


def _branch(team: Team) -> PartyBranch | None:
    try:
        return team.branch
    except PartyBranch.DoesNotExist:
        return None


@require_safe
def team_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    members = _members(team)
    # In visiting order: a village round's team goes through its villages batch by batch.
    inspections = list(
        team.inspections.select_related("target__parent").order_by("batch", "start", "pk")
    )
    cadres = [m.cadre for m in members]
    targets = [i.target for i in inspections]
    names = {c.code: c.name for c in cadres} | {t.code: t.name for t in targets}
    hits = [
        {
            "hit": h,
            "cadre": names.get(h.cadre_code, h.cadre_code),
            "target": names.get(h.target_code, h.target_code),
        }
        for h in hits_between(cadres, targets, for_round=team.round)
    ]
    cadre_id = getattr(request.user, "cadre_id", None)
    mine = next((m for m in members if cadre_id and m.cadre_id == cadre_id), None)
    branch = _branch(team)
    can_edit = can(request.user, "round.edit")
    # In a 交叉巡察 round the members come from the pools of the bodies below, whose cadre
    # pages the organising body's office does not open.
    open_cadres = set(
        cadres_visible_to(request.user)
        .filter(pk__in=[c.pk for c in cadres])
        .values_list("pk", flat=True)
    )
    context: dict[str, Any] = {
        "team": team,
        "round": team.round,
        "members": members,
        "open_cadres": open_cadres,
        "inspections": inspections,
        "village": team.round.kind == InspectionKind.VILLAGE,
        "hits": hits,
        "branch": branch,
        "mine": mine,
        "can_edit": can_edit,
        "can_sign": mine is not None and can(request.user, "pledge.sign"),
    }
    if can_edit:
        context["member_form"] = MembershipForm(
            pool=round_pool(team.round), search_url=reverse("team_pick_cadre", args=[team.pk])
        )
        context["inspection_form"] = InspectionForm(
            registry=round_registry(team.round),
            search_url=reverse("team_pick_unit", args=[team.pk]),
            initial={"kind": team.round.kind},
        )
        if branch is None and cadres:
            leader = next((m.cadre for m in members if m.role == TeamRole.LEADER), cadres[0])
            context["branch_form"] = BranchForm(
                members=cadres, initial={"secretary": leader.pk, "established_on": team.round.start}
            )
    return render(request, "rounds/team_detail.html", context)


@require_POST
def membership_add(request: SignedInRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk, write=True)
    form = MembershipForm(request.POST, pool=round_pool(team.round))
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("team_detail", pk=team.pk)
    cadre = form.cleaned_data["cadre_code"]
    approved = team.round.plan_approved_on is not None
    try:
        m = actions.membership_add(
            actor=request.user, team=team, cadre=cadre, role=form.cleaned_data["role"]
        )
    except ValidationError as e:
        _refusal(
            request,
            e,
            _("不能将%(cadre)s编入%(team)s：") % {"cadre": cadre.name, "team": team.name},
        )
    else:
        messages.success(
            request,
            _("已将%(cadre)s编入%(team)s（%(role)s）。")
            % {"cadre": cadre.name, "team": team.name, "role": m.get_role_display()},
        )
        _approval_withdrawn(request, team.round, approved)
    return redirect("team_detail", pk=team.pk)


@require_POST
def inspection_create(request: SignedInRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk, write=True)
    require(request.user, "inspection.edit")
    form = InspectionForm(request.POST, registry=round_registry(team.round))
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("team_detail", pk=team.pk)
    data = form.cleaned_data
    target = data["org_code"]
    approved = team.round.plan_approved_on is not None
    try:
        actions.inspection_create(
            actor=request.user,
            team=team,
            target=target,
            kind=data["kind"],
            counts_for_coverage=data["counts_for_coverage"],
            batch=data["batch"],
        )
    except ValidationError as e:
        _refusal(
            request,
            e,
            _("不能将%(org)s交由%(team)s巡视：") % {"org": target.name, "team": team.name},
        )
    else:
        messages.success(
            request,
            _("已将%(org)s交由%(team)s巡视。") % {"org": target.name, "team": team.name},
        )
        _approval_withdrawn(request, team.round, approved)
    return redirect("team_detail", pk=team.pk)


@require_POST
def branch_establish(request: SignedInRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk, write=True)
    form = BranchForm(request.POST, members=[m.cadre for m in _members(team)])
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("team_detail", pk=team.pk)
    try:
        actions.branch_establish(actor=request.user, team=team, **form.cleaned_data)
    except ValidationError as e:
        _refusal(request, e)
    else:
        messages.success(request, _("%(team)s临时党支部已成立。") % {"team": team.name})
    return redirect("team_detail", pk=team.pk)


@require_POST
def pledge_sign(request: SignedInRequest, pk: int) -> HttpResponse:
    membership = get_membership_for(request.user, pk)
    try:
        actions.pledge_sign(actor=request.user, membership=membership)
    except ValidationError as e:
        _refusal(request, e)
    else:
        messages.success(request, _("您已签署廉洁承诺。"))
    return redirect("team_detail", pk=membership.team_id)


# --- inspections ------------------------------------------------------------------------------


@require_safe
def inspection_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for(request.user, pk)
    return render(
        request,
        "rounds/inspection_detail.html",
        {
            "inspection": inspection,
            "team": inspection.team,
            "round": inspection.round,
            "members": _members(inspection.team),
        },
    )
