"""`/healthz`: whether this installation can do its work, for a load balancer or a monitor.

Four checks, each a yes or no with a short reason: the database answers; the task worker's
heartbeat (`manage.py jobs_worker`) is fresh; the portal was reached by the puller's last try,
which is recent (the puller is alive and the portal answers it); every disk the app writes
to has room. 200 when all pass, 503 naming what failed. No login, no case data, no write and
no audit event: a monitor calls it every few seconds.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xunshi.intake.queries import last_pull
from xunshi.jobs.queries import heartbeat_at

__all__ = ["Check", "healthz"]

Check = tuple[bool, str]  # passed, and why not (or a short note when it passed)


def database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, ""


def _age(at: dt.datetime | None) -> int | None:
    return None if at is None else int((timezone.now() - at).total_seconds())


def worker() -> Check:
    age = _age(heartbeat_at("worker"))
    if age is None:
        return False, _("任务进程从未写入心跳（jobs_worker 未运行）")
    if age > settings.XUNSHI_HEALTH_WORKER_SECONDS:
        return False, _("任务进程心跳已停止%(age)s秒") % {"age": age}
    return True, _("心跳于%(age)s秒前") % {"age": age}


def portal() -> Check:
    at, error = last_pull()
    age = _age(at)
    if age is None:
        return False, _("尚未从门户网站拉取过（portal_pull 未运行）")
    if error:
        return False, _("最近一次拉取（%(age)s秒前）未能连上门户网站") % {"age": age}
    if age > settings.XUNSHI_HEALTH_PORTAL_SECONDS:
        return False, _("最近一次拉取已是%(age)s秒前（portal_pull 可能已停止）") % {"age": age}
    return True, _("最近一次拉取于%(age)s秒前") % {"age": age}


def _written_dirs() -> list[Path]:
    dirs = [settings.BASE_DIR / "var", Path(settings.MEDIA_ROOT), Path(settings.XUNSHI_FILES_ROOT)]
    name = str(settings.DATABASES["default"].get("NAME") or "")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name:
        dirs.append(Path(name).parent)
    return [d for d in dict.fromkeys(dirs) if d.exists()]


def disk() -> Check:
    minimum = settings.XUNSHI_HEALTH_DISK_MIN_MB
    least = min((shutil.disk_usage(d).free // 2**20 for d in _written_dirs()), default=None)
    if least is None:
        return False, _("找不到数据目录")
    if least < minimum:
        return False, _("磁盘剩余%(least)sMB，低于%(minimum)sMB") % {
            "least": least,
            "minimum": minimum,
        }
    return True, _("剩余%(least)sMB") % {"least": least}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database,
    "worker": worker,
    "portal": portal,
    "disk": disk,
}


def run_checks(checks: dict[str, Callable[[], Check]]) -> JsonResponse:
    """Run each check (one that raises fails with the kind of error), answer 200 or 503."""
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        try:
            passed, why = check()
        except (DatabaseError, OSError) as error:
            passed, why = False, type(error).__name__
        results[name] = {"ok": passed, "detail": why}
    failed = [name for name, result in results.items() if not result["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(
        body, status=503 if failed else 200, json_dumps_params={"ensure_ascii": False}
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The four checks as JSON: 200 when all pass, 503 with the failed ones named."""
    return run_checks(CHECKS)
