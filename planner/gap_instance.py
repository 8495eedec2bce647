"""A generalized assignment instance, a solver's result on it, and the benchmark files.

``GapInstance`` holds m agents x n jobs: giving job j to agent i costs ``costs[i][j]`` and uses
``loads[i][j]`` of agent i's ``capacities[i]``. ``GapResult`` is what ``planner.gap.solve_gap``
returns: the plan, its value, the proven bound and the trace of both over time. ``read_gap``
reads the benchmark files, both layouts of ``shared/bench/gap/FORMAT.md``: an OR-Library file
(a leading count, then each instance; named as in the literature) or a Yagiura file (a single
instance).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Event", "GapInstance", "GapResult", "gap_objective", "read_gap"]

Event = tuple[float, int | None, int | None]  # seconds, plan value, bound (in the asked sense)


@dataclass(frozen=True)
class GapInstance:
    """m agents x n jobs: ``costs[i][j]``, ``loads[i][j]`` and ``capacities[i]``, all integers."""

    name: str
    costs: tuple[tuple[int, ...], ...]
    loads: tuple[tuple[int, ...], ...]
    capacities: tuple[int, ...]

    def __post_init__(self) -> None:
        m = len(self.capacities)
        if m == 0 or len(self.costs) != m or len(self.loads) != m:
            raise ValueError(f"{self.name}: costs and loads need one row per agent ({m})")
        n = len(self.costs[0])
        if any(len(row) != n for row in (*self.costs, *self.loads)):
            raise ValueError(f"{self.name}: every row of costs and loads needs {n} numbers")

    @property
    def agents(self) -> int:
        return len(self.capacities)

    @property
    def jobs(self) -> int:
        return len(self.costs[0])


@dataclass(frozen=True)
class GapResult:
    """``assignment[j]`` is job j's agent; ``bound`` is the best proven bound in the same sense."""

    status: str  # optimal | feasible | infeasible | unknown
    objective: int | None
    bound: int | None
    seconds: float
    assignment: tuple[int, ...] | None = None
    solver: str = ""
    trace: tuple[Event, ...] = ()

    def at(self, seconds: float) -> tuple[int | None, int | None]:
        """The plan value and the bound this run had after ``seconds``."""
        value = bound = None
        for t, v, b in self.trace:
            if t <= seconds:
                value = v if v is not None else value
                bound = b if b is not None else bound
        return value, bound


def gap_objective(inst: GapInstance, assignment: Sequence[int]) -> int:
    """What the plan costs: the sum of each job's cost with its agent."""
    return sum(inst.costs[i][j] for j, i in enumerate(assignment))


# --- reading the benchmark files -------------------------------------------------------------


def _instance(name: str, nums: Sequence[int], pos: int) -> tuple[GapInstance, int]:
    m, n = nums[pos], nums[pos + 1]
    pos += 2
    if m <= 0 or n <= 0 or pos + 2 * m * n + m > len(nums):
        raise ValueError(f"{name}: truncated or malformed GAP data")
    costs = tuple(tuple(nums[pos + i * n : pos + (i + 1) * n]) for i in range(m))
    pos += m * n
    loads = tuple(tuple(nums[pos + i * n : pos + (i + 1) * n]) for i in range(m))
    pos += m * n
    return GapInstance(name, costs, loads, tuple(nums[pos : pos + m])), pos + m


def _name(stem: str, k: int, m: int, n: int) -> str:
    """The literature's name: gap1-gap12 block k is c<m><n>-<k>, gapa-gapd are <t><mm><n>."""
    if re.fullmatch(r"gap\d+", stem):
        return f"c{m}{n}-{k}"
    if found := re.fullmatch(r"gap([a-d])", stem):
        return f"{found.group(1)}{m:02d}{n}"
    return stem if k == 1 else f"{stem}-{k}"


def read_gap(path: str | Path) -> tuple[GapInstance, ...]:
    """All instances in an OR-Library file (leading count) or a Yagiura file (a single one)."""
    path = Path(path)
    nums = [int(token) for token in path.read_text(encoding="ascii").split()]
    stem = path.name.removesuffix(".txt")
    if len(nums) >= 2 and len(nums) == 2 + 2 * nums[0] * nums[1] + nums[0]:
        return (_instance(stem, nums, 0)[0],)
    count, pos, found = nums[0], 1, []
    for k in range(1, count + 1):
        inst, pos = _instance(stem, nums, pos)
        name = _name(stem, k, inst.agents, inst.jobs)
        found.append(GapInstance(name, inst.costs, inst.loads, inst.capacities))
    if pos != len(nums):
        raise ValueError(f"{path}: {len(nums) - pos} numbers left over after {count} instances")
    return tuple(found)
