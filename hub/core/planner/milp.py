"""A mixed-integer linear programme as plain numbers, and its solution by HiGHS.

The formulation (`formulation.py`) speaks of batteries and cars; this module
knows only columns (bounds, cost, integer or not) and rows (a sparse sum
between bounds), so it is the one place that imports the solver. HiGHS is a
well-kept open MILP solver (MIT) with a direct API, and it reports its own run
time, so the pure core needs no clock of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import highspy
import numpy as np

INF = highspy.kHighsInf
TIME_LIMIT_S = 10.0
"""A plan must come back: past this the best plan found so far is used."""


class SolveError(RuntimeError):
    """The solver found no plan at all (every formulation here is feasible by design)."""


@dataclass(frozen=True)
class Solution:
    values: np.ndarray
    solve_ms: float
    optimal: bool
    """False when the time limit stopped the search with a plan that may not be the best."""


class Programme:
    """Columns and rows added one by one; `solve` minimises the sum of cost x column."""

    def __init__(self) -> None:
        self._lower: list[float] = []
        self._upper: list[float] = []
        self._cost: list[float] = []
        self._integer: list[bool] = []
        self._row_lower: list[float] = []
        self._row_upper: list[float] = []
        self._starts: list[int] = [0]
        self._index: list[int] = []
        self._value: list[float] = []

    @property
    def columns(self) -> int:
        return len(self._cost)

    def column(self, lower: float, upper: float, cost: float = 0.0, integer: bool = False) -> int:
        """A new variable within [lower, upper]; its index."""
        if upper < lower:
            raise ValueError(f"column bounds {lower} > {upper}")
        self._lower.append(lower)
        self._upper.append(upper)
        self._cost.append(cost)
        self._integer.append(integer)
        return len(self._cost) - 1

    def binary(self, cost: float = 0.0) -> int:
        return self.column(0.0, 1.0, cost, integer=True)

    def row(self, terms: Mapping[int, float], lower: float = -INF, upper: float = INF) -> None:
        """lower <= sum(coefficient x column) <= upper."""
        for column, coefficient in terms.items():
            if coefficient:
                self._index.append(column)
                self._value.append(coefficient)
        self._starts.append(len(self._index))
        self._row_lower.append(lower)
        self._row_upper.append(upper)

    def solve(self) -> Solution:
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.columns, len(self._row_lower)
        lp.col_cost_ = np.array(self._cost, dtype=float)
        lp.col_lower_ = np.array(self._lower, dtype=float)
        lp.col_upper_ = np.array(self._upper, dtype=float)
        lp.row_lower_ = np.array(self._row_lower, dtype=float)
        lp.row_upper_ = np.array(self._row_upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(self._starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(self._index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(self._value, dtype=float)
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in self._integer]
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("time_limit", TIME_LIMIT_S)
        solver.setOptionValue("threads", 1)  # the hub shares a small machine
        # measured on `python -m bench planner` (72 slots, battery, car, two machines): the
        # presolve costs more than it saves here, p95 515 -> 237 ms of CPU, max 714 -> 326
        solver.setOptionValue("presolve", "off")
        solver.passModel(lp)
        solver.run()
        status = solver.getModelStatus()
        found = (
            solver.getInfo().primal_solution_status
            == highspy.SolutionStatus.kSolutionStatusFeasible
        )
        if not found:
            raise SolveError(f"no plan: HiGHS says {solver.modelStatusToString(status)}")
        return Solution(
            values=np.array(solver.getSolution().col_value),
            solve_ms=solver.getRunTime() * 1000.0,
            optimal=status == highspy.HighsModelStatus.kOptimal,
        )
