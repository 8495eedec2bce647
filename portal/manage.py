#!/usr/bin/env python
"""The portal's manage.py: ``python portal/manage.py migrate`` and friends."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    # Run as a script, Python puts portal/ itself first on the path; the project root is
    # what the imports expect (portal.settings, envelope, uploadscan).
    if sys.path and Path(sys.path[0]).resolve() == root / "portal":
        sys.path.pop(0)
    sys.path.insert(0, str(root))
    os.umask(0o077)  # the database, its WAL and var/ are the app user's alone (issue 12)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
