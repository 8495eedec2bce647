"""A logging filter that keeps the request (address, agent, headers) out of every record."""

from __future__ import annotations

import logging


class DropRequest(logging.Filter):
    """Django's request loggers attach the request; no handler of the portal may see it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("request", None)
        return True
