"""The 1.1 flexible appliances through their device agents, in memory: a car charger's mode,
target and departure, a loaded machine's planned start, a heat store's boost; each command
applied whole or refused with a code, changing nothing."""

import pytest
from test_agent import T0, make_agent
from test_agent_storage import summary

from devices.kinds.ev_charger import EvCharger
from devices.kinds.kettle import Kettle
from devices.kinds.washing_machine import WashingMachine
from devices.kinds.water_heater import WaterHeater
from devices.occupant import Use
from protocol import Meta, State


def test_a_car_charger_reports_its_car_and_takes_mode_target_and_departure():
    agent, wire = make_agent(EvCharger)
    assert agent.command(b"ON", T0 + 1, 101.0).ok  # a car plugged in
    result = agent.command(
        b'{"mode": "minpv", "target_soc": 70, "departure": "07:30"}', T0 + 2, 102.0
    )
    assert result.ok, result.error
    state = State.from_payload(wire.last("home/k1/state"))
    assert (state.plugged, state.mode, state.target_soc) == (True, "minpv", 70.0)
    assert state.departure > T0 and 30 <= state.soc_pct <= 70
    assert state.power_w == pytest.approx(7400 * 6 / 32)  # minpv without a surplus: 6 A
    assert agent.follows_summary
    agent.summary(summary(-4000.0 + state.power_w), T0 + 3, 103.0)  # 4 kW spare
    assert agent.state().power_w == pytest.approx(4000)


def test_a_charger_with_no_car_publishes_no_charge():
    agent, wire = make_agent(EvCharger)
    agent.connected(T0, 100.0)
    payload = wire.last("home/k1/state")
    assert State.from_payload(payload).plugged is False and b"soc_pct" not in payload
    agent.command(b"ON", T0 + 1, 101.0)  # a car plugged in: its charge is known
    assert 30 <= State.from_payload(wire.last("home/k1/state")).soc_pct <= 70


def test_a_bad_key_refuses_the_whole_command():
    agent, _ = make_agent(EvCharger)
    agent.command(b"ON", T0 + 1, 101.0)
    for payload, code in (
        (b'{"target_soc": 60, "mode": "turbo"}', "bad_mode"),
        (b'{"target_soc": 10}', "bad_value"),
        (b'{"mode": "pv", "departure": "25:00"}', "bad_value"),
        (b'{"boost": true}', "not_supported"),
    ):
        result = agent.command(payload, T0 + 2, 102.0)
        assert (result.ok, result.code) == (False, code), payload
    assert (agent.model.mode, agent.model.target_soc) == ("now", 90.0)  # unchanged


def test_a_loaded_machine_shows_ready_and_takes_a_planned_start_or_its_cancellation():
    agent, wire = make_agent(WashingMachine, smart_start="true")
    agent.connected(T0, 100.0)
    assert Meta.from_payload(wire.last("home/k1/meta")).deferrable is True
    agent.model.start_use(Use(T0, 0.0), T0)
    state = agent.state()
    assert state.phase == "ready" and state.finish_by == T0 + 10 * 3600
    start = state.finish_by - state.program_s - 3600
    assert agent.command(f'{{"start_at": {start}}}'.encode(), T0 + 1, 101.0).ok
    assert agent.model.start_at == start
    late = agent.command(f'{{"start_at": {state.finish_by}}}'.encode(), T0 + 2, 102.0)
    assert (late.ok, late.code) == (False, "bad_value") and "finish_by" in late.error
    cancel = agent.command(b'{"start_at": null}', T0 + 3, 103.0)
    assert cancel.ok and cancel.request == {"start_at": None} and agent.model.start_at is None
    kettle, _ = make_agent(Kettle)
    refused = kettle.command(b'{"start_at": null}', T0 + 1, 101.0)
    assert (refused.ok, refused.code) == (False, "not_supported")


def test_a_water_heater_announces_and_takes_a_boost():
    agent, wire = make_agent(WaterHeater)
    agent.connected(T0, 100.0)
    assert Meta.from_payload(wire.last("home/k1/meta")).flexible == ("boost",)
    assert agent.command(b'{"boost": true}', T0 + 1, 101.0).state.phase == "boost"
    assert agent.command(b'{"boost": false}', T0 + 2, 102.0).state.phase != "boost"
    agent.command(b"OFF", T0 + 3, 103.0)
    refused = agent.command(b'{"boost": true}', T0 + 4, 104.0)
    assert (refused.ok, refused.code) == (False, "bad_value") and "switched off" in refused.error


def test_a_1_0_device_still_sends_what_it_sent():
    agent, wire = make_agent(Kettle)
    agent.connected(T0, 100.0)
    assert b"plugged" not in wire.last("home/k1/state")
    assert b"flexible" not in wire.last("home/k1/meta")
    assert b"deferrable" not in wire.last("home/k1/meta")
