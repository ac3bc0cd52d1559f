"""The cost of doing nothing: what the home does with no manager, on the same forecasts.

"Nothing" is each device's own default under protocol 1.1, what the `off`
strategy leaves running, so a plan's saving is the saving the simulator
measures against `off`:
- the battery in `auto` (self-consumption: it covers the home's deficit and stores
  its surplus within its limits, slot by slot);
- a plugged-in car charging at once at full power (`now`) until its target or
  departure;
- a loaded machine starting by itself at the latest time that still finishes by
  `finish_by` (within the horizon, so both sides pay for the same run);
- no boost: a heat store heats by itself, which the base load forecast already holds.
The fuse limit is not enforced here (the shedder would act); carbon is not priced
(`expected_cost` is money, too).
"""

from __future__ import annotations

from hub.core.planner.inputs import Battery, PlanRequest
from hub.core.planner.spread import available_fraction, program_slot_w


def baseline_cost(request: PlanRequest) -> float:
    """Money the horizon costs with every device left to itself."""
    loads = list(request.base_load_w)
    for car in request.cars:
        if car.plugged:
            since = car.plugged_from(request.start)
            windows = [available_fraction(since, car.departure, s) for s in request.slots]
            _at_once(request, loads, windows, car.max_w, car.needed_wh / car.charge_efficiency)
    for program in request.programs:
        latest = min(program.finish_by, request.end) - program.duration_s
        start = max(latest, program.ready_since, request.start)
        for t, watts in enumerate(program_slot_w(program.profile, start, request.slots)):
            loads[t] += watts
    stored = None
    if request.battery:
        stored = request.battery.capacity_wh * request.battery.soc_pct / 100.0
    total = 0.0
    for t, slot in enumerate(request.slots):
        hours = (slot.end - slot.start) / 3600.0
        net = loads[t] - request.pv_w[t]
        if request.battery and stored is not None:
            flow, stored = _auto(request.battery, stored, net, hours)
            net += flow
        total += (
            hours / 1000.0 * (max(net, 0.0) * slot.import_price + min(net, 0.0) * slot.export_price)
        )
    return total


def _at_once(
    request: PlanRequest, loads: list[float], windows: list[float], max_w: float, wanted_wh: float
) -> None:
    """Add a draw at `max_w` from the window's first slot on until `wanted_wh` is drawn."""
    left = wanted_wh
    for t, (fraction, slot) in enumerate(zip(windows, request.slots, strict=True)):
        if left <= 0:
            return
        hours = (slot.end - slot.start) / 3600.0
        watts = min(max_w * fraction, left / hours)
        loads[t] += watts
        left -= watts * hours


def _auto(battery: Battery, stored_wh: float, net_w: float, hours: float) -> tuple[float, float]:
    """A self-consuming battery over one slot: its flow (+ charging) and its new Wh."""
    floor = min(stored_wh, battery.capacity_wh * battery.min_soc_pct / 100.0)
    if net_w > 0:
        out = min(net_w, battery.max_discharge_w, (stored_wh - floor) * battery.leg / hours)
        return -out, stored_wh - out * hours / battery.leg
    into = min(
        -net_w, battery.max_charge_w, (battery.capacity_wh - stored_wh) / battery.leg / hours
    )
    return into, stored_wh + into * hours * battery.leg
