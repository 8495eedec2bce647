"""Why a term problem has no plan, in Chinese, by constraint number with the ids involved.

``counting_reasons`` tries cheap counting arguments first (capacity, deadlines, sectors, year
minimums), each of which proves infeasibility on its own. When none applies,
``clashing_families`` solves the problem again with the constraint families left out one at a
time (then two at a time) to say which ones clash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from planner.term_models import Classes, Relax, rounds_to_hold, solve_by_mip

if TYPE_CHECKING:
    from planner.term import TermProblem, TermRound

__all__ = ["FAMILIES", "clashing_families", "counting_reasons"]

FAMILIES: dict[str, str] = {
    "deadline": "约束1（最晚轮次）",
    "capacity": "约束2（每轮容量）",
    "sectors": "约束2（每轮允许的板块）",
    "sector_count": "约束2（每轮板块数上限）",
    "year_minimum": "约束3（年度最低数）",
}


def _ids(ids: Sequence[str], most: int = 8) -> str:
    shown = "、".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} 等 {len(ids)} 个"


def counting_reasons(problem: TermProblem) -> list[str]:
    """Counting arguments that each prove infeasibility on their own."""
    rounds, targets = problem.rounds, problem.targets
    position = {r.id: k for k, r in enumerate(rounds)}
    last = len(rounds) - 1
    reasons: list[str] = []

    def allows(rnd: TermRound, sector: str) -> bool:
        return rnd.sectors is None or sector in rnd.sectors

    stranded: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for t in targets:
        latest = position[t.latest_round] if t.latest_round else last
        if not any(allows(rounds[r], t.sector) for r in range(latest + 1)):
            stranded[t.sector, t.latest_round].append(t.id)
    for (sector, latest_id), ids in stranded.items():
        where = f"最晚轮次 {latest_id} 及之前" if latest_id else "本届各轮"
        reasons.append(f"约束1、2：对象 {_ids(ids)}（板块 {sector}）在{where}没有允许该板块的轮次")
    capacity = sum(r.capacity for r in rounds)
    if capacity < len(targets):
        reasons.append(f"约束2：各轮容量合计 {capacity} 个，少于待安排的 {len(targets)} 个对象")
    due: list[list[str]] = [[] for _ in rounds]
    for t in targets:
        if t.latest_round:
            due[position[t.latest_round]].append(t.id)
    early: list[str] = []
    for k in range(last):
        early += due[k]
        room = sum(r.capacity for r in rounds[: k + 1])
        if len(early) > room:
            reasons.append(
                f"约束1、2：须在 {rounds[k].id} 及之前安排的对象有 {len(early)} 个"
                f"（{_ids(early)}），但 {rounds[0].id}–{rounds[k].id} 各轮容量合计只有 {room} 个"
            )
            break
    by_sector: dict[str, list[str]] = defaultdict(list)
    for t in targets:
        by_sector[t.sector].append(t.id)
    for sector, ids in by_sector.items():
        open_rounds = [r for r in rounds if allows(r, sector)]
        room = sum(r.capacity for r in open_rounds)
        if open_rounds and room < len(ids):
            reasons.append(
                f"约束2：板块 {sector} 有 {len(ids)} 个对象，但允许该板块的轮次"
                f"（{_ids([r.id for r in open_rounds])}）容量合计只有 {room} 个"
            )
    if (limit := problem.max_sectors_per_round) is not None:
        need = {
            sector: rounds_to_hold(len(ids), [r.capacity for r in rounds if allows(r, sector)])
            for sector, ids in by_sector.items()
        }
        slots = sum(min(limit, sum(1 for sector in by_sector if allows(r, sector))) for r in rounds)
        if sum(need.values()) > slots:
            each = "、".join(f"{sector} {k} 轮" for sector, k in need.items())
            reasons.append(
                f"约束2：每轮最多 {limit} 个板块，各板块按容量至少需要的轮次合计 "
                f"{sum(need.values())} 轮次（{each}），但 {len(rounds)} 个轮次最多只能容纳 "
                f"{slots} 个板块轮次"
            )
    wanted = sum(n for _, n in problem.year_minimum)
    if wanted > len(targets):
        reasons.append(
            f"约束1、3：各年最低数合计 {wanted} 个，多于待安排的对象总数 {len(targets)} 个"
            "（每个对象只安排一次）"
        )
    for year, least in problem.year_minimum:
        in_year = [k for k, r in enumerate(rounds) if str(r.year) == year]
        if least > 0 and not in_year:
            reasons.append(f"约束3：{year} 年至少安排 {least} 个对象，但本届没有该年的轮次")
            continue
        room = sum(rounds[k].capacity for k in in_year)
        if room < least:
            names = _ids([rounds[k].id for k in in_year])
            reasons.append(
                f"约束3：{year} 年至少安排 {least} 个对象，"
                f"但该年各轮（{names}）容量合计只有 {room} 个"
            )
            continue
        can = sum(
            1
            for t in targets
            if any(
                k <= (position[t.latest_round] if t.latest_round else last)
                and allows(rounds[k], t.sector)
                for k in in_year
            )
        )
        if can < least:
            reasons.append(
                f"约束1、3：{year} 年至少安排 {least} 个对象，但只有 {can} 个对象能安排在该年的轮次"
                "（其余对象的最晚轮次更早，或板块不被该年各轮允许）"
            )
    return reasons


def clashing_families(
    problem: TermProblem, cls: Classes, time_limit_s: float, seed: int
) -> list[str]:
    """Which constraint families clash: those whose removal (alone, else in pairs) helps."""
    present = [
        name
        for name, here in (
            ("deadline", any(t.latest_round for t in problem.targets)),
            ("capacity", True),
            ("sectors", any(r.sectors is not None for r in problem.rounds)),
            ("sector_count", problem.max_sectors_per_round is not None),
            ("year_minimum", any(n > 0 for _, n in problem.year_minimum)),
        )
        if here
    ]
    each = time_limit_s / max(1, len(present) + len(present) * (len(present) - 1) // 2)
    for size in (1, 2):
        fixes = [
            group
            for group in combinations(present, size)
            if solve_by_mip(
                problem, cls, Relax(**dict.fromkeys(group, True)), each, seed, with_start=False
            )[0]
            in ("optimal", "feasible")
        ]
        if size == 1 and len(fixes) > 1:
            named = "、".join(FAMILIES[name] for (name,) in fixes)
            return [f"约束不能同时满足：{named}，去掉其中任一类后可以安排。"]
        if size == 1 and fixes:
            name = FAMILIES[fixes[0][0]]
            return [f"{name}与其余约束不能同时满足，去掉{name}后可以安排。"]
        if fixes:
            return [
                "不能同时满足的约束要去掉两类才可以安排："
                + "；".join("和".join(FAMILIES[name] for name in group) for group in fixes)
                + "。"
            ]
    return ["约束1–3 不能同时满足，去掉任一类或任两类约束仍不可行，请检查输入数据。"]
