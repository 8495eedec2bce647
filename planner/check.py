"""Checking plans and problems without any solver, so that a solver cannot fool the check.

`check_plan(problem, plan)` recomputes every constraint of the format and the objective from the
plan's own lists and returns the violations, each with its constraint number (0 for the
objective and the status claims), a Chinese message and the ids involved; an empty list means
the plan is valid. It works for both formats: a `RoundProblem` with a `RoundPlan`, or
`planner.term`'s `TermProblem` with a `TermPlan` (read by attribute, so this module never needs
the term solver). `round_problem_reasons(problem)` counts the necessary conditions of a round
(enough leaders, skills, units; no target that every leader must avoid …); each reason it gives
proves that no plan exists, which is how the solver explains most infeasible rounds at once.

This module imports neither OR-Tools nor HiGHS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.avoidance import RULES
from planner.round import RoundPlan, RoundProblem, RoundTarget

if TYPE_CHECKING:
    from planner.term import TermPlan, TermProblem

__all__ = [
    "SECTOR_NAMES",
    "SKILL_NAMES",
    "Violation",
    "check_plan",
    "check_round_plan",
    "check_term_plan",
    "clash_reasons",
    "round_objective",
    "round_problem_reasons",
    "target_label",
]

SECTOR_WORDS = {"county": "县", "department": "单位", "soe": "企业", "university": "高校"}
SECTOR_NAMES = {
    "county": "县（市、区）",
    "department": "省直单位",
    "soe": "省属企业",
    "university": "高校",
}
SKILL_NAMES = {
    "discipline": "纪检监察",
    "organization": "组织人事",
    "finance": "财务",
    "audit": "审计",
    "law": "法律",
}


@dataclass(frozen=True)
class Violation:
    constraint: int  # 1–7 (round) or 1–3 (term) as numbered in the format; 0: objective or status
    message: str
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"约束{self.constraint}" if self.constraint else "目标值"
        return f"{head}：{self.message}"


def check_plan(problem: RoundProblem | TermProblem, plan: RoundPlan | TermPlan) -> list[Violation]:
    """Every way `plan` breaks `problem` (docs/planning-format.md), or [] if it is a valid plan."""
    if isinstance(problem, RoundProblem):
        if not isinstance(plan, RoundPlan):
            raise TypeError("轮次问题需要轮次方案")
        return check_round_plan(problem, plan)
    return check_term_plan(problem, plan)  # type: ignore[arg-type]


def target_label(t: RoundTarget) -> str:
    return f"{SECTOR_WORDS.get(t.sector, '对象')} {t.name}（{t.id}）"


def list_ids(ids: Sequence[str], most: int = 8) -> str:
    shown = "、".join(ids[:most])
    return shown + (f" 等 {len(ids)} 个" if len(ids) > most else "")


def round_objective(problem: RoundProblem, teams: Sequence[Sequence[str]]) -> int:
    """10 × (max − min team workload) + Σ distinct regions per team, for lists of target ids."""
    by_id = {t.id: t for t in problem.targets}
    if not teams:
        return 0
    loads = [sum(by_id[g].workload for g in team if g in by_id) for team in teams]
    regions = sum(len({by_id[g].region for g in team if g in by_id}) for team in teams)
    return 10 * (max(loads) - min(loads)) + regions


def _claims(status: str, objective: int | None, bound: float | None, value: int) -> list[Violation]:
    """The plan's own numbers: its objective against `value` recomputed, its bound and status."""
    out = []
    if objective != value:
        out.append(Violation(0, f"方案给出的目标值为 {objective}，按方案重新计算应为 {value}"))
    elif bound is not None and bound > objective + 1e-6:
        out.append(Violation(0, f"方案给出的下界 {bound} 高于目标值 {objective}"))
    elif status == "optimal" and (bound is None or bound < objective - 1e-6):
        out.append(Violation(0, f"状态为 optimal，但下界 {bound} 低于目标值 {objective}"))
    return out


def check_round_plan(problem: RoundProblem, plan: RoundPlan) -> list[Violation]:
    if plan.status not in ("optimal", "feasible"):
        return [Violation(0, f"方案状态为 {plan.status}，没有可检查的分组")]
    targets = {t.id: t for t in problem.targets}
    cadres = {c.id: c for c in problem.cadres}
    lo, hi = problem.team_size
    out: list[Violation] = []
    if len(plan.teams) != problem.teams:
        out.append(Violation(2, f"方案有 {len(plan.teams)} 个组，应为 {problem.teams} 个组"))
    team_of_target: dict[str, int] = {}
    team_of_cadre: dict[str, int] = {}
    for i, team in enumerate(plan.teams, start=1):
        for g in team.targets:
            if g not in targets:
                out.append(Violation(1, f"第{i}组的对象 {g} 不是本轮的巡视对象", (g,)))
            elif g in team_of_target:
                out.append(
                    Violation(
                        1,
                        f"{target_label(targets[g])} 同时分给了第{team_of_target[g]}组和第{i}组",
                        (g,),
                    )
                )
            else:
                team_of_target[g] = i
        if len(team.targets) > problem.targets_per_team:
            out.append(
                Violation(
                    1,
                    f"第{i}组有 {len(team.targets)} 个对象，多于每组至多 "
                    f"{problem.targets_per_team} 个",
                    team.targets,
                )
            )
        leader = cadres.get(team.leader)
        if leader is None:
            out.append(Violation(2, f"第{i}组的组长 {team.leader} 不在干部名单中", (team.leader,)))
        elif not leader.can_lead:
            out.append(
                Violation(2, f"第{i}组的组长 {leader.name}（{leader.id}）不可任组长", (leader.id,))
            )
        if team.leader not in team.members:
            out.append(Violation(2, f"第{i}组的组长 {team.leader} 不在本组成员中", (team.leader,)))
        for c in team.members:
            if c not in cadres:
                out.append(Violation(3, f"第{i}组的成员 {c} 不在干部名单中", (c,)))
            elif c in team_of_cadre:
                where = (
                    "本组重复列出"
                    if team_of_cadre[c] == i
                    else f"同时在第{team_of_cadre[c]}组和第{i}组"
                )
                out.append(Violation(3, f"干部 {cadres[c].name}（{c}）{where}", (c,)))
            else:
                team_of_cadre[c] = i
        members = [cadres[c] for c in dict.fromkeys(team.members) if c in cadres]
        if not lo <= len(set(team.members)) <= hi:
            out.append(
                Violation(
                    3, f"第{i}组有 {len(set(team.members))} 人，不在 {lo}–{hi} 人之间", team.members
                )
            )
        units = Counter(c.unit for c in members)
        for unit, count in units.items():
            if count > 1:
                same = tuple(c.id for c in members if c.unit == unit)
                out.append(Violation(4, f"第{i}组成员 {list_ids(same)} 同属单位 {unit}", same))
        for skill, need in problem.team_skills:
            have = sum(skill in c.skills for c in members)
            if have < need:
                out.append(
                    Violation(
                        5,
                        f"第{i}组具备{SKILL_NAMES.get(skill, skill)}（{skill}）专长的成员"
                        f"有 {have} 人，少于 {need} 人",
                        (skill,),
                    )
                )
        sectors = Counter(targets[g].sector for g in team.targets if g in targets)
        for sector, cap in problem.max_per_team:
            if sectors[sector] > cap:
                out.append(
                    Violation(
                        6,
                        f"第{i}组有 {sectors[sector]} 个{SECTOR_NAMES.get(sector, sector)}"
                        f"（{sector}）对象，多于每组至多 {cap} 个",
                        (sector,),
                    )
                )
    missing = tuple(t.id for t in problem.targets if t.id not in team_of_target)
    if missing:
        out.append(Violation(1, f"对象 {list_ids(missing)} 没有分给任何组", missing))
    for conflict in problem.conflicts:
        k = team_of_cadre.get(conflict.cadre)
        if k is not None and team_of_target.get(conflict.target) == k:
            name = cadres[conflict.cadre].name
            out.append(
                Violation(
                    7,
                    f"第{k}组的 {name}（{conflict.cadre}）与 "
                    f"{target_label(targets[conflict.target])} 存在回避关系"
                    f"（{RULES.get(conflict.rule, conflict.rule)}：{conflict.detail}）",
                    (conflict.cadre, conflict.target),
                )
            )
    value = round_objective(problem, [team.targets for team in plan.teams])
    return out + _claims(plan.status, plan.objective, plan.bound, value)


def _as_dict(value: Any) -> dict[Any, Any]:
    return dict(value.items() if isinstance(value, Mapping) else value)


def check_term_plan(problem: TermProblem, plan: TermPlan) -> list[Violation]:
    if plan.status not in ("optimal", "feasible"):
        return [Violation(0, f"方案状态为 {plan.status}，没有可检查的轮次安排")]
    position = {r.id: k for k, r in enumerate(problem.rounds, start=1)}
    targets = {t.id: t for t in problem.targets}
    placed: dict[str, str] = _as_dict(plan.rounds)
    out: list[Violation] = []
    round_of: dict[str, str] = {}
    for rid, listed in placed.items():
        if rid not in position:
            out.append(Violation(1, f"轮次 {rid} 不是本届的轮次", (rid,)))
        for g in listed:
            if g not in targets:
                out.append(Violation(1, f"轮次 {rid} 的对象 {g} 不在本届的对象中", (g,)))
            elif g in round_of:
                out.append(Violation(1, f"对象 {g} 同时排在 {round_of[g]} 和 {rid}", (g,)))
            else:
                round_of[g] = rid
                latest = targets[g].latest_round
                if latest is not None and position.get(rid, 0) > position.get(
                    latest, len(position)
                ):
                    out.append(
                        Violation(1, f"对象 {g} 排在 {rid}，晚于其最晚轮次 {latest}", (g, rid))
                    )
    missing = tuple(t.id for t in problem.targets if t.id not in round_of)
    if missing:
        out.append(Violation(1, f"对象 {list_ids(missing)} 没有排进任何轮次", missing))
    limit = problem.max_sectors_per_round
    for r in problem.rounds:
        ids = [g for g in placed.get(r.id, ()) if g in targets]
        if len(ids) > r.capacity:
            out.append(
                Violation(2, f"轮次 {r.id} 排了 {len(ids)} 个对象，多于容量 {r.capacity}", (r.id,))
            )
        if r.sectors is not None:
            wrong = tuple(g for g in ids if targets[g].sector not in r.sectors)
            if wrong:
                out.append(
                    Violation(
                        2,
                        f"轮次 {r.id} 只收 {'、'.join(r.sectors) or '（无）'} 板块，"
                        f"却排了 {list_ids(wrong)}",
                        (r.id, *wrong),
                    )
                )
        sectors = sorted({targets[g].sector for g in ids})
        if limit is not None and len(sectors) > limit:
            out.append(
                Violation(
                    2,
                    f"轮次 {r.id} 有 {len(sectors)} 个板块（{'、'.join(sectors)}），"
                    f"多于每轮至多 {limit} 个",
                    (r.id,),
                )
            )
    for year, minimum in _as_dict(problem.year_minimum).items():
        rounds = [r.id for r in problem.rounds if str(r.year) == str(year)]
        count = sum(len([g for g in placed.get(rid, ()) if g in targets]) for rid in rounds)
        if count < minimum:
            out.append(
                Violation(
                    3,
                    f"{year} 年的轮次（{'、'.join(rounds) or '无'}）共排 {count} 个对象，"
                    f"少于至少 {minimum} 个",
                    tuple(rounds),
                )
            )
    value = sum(targets[g].risk * position.get(rid, 0) for g, rid in round_of.items())
    return out + _claims(plan.status, plan.objective, plan.bound, value)


def round_problem_reasons(problem: RoundProblem) -> list[str]:
    """Counted necessary conditions of a round; each reason returned proves it has no plan."""
    p, out = problem, []
    T, N, lo = p.teams, p.targets_per_team, p.team_size[0]
    if len(p.targets) > T * N:
        out.append(
            f"巡视对象共 {len(p.targets)} 个，多于 {T} 个组 × 每组至多 {N} 个 = {T * N} 个（约束1）"
        )
    leaders = [c.id for c in p.cadres if c.can_lead]
    if len(leaders) < T:
        out.append(
            f"可任组长的干部只有 {len(leaders)} 人（{list_ids(leaders) or '无'}），少于组数 {T}："
            "每组要有一名组长，一人只能在一个组（约束2、3）"
        )
    if _seats(p.cadres, T) < T * lo:
        out.append(
            f"同一单位在每组至多 1 人，干部池至多能为 {T} 个组提供 {_seats(p.cadres, T)} 人次，"
            f"不足 {T} 组 × 每组至少 {lo} 人 = {T * lo} 人（约束3、4）"
        )
    scarce = set()  # skills already reported for the whole pool, not again per target
    for skill, need in p.team_skills:
        holders = [c for c in p.cadres if skill in c.skills]
        if _seats(holders, T) < T * need:
            scarce.add(skill)
            out.append(
                f"具备{SKILL_NAMES.get(skill, skill)}（{skill}）专长的干部只有 {len(holders)} 人，"
                f"来自 {len({c.unit for c in holders})} 个单位，不足以让 {T} 个组各有 {need} 人"
                "（约束3、4、5）"
            )
    for sector, cap in p.max_per_team:
        count = sum(t.sector == sector for t in p.targets)
        if count > T * cap:
            out.append(
                f"{SECTOR_NAMES.get(sector, sector)}（{sector}）对象有 {count} 个，"
                f"多于 {T} 个组 × 每组至多 {cap} 个 = {T * cap} 个（约束1、6）"
            )
    avoid: dict[str, set[str]] = {}
    for conflict in p.conflicts:
        avoid.setdefault(conflict.target, set()).add(conflict.cadre)
    for t in p.targets:
        if t.id not in avoid:
            continue
        free = [c for c in p.cadres if c.id not in avoid[t.id]]
        units = {c.unit for c in free}
        if leaders and not any(c.can_lead for c in free):
            out.append(f"{target_label(t)} 与所有可任组长的干部均存在回避关系（约束2、7）")
        elif len(units) < lo:
            out.append(
                f"{target_label(t)} 与太多干部存在回避关系：无回避的干部只来自 "
                f"{len(units)} 个单位，组不成至少 {lo} 人且各来自不同单位的组（约束3、4、7）"
            )
        for skill, need in p.team_skills:
            if skill not in scarce and len({c.unit for c in free if skill in c.skills}) < need:
                out.append(
                    f"{target_label(t)} 与具备{SKILL_NAMES.get(skill, skill)}（{skill}）专长的"
                    f"干部回避关系过多，其组凑不齐 {need} 名该专长的成员（约束4、5、7）"
                )
    return out


def clash_reasons(problem: RoundProblem, clash: Sequence[tuple[int, str]]) -> list[str]:
    """Chinese lines for constraint families that cannot hold together (a solver's core): each
    family is (constraint number, key): the skill for 5, the sector for 6, the target for 7."""
    p = problem
    lines = [
        "以下约束不能同时满足：" + "、".join(f"约束{k}" for k in sorted({k for k, _ in clash}))
    ]
    needs, caps = dict(p.team_skills), dict(p.max_per_team)
    targets = {t.id: t for t in p.targets}
    lo, hi = p.team_size
    fixed = {
        1: f"约束1：每个对象分给一个组，每组至多 {p.targets_per_team} 个对象",
        2: "约束2：每组有一名可任组长的干部任组长",
        3: f"约束3：每名干部至多在一个组，每组 {lo}–{hi} 人",
        4: "约束4：同组成员不来自同一单位",
    }
    for number, key in sorted(clash):
        if number in fixed:
            lines.append(fixed[number])
        elif number == 5:
            name = SKILL_NAMES.get(key, key)
            lines.append(f"约束5：每组至少 {needs[key]} 名具备{name}（{key}）专长的成员")
        elif number == 6:
            name = SECTOR_NAMES.get(key, key)
            lines.append(f"约束6：每组至多 {caps[key]} 个{name}（{key}）对象")
        else:
            avoiding = {c.cadre for c in p.conflicts if c.target == key}
            free = [c.id for c in p.cadres if c.can_lead and c.id not in avoiding]
            lines.append(
                f"约束7：回避关系，涉及 {target_label(targets[key])}，"
                f"与其无回避关系的可任组长干部：{list_ids(free) or '无'}"
            )
    return lines


def _seats(cadres: Iterable[Any], teams: int) -> int:
    """How many (team, member) places the cadres can fill when a unit gives each team one."""
    return sum(min(teams, count) for count in Counter(c.unit for c in cadres).values())
