"""Realistic round problems for tests and the benchmark, reproducible from a seed.

`round_problem`'s default sizes are the seed article's round: 13 teams, 一托三, 39 targets
(30 counties in about 17 cities, 6 provincial departments, 3 provincial SOEs), a pool of about
600 cadres of whom about one in eight can lead, and about 2,000 avoidance pairs.

`village_round` is a county committee's round of village 巡察 (对村巡察): about 8 teams each sent
to 25–40 villages (一托N), the villages taken township by township in code order as the planning
page proposes them, each carrying its township's 12-digit 统计用区划代码 as its region (the
planner groups a team's villages by township), and a pool of about 160 of the county's cadres
whose avoidance ties are those of a county: a home township (地域回避) or a recent post in one,
covering all of that township's villages, and kin in a few villages.
"""

from __future__ import annotations

import random

from planner.avoidance import RULES
from planner.round import RoundCadre, RoundConflict, RoundProblem, RoundTarget

__all__ = ["round_problem", "village_round"]

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


# Village names: a surname or a place word and a settlement word (张庄村, 李寨村, 王屯村 …).
SETTLEMENTS = "庄寨屯集营楼店岗湾坡"
COUNTY_UNITS = (
    "县纪委监委",
    "县委组织部",
    "县委巡察办",
    "县财政局",
    "县审计局",
    "县农业农村局",
    "县民政局",
    "县自然资源局",
    "县住房城乡建设局",
    "县乡村振兴局",
    "县人社局",
    "县委宣传部",
    "县委政法委",
    "县司法局",
    "县信访局",
    "县教育局",
    "县卫生健康委",
    "县水利局",
    "县交通运输局",
    "县市场监管局",
)
VILLAGE_SKILL_SHARES = (("discipline", 0.35), ("finance", 0.25), ("organization", 0.2))


def village_round(
    seed: int,
    *,
    teams: int = 8,
    per_team: int = 25,
    villages: int | None = None,
    cadres: int = 160,
    county: str = "410225",
    team_size: tuple[int, int] = (4, 6),
    team_skills: tuple[tuple[str, int], ...] = (("discipline", 1), ("finance", 1)),
) -> RoundProblem:
    """A county's village round: `teams` teams, (by default) teams × per_team villages."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    n = teams * per_team if villages is None else villages
    # The county's townships (镇 100…, 乡 200…), 8–30 villages each; the round covers the first
    # ones whole and the last one in part, and some townships are left for later rounds.
    townships: list[tuple[str, str, int]] = []
    names: set[str] = set()
    while sum(size for _, _, size in townships) < n + 60:
        i = len(townships)
        code = f"{county}{(100 + i) if i % 3 else (200 + i // 3):03d}000"
        name = _village_name(rng, names, PLACE, PLACE) + ("乡" if i % 3 == 0 else "镇")
        townships.append((code, name, rng.randint(8, 30)))
    townships.sort()
    target_list: list[RoundTarget] = []
    for code, township, size in townships:
        used: set[str] = set()
        for j in range(size):
            if len(target_list) == n:
                break
            community = township.endswith("镇") and j < 2
            place = _village_name(rng, used, SURNAMES + PLACE, SETTLEMENTS)
            target_list.append(
                RoundTarget(
                    f"{code[:9]}{(1 + j) if community else (200 + j):03d}",
                    f"{township}{place}{'社区' if community else '村'}",
                    "village",
                    code,
                    1,  # every village weighs the same (xunshi.rounds.planning.workload_of)
                )
            )

    n_leaders = max(teams + 2, cadres // 8)
    lead_ids = set(rng.sample(range(cadres), min(n_leaders, cadres)))
    cadre_list = [
        RoundCadre(
            f"X{c + 1:04d}",
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            rng.choice(COUNTY_UNITS),
            c in lead_ids,
            tuple(s for s, share in VILLAGE_SKILL_SHARES if rng.random() < share),
        )
        for c in range(cadres)
    ]
    by_township: dict[str, list[RoundTarget]] = {}
    for t in target_list:
        by_township.setdefault(t.region, []).append(t)
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    for cadre in cadre_list:
        ties: list[tuple[str, str]] = []
        if rng.random() < 0.35:
            ties.append(("origin", "籍贯在"))
        if rng.random() < 0.12:
            ties.append(("worked_recently", "近三年在"))
        for rule, words in ties:
            code, township, _ = rng.choice(townships)
            for t in by_township.get(code, []):
                pairs.setdefault((cadre.id, t.id), (rule, f"{words}{township}（{t.name}）"))
        if rng.random() < 0.25:
            for t in rng.sample(target_list, rng.randint(1, 3)):
                pairs.setdefault((cadre.id, t.id), ("kin", f"近亲属在{t.name}任职"))
    conflicts = tuple(
        RoundConflict(cadre, target, rule, f"{RULES[rule]}：{detail}")
        for (cadre, target), (rule, detail) in sorted(pairs.items())
    )
    return RoundProblem(
        name=f"生成的村级巡察轮次 {seed}",
        teams=teams,
        targets_per_team=per_team,
        team_size=team_size,
        team_skills=team_skills,
        max_per_team=(),
        targets=tuple(target_list),
        cadres=tuple(cadre_list),
        conflicts=conflicts,
    )


def _village_name(rng: random.Random, used: set[str], first: str, second: str) -> str:
    """A two-character place name (then numbered), unique in `used`: 张庄, 安平 …"""
    for attempt in range(1000):
        name = rng.choice(first) + rng.choice(second)
        if attempt > 50:
            name = f"{name[0]}{attempt}{name[1]}"
        if name not in used:
            used.add(name)
            return name
    raise AssertionError("unreachable: numbered names are unique")


def _county_name(rng: random.Random, used: set[str]) -> str:
    for attempt in range(1000):
        name = "".join(rng.sample(PLACE, 2)) + rng.choice("县县县市区")
        if attempt > 50:
            name = f"{name[:2]}{attempt}{name[2]}"
        if name not in used:
            used.add(name)
            return name
    raise AssertionError("unreachable: numbered names are unique")
