"""The small HiGHS runner that the GAP core and the term planner share, and the solver versions.

``solve_mip`` takes a ``MipModel`` in HiGHS's column-wise form and solves it with one thread, a
zero relative gap and a fixed random seed, so that the same model gives the same plan on every
run. A model without integer columns is an LP: then the result carries the row duals, which the
GAP core turns into a Lagrangian bound and reduced costs. ``on_plan`` and ``on_bound`` hear each
better plan value and each better dual bound while HiGHS runs (that is how a run's trace is kept).

``highs_version`` and ``ortools_version`` name the solvers in a plan's record and the benchmark.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import ortools
from highspy import _core as highs_core

__all__ = [
    "BoolArray",
    "FloatArray",
    "IntArray",
    "MipModel",
    "MipResult",
    "highs_version",
    "ortools_version",
    "solve_mip",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class MipModel:
    """A MIP in HiGHS's column-wise form: column c has entries ``start[c]:start[c+1]``."""

    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    integer: BoolArray
    row_lower: FloatArray
    row_upper: FloatArray
    start: IntArray
    index: IntArray
    value: FloatArray
    maximize: bool = False


@dataclass(frozen=True)
class MipResult:
    status: str  # optimal | feasible | infeasible | unknown
    objective: float | None
    bound: float | None
    values: FloatArray | None
    seconds: float
    row_duals: FloatArray | None = None


def highs_version() -> str:
    core = highs_core
    return f"HiGHS {core.HIGHS_VERSION_MAJOR}.{core.HIGHS_VERSION_MINOR}.{core.HIGHS_VERSION_PATCH}"


def ortools_version() -> str:
    return f"OR-Tools {getattr(ortools, '__version__', '?')}"


def solve_mip(
    model: MipModel,
    *,
    time_limit_s: float,
    seed: int = 0,
    start: FloatArray | None = None,
    on_plan: Callable[[float], None] | None = None,
    on_bound: Callable[[float], None] | None = None,
    heuristics: bool = True,
) -> MipResult:
    """Solve with one thread, zero relative gap and a fixed random seed (reproducible).

    ``on_plan`` and ``on_bound`` hear each better plan value and each better dual bound.
    ``heuristics=False`` leaves out HiGHS's primal heuristics, for a caller whose ``start`` is
    already (nearly) optimal: then they only take time from closing the bound.
    """
    began = time.perf_counter()
    # The plain _Highs: highspy.Highs() prints a banner on stdout, which the CLI cannot have.
    h = highs_core._Highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", seed),
        ("mip_rel_gap", 0.0),
        ("time_limit", max(time_limit_s, 0.01)),
    ):
        h.setOptionValue(option, value)
    if not heuristics:
        h.setOptionValue("mip_heuristic_effort", 0.0)
        for name in ("feasibility_jump", "rins", "rens", "root_reduced_cost"):
            h.setOptionValue(f"mip_heuristic_run_{name}", False)
    lp = highs_core.HighsLp()
    lp.num_col_, lp.num_row_ = len(model.cost), len(model.row_lower)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = model.cost, model.lower, model.upper
    lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
    lp.a_matrix_.format_ = highs_core.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_ = model.start, model.index
    lp.a_matrix_.value_ = model.value
    is_mip = bool(model.integer.any())
    if is_mip:
        kinds = (highs_core.HighsVarType.kContinuous, highs_core.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(flag)] for flag in model.integer]
    lp.sense_ = highs_core.ObjSense.kMaximize if model.maximize else highs_core.ObjSense.kMinimize
    h.passModel(lp)
    if start is not None:
        solution = highs_core.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        h.setSolution(solution)
    if is_mip and (on_plan is not None or on_bound is not None):
        _listen(h, on_plan, on_bound, model.maximize)
    h.run()
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == highs_core.SolutionStatus.kSolutionStatusFeasible
    status = "feasible" if has_plan else "unknown"
    if model_status == highs_core.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status == highs_core.HighsModelStatus.kInfeasible:
        status = "infeasible"
    solution = h.getSolution()
    values = np.asarray(solution.col_value, dtype=np.float64) if has_plan else None
    bound = None
    if is_mip and status != "infeasible" and math.isfinite(info.mip_dual_bound):
        bound = float(info.mip_dual_bound)
    elif not is_mip and status == "optimal":
        bound = float(info.objective_function_value)
    duals = None
    if not is_mip and status == "optimal" and solution.dual_valid:
        duals = np.asarray(solution.row_dual, dtype=np.float64)
    return MipResult(
        status=status,
        objective=float(info.objective_function_value) if has_plan else None,
        bound=bound,
        values=values,
        seconds=time.perf_counter() - began,
        row_duals=duals,
    )


def _listen(
    h: highs_core._Highs,
    on_plan: Callable[[float], None] | None,
    on_bound: Callable[[float], None] | None,
    maximize: bool,
) -> None:
    kinds = highs_core.cb.HighsCallbackType
    best = [-math.inf if not maximize else math.inf]

    def hear(kind: Any, _message: str, out: Any, _into: Any, _data: Any) -> None:
        if kind == kinds.kCallbackMipImprovingSolution and on_plan is not None:
            on_plan(float(out.objective_function_value))
        elif kind == kinds.kCallbackMipInterrupt and on_bound is not None:
            b = float(out.mip_dual_bound)
            if math.isfinite(b) and (b < best[0] if maximize else b > best[0]):
                best[0] = b
                on_bound(b)

    h.setCallback(hear, None)
    h.startCallback(kinds.kCallbackMipImprovingSolution)
    h.startCallback(kinds.kCallbackMipInterrupt)
