"""A management command's ``--every N``: run, then again every N seconds until SIGTERM or
Ctrl-C, which end it cleanly between two runs (``portal_pull``, ``oversight_figures``)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

__all__ = ["repeat"]


def repeat(run: Callable[[], None], every: int, *, rounds: int = 0) -> None:
    """Call `run` every `every` seconds (1 … 3600) until stopped, or `rounds` times if given."""
    period = max(1, min(every, 3600))
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        done = 0
        while not stop.is_set():
            run()
            done += 1
            if rounds and done >= rounds:
                break
            stop.wait(period)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
