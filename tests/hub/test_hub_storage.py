"""A battery in the hub's figures (contract 1.1): its charging is load, its discharge a
source; the summary's flows and the ledger's days and meters balance,
generation + import + battery_out = load + export (load including battery_in)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hub_core import T0, Home, meta

from hub.core.hub_core import out_counter_key
from protocol import State, Summary


def battery_state(seq, charge, discharge, energy_in, energy_out, soc=50.0, ts=T0):
    return State(
        ts=ts,
        seq=seq,
        on=True,
        power_w=charge,
        energy_wh=energy_in,
        level=None,
        phase="charging" if charge else ("discharging" if discharge else "idle"),
        discharge_w=discharge,
        soc_pct=soc,
        mode="auto",
        energy_out_wh=energy_out,
    ).to_payload()


def test_a_discharging_battery_is_a_source_at_the_grid_meter():
    home = Home()
    home.device("kettle", 2800.0, 10.0)
    home.device("roof", 1000.0, 5.0, role="producer")
    home.send("home/house-battery/meta", meta("house-battery", role="storage"))
    home.send("home/house-battery/availability", b"online")
    home.send("home/house-battery/state", battery_state(1, 0.0, 1500.0, 100.0, 40.0, soc=62.5))
    summary = home.summary()
    assert (summary.load_w, summary.generation_w, summary.battery_w) == (2800, 1000, -1500)
    assert summary.power_w == summary.import_w == 300.0
    assert summary.battery_soc_pct == 62.5


def test_a_charging_battery_is_load_and_the_mean_soc_covers_every_battery():
    home = Home()
    home.device("roof", 3000.0, 5.0, role="producer")
    for n, (charge, discharge, soc) in enumerate([(2000.0, 0.0, 40.0), (0.0, 500.0, 80.0)]):
        device = f"battery-{n}"
        home.send(f"home/{device}/meta", meta(device, role="storage"))
        home.send(f"home/{device}/state", battery_state(1, charge, discharge, 10.0, 10.0, soc))
    summary = home.summary()
    # netted first: one battery charging 2 kW while the other gives it 0.5 kW is 1.5 kW of load
    assert (summary.load_w, summary.battery_w, summary.battery_soc_pct) == (1500, 1500, 60.0)
    assert summary.power_w == -1500 and summary.export_w == 1500


def test_without_storage_the_battery_fields_are_empty():
    home = Home()
    home.device("kettle", 2800.0, 10.0)
    summary = home.summary()
    assert (summary.battery_w, summary.battery_soc_pct) == (0, None)
    assert (summary.battery_in_total_wh, summary.battery_out_total_wh) == (0, 0)


def test_both_counters_are_booked_and_the_flows_balance():
    home = Home()
    home.send("home/house-battery/meta", meta("house-battery", role="storage"))
    home.send("home/house-battery/state", battery_state(1, 0.0, 0.0, 1000.0, 500.0))
    home.device("fridge", 100.0, 10.0)
    home.device("roof", 0.0, 10.0, role="producer")
    # ten minutes: the sun makes 300 Wh, the fridge uses 20 Wh, the battery takes 250 Wh in
    # the first five and gives 100 Wh back in the last five
    home.t += 300
    home.send("home/roof/state", state_of(2, 0.0, 310.0))
    home.send("home/fridge/state", state_of(2, 100.0, 20.0))
    home.send("home/house-battery/state", battery_state(2, 0.0, 0.0, 1250.0, 500.0))
    home.t += 300
    home.send("home/fridge/state", state_of(3, 100.0, 30.0))
    home.send("home/house-battery/state", battery_state(3, 0.0, 0.0, 1250.0, 600.0))
    home.tick()
    summary = home.summary()
    today = home.core.today(home.now)
    assert (today.battery_in_wh, today.battery_out_wh) == pytest.approx((250, 100))
    assert today.device_wh["house-battery"] == pytest.approx(250)
    assert_balanced(summary, today)
    assert (summary.battery_in_total_wh, summary.battery_out_total_wh) == pytest.approx((250, 100))
    positions = home.core.counters.positions
    assert positions[out_counter_key("house-battery")].energy_wh == 600.0


def state_of(seq, power, energy):
    return State(
        ts=T0, seq=seq, on=True, power_w=power, energy_wh=energy, level=None, phase="on"
    ).to_payload()


def assert_balanced(summary: Summary, today) -> None:
    sources = today.production_wh + today.import_wh + today.battery_out_wh
    sinks = today.consumption_wh + today.export_wh
    assert sources == pytest.approx(sinks, abs=1e-6)
    # today's published figures: the load the home consumed, with the battery's charging
    assert summary.energy_today_wh == pytest.approx(today.consumption_wh, abs=1e-3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(1, 600),  # seconds to the next reading
            st.sampled_from(["fridge", "roof", "battery-in", "battery-out"]),
            st.floats(0, 500),  # Wh since the last reading
        ),
        max_size=30,
    )
)
def test_any_readings_balance_every_day_and_meter(readings):
    home = Home()
    counters = {"fridge": 0.0, "roof": 0.0, "battery-in": 0.0, "battery-out": 0.0}
    home.send("home/roof/meta", meta("roof", role="producer"))
    home.send("home/fridge/meta", meta("fridge"))
    home.send("home/house-battery/meta", meta("house-battery", role="storage"))
    seqs = dict.fromkeys(["fridge", "roof", "house-battery"], 0)

    def publish(device: str) -> None:
        seqs[device] += 1
        if device == "house-battery":
            payload = battery_state(
                seqs[device], 0.0, 0.0, counters["battery-in"], counters["battery-out"]
            )
        else:
            payload = state_of(seqs[device], 0.0, counters[device])
        home.send(f"home/{device}/state", payload)

    for device in ("fridge", "roof", "house-battery"):
        publish(device)
    for gap, flow, energy in readings:
        home.t += gap
        counters[flow] += energy
        publish("house-battery" if flow.startswith("battery") else flow)
    home.tick()
    totals = [home.core.ledger.days[day] for day in home.core.ledger.days]
    for day in totals:
        sources = day.production_wh + day.import_wh + day.battery_out_wh
        assert sources == pytest.approx(day.consumption_wh + day.export_wh, abs=1e-6)
    meters = home.core.ledger.meters
    assert meters.battery_in_wh == pytest.approx(sum(d.battery_in_wh for d in totals))
    assert meters.battery_out_wh == pytest.approx(sum(d.battery_out_wh for d in totals))
