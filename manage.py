#!/usr/bin/env python
"""Django's command-line utility for the internal app."""

import os
import sys

if __name__ == "__main__":
    # Case data: every file this process creates (the SQLite database and its WAL, var/, exports)
    # is the app user's alone, whatever the shell's umask (issue 12).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
