"""Boost (protocol 1.1): the heat pump and the water heater store heat now, within their band."""

import pytest

from devices.kinds import KIND_NAMES, get_kind
from devices.params import ModelError
from devices.simulate import simulate

HOUR = 3600.0


def test_the_kinds_that_can_boost_say_so_and_the_others_refuse():
    assert [k for k in KIND_NAMES if "boost" in get_kind(k).extra_commands] == [
        "heat_pump",
        "water_heater",
    ]
    kettle = simulate("kettle", 0.01).model
    with pytest.raises(ModelError, match="a kettle takes no 'boost'"):
        kettle.set_boost(True, kettle.now)


def test_a_water_heater_boost_heats_to_its_boost_temperature_and_hands_back():
    model = simulate("water_heater", 0.01, params={"auto": "false"}).model
    assert model.tank_c <= 60
    model.set_boost(True, model.now)
    assert (model.phase, model.power_w) == ("boost", 3000)
    peak, deadline = model.tank_c, model.now + 6 * HOUR
    while model.boosting and model.now < deadline:
        model.advance_to(model.now + model.tick_s)
        peak = max(peak, model.tank_c)
    assert 70 <= peak < 70.5 and model.phase == "idle"  # back on its own thermostat
    model.advance_to(model.now + 2 * HOUR)
    assert model.power_w == 0 and 60 < model.tank_c < 70  # cooling back towards its band


def test_a_water_heater_boost_can_be_ended_and_is_refused_while_off():
    model = simulate("water_heater", 0.01, params={"auto": "false"}).model
    model.set_boost(True, model.now)
    model.set_boost(False, model.now + 60)
    assert not model.boosting and model.phase in ("idle", "heating")
    model.switch(False, model.now)
    with pytest.raises(ModelError, match="switched off"):
        model.set_boost(True, model.now)
    assert not model.boosting


def test_a_heat_pump_boost_warms_the_house_above_its_setpoint_even_at_night():
    model = simulate("heat_pump", 0.01, start="2026-01-12T23:00").model  # overnight setback
    night_c = model.indoor_c
    model.set_boost(True, model.now)
    assert model.phase == "boost" and model.power_w >= 800
    deadline = model.now + 12 * HOUR
    while model.boosting and model.now < deadline:
        model.advance_to(model.now + model.tick_s)
    assert model.indoor_c == pytest.approx(21.5, abs=0.02)  # 20 C day setpoint + 1.5 K
    assert model.now < deadline and night_c < 20
    model.advance_to(model.now + HOUR)
    assert model.phase != "boost" and model.indoor_c < 21.6  # back to the 16 C setback


def test_a_heat_pump_in_summer_mode_refuses_a_boost():
    model = simulate("heat_pump", 0.01, start="2026-07-13T12:00").model
    with pytest.raises(ModelError, match="summer mode"):
        model.set_boost(True, model.now)
    assert not model.boosting
