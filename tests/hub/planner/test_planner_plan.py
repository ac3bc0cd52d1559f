"""The plan as the hub publishes it (`home/hub/plan`), boosts and the carbon weight, and
the request's checks: bad input fails with a message naming it."""

import json
from dataclasses import replace

import pytest
from planner_cases import HOUR, T0, UTC, battery, car, request, slots

from hub.core.planner import Boost, PlanRequest, Program, make_plan

PRICES = [0.30, 0.30, 0.10, 0.10, 0.30, 0.30]


def test_the_payload_has_the_contract_shape():
    washer = Program("washer", T0, T0 + 6 * HOUR, ((3600.0, 2000.0),))
    home = request(PRICES, load=[400] * 6, battery=battery(), cars=(car(),), programs=(washer,))
    plan = make_plan(home)
    payload = json.loads(json.dumps(plan.to_payload()))
    assert list(payload) == [
        "made",
        "strategy",
        "horizon_end",
        "slots",
        "actions",
        "expected_cost",
        "baseline_cost",
    ]
    assert payload["strategy"] == "plan" and plan.to_payload("oracle")["strategy"] == "oracle"
    assert (payload["made"], payload["horizon_end"]) == (T0, T0 + 6 * HOUR)
    assert len(payload["slots"]) == 6
    assert set(payload["slots"][0]) == {
        "start",
        "end",
        "load_w",
        "generation_w",
        "battery_w",
        "soc_pct",
        "import_w",
        "export_w",
        "cost",
    }
    assert {a["device"] for a in payload["actions"]} == {"battery", "car", "washer"}
    assert all(
        set(a) == {"device", "at", "command", "why"} and a["why"] for a in payload["actions"]
    )
    assert payload["expected_cost"] == pytest.approx(
        sum(s["cost"] for s in payload["slots"]), abs=1e-3
    )
    assert payload["expected_cost"] < payload["baseline_cost"]
    assert plan.solve_ms > 0


def test_a_slot_without_a_battery_has_no_charge():
    slot = make_plan(request([0.2], load=[100])).to_payload()["slots"][0]
    assert slot["soc_pct"] is None and slot["battery_w"] == 0


def test_a_boost_takes_its_energy_in_the_cheapest_part_of_its_window():
    # 3 kWh at up to 1.5 kW between 01:00 and 05:00, worth 0.20 a kWh: the two 0.10 hours
    heater = Boost("water_heater", 3000.0, 1500.0, T0 + HOUR, T0 + 5 * HOUR, worth_per_kwh=0.2)
    plan = make_plan(request(PRICES, boosts=(heater,)))
    (boost,) = plan.boosts
    assert boost.slot_w == pytest.approx([0, 0, 1500, 1500, 0, 0], abs=0.5)
    assert boost.shortfall_wh == pytest.approx(0, abs=0.5)
    on, off = plan.actions
    assert on.command == {"boost": True} and on.at == T0 + 2 * HOUR
    assert on.why == "boost at 0.10/kWh: its heat saves 0.20/kWh later"
    assert off.command == {"boost": False} and off.at == T0 + 4 * HOUR
    # 3 kWh at 0.10, less the 3 kWh at 0.20 the tank does not buy later; doing nothing
    # costs nothing here (no load): the boost saves 0.30
    assert sum(slot.cost for slot in plan.slots) == pytest.approx(0.3)
    assert plan.expected_cost == pytest.approx(-0.3)
    assert plan.baseline_cost == pytest.approx(0.0)


@pytest.mark.parametrize(("worth", "drawn_wh"), [(0.2, 4000.0), (0.35, 6000.0), (0.05, 0.0)])
def test_a_boost_draws_only_where_energy_costs_less_than_its_heat_is_worth(worth, drawn_wh):
    # 6 kWh at up to 2 kW from 01:00 to 05:00 (0.30, 0.10, 0.10, 0.30 an hour)
    heater = Boost("water_heater", 6000.0, 2000.0, T0 + HOUR, T0 + 5 * HOUR, worth)
    plan = make_plan(request(PRICES, boosts=(heater,)))
    assert sum(plan.boosts[0].slot_wh) == pytest.approx(drawn_wh, abs=1)
    assert plan.boosts[0].shortfall_wh == pytest.approx(6000 - drawn_wh, abs=1)
    assert len(plan.actions) == (2 if drawn_wh else 0)


def test_a_carbon_weight_moves_a_charge_to_the_cleaner_slot():
    # same price, slot 1 is far dirtier: with a weight on carbon the car charges in slot 0
    dirty = [
        replace(s, co2_g_per_kwh=co2) for s, co2 in zip(slots([0.2, 0.2]), [50, 500], strict=True)
    ]
    need = car(soc_pct=50.0, target_soc_pct=60.0, min_w=0.0, departure=T0 + 2 * HOUR)  # 4 kWh
    home = replace(request([0.2, 0.2], cars=(need,)), slots=tuple(dirty), co2_weight=0.001)
    assert make_plan(home).cars[0].slot_w == pytest.approx([4000 / 0.9, 0], abs=0.5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_load_w": (100.0,)}, "base_load_w has 1 values for 2 slots"),
        ({"pv_w": (0.0, -1.0)}, "pv_w must be >= 0"),
        ({"slots": ()}, "at least one slot"),
        ({"import_limit_w": 0.0}, "import_limit_w must be > 0"),
        ({"cars": (car(), car())}, "a device appears twice"),
    ],
)
def test_a_bad_request_names_what_is_wrong(change, message):
    good = request([0.1, 0.2])
    fields = {name: getattr(good, name) for name in PlanRequest.__dataclass_fields__}
    with pytest.raises(ValueError, match=message):
        PlanRequest(**{**fields, **change})


def test_slots_with_a_gap_are_refused():
    hours = slots([0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="without gaps"):
        PlanRequest(T0, (hours[0], hours[2]), (0.0, 0.0), (0.0, 0.0), UTC, 9000.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: battery(capacity_wh=0.0), "capacity_wh must be > 0"),
        (lambda: battery(efficiency=1.5), "efficiency must be in"),
        (lambda: battery(soc_pct=120.0), "soc_pct must be 0..100"),
        (lambda: car(min_w=9000.0), "min_w must be 0..max_w"),
        (lambda: car(target_soc_pct=-5.0), "target_soc_pct must be 0..100"),
        (lambda: Boost("heater", 100.0, 1000.0, T0, T0, 0.2), "end must be after start"),
    ],
)
def test_a_bad_device_names_what_is_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make()
