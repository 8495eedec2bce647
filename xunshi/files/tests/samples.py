"""Real sample files built in memory: moved to `uploadscan.tests.samples`, which both the
internal app and the portal use; this name stays for the internal app's tests."""

from __future__ import annotations

from uploadscan.tests.samples import *  # noqa: F403
from uploadscan.tests.samples import __all__ as __all__
