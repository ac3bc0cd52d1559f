"""The plan as commands, each with the reason a person reads on the dashboard.

A command is sent only where the device's planned behaviour changes, at the
start of that slot (the first at `made`). The wording names what decided it:
the price and the slot it serves ("battery charges at 0.07/kWh for 16:00 at
0.35/kWh"), the solar surplus ("charge from surplus 1.8 kW"), or the window
("cheapest 2 h before 07:00"). Times are local to the home's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.core.actions import Action
from hub.core.planner.inputs import Car, PlanRequest
from hub.core.planner.plan import EnergyPlan, ProgramPlan, SlotPlan

FLOW_W = 1.0
"""Below this a planned flow is none."""
SETPOINT_STEP_W = 10.0


def actions_for(
    request: PlanRequest,
    slots: Sequence[SlotPlan],
    cars: Sequence[EnergyPlan],
    boosts: Sequence[EnergyPlan],
    programs: Sequence[ProgramPlan],
) -> tuple[Action, ...]:
    """Every command of the plan, in time order."""
    words = _Words(request, slots)
    actions: list[Action] = []
    if request.battery:
        actions += _battery_actions(request.battery.device, words)
    plugged = [car for car in request.cars if car.plugged]
    for car, plan in zip(plugged, cars, strict=True):
        actions += _car_actions(car, plan, words)
    for boost, plan in zip(request.boosts, boosts, strict=True):
        actions += _boost_actions(boost.worth_per_kwh, plan, words)
    for program, plan in zip(request.programs, programs, strict=True):
        actions.append(_program_action(program.finish_by, plan, words))
    return tuple(sorted(actions, key=lambda action: (action.at, action.device)))


class _Words:
    """What the reasons need to know about the slots, and how they say times and money."""

    def __init__(self, request: PlanRequest, slots: Sequence[SlotPlan]):
        self.request, self.slots = request, slots

    def at(self, t: int) -> float:
        return max(self.request.made, self.slots[t].start)

    def clock(self, ts: float) -> str:
        return datetime.fromtimestamp(ts, self.request.zone).strftime("%H:%M")

    def price(self, t: int) -> str:
        return f"{self.request.slots[t].import_price:.2f}/kWh"

    def surplus_w(self, t: int, own_w: float) -> float:
        """Solar left over in slot t with `own_w` of a device's draw taken out of the load."""
        slot = self.slots[t]
        return slot.generation_w - (slot.load_w - own_w)


def kw(watts: float) -> str:
    return f"{watts / 1000:.1f} kW"


def hours(seconds: float) -> str:
    """A length as people say it: 45 min, 2 h, 1 h 40 min."""
    whole, minutes = divmod(round(seconds / 60), 60)
    if not whole:
        return f"{minutes} min"
    return f"{whole} h {minutes} min" if minutes else f"{whole} h"


def _changes(commands: Sequence[dict[str, Any]]) -> list[int]:
    """The slots whose command differs from the one before (the first always)."""
    return [t for t, command in enumerate(commands) if t == 0 or command != commands[t - 1]]


def _battery_actions(device: str, words: _Words) -> list[Action]:
    commands = [_battery_command(slot) for slot in words.slots]
    actions = []
    for t in _changes(commands):
        command = commands[t]
        actions.append(Action(device, words.at(t), command, _battery_why(command, t, words)))
    return actions


def _battery_command(slot: SlotPlan) -> dict[str, Any]:
    flow = slot.battery_w
    if abs(flow) < FLOW_W:
        return {"mode": "hold"}
    if slot.import_w < FLOW_W and slot.export_w < FLOW_W:
        return {"mode": "auto"}  # it only balances the home: let it follow the meter
    power = round(abs(flow) / SETPOINT_STEP_W) * SETPOINT_STEP_W
    if power < SETPOINT_STEP_W:
        return {"mode": "hold"}  # a trickle the setpoint's step cannot say
    return {"mode": "charge" if flow > 0 else "discharge", "power_w": power}


def _battery_why(command: dict[str, Any], t: int, words: _Words) -> str:
    slot, mode = words.slots[t], command["mode"]
    later = [s for s in range(t + 1, len(words.slots)) if words.slots[s].battery_w <= -FLOW_W]
    use = (
        f"{words.clock(words.slots[later[0]].start)} at {words.price(later[0])}" if later else None
    )
    if mode == "auto":
        if slot.battery_w > 0:
            return f"battery stores the surplus {kw(slot.battery_w)}"
        return f"battery covers the home's {kw(-slot.battery_w)} at {words.price(t)}"
    if mode == "charge":
        if words.surplus_w(t, 0.0) >= slot.battery_w - FLOW_W:
            return f"charge from surplus {kw(slot.battery_w)}"
        return f"battery charges at {words.price(t)} for {use or 'later'}"
    if mode == "discharge":
        if slot.export_w >= FLOW_W:
            return f"battery exports at {words.request.slots[t].export_price:.2f}/kWh"
        return f"battery covers {kw(-slot.battery_w)} of the load at {words.price(t)}"
    return f"battery holds its charge for {use}" if use else "battery idle: nothing to gain"


def _car_actions(car: Car, plan: EnergyPlan, words: _Words) -> list[Action]:
    commands = [_car_command(car, w, words, t) for t, w in enumerate(plan.slot_w)]
    charging_s = sum(
        slot.end - slot.start for slot, w in zip(words.slots, plan.slot_w, strict=True) if w
    )
    actions = []
    for t in _changes(commands):
        why = _car_why(car, plan, t, charging_s, words)
        actions.append(Action(car.device, words.at(t), commands[t], why))
    return actions


def _car_command(car: Car, watts: float, words: _Words, t: int) -> dict[str, Any]:
    if watts < FLOW_W:
        return {"on": False}
    slot = words.slots[t]
    # an arrival or a departure inside the slot: the car draws only while it is there
    usable = min(slot.end, car.departure) - max(slot.start, car.plugged_from(slot.start))
    level = 100.0 * watts * (slot.end - slot.start) / usable / car.max_w
    return {"on": True, "level": min(100, max(1, round(level)))}


def _car_why(car: Car, plan: EnergyPlan, t: int, charging_s: float, words: _Words) -> str:
    watts = plan.slot_w[t]
    departure = words.clock(car.departure)
    if watts >= FLOW_W:
        if words.surplus_w(t, watts) >= watts - FLOW_W:
            return f"charge from surplus {kw(watts)}"
        return f"cheapest {hours(charging_s)} before {departure}"
    later = [s for s in range(t + 1, len(plan.slot_w)) if plan.slot_w[s] >= FLOW_W]
    if later:
        resume = words.clock(words.slots[later[0]].start)
        return f"waits for {resume}: cheapest {hours(charging_s)} before {departure}"
    if plan.shortfall_wh >= FLOW_W:
        short = plan.shortfall_wh / 1000
        return f"{short:.1f} kWh short of {car.target_soc_pct:g} % by {departure}"
    return f"{car.target_soc_pct:g} % reached"


def _boost_actions(worth_per_kwh: float, plan: EnergyPlan, words: _Words) -> list[Action]:
    commands = [{"boost": w >= FLOW_W} for w in plan.slot_w]
    actions = []
    for t in _changes(commands):
        watts = plan.slot_w[t]
        if not commands[t]["boost"]:
            if t == 0:
                continue  # not boosting from the start is no command
            why = "boost done"
        elif words.surplus_w(t, watts) >= watts - FLOW_W:
            why = f"boost on surplus {kw(watts)}"
        else:
            why = f"boost at {words.price(t)}: its heat saves {worth_per_kwh:.2f}/kWh later"
        actions.append(Action(plan.device, words.at(t), commands[t], why))
    return actions


def _program_action(finish_by: float, plan: ProgramPlan, words: _Words) -> Action:
    length = hours(plan.end - plan.start)
    if plan.late:
        why = f"runs now: {length} cannot finish by {words.clock(finish_by)}"
    else:
        why = f"cheapest {length} before {words.clock(finish_by)}"
    made = words.request.made
    command = {"on": True} if plan.start <= made else {"start_at": plan.start}  # ON: start now
    return Action(plan.device, made, command, why)
