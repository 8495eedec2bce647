"""Forms of the on-site pages and the taxonomies: they parse, the actions decide.

The cadre choices of a form are the inspection's team, so a form never offers (or reveals)
anyone else; the actions check membership again for callers that are not forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.registry.models import Cadre
from xunshi.rounds.date_rules import PAST_DAY_HELP, following_day_help, site_day_help
from xunshi.rounds.models import Inspection

from .models import PetitionCategory, PetitionChannel, PetitionRouting, TalkCategory

__all__ = [
    "DocRequestForm",
    "FixDoneForm",
    "FixForm",
    "HandoverForm",
    "PetitionForm",
    "PetitionReplyForm",
    "PetitionRouteForm",
    "ReturnForm",
    "TalkEditForm",
    "TalkForm",
    "TaxonomyForm",
    "TaxonomyVersionForm",
    "team_cadres",
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _today() -> Any:
    return timezone.localdate()


def team_cadres(inspection: Inspection) -> list[Cadre]:
    """The cadres of the inspection's team, leader first."""
    rows = inspection.team.memberships.select_related("cadre").order_by("role", "pk")
    order = {"leader": 0, "deputy": 1}
    return [m.cadre for m in sorted(rows, key=lambda m: (order.get(m.role, 2), m.pk))]


class _TeamForm(forms.Form):
    """A form with the inspection's team as the cadre choices."""

    def __init__(
        self,
        *args: Any,
        inspection: Inspection,
        cadres: list[Cadre] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A list page passes the team once for all its rows' forms.
        cadres = team_cadres(inspection) if cadres is None else cadres
        self.cadres = {c.pk: c for c in cadres}
        choices = [(c.pk, c.name) for c in self.cadres.values()]
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField | forms.TypedMultipleChoiceField):
                field.choices = choices


class TalkForm(_TeamForm):
    interviewee = forms.CharField(label=_("谈话对象"), max_length=50)
    interviewee_post = forms.CharField(label=_("职务"), max_length=100)
    category = forms.ChoiceField(
        label=_("类别"), choices=TalkCategory.choices, initial=TalkCategory.REQUIRED
    )
    interviewers = forms.TypedMultipleChoiceField(
        label=_("谈话人"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    recorder = forms.TypedChoiceField(label=_("记录人"), coerce=int)
    held_at = forms.DateTimeField(
        label=_("谈话时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("地点"), max_length=100)
    outline = forms.CharField(label=_("谈话提纲"), required=False, widget=_text())
    record = forms.CharField(label=_("谈话记录"), required=False, widget=_text(6))

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, inspection=inspection, **kwargs)
        self.fields["held_at"].help_text = site_day_help(inspection)

    def clean_interviewers(self) -> list[Cadre]:
        return [self.cadres[pk] for pk in self.cleaned_data["interviewers"]]

    def clean_recorder(self) -> Cadre:
        return self.cadres[self.cleaned_data["recorder"]]


class TalkEditForm(forms.Form):
    outline = forms.CharField(label=_("谈话提纲"), required=False, widget=_text(6))
    record = forms.CharField(label=_("谈话记录"), required=False, widget=_text(14))


class PetitionForm(forms.Form):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=PetitionChannel.choices)
    # Asked of every petition the team registers (a portal report is classified later).
    category = forms.ChoiceField(
        label=_("反映问题类别"), choices=[("", _("请选择")), *PetitionCategory.choices]
    )
    received_on = forms.DateField(
        label=_("收到日期"), widget=_date_input(), initial=_today, help_text=PAST_DAY_HELP
    )
    real_name = forms.BooleanField(label=_("实名"), required=False)
    petitioner_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    petitioner_contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    reported_persons = forms.CharField(label=_("被反映人"), max_length=200, required=False)
    content = forms.CharField(label=_("反映内容"), widget=_text(6))


_ROUTINGS = [(v, label) for v, label in PetitionRouting.choices if v != PetitionRouting.PENDING]


class PetitionRouteForm(forms.Form):
    in_scope = forms.TypedChoiceField(
        label=_("是否属于巡视范围"),
        choices=[("yes", _("属于")), ("no", _("不属于"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    routing = forms.ChoiceField(label=_("处理方式"), choices=_ROUTINGS)
    forwarded_to = forms.CharField(label=_("转交机关"), max_length=100, required=False)
    forwarded_on = forms.DateField(
        label=_("转交日期"),
        required=False,
        widget=_date_input(),
        help_text=following_day_help(_("收到日期")),
    )
    routing_note = forms.CharField(label=_("处理说明"), required=False, widget=_text(3))


class PetitionReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), widget=_text(4))
    replied_on = forms.DateField(
        label=_("答复日期"),
        widget=_date_input(),
        initial=_today,
        help_text=following_day_help(_("收到日期")),
    )


class DocRequestForm(forms.Form):
    documents = forms.CharField(
        label=_("调阅资料清单"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("每行一项")}),
    )
    provider = forms.CharField(label=_("提供部门"), max_length=100)
    requested_on = forms.DateField(
        label=_("调阅日期"), widget=_date_input(), initial=_today, help_text=PAST_DAY_HELP
    )


class HandoverForm(_TeamForm):
    handed_over_on = forms.DateField(
        label=_("移交日期"),
        widget=_date_input(),
        initial=_today,
        help_text=following_day_help(_("调阅日期")),
    )
    handed_over_by = forms.CharField(label=_("移交人"), max_length=50)
    received_by = forms.TypedChoiceField(label=_("接收人"), coerce=int)

    def clean_received_by(self) -> Cadre:
        return self.cadres[self.cleaned_data["received_by"]]


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("归还日期"),
        widget=_date_input(),
        initial=_today,
        help_text=following_day_help(_("移交日期")),
    )


class FixForm(forms.Form):
    issue = forms.CharField(label=_("问题"), widget=_text(3))
    measure = forms.CharField(label=_("整改措施"), widget=_text(3))
    responsible_unit = forms.CharField(label=_("责任部门"), max_length=100)
    done_on = forms.DateField(
        label=_("完成日期"), required=False, widget=_date_input(), help_text=PAST_DAY_HELP
    )


class FixDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("完成日期"), widget=_date_input(), initial=_today, help_text=PAST_DAY_HELP
    )


_ITEMS_HELP = _("每行一个条目：“1 名称”；下级条目写作“1.1 名称”，须在上级之后。")


class TaxonomyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(
        label=_("代码"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("如 jilv-2024")}),
    )
    items_text = forms.CharField(
        label=_("条目"), widget=forms.Textarea(attrs={"rows": 8}), help_text=_ITEMS_HELP
    )


class TaxonomyVersionForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    items_text = forms.CharField(
        label=_("条目"), widget=forms.Textarea(attrs={"rows": 8}), help_text=_ITEMS_HELP
    )
