"""A battery's device agent in memory: its meta and state, mode commands, and `auto`
following the hub's summary (and holding without one)."""

import json

import pytest
from test_agent import T0, make_agent

from devices import state_file
from devices.agent import FLOW_REPORT_W, SUMMARY_STALE_S
from devices.ha_discovery import discovery_messages
from devices.kinds.battery import Battery
from protocol import CommandResult, Meta, State, Summary, Topics


def summary(power_w: float) -> bytes:
    return Summary(
        ts=T0, power_w=power_w, import_w=max(0.0, power_w), export_w=max(0.0, -power_w),
        energy_today_wh=0.0, cost_today=0.0, currency="GBP", tariff_rate=0.25,
        devices_online=1, devices_total=1,
    ).to_payload()  # fmt: skip


def test_a_battery_announces_its_size_and_reports_both_counters():
    agent, wire = make_agent(Battery)
    agent.connected(T0, 100.0)
    meta = Meta.from_payload(wire.last("home/k1/meta"))
    assert (meta.role, meta.capacity_wh, meta.max_charge_w, meta.max_discharge_w) == (
        "storage",
        5200,
        2600,
        2600,
    )
    state = State.from_payload(wire.last("home/k1/state"))
    assert (state.mode, state.soc_pct, state.discharge_w, state.energy_out_wh) == (
        "auto",
        50.0,
        0.0,
        0.0,
    )
    assert state.phase == "no-summary"
    assert agent.follows_summary


def test_a_setpoint_beyond_the_limits_is_applied_clipped_and_the_result_says_so():
    agent, wire = make_agent(Battery)
    result = agent.command(b'{"mode": "charge", "power_w": 5000}', T0 + 1, 101.0)
    assert result.ok and result.request == {"mode": "charge", "power_w": 5000.0}
    assert result.applied == {"mode": "charge", "power_w": 2600.0}
    assert (result.state.mode, result.state.power_w, result.state.phase) == (
        "charge",
        2600.0,
        "charging",
    )
    published = CommandResult.from_payload(wire.last("home/k1/result"))
    assert published == result


def test_bad_mode_commands_are_refused_with_a_reason_and_change_nothing():
    agent, _ = make_agent(Battery)
    before = agent.state()
    for payload, complaint in [
        (b'{"mode": "turbo"}', "mode must be one of auto, charge, discharge, hold"),
        (b'{"mode": "discharge"}', "needs a power_w"),
        (b'{"mode": "hold", "power_w": 10}', "power_w goes only with mode charge or discharge"),
        (b'{"power_w": 10}', "power_w is a setpoint of a mode"),
    ]:
        result = agent.command(payload, T0 + 1, 101.0)
        assert not result.ok and complaint in result.error, result.error
    assert agent.state().mode == before.mode and agent.model.phase == "no-summary"
    kettle, _ = make_agent()
    refused = kettle.command(b'{"mode": "hold"}', T0 + 1, 101.0)
    assert (refused.ok, refused.code) == (False, "bad_mode")
    assert "kettle, which has no modes" in refused.error


def test_auto_follows_the_summary_and_holds_when_the_hub_goes_quiet():
    agent, _ = make_agent(Battery)
    agent.connected(T0, 100.0)
    t, real = T0, 100.0
    for _ in range(30):  # the home imports 1 kW besides the battery, a summary a second
        t, real = t + 5, real + 1
        agent.tick(t, real)
        agent.summary(summary(1000.0 + agent.state().power_w - agent.state().discharge_w), t, real)
    state = agent.state()
    assert state.phase == "discharging" and abs(state.discharge_w - 1000) < 25
    agent.tick(t + 5, real + SUMMARY_STALE_S + 1)
    agent.tick(t + 20, real + SUMMARY_STALE_S + 2)
    assert agent.state().phase == "no-summary" and agent.state().discharge_w == 0
    agent.summary(b"not json", t + 25, real + 13)  # logged and taken as none
    assert agent.model.grid_w is None


def test_a_battery_reports_a_new_flow_at_once_not_at_its_interval():
    """The hub's net counts the battery as it reported itself: a flow that moved is
    reported at the next tick, so the loop the battery closes through the hub has no
    interval's lag in it; small moves wait for the interval."""
    agent, wire = make_agent(Battery)  # reports every 2 s of real time
    agent.connected(T0, 100.0)
    agent.summary(summary(500.0), T0, 100.0)
    agent.tick(T0 + 5, 100.1)
    agent.tick(T0 + 10, 102.2)  # discharging, reported
    reports = len(wire.on("home/k1/state"))
    before = State.from_payload(wire.last("home/k1/state")).discharge_w
    agent.summary(summary(1500.0 - before), T0 + 10, 102.2)  # a kettle came on
    agent.tick(T0 + 15, 102.3)  # still discharging, more
    assert len(wire.on("home/k1/state")) == reports + 1
    after = State.from_payload(wire.last("home/k1/state")).discharge_w
    assert after - before >= FLOW_REPORT_W
    agent.tick(T0 + 15, 102.4)  # nothing moved since
    assert len(wire.on("home/k1/state")) == reports + 1


def test_home_assistant_gets_both_counters_as_energy_meters():
    agent, _ = make_agent(Battery)
    configs = dict(discovery_messages(agent.meta(), Topics("home")))
    delivered = json.loads(configs["homeassistant/sensor/k1/energy_out/config"])
    drawn = json.loads(configs["homeassistant/sensor/k1/energy/config"])
    for config, field in ((delivered, "energy_out_wh"), (drawn, "energy_wh")):
        assert (config["device_class"], config["state_class"]) == ("energy", "total_increasing")
        assert config["value_template"] == "{{ value_json." + field + " }}"
    assert json.loads(configs["homeassistant/sensor/k1/soc/config"])["unit_of_measurement"] == "%"


def test_a_restarted_battery_carries_on_from_its_state_file(tmp_path):
    agent, _ = make_agent(Battery, tmp_path)
    agent.command(b'{"mode": "discharge", "power_w": 2000}', T0, 100.0)
    agent.tick(T0 + 1800, 101.0)  # half an hour at 2 kW
    agent.save_durably()
    before = agent.state()
    saved = state_file.load(tmp_path / "k1.json", "k1", "battery")
    assert (saved.energy_out_wh, saved.soc_pct) == (before.energy_out_wh, before.soc_pct)
    again, _ = make_agent(Battery, tmp_path, saved=saved)
    after = again.state()
    assert (after.energy_out_wh, after.soc_pct) == (1000.0, before.soc_pct)
    assert after.soc_pct == pytest.approx(50 - 100 * 1000 / 0.9**0.5 / 5200, abs=0.01)
