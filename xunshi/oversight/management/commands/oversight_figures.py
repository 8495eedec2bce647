"""``manage.py oversight_figures``: count every lower body's oversight figures once for the
pages of the bodies above (`figures_refresh`), or ``--every N`` seconds until stopped."""

from __future__ import annotations

from typing import Any

from xunshi.lib.every import EveryCommand
from xunshi.oversight.actions import figures_refresh


class Command(EveryCommand):
    help = "统计各下级党组织的巡察工作数字，供上级党组织的上下联动页面使用。"
    every_setting = "XUNSHI_OVERSIGHT_FIGURES_SECONDS"
    task = staticmethod(figures_refresh)

    def report(self, result: Any, seconds: float) -> None:
        if not self.quiet:
            self.stdout.write(f"已统计{result}个下级党组织的巡察工作数字，用时{seconds:.1f}秒。")
