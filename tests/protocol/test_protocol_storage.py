"""Contract 1.1's storage devices on the wire: a battery's meta, state, commands and result."""

from __future__ import annotations

import json

import pytest

from protocol import STORAGE, Command, CommandResult, Meta, ProtocolError, State
from protocol.command_payloads import BAD_VALUE
from protocol.json_payload import JsonPayload

BATTERY_STATE = {
    "ts": 1763900000.25, "seq": 5, "on": True, "power_w": 0.0, "energy_wh": 812.5,
    "level": None, "phase": "discharging", "discharge_w": 1500.0, "soc_pct": 62.5,
    "mode": "auto", "energy_out_wh": 640.25,
}  # fmt: skip


def full_gate(payload: bytes) -> State:
    return JsonPayload.from_payload.__func__(State, payload)  # type: ignore[attr-defined]


def test_a_battery_state_round_trips_by_both_gates():
    payload = json.dumps(BATTERY_STATE).encode()
    fast, full = State.from_payload(payload), full_gate(payload)
    assert fast == full
    assert (fast.discharge_w, fast.soc_pct, fast.mode, fast.energy_out_wh) == (
        1500.0,
        62.5,
        "auto",
        640.25,
    )
    assert fast.contribution_w == -1500.0
    assert json.loads(fast.to_payload()) == BATTERY_STATE


def test_other_devices_states_stay_as_they_were():
    plain = {key: BATTERY_STATE[key] for key in list(BATTERY_STATE)[:7]}
    state = State.from_dict(plain)
    assert state.soc_pct is None and state.contribution_w == 0.0
    assert json.loads(state.to_payload()) == plain


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("soc_pct", 100.5, "state.soc_pct"),
        ("discharge_w", -1, "state.discharge_w"),
        ("energy_out_wh", "lots", "state.energy_out_wh"),
        ("mode", "", "state.mode"),
    ],
)
def test_a_bad_storage_field_is_refused_by_both_gates(field, value, complaint):
    payload = json.dumps({**BATTERY_STATE, field: value}).encode()
    with pytest.raises(ProtocolError, match=complaint):
        State.from_payload(payload)
    with pytest.raises(ProtocolError, match=complaint):
        full_gate(payload)


def test_a_storage_meta_says_its_size_and_others_leave_it_out():
    common = dict(
        id="home-battery", name="Battery", kind="battery", rated_w=2600, standby_w=15,
        dimmable=False, interval_s=2.0, priority=1, sw="devices 0.1.0",
    )  # fmt: skip
    meta = Meta(role=STORAGE, capacity_wh=5200, max_charge_w=2600, max_discharge_w=2600, **common)
    assert Meta.from_payload(meta.to_payload()) == meta
    assert json.loads(meta.to_payload())["capacity_wh"] == 5200
    plain = Meta(role="consumer", **common)
    assert "capacity_wh" not in json.loads(plain.to_payload())


def test_mode_commands_parse_and_a_setpoint_needs_a_mode():
    command = Command.from_payload(b'{"mode": "charge", "power_w": 2500}')
    assert (command.mode, command.power_w) == ("charge", 2500.0)
    assert command.to_request() == {"mode": "charge", "power_w": 2500.0}
    assert Command.from_payload(command.to_payload()) == command
    with pytest.raises(ProtocolError, match="power_w is a setpoint of a mode") as caught:
        Command.from_payload(b'{"power_w": 2500}')
    assert caught.value.code == BAD_VALUE
    with pytest.raises(ProtocolError, match=r"command\.power_w"):
        Command.from_payload(b'{"mode": "charge", "power_w": -5}')


def test_a_result_says_what_was_applied():
    state = State.from_dict(BATTERY_STATE)
    result = CommandResult.success(
        {"mode": "charge", "power_w": 9000.0}, state, {"mode": "charge", "power_w": 2600.0}
    )
    assert CommandResult.from_payload(result.to_payload()) == result
    assert json.loads(result.to_payload())["applied"] == {"mode": "charge", "power_w": 2600.0}
    assert "applied" not in json.loads(CommandResult.success({}, state).to_payload())
