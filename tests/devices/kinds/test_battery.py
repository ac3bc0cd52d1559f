"""Home battery: setpoints within its limits, energy conserved, SoC within its band, and
`auto` cancelling the home's net power without swinging (appliances.md: 5.2 kWh units at
~2.6 kW, 90 % round trip, 10-30 W own use)."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.kinds.battery import MODES, Battery
from devices.params import ModelError

TZ = ZoneInfo("Europe/London")
START = 1_768_000_000.0  # January 2026
HOUR = 3600.0


def battery(**given: object) -> Battery:
    model = Battery.create(given, 1, START, TZ)
    assert isinstance(model, Battery)
    return model


def stored_wh(model: Battery) -> float:
    return model.soc_pct / 100 * model.capacity_wh


def test_the_defaults_are_a_typical_uk_unit():
    model = battery()
    assert (model.capacity_wh, model.max_charge_w, model.max_discharge_w) == (5200, 2600, 2600)
    assert 10 <= model.standby_w <= 30
    assert (model.mode, model.soc_pct, model.phase) == ("auto", 50.0, "no-summary")
    assert model.power_w == model.standby_w  # idle draws its own use from the grid
    assert model.discharge_w == 0


def test_a_setpoint_is_clipped_to_the_limits_and_says_so():
    model = battery()
    assert model.set_mode("charge", 9000, START + 1) == {"mode": "charge", "power_w": 2600}
    model.advance_to(START + 60)
    assert (model.power_w, model.discharge_w, model.phase) == (2600, 0, "charging")
    assert model.set_mode("discharge", 1000, START + 61) == {"mode": "discharge", "power_w": 1000}
    assert (model.power_w, model.discharge_w, model.phase) == (0, 1000, "discharging")
    assert model.set_mode("hold", None, START + 62) == {"mode": "hold"}
    assert (model.power_w, model.discharge_w, model.phase) == (model.standby_w, 0, "idle")


@pytest.mark.parametrize(
    ("mode", "power_w", "complaint"),
    [
        ("boost", None, "mode must be one of auto, charge, discharge, hold"),
        ("charge", None, "needs a power_w"),
        ("hold", 100.0, "power_w goes only with mode charge or discharge"),
    ],
)
def test_a_bad_mode_command_is_refused_and_changes_nothing(mode, power_w, complaint):
    model = battery()
    before = (model.mode, model.power_w, model.soc_pct)
    with pytest.raises(ModelError, match=complaint):
        model.set_mode(mode, power_w, START + 10)
    assert (model.mode, model.power_w, model.soc_pct) == before


def test_initial_soc_below_min_soc_is_refused_in_one_line():
    with pytest.raises(ModelError, match=r"initial_soc=5\.0: must be at least min_soc=10\.0"):
        battery(initial_soc=5, min_soc=10)


def test_a_full_charge_stops_at_100_and_a_discharge_at_min_soc():
    model = battery(initial_soc=90)
    model.set_mode("charge", 2600, START)
    model.advance_to(START + 2 * HOUR)
    assert model.soc_pct == pytest.approx(100.0)
    assert model.phase == "full" and model.power_w == model.standby_w
    drawn = model.energy_wh - model.own_use_wh
    model.set_mode("discharge", 2600, model.now)
    model.advance_to(model.now + 3 * HOUR)
    assert model.soc_pct == pytest.approx(10.0)
    assert model.phase == "empty" and model.discharge_w == 0
    # 90 -> 100 % then 100 -> 10 %: what reached the cells in and what left them out
    assert drawn * math.sqrt(0.9) == pytest.approx(520)
    assert model.energy_out_wh == pytest.approx(0.9 * 5200 * math.sqrt(0.9), rel=1e-6)


def test_hold_keeps_the_charge_and_draws_only_the_own_use():
    model = battery(mode="hold", standby_w=20)
    model.advance_to(START + 24 * HOUR)
    assert model.soc_pct == 50.0
    assert model.energy_wh == pytest.approx(20 * 24)
    assert model.energy_out_wh == 0


def test_off_draws_nothing_and_moves_nothing():
    model = battery(mode="hold")
    model.set_mode("charge", 2000, START)
    model.switch(False, START + 60)
    model.advance_to(START + HOUR)
    assert (model.power_w, model.discharge_w, model.phase) == (0, 0, "off")
    soc = model.soc_pct
    model.advance_to(START + 2 * HOUR)
    assert model.soc_pct == soc
    model.switch(True, START + 2 * HOUR)
    assert model.power_w == 2000  # back on, at its setpoint


def home_loop(model: Battery, rest_w, seconds: float, every_s: float = 5.0, lag: int = 0):
    """A hub that reports the net grid power every `every_s`, counting the battery's power as
    the battery published it `lag` reports before (the runtime tells the battery what it last
    published; with no lag the battery's own power now); the net power after each report."""
    published: list[float] = [model.contribution_w] * (lag + 1)
    nets = []
    t = model.now
    end = t + seconds
    while t < end:
        t += every_s
        model.advance_to(t)
        published.append(model.contribution_w)
        net = rest_w(t) + published[-1 - lag]
        model.follow_grid(net, t, published[-1 - lag] if lag else None)
        nets.append(rest_w(t) + model.contribution_w)
    return nets


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_auto_cancels_a_steady_import_without_swinging(lag):
    model = battery()
    nets = home_loop(model, lambda t: 1200.0, 600, lag=lag)
    settled = nets[-20:]
    assert all(abs(net) < 25 for net in settled), settled
    assert model.phase == "discharging"
    assert model.discharge_w == pytest.approx(1200, abs=25)
    # a damped approach: never more than a small overshoot past zero on the way
    assert min(nets) > -300


def test_auto_stores_a_solar_surplus_and_gives_it_back_in_the_evening():
    model = battery(initial_soc=10)
    home_loop(model, lambda t: -1500.0, 2 * HOUR)  # export at midday
    assert model.phase == "charging" and model.power_w == pytest.approx(1500, abs=25)
    assert model.soc_pct > 60
    nets = home_loop(model, lambda t: 800.0, 2 * HOUR)  # the evening load
    assert model.phase == "discharging" and abs(nets[-1]) < 25


def test_auto_beyond_its_limits_gives_its_most_and_the_grid_the_rest():
    model = battery()
    nets = home_loop(model, lambda t: 4000.0, 600)
    assert model.discharge_w == 2600
    assert nets[-1] == pytest.approx(4000 - 2600)


def test_without_a_summary_auto_holds_and_says_so():
    model = battery()
    home_loop(model, lambda t: 1000.0, 120)
    assert model.phase == "discharging"
    model.follow_grid(None, model.now + 1)
    model.advance_to(model.now + 60)
    assert (model.phase, model.discharge_w, model.power_w) == ("no-summary", 0, model.standby_w)


def test_the_trajectory_depends_on_the_inputs_not_on_how_often_it_is_read():
    def run(read_every_s: float) -> list[tuple[float, float, float, float]]:
        model = battery()
        readings = []
        t = START
        inputs = [(START + 7.3 * k, 900.0 - 40 * k) for k in range(60)]
        while t < START + 600:
            t += read_every_s
            while inputs and inputs[0][0] <= t:
                at, net = inputs.pop(0)
                model.follow_grid(net, at)
            model.advance_to(t)
            if (t - START) % 30 == 0:
                readings.append((model.power_w, model.discharge_w, model.soc_pct, model.now))
        model.advance_to(START + 600)
        return [*readings, (model.energy_wh, model.energy_out_wh, model.soc_pct, 0.0)]

    reference = [value for reading in run(1.0) for value in reading]
    for period in (3.0, 30.0):
        other = [value for reading in run(period) for value in reading]
        assert other == pytest.approx(reference, rel=1e-12)
    assert len(reference) == 4 * 21  # a reading every 30 s and the counters at the end


# ---- properties: any commands, any grid, any parameters ---------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("grid"), st.floats(-8000, 8000)),
        st.tuples(st.sampled_from(["charge", "discharge"]), st.floats(0, 6000)),
        st.tuples(st.sampled_from(["auto", "hold"]), st.none()),
        st.tuples(st.just("switch"), st.booleans()),
        st.tuples(st.just("none"), st.none()),
    ).flatmap(lambda step: st.tuples(st.just(step), st.floats(0.1, 1200))),
    max_size=25,
)
params = st.fixed_dictionaries(
    {
        "capacity_wh": st.floats(500, 20000),
        "max_charge_w": st.floats(100, 6000),
        "max_discharge_w": st.floats(100, 6000),
        "efficiency": st.floats(0.5, 1.0),
        "min_soc": st.floats(0, 90),
        "standby_w": st.floats(0, 100),
    }
).flatmap(lambda p: st.floats(p["min_soc"], 100).map(lambda initial: {**p, "initial_soc": initial}))


@settings(max_examples=100, deadline=None)
@given(params, steps)
def test_energy_is_conserved_and_the_charge_stays_in_its_band(given_params, plan):
    model = battery(**given_params)
    initial_wh = stored_wh(model)
    efficiency = given_params["efficiency"]
    t = START
    for (what, value), gap in plan:
        t += gap
        if what == "grid":
            model.follow_grid(value, t)
        elif what == "none":
            model.follow_grid(None, t)
        elif what == "switch":
            model.switch(value, t)
        else:
            model.set_mode(what, value, t)
        assert given_params["min_soc"] - 1e-9 <= model.soc_pct <= 100 + 1e-9
        assert model.power_w >= 0 and model.discharge_w >= 0
        assert model.power_w == 0 or model.discharge_w == 0
        slack = 1e-9 * max(1.0, model.energy_wh)
        assert model.energy_out_wh <= efficiency * model.energy_wh + initial_wh + slack
        # and exactly: what is stored is what came in less what went out, each way's losses off
        leg = math.sqrt(efficiency)
        cells_in = (model.energy_wh - model.own_use_wh) * leg
        expected = initial_wh + cells_in - model.energy_out_wh / leg
        assert stored_wh(model) == pytest.approx(expected, abs=1e-6 * model.capacity_wh)


def test_every_mode_is_listed():
    assert MODES == ("auto", "charge", "discharge", "hold")
