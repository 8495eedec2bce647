"""The citizen's forms: a report, a follow-up and the receipt lookup, with Chinese messages.

Each form checks its signed challenge (proof of work and sum) and its honeypot, and the view
spends the challenge's nonce; files are checked apart (see attachments.py) because a browser
cannot send them back after an error.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from .challenge import challenge_check

__all__ = ["FollowupForm", "ReportForm"]

MOBILE = re.compile(r"1[3-9]\d{9}")
IDENTITY_FIELDS = (("name", "姓名"), ("phone", "手机号码"), ("id_number", "身份证号码"))
HONEYPOT_MESSAGE = "提交未通过校验，请不要填写标注“请勿填写”的栏目，然后重新提交。"


class _Shared:
    """A field that every form of its class shares instead of copying: Django deep-copies a
    form's fields for each instance (a tenth of a report's CPU here), which only matters to a
    form that changes its fields or renders their widgets, and these forms do neither (the
    templates write their own inputs; ReportForm replaces a field rather than change it)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self


class CharField(_Shared, forms.CharField):
    pass


class ChoiceField(_Shared, forms.ChoiceField):
    pass


def _text(label: str, *, required: bool, max_length: int, **kwargs: Any) -> forms.CharField:
    return CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}最多{max_length}个字，当前为%(show_value)d个字，请精简。",
            "null_characters_not_allowed": f"{label}含有无法识别的字符，请删除后重新提交。",
        },
        **kwargs,
    )


class ChallengeForm(forms.Form):
    """The challenge and the honeypot that every citizen form carries."""

    answer = CharField(
        label="验证题",
        required=False,
        max_length=10,
        error_messages={"max_length": "验证题的答案应为数字。"},
    )
    challenge = CharField(label="验证题", required=False, max_length=500, widget=forms.HiddenInput)
    pow = CharField(label="验证题", required=False, max_length=40, widget=forms.HiddenInput)
    website = CharField(label="请勿填写", required=False, max_length=200)

    # The challenge's nonce once its token is genuine and its work done: the view spends it.
    nonce = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        if "answer" not in self.errors:
            checked = challenge_check(
                data.get("challenge", ""), data.get("pow", ""), data.get("answer", "")
            )
            self.nonce = checked.nonce
            if checked.problem:
                self.add_error("answer", checked.problem)
        return data


class ReportForm(ChallengeForm):
    persons = _text("被反映人", required=False, max_length=settings.PORTAL_MAX_PERSONS_CHARS)
    content = _text("反映内容", required=True, max_length=settings.PORTAL_MAX_CONTENT_CHARS)
    identity = ChoiceField(
        label="反映方式",
        choices=[("anonymous", "匿名反映"), ("real", "实名反映")],
        error_messages={
            "required": "请选择实名反映或匿名反映。",
            "invalid_choice": "请选择实名反映或匿名反映。",
        },
    )
    name = _text("姓名", required=False, max_length=50)
    phone = _text("手机号码", required=False, max_length=20)
    id_number = _text("身份证号码", required=False, max_length=30)

    field_order = ["persons", "content", "identity", "name", "phone", "id_number", "answer"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Limits are read per form so that a changed setting needs no restart of the module
        # (a field is built anew only then: every form would otherwise pay for two fields).
        for field, limit in (
            ("persons", settings.PORTAL_MAX_PERSONS_CHARS),
            ("content", settings.PORTAL_MAX_CONTENT_CHARS),
        ):
            if getattr(self.fields[field], "max_length", None) != limit:
                self.fields[field] = _text(
                    str(self.fields[field].label), required=field == "content", max_length=limit
                )

    def clean_phone(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data.get("phone", ""))

    def clean_id_number(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data.get("id_number", "")).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("identity") == "real":
            self._check_real_name(data)
        elif data.get("identity") == "anonymous":
            for field, label in (
                ("name", "姓名"),
                ("phone", "手机号码"),
                ("id_number", "身份证号码"),
            ):
                if data.get(field):
                    self.add_error(
                        field,
                        f"选择匿名反映时请不要填写{label}；如愿意留下身份信息，请选择实名反映。",
                    )
        return data

    def _check_real_name(self, data: dict[str, Any]) -> None:
        if "name" not in self.errors and not data.get("name"):
            self.add_error("name", "实名反映请填写姓名。")
        phone = data.get("phone", "")
        if "phone" not in self.errors:
            if not phone:
                self.add_error("phone", "实名反映请填写手机号码。")
            elif not MOBILE.fullmatch(phone):
                self.add_error("phone", "手机号码应为以1开头的11位数字，请核对。")
        number = data.get("id_number", "")
        if "id_number" in self.errors:
            return
        if not number:
            self.add_error("id_number", "实名反映请填写身份证号码。")
            return
        try:
            ric.validate(number)
        except InvalidChecksum:
            self.add_error("id_number", "身份证号码的校验位（最后一位）不正确，请核对。")
        except InvalidComponent:
            self.add_error("id_number", "身份证号码中的地区代码或出生日期无效，请核对。")
        except ValidationError:
            self.add_error("id_number", "身份证号码应为18位，前17位是数字，最后一位是数字或X。")


class FollowupForm(ChallengeForm):
    receipt = CharField(label="回执码", required=False, max_length=100, widget=forms.HiddenInput)
    content = _text("补充内容", required=False, max_length=settings.PORTAL_MAX_CONTENT_CHARS)
