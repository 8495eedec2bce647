"""manage.py seed_demo: load the demo province once (see xunshi/demo/province.py), then the
city and counties below it (xunshi/demo/kaifeng.py), each only if it is not there yet."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from xunshi.demo.kaifeng import build_kaifeng, kaifeng_exists
from xunshi.demo.province import BODY_NAME, build_demo, demo_exists
from xunshi.registry.models import Sector
from xunshi.searchindex.actions import search_reindex


class Command(BaseCommand):
    help = (
        "加载演示数据（中共河南省委十一届省委的单位、干部库和第一至九轮巡视，"
        "以及开封市委、兰考县委、杞县委的巡察），只加载一次"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists() and kaifeng_exists():
            self.stdout.write("演示数据已存在，跳过")
            return
        started = time.perf_counter()
        if not demo_exists():
            self._province()
        self._below()
        # The history is written in bulk, not through every action: index it all once.
        indexed = search_reindex()
        self.stdout.write(f"全文检索索引 {sum(indexed.values())} 条")
        seconds = time.perf_counter() - started
        self.stdout.write(f"用时 {seconds:.1f} 秒；登录方式见 manage.py demo_logins")

    def _province(self) -> None:
        summary = build_demo()
        labels = dict(Sector.choices)
        orgs = "、".join(
            f"{labels.get(s, s)} {n}"
            for s, n in sorted(summary.orgs.items(), key=lambda kv: Sector.values.index(kv[0]))
        )
        self.stdout.write(self.style.SUCCESS(f"演示数据已加载：{BODY_NAME}"))
        self.stdout.write(f"  单位 {sum(summary.orgs.values())} 个（{orgs}）")
        self.stdout.write(f"  干部库 {summary.cadres} 人，其中可任组长 {summary.can_lead} 人")
        self.stdout.write(
            f"  巡视 {summary.rounds} 轮，巡视组 {summary.teams} 个，"
            f"巡视任务 {summary.inspections} 项"
        )
        self.stdout.write(f"  演示用户 {summary.users} 个，审计记录 {summary.audit_events} 条")

    def _below(self) -> None:
        for body in build_kaifeng():
            villages = f"（其中演示村 {body.villages} 个）" if body.villages else ""
            self.stdout.write(self.style.SUCCESS(f"演示数据已加载：{body.name}"))
            self.stdout.write(
                f"  单位 {body.orgs} 个{villages}，干部库 {body.cadres} 人，"
                f"巡察 {body.rounds} 轮、巡察任务 {body.inspections} 项，演示用户 {body.users} 个"
            )
