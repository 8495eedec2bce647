"""A management command's ``--every N``: run, then again every N seconds until SIGTERM or
Ctrl-C, which end it cleanly between two runs. `EveryCommand` is the command itself (the
``--every [N]`` and hidden ``--rounds`` arguments, once or repeated); `portal_pull`,
`oversight_figures` and `reminders` are its subclasses, each naming its setting and its task
and saying what a round did."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, ClassVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

__all__ = ["EveryCommand", "repeat"]


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


class EveryCommand(BaseCommand):
    """Run `task` once, or with ``--every [N]`` every N seconds (without N: the setting named
    `every_setting`) until stopped; ``--rounds K`` (hidden, for the tests) stops after K.

    `task` is a django-tasks task, run here in this process through its ``call()``, or a plain
    function (wrapped in `staticmethod`); `report` says what one round did, given the task's
    result and the round's seconds (``self.quiet`` at verbosity 0)."""

    every_setting: ClassVar[str]
    task: ClassVar[Any]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=getattr(settings, self.every_setting),
            default=None,
            help=f"每隔多少秒重复一次（默认 {self.every_setting}）；不给则只运行一次。",
        )
        parser.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, every: int | None, rounds: int, **options: Any) -> None:
        self.quiet = int(options.get("verbosity", 1)) < 1
        if every is None:
            self.round()
            return
        repeat(self.round, every, rounds=rounds)

    def round(self) -> None:
        """One round: the task, then its report."""
        started = time.perf_counter()
        run = getattr(self.task, "call", self.task)
        result = run()
        self.report(result, time.perf_counter() - started)

    def report(self, result: Any, seconds: float) -> None:
        """What the round did, for the operator (the subclasses; nothing by default)."""
