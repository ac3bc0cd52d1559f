"""The planner's question, asked from what the hub sees: `PlanRequest` from an observation.

The slots are the price series' own, cut to `slot_s` where longer (a fixed tariff's
periods last hours); the first starts at the slot in force, so the plan covers now.
Each device is read through the contract: a battery by its meta's capacity and limits
and its state's charge (the meta does not say its efficiency or floor: the battery
kind's defaults, 90 % and 10 %, are assumed); a plugged-in car by its charge, target and
departure (its battery's size comes from the settings, by charger); a loaded machine by
its `finish_by` and `program_s`, at `program_duty` of its rated power, or at the mean it
drew in its last run when the manager has seen one; a heat store that takes `boost` by
the room an hour at its rated power fills (the meta says no tank or house size; a boost
ends by itself when the store is full) and what its heat is worth (`boost_worth`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from hub.core.planner import Battery, Boost, Car, PlanRequest, Program
from hub.core.rules.observation import DeviceView, Observation
from hub.core.rules.windows import mean_price
from hub.core.settings import ManagerSettings, SheddingConfig
from protocol import PriceSlot

MIN_CURRENT_SHARE = 6 / 32
"""A car charges at no less than 6 A of a 32 A charger's rating (IEC 61851)."""


def plan_slots(prices: Sequence[PriceSlot], t: float, end: float, slot_s: float) -> list[PriceSlot]:
    """The slots from the one holding `t` to `end`, none longer than `slot_s` (cut on the
    clock's multiples of it, so plans made at different times share their slots)."""
    cut = []
    for slot in prices:
        if slot.end <= t or slot.start >= end:
            continue
        start = slot.start
        while start < slot.end and start < end:
            stop = min(slot.end, (start // slot_s + 1) * slot_s)
            cut.append(replace(slot, start=start, end=stop))
            start = stop
    first = next((i for i, slot in enumerate(cut) if slot.end > t), len(cut))
    return cut[first:]


BOOST_ROOM_H = 1.0
"""A heat store's room above its band, as hours at its rated power (a 3 kW immersion
heating 180 L by 15 K takes about an hour)."""
BOOST_LOSS = 0.1
"""The share of a boost's heat a store loses before it would have heated by itself
(a tank kept at 70 C rather than 55 C loses more through its jacket)."""
WORTH_AHEAD_S = 24 * 3600.0
WORTH_KNOWN_S = 6 * 3600.0


def boost_worth(prices: Sequence[PriceSlot], t: float) -> float | None:
    """Money per kWh a boost at `t` saves: a store heats by itself whenever its band says,
    so the heat it stores early would otherwise be bought at the next day's mean import
    price (or of what is known of it, if the prices end sooner), less what it loses
    meanwhile. None with less than `WORTH_KNOWN_S` of prices ahead."""
    end = min(t + WORTH_AHEAD_S, prices[-1].end) if prices else t
    if end - t < WORTH_KNOWN_S:
        return None
    mean = mean_price(prices, t, end)
    return None if mean is None else mean * (1 - BOOST_LOSS)


PEAK_HEADROOM_W = 2500.0
"""Room left under the fuse for what a person switches on unplanned: a kettle
(appliances.md: 2-3 kW for a few minutes)."""


def planning_limit_w(shedding: SheddingConfig) -> float:
    """The import a plan may count on in a slot: the fuse limit less `PEAK_HEADROOM_W`
    (never below half the limit). A plan's slot is a half hour's mean; a kettle
    switched on within it, on top of a car and a battery charging at the limit, would
    have the shedder cut the car off mid-slot, and a plan made once (the oracle's)
    would never get that energy back."""
    return max(shedding.limit_w / 2, shedding.limit_w - PEAK_HEADROOM_W)


def plan_request(
    observation: Observation,
    base_load_w: Sequence[float],
    pv_w: Sequence[float],
    slots: Sequence[PriceSlot],
    settings: ManagerSettings,
    zone: ZoneInfo,
    import_limit_w: float,
    program_w: Mapping[str, float] | None = None,
) -> PlanRequest:
    """`program_w`: a machine's mean draw while running, where the manager has seen a run."""
    battery, cars, programs, boosts = None, [], [], []
    worth = boost_worth(observation.prices, observation.t)
    for device in observation.devices:
        if device.is_storage and battery is None:
            battery = _battery(device, settings.battery_cycle_cost)
        elif device.is_ev_charger and device.state.plugged:
            car = _car(device, settings, observation.t)
            if car is not None:
                cars.append(car)
        elif device.is_deferrable and device.state.phase == "ready":
            program = _program(device, settings, observation.t, (program_w or {}))
            if program is not None:
                programs.append(program)
        elif device.can_boost and device.state.on and device.meta.rated_w > 0 and worth:
            boosts.append(_boost(device, slots[0].start, slots[-1].end, worth))
    return PlanRequest(
        made=observation.t,
        slots=tuple(slots),
        base_load_w=tuple(base_load_w),
        pv_w=tuple(pv_w),
        zone=zone,
        import_limit_w=import_limit_w,
        battery=battery,
        cars=tuple(cars),
        programs=tuple(programs),
        boosts=tuple(boosts),
        co2_weight=settings.co2_weight,
        exact_export=False,  # seconds saved each plan (see PlanRequest.exact_export)
    )


def _battery(device: DeviceView, cycle_cost: float) -> Battery | None:
    meta, state = device.meta, device.state
    if meta.capacity_wh is None or state.soc_pct is None:
        return None
    return Battery(
        device=device.device_id,
        capacity_wh=meta.capacity_wh,
        max_charge_w=meta.max_charge_w or meta.rated_w,
        max_discharge_w=meta.max_discharge_w or meta.rated_w,
        soc_pct=min(100.0, max(0.0, state.soc_pct)),
        min_soc_pct=min(10.0, state.soc_pct),
        cycle_cost=cycle_cost,
    )


def _car(device: DeviceView, settings: ManagerSettings, t: float) -> Car | None:
    state, rated = device.state, device.meta.rated_w
    if state.soc_pct is None or state.target_soc is None or rated <= 0:
        return None
    departure = state.departure if state.departure is not None and state.departure > t else None
    if departure is None:
        return None  # no time to plan to: the charger's own mode decides
    capacity = settings.car_capacity_wh.get(device.device_id, settings.default_car_capacity_wh)
    return Car(
        device=device.device_id,
        plugged=True,
        soc_pct=min(100.0, max(0.0, state.soc_pct)),
        capacity_wh=capacity,
        target_soc_pct=state.target_soc,
        departure=departure,
        max_w=rated,
        min_w=rated * MIN_CURRENT_SHARE,
    )


def _program(
    device: DeviceView, settings: ManagerSettings, t: float, program_w: Mapping[str, float]
) -> Program | None:
    state = device.state
    if state.finish_by is None or not state.program_s:
        return None
    watts = program_w.get(device.device_id, device.meta.rated_w * settings.program_duty)
    return Program(
        device=device.device_id,
        ready_since=t,
        finish_by=state.finish_by,
        profile=((state.program_s, max(0.0, watts)),),
    )


def _boost(device: DeviceView, start: float, end: float, worth: float) -> Boost:
    rated = device.meta.rated_w
    return Boost(device.device_id, rated * BOOST_ROOM_H, rated, start, end, worth)
