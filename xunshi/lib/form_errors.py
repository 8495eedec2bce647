"""What every app's forms share: their errors as one Chinese line for a flash message."""

from __future__ import annotations

from django import forms

__all__ = ["error_text"]


def error_text(form: forms.Form) -> str:
    """A form's errors as one Chinese line for a flash message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "、".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)
