"""Realistic round problems for tests and the benchmark, reproducible from a seed.

The default sizes are the seed article's round: 13 teams, 一托三, 39 targets (30 counties in
about 17 cities, 6 provincial departments, 3 provincial SOEs), a pool of about 600 cadres of
whom about one in eight can lead, and about 2,000 avoidance pairs.
"""

from __future__ import annotations

import random

from planner.avoidance import RULES
from planner.round import RoundCadre, RoundConflict, RoundProblem, RoundTarget

__all__ = ["round_problem"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇浩凯鹏飞"
PLACE = "安宁平阳城丰泰和兴德新华阴源川山河林荣清昌乐"
DEPARTMENTS = (
    "省财政厅",
    "省交通运输厅",
    "省自然资源厅",
    "省水利厅",
    "省卫生健康委",
    "省教育厅",
    "省农业农村厅",
    "省商务厅",
    "省民政厅",
    "省住房城乡建设厅",
)
SOES = ("省能源集团", "省投资集团", "省交通投资集团", "省铁路建设投资集团", "省农业发展集团")
SKILL_SHARES = (
    ("discipline", 0.30),
    ("organization", 0.25),
    ("finance", 0.22),
    ("audit", 0.10),
    ("law", 0.10),
)


def round_problem(
    seed: int,
    *,
    teams: int = 13,
    per_team: int = 3,
    targets: int | None = None,
    cadres: int = 600,
    leaders: int | None = None,
    units: int | None = None,
    conflict_pairs: int = 2000,
    team_size: tuple[int, int] = (5, 9),
    team_skills: tuple[tuple[str, int], ...] = (
        ("discipline", 1),
        ("organization", 1),
        ("finance", 1),
    ),
    max_per_team: tuple[tuple[str, int], ...] = (("soe", 1),),
) -> RoundProblem:
    """A round of `teams` teams and (by default) exactly teams × per_team targets."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    n = teams * per_team if targets is None else targets
    n_soe = min(len(SOES), max(0, round(n * 3 / 39)))
    n_dept = min(len(DEPARTMENTS), max(0, round(n * 6 / 39)))
    n_county = n - n_soe - n_dept
    cities = max(1, round(n_county * 17 / 30))
    target_list: list[RoundTarget] = []
    used_names: set[str] = set()
    for i in range(n_county):
        city = 1 + (i if i < cities else rng.randrange(cities))
        name = _county_name(rng, used_names)
        code = f"41{city:02d}{i + 1:02d}"
        target_list.append(RoundTarget(code, name, "county", f"41{city:02d}", rng.randint(2, 5)))
    for i, dept in enumerate(rng.sample(DEPARTMENTS, n_dept)):
        target_list.append(RoundTarget(f"4100D{i + 1:02d}", dept, "department", "4100", 2))
    for i, soe in enumerate(rng.sample(SOES, n_soe)):
        target_list.append(RoundTarget(f"4100S{i + 1:02d}", soe, "soe", "4100", rng.randint(3, 4)))
    rng.shuffle(target_list)

    n_leaders = max(1, round(cadres * 80 / 600)) if leaders is None else leaders
    n_units = max(team_size[1] + 2, cadres // 8) if units is None else units
    lead_ids = set(rng.sample(range(cadres), min(n_leaders, cadres)))
    cadre_list: list[RoundCadre] = []
    for c in range(cadres):
        skills = tuple(s for s, share in SKILL_SHARES if rng.random() < share)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        unit = f"U{rng.randrange(n_units) + 1:03d}"
        cadre_list.append(RoundCadre(f"C{c + 1:04d}", name, unit, c in lead_ids, skills))

    pairs: set[tuple[int, int]] = set()
    wanted = min(conflict_pairs, cadres * n)
    while len(pairs) < wanted:
        pairs.add((rng.randrange(cadres), rng.randrange(n)))
    rules = sorted(RULES)
    conflicts = tuple(
        RoundConflict(
            cadre_list[c].id,
            target_list[g].id,
            rule := rng.choice(rules),
            f"{RULES[rule]}：{target_list[g].name}",
        )
        for c, g in sorted(pairs)
    )
    return RoundProblem(
        name=f"生成的轮次 {seed}",
        teams=teams,
        targets_per_team=per_team,
        team_size=team_size,
        team_skills=team_skills,
        max_per_team=max_per_team,
        targets=tuple(target_list),
        cadres=tuple(cadre_list),
        conflicts=conflicts,
    )


def _county_name(rng: random.Random, used: set[str]) -> str:
    for attempt in range(1000):
        name = "".join(rng.sample(PLACE, 2)) + rng.choice("县县县市区")
        if attempt > 50:
            name = f"{name[:2]}{attempt}{name[2]}"
        if name not in used:
            used.add(name)
            return name
    raise AssertionError("unreachable: numbered names are unique")
