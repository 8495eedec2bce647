"""`/healthz` of the portal: the database answers and its disk has room. JSON, 200 or 503
naming the failed check, and nothing more (no figures: the portal is public, and nginx lets
only the local host ask, deploy/nginx/xunshi-portal.conf). No cookie, no write, no log."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

__all__ = ["healthz"]

DISK_MIN_MB = 512


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _disk() -> bool:
    name = str(settings.DATABASES["default"].get("NAME") or "")
    local = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name
    where = Path(name).parent if local else settings.BASE_DIR
    minimum = getattr(settings, "PORTAL_HEALTH_DISK_MIN_MB", DISK_MIN_MB)
    return shutil.disk_usage(where).free // 2**20 >= minimum


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and disk: 200 when both pass, 503 with the failed ones named."""
    results: dict[str, bool] = {}
    for name, check in (("database", _database), ("disk", _disk)):
        try:
            results[name] = check()
        except (DatabaseError, OSError):
            results[name] = False
    failed = [name for name, ok in results.items() if not ok]
    body = {"status": "fail" if failed else "ok", "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
