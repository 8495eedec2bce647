"""Term problems for the benchmark, and the naive plan an office would make by hand.

``term_problem`` draws a term shaped like the real ones: two rounds a year, capacity a little above
the average need, one special round that takes counties only (like a 脱贫攻坚 round), about one
target in ten with a deadline (a latest round), and a first-year minimum close to that year's
capacity ("two rounds, at least 70 organizations"). Same seed, same problem.

``term_naive`` is the baseline: targets by risk, riskiest first, each into the earliest round that
still has room and admits it; it ignores the year minimums until the end, as a hand plan does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from planner.term import TermProblem, TermRound, TermTarget

PROVINCE_SECTORS = (
    ("county", 0.35),
    ("department", 0.35),
    ("soe", 0.12),
    ("finance", 0.10),
    ("university", 0.08),
)
VILLAGE_SECTORS = (("village", 0.82), ("community", 0.15), ("township_unit", 0.03))


def term_problem(
    seed: int,
    targets: int,
    rounds: int,
    *,
    sectors: Sequence[tuple[str, float]] = PROVINCE_SECTORS,
    max_sectors_per_round: int | None = 3,
    slack: float = 1.08,
    deadline_share: float = 0.1,
    special_round: bool = True,
    year_minimum: bool = True,
    name: str = "",
) -> TermProblem:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    base = slack * targets / rounds
    caps = [max(1, round(base * rng.uniform(0.9, 1.1))) for _ in range(rounds)]
    caps[-1] += max(0, targets - sum(caps))
    names = [s for s, _ in sectors]
    special = 2 if special_round and rounds > 3 and "county" in names else None
    term_rounds = tuple(
        TermRound(
            id=f"R{k + 1}",
            year=2019 + k // 2,
            capacity=caps[k],
            sectors=("county",) if k == special else None,
        )
        for k in range(rounds)
    )
    drawn = rng.choices(names, weights=[w for _, w in sectors], k=targets)
    first_deadline = min(rounds - 1, 3)
    term_targets = tuple(
        TermTarget(
            id=f"T{k + 1:06d}",
            sector=sector,
            risk=min(100, int(rng.betavariate(2, 3) * 101)),
            latest_round=(
                f"R{rng.randint(first_deadline + 1, rounds)}"
                if rng.random() < deadline_share
                else None
            ),
        )
        for k, sector in enumerate(drawn)
    )
    minimums: tuple[tuple[str, int], ...] = ()
    if year_minimum and rounds >= 2:
        minimums = (("2019", math.floor(0.9 * (caps[0] + caps[1]))),)
    return TermProblem(
        name=name or f"term-{targets}x{rounds}-seed{seed}",
        rounds=term_rounds,
        year_minimum=minimums,
        max_sectors_per_round=max_sectors_per_round,
        targets=term_targets,
    )


def term_naive(problem: TermProblem) -> tuple[dict[str, list[str]], list[str]]:
    """Riskiest first into the earliest round that admits it; returns the plan and the left-over."""
    position = {r.id: k for k, r in enumerate(problem.rounds)}
    plan: dict[str, list[str]] = {r.id: [] for r in problem.rounds}
    sectors: dict[str, set[str]] = {r.id: set() for r in problem.rounds}
    left: list[str] = []
    limit = problem.max_sectors_per_round
    last = len(problem.rounds) - 1
    for t in sorted(problem.targets, key=lambda t: -t.risk):
        latest = position[t.latest_round] if t.latest_round else last
        for rnd in problem.rounds[: latest + 1]:
            used = sectors[rnd.id]
            if (
                len(plan[rnd.id]) < rnd.capacity
                and (rnd.sectors is None or t.sector in rnd.sectors)
                and (limit is None or t.sector in used or len(used) < limit)
            ):
                plan[rnd.id].append(t.id)
                used.add(t.sector)
                break
        else:
            left.append(t.id)
    return plan, left
