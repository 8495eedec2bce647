"""What the console shows of a refused request: one line, no traceback.

Django logs a 403 (PermissionDenied, on `django.request`) and a suspicious request
(`django.security.*`) with the exception attached, so every refusal printed a full traceback
that hid the real errors. A refusal is the access rules working, not a fault: the line
"Forbidden (Permission denied): /path" says everything; a 500 keeps its traceback.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation

__all__ = ["RefusalOneLine"]

_REFUSALS = (PermissionDenied, SuspiciousOperation)


class RefusalOneLine(logging.Filter):
    """Drop the traceback of a record about a refused request; keep the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], _REFUSALS):
            record.exc_info = None
            record.exc_text = None
        return True
