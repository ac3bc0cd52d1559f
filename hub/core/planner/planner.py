"""`make_plan(request)`: formulate, solve, and read the solution back as a `Plan`.

Pure: the request carries every figure and every time; HiGHS reports its own
run time, so the plan says how long it took without the core reading a clock.
"""

from __future__ import annotations

from hub.core.planner.baseline import baseline_cost
from hub.core.planner.formulation import Columns, EnergyTarget, formulate
from hub.core.planner.inputs import PlanRequest
from hub.core.planner.milp import Solution
from hub.core.planner.plan import EnergyPlan, Plan, ProgramPlan, SlotPlan
from hub.core.planner.reasons import actions_for
from hub.core.planner.spread import program_slot_w

SNAP_W = 0.5
"""A solver's 1e-9 W is no flow: figures below this are read as 0."""


def make_plan(request: PlanRequest) -> Plan:
    """The cheapest plan for `request` (money + carbon at its weight + shortfall penalties)."""
    programme, columns = formulate(request)
    solution = programme.solve()
    cars = tuple(_energy_plan(request, target, solution) for target in columns.cars)
    boosts = tuple(_energy_plan(request, target, solution) for target in columns.boosts)
    programs = _program_plans(request, columns, solution)
    slots = _slot_plans(request, columns, solution, cars, boosts, programs)
    return Plan(
        made=request.made,
        horizon_end=request.end,
        slots=slots,
        cars=cars,
        boosts=boosts,
        programs=programs,
        actions=actions_for(request, slots, cars, boosts, programs),
        expected_cost=sum(slot.cost for slot in slots) - _boosts_worth(request, boosts),
        baseline_cost=baseline_cost(request),
        over_limit_wh=sum(
            _value(solution, column) * (slot.end - slot.start) / 3600.0
            for column, slot in zip(columns.over, request.slots, strict=True)
        ),
        solve_ms=solution.solve_ms,
        optimal=solution.optimal,
    )


def _boosts_worth(request: PlanRequest, boosts: tuple[EnergyPlan, ...]) -> float:
    """What the heat the boosts store saves later: the store, full, does not heat by
    itself then (the base load forecast, which has that heating, is not lowered)."""
    return sum(
        boost.credit_per_kwh * sum(plan.slot_wh) / 1000.0
        for boost, plan in zip(request.boosts, boosts, strict=True)
    )


def _value(solution: Solution, column: int | None) -> float:
    if column is None:
        return 0.0
    value = float(solution.values[column])
    return 0.0 if abs(value) < SNAP_W else value


def _energy_plan(request: PlanRequest, target: EnergyTarget, solution: Solution) -> EnergyPlan:
    watts = tuple(_value(solution, column) for column in target.power)
    hours = [(slot.end - slot.start) / 3600.0 for slot in request.slots]
    drawn = tuple(w * h for w, h in zip(watts, hours, strict=True))
    delivered = target.delivered_share * sum(drawn)
    return EnergyPlan(target.device, watts, drawn, max(0.0, target.wanted_wh - delivered))


def _program_plans(
    request: PlanRequest, columns: Columns, solution: Solution
) -> tuple[ProgramPlan, ...]:
    plans = []
    for program, choice in zip(request.programs, columns.programs, strict=True):
        chosen = max(range(len(choice.starts)), key=lambda k: solution.values[choice.columns[k]])
        start = choice.starts[chosen]
        end = start + program.duration_s
        late = end > min(program.finish_by, request.end)
        plans.append(ProgramPlan(program.device, start, end, late))
    return tuple(plans)


def _slot_plans(
    request: PlanRequest,
    columns: Columns,
    solution: Solution,
    cars: tuple[EnergyPlan, ...],
    boosts: tuple[EnergyPlan, ...],
    programs: tuple[ProgramPlan, ...],
) -> tuple[SlotPlan, ...]:
    program_w = [0.0] * len(request.slots)
    for program, plan in zip(request.programs, programs, strict=True):
        for t, watts in enumerate(program_slot_w(program.profile, plan.start, request.slots)):
            program_w[t] += watts
    battery = request.battery
    slots = []
    for t, slot in enumerate(request.slots):
        flexible = sum(p.slot_w[t] for p in (*cars, *boosts)) + program_w[t]
        battery_w, soc = 0.0, None
        if battery:
            battery_w = _value(solution, columns.charge[t]) - _value(solution, columns.discharge[t])
            soc = 100.0 * float(solution.values[columns.stored[t]]) / battery.capacity_wh
        imported = _value(solution, columns.imports[t]) + _value(solution, columns.over[t])
        exported = _value(solution, columns.exports[t])
        kwh = (slot.end - slot.start) / 3600.0 / 1000.0
        slots.append(
            SlotPlan(
                start=slot.start,
                end=slot.end,
                load_w=request.base_load_w[t] + flexible,
                generation_w=request.pv_w[t],
                battery_w=battery_w,
                soc_pct=soc,
                import_w=imported,
                export_w=exported,
                cost=kwh * (imported * slot.import_price - exported * slot.export_price),
            )
        )
    return tuple(slots)
