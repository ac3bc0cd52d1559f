"""The energy manager's planner: the cheapest plan for the next hours, as a MILP.

`make_plan(PlanRequest(...)) -> Plan`: the battery's power and charge per slot,
each car's charge, each loaded machine's start and each boost, under the fuse
limit, at the slots' import and export prices (plus carbon at its weight), with
the commands that carry it out and their reasons. Pure like the rest of
hub/core: no I/O, no clock; the solver (HiGHS, `milp.py`) is a computation.

- inputs: what the planner is told (`PlanRequest`, `Battery`, `Car`, `Program`, `Boost`)
- formulation: the programme's columns and rows; milp: the numbers and the solver
- spread: where a program's steps or a window fall in the slots
- baseline: the cost of doing nothing; reasons: commands and their words
- plan: the answer and its `home/hub/plan` payload; planner: `make_plan`
"""

from hub.core.planner.inputs import Battery, Boost, Car, PlanRequest, Program
from hub.core.planner.milp import SolveError
from hub.core.planner.plan import EnergyPlan, Plan, ProgramPlan, SlotPlan
from hub.core.planner.planner import make_plan

__all__ = [
    "Battery",
    "Boost",
    "Car",
    "EnergyPlan",
    "Plan",
    "PlanRequest",
    "Program",
    "ProgramPlan",
    "SlotPlan",
    "SolveError",
    "make_plan",
]
