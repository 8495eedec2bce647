"""WSGI entry of the portal: ``gunicorn portal.wsgi`` (without --access-logfile)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # every file the portal creates is the app user's alone (issue 12)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()
