"""Every plan keeps to every limit: the fuse, the battery's power and charge, the car's
window and current, a boost's window, one start per program, and balances in every slot. Hand cases
first, then random homes (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planner_cases import HOUR, T0, UTC, battery, car, request, slots

from hub.core.planner import Battery, Boost, Car, PlanRequest, Program, make_plan
from hub.core.planner.spread import available_fraction

PRICES = [0.30, 0.30, 0.10, 0.10, 0.30, 0.30, 0.30, 0.30]


def test_the_import_limit_spreads_a_charge_over_more_slots():
    # 12 kWh into the car (13.33 drawn) would fit in the two cheap hours at 7 kW, but the
    # fuse allows 3 kW and the home takes 1 kW: 2 kW per hour, so 6.7 hours of charging
    plan = make_plan(
        request(
            PRICES,
            load=[1000] * 8,
            import_limit_w=3000.0,
            cars=(car(min_w=0.0, departure=T0 + 8 * HOUR),),
        )
    )
    assert all(s.import_w <= 3000 + 1e-6 for s in plan.slots)
    assert plan.over_limit_wh == 0
    assert plan.cars[0].shortfall_wh == pytest.approx(0, abs=0.5)
    assert sum(1 for w in plan.cars[0].slot_w if w > 0) >= 7
    assert plan.cars[0].slot_w[2:4] == pytest.approx([2000, 2000], abs=0.5)


def test_a_load_beyond_the_limit_is_planned_and_the_excess_reported():
    plan = make_plan(request([0.2, 0.2], load=[5000, 1000], import_limit_w=3000.0))
    assert plan.over_limit_wh == pytest.approx(2000)
    assert plan.slots[0].import_w == pytest.approx(5000)


def test_the_battery_covers_a_peak_above_the_limit():
    ready = battery(soc_pct=100.0, max_discharge_w=1000.0)
    plan = make_plan(request([0.2, 0.2], load=[3800, 1000], import_limit_w=3000.0, battery=ready))
    assert plan.over_limit_wh == 0 and plan.slots[0].import_w <= 3000 + 1e-6


prices = st.floats(-0.2, 0.6, allow_nan=False).map(lambda p: round(p, 3))
watts = st.floats(0, 4000, allow_nan=False)


@st.composite
def homes(draw) -> PlanRequest:
    n = draw(st.integers(2, 12))
    imports = draw(st.lists(prices, min_size=n, max_size=n))
    exports = [min(p, draw(prices)) if draw(st.booleans()) else draw(prices) for p in imports]
    load = draw(st.lists(watts, min_size=n, max_size=n))
    pv = draw(st.lists(watts, min_size=n, max_size=n))
    store = None
    if draw(st.booleans()):
        lowest = draw(st.floats(0, 50))
        store = Battery(
            "battery",
            capacity_wh=draw(st.floats(1000, 15000)),
            max_charge_w=draw(st.floats(500, 5000)),
            max_discharge_w=draw(st.floats(500, 5000)),
            soc_pct=draw(st.floats(lowest, 100)),
            efficiency=draw(st.floats(0.7, 1.0)),
            min_soc_pct=lowest,
        )
    cars = ()
    if draw(st.booleans()):
        rated = draw(st.floats(2000, 11000))
        cars = (
            Car(
                "car",
                plugged=True,
                soc_pct=draw(st.floats(0, 100)),
                capacity_wh=draw(st.floats(10_000, 80_000)),
                target_soc_pct=draw(st.floats(0, 100)),
                departure=T0 + draw(st.floats(0, n + 1)) * HOUR,
                max_w=rated,
                min_w=draw(st.sampled_from([0.0, rated * 6 / 32])),
            ),
        )
    programs = tuple(
        Program(
            f"machine{i}",
            ready_since=T0 + draw(st.floats(0, n / 2)) * HOUR,
            finish_by=T0 + draw(st.floats(0, n + 2)) * HOUR,
            profile=tuple(
                draw(st.lists(st.tuples(st.floats(300, 5400), watts), min_size=1, max_size=3))
            ),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    boosts = ()
    if draw(st.booleans()):
        opens = T0 + draw(st.floats(0, n)) * HOUR
        boosts = (
            Boost(
                "heater",
                energy_wh=draw(st.floats(0, 6000)),
                max_w=draw(st.floats(500, 3000)),
                start=opens,
                end=opens + draw(st.floats(0.5, 6)) * HOUR,
                worth_per_kwh=draw(st.floats(-0.1, 0.5)),
            ),
        )
    peak = sum(max(w for _, w in p.profile) for p in programs)
    return PlanRequest(
        made=T0,
        slots=slots(imports, exports),
        base_load_w=tuple(load),
        pv_w=tuple(pv),
        zone=UTC,
        # room for the base load and every machine at its peak: no plan need break it
        import_limit_w=max(load) + peak + draw(st.floats(100, 8000)),
        battery=store,
        cars=cars,
        programs=programs,
        boosts=boosts,
        co2_weight=draw(st.sampled_from([0.0, 0.0005])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(homes())
def test_every_plan_respects_every_limit_and_balances_each_slot(home: PlanRequest):
    plan = make_plan(home)
    assert plan.over_limit_wh == 0
    stored = home.battery.capacity_wh * home.battery.soc_pct / 100 if home.battery else None
    for slot, price in zip(plan.slots, home.slots, strict=True):
        hours = (slot.end - slot.start) / 3600
        assert slot.import_w >= 0 and slot.export_w >= 0
        assert slot.import_w <= home.import_limit_w + 1e-6
        assert slot.import_w - slot.export_w == pytest.approx(
            slot.load_w + slot.battery_w - slot.generation_w, abs=2.0
        )
        if price.export_price > price.import_price + home.co2_weight * price.co2_g_per_kwh:
            assert min(slot.import_w, slot.export_w) < 1.0  # never both when that would pay
        if home.battery:
            b = home.battery
            assert -b.max_discharge_w - 1e-6 <= slot.battery_w <= b.max_charge_w + 1e-6
            floor = min(b.min_soc_pct, b.soc_pct)
            assert floor - 1e-6 <= slot.soc_pct <= 100 + 1e-6
            # the charge moves exactly as the net flow says: no charging and discharging at once
            flow = slot.battery_w
            stored += hours * (flow * b.leg if flow > 0 else flow / b.leg)
            assert slot.soc_pct * b.capacity_wh / 100 == pytest.approx(stored, abs=2.0)
            stored = slot.soc_pct * b.capacity_wh / 100
        else:
            assert slot.battery_w == 0 and slot.soc_pct is None
    for vehicle, charge in zip(home.cars, plan.cars, strict=True):
        for slot, w in zip(home.slots, charge.slot_w, strict=True):
            usable = available_fraction(home.start, vehicle.departure, slot)
            assert w <= vehicle.max_w * usable + 1e-6  # nothing after departure
            assert w == 0 or w >= vehicle.min_w * usable - 1e-6  # 6 A or nothing
        delivered = vehicle.charge_efficiency * sum(charge.slot_wh)
        # the last slot may be planned at the 6 A minimum: the car stops at its target
        longest_h = max((s.end - s.start) / 3600 for s in home.slots)
        last_slot_wh = vehicle.charge_efficiency * vehicle.min_w * longest_h
        assert delivered <= vehicle.needed_wh + last_slot_wh + 1.0
        assert delivered + charge.shortfall_wh >= vehicle.needed_wh - 1.0
    for heat, boost in zip(home.boosts, plan.boosts, strict=True):
        for slot, w in zip(home.slots, boost.slot_w, strict=True):
            assert w <= heat.max_w * available_fraction(heat.start, heat.end, slot) + 1e-6
        assert sum(boost.slot_wh) + boost.shortfall_wh == pytest.approx(heat.energy_wh, abs=1.0)
    for machine, run in zip(home.programs, plan.programs, strict=True):
        assert run.start >= max(machine.ready_since, home.start)
        assert run.late or run.end <= machine.finish_by
    for machine in home.programs:  # one start each: at a time, or ON now
        (start,) = [a.command for a in plan.actions if a.device == machine.device]
        assert start == {"on": True} or set(start) == {"start_at"}
