"""Generated GAP instances the GAP tests share."""

from __future__ import annotations

import numpy as np

from planner.gap import GapInstance

__all__ = ["d_like"]


def d_like(agents: int, jobs: int, seed: int) -> GapInstance:
    """A Chu and Beasley type D instance: costs fall as loads rise, capacities tight."""
    rng = np.random.default_rng(seed)
    loads = rng.integers(1, 101, size=(agents, jobs))
    costs = 111 - loads + rng.integers(-10, 11, size=(agents, jobs))
    caps = (0.8 * loads.sum(axis=1) / agents).astype(int)
    return GapInstance(
        f"d{agents}x{jobs}-{seed}",
        tuple(tuple(int(c) for c in row) for row in costs),
        tuple(tuple(int(r) for r in row) for row in loads),
        tuple(int(b) for b in caps),
    )
