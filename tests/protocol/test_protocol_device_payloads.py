"""meta, state and availability (protocol.device_payloads)."""

import json
import re

import pytest
from hypothesis import given
from protocol_strategies import FAST, metas, states

from protocol import OFFLINE, ONLINE, Meta, ProtocolError, State, parse_availability

# Verbatim from the contract (protocol.md).
META_EXAMPLE = """{"protocol": 1, "id": "kitchen-fridge", "name": "Kitchen fridge",
 "kind": "fridge", "role": "consumer", "rated_w": 120, "standby_w": 0, "dimmable": false,
 "interval_s": 2.0, "priority": 3, "sw": "devices 0.1.0"}"""
STATE_EXAMPLE = """{"ts": 1763900000.25, "seq": 812, "on": true, "power_w": 118.4,
 "energy_wh": 5123.77, "level": null, "phase": "cooling"}"""


def with_field(example: str, **changes: object) -> bytes:
    data = json.loads(example)
    data.update(changes)
    return json.dumps(data).encode()


def without_field(example: str, name: str) -> bytes:
    data = json.loads(example)
    del data[name]
    return json.dumps(data).encode()


def test_meta_example_parses():
    meta = Meta.from_payload(META_EXAMPLE.encode())
    assert meta == Meta(
        protocol=1,
        id="kitchen-fridge",
        name="Kitchen fridge",
        kind="fridge",
        role="consumer",
        rated_w=120.0,
        standby_w=0.0,
        dimmable=False,
        interval_s=2.0,
        priority=3,
        sw="devices 0.1.0",
    )
    assert isinstance(meta.rated_w, float)
    assert json.loads(meta.to_payload()) == json.loads(META_EXAMPLE)


def test_meta_from_a_later_protocol_version_with_extra_fields_parses():
    meta = Meta.from_payload(with_field(META_EXAMPLE, protocol=2, rooms=["kitchen"]))
    assert meta.protocol == 2
    assert "rooms" not in meta.to_dict()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"protocol": 0}, "meta.protocol must be an integer >= 1, got 0"),
        ({"protocol": "1"}, "meta.protocol must be an integer"),
        ({"id": "Kitchen"}, "meta.id: device id 'Kitchen' must match"),
        ({"id": "hub"}, "meta.id: device id 'hub' is reserved"),
        ({"name": ""}, "meta.name must be 1 to 100 characters long"),
        ({"name": "n" * 101}, "meta.name must be 1 to 100 characters long, got 101"),
        ({"kind": "Fridge"}, "meta.kind must match"),
        ({"kind": "k" * 33}, "meta.kind must match"),
        (
            {"role": "prosumer"},
            "meta.role must be one of consumer, producer, storage, got 'prosumer'",
        ),
        ({"rated_w": -1}, "meta.rated_w must be a finite number >= 0, got -1"),
        ({"rated_w": True}, "meta.rated_w must be a finite number >= 0, got true"),
        ({"standby_w": "0"}, "meta.standby_w must be a finite number >= 0"),
        ({"dimmable": 0}, "meta.dimmable must be true or false, got 0"),
        ({"interval_s": 0.05}, "meta.interval_s must be a finite number between 0.1 and 3600"),
        ({"interval_s": 3601}, "meta.interval_s must be a finite number between 0.1 and 3600"),
        ({"priority": 0}, "meta.priority must be an integer between 1 and 5, got 0"),
        ({"priority": 6}, "meta.priority must be an integer between 1 and 5, got 6"),
        ({"priority": 3.0}, "meta.priority must be an integer"),
        ({"sw": "s" * 101}, "meta.sw must be at most 100 characters long"),
    ],
)
def test_meta_rejections_name_the_field(changes, message):
    with pytest.raises(ProtocolError) as caught:
        Meta.from_payload(with_field(META_EXAMPLE, **changes))
    assert message in str(caught.value)


@pytest.mark.parametrize("name", list(json.loads(META_EXAMPLE)))
def test_every_meta_field_is_required(name):
    with pytest.raises(ProtocolError, match=f"^meta.{name} is required$"):
        Meta.from_payload(without_field(META_EXAMPLE, name))


def test_state_example_parses():
    state = State.from_payload(STATE_EXAMPLE)
    assert state == State(
        ts=1763900000.25,
        seq=812,
        on=True,
        power_w=118.4,
        energy_wh=5123.77,
        level=None,
        phase="cooling",
    )
    assert json.loads(state.to_payload()) == json.loads(STATE_EXAMPLE)


def test_state_extra_fields_are_ignored():
    payload = with_field(STATE_EXAMPLE, voltage_v=231.2, current_a=0.51, power_factor=0.99)
    assert State.from_payload(payload) == State.from_payload(STATE_EXAMPLE)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ts": 0}, "state.ts must be a finite number > 0, got 0"),
        ({"ts": None}, "state.ts must be a finite number > 0, got null"),
        ({"seq": -1}, "state.seq must be an integer >= 0, got -1"),
        ({"seq": 1.5}, "state.seq must be an integer >= 0, got 1.5"),
        ({"on": "true"}, "state.on must be true or false, got 'true'"),
        ({"power_w": -3}, "state.power_w must be a finite number >= 0, got -3"),
        ({"energy_wh": -0.1}, "state.energy_wh must be a finite number >= 0, got -0.1"),
        ({"level": 101}, "state.level must be null or a finite number between 0 and 100"),
        ({"level": False}, "state.level must be null or a finite number"),
        ({"phase": ""}, "state.phase must be 1 to 32 characters long, got 0"),
        ({"phase": "p" * 33}, "state.phase must be 1 to 32 characters long, got 33"),
    ],
)
def test_state_rejections_name_the_field(changes, message):
    with pytest.raises(ProtocolError) as caught:
        State.from_payload(with_field(STATE_EXAMPLE, **changes))
    assert message in str(caught.value)


def test_state_number_that_overflows_a_float_is_not_finite():
    with pytest.raises(
        ProtocolError, match=re.escape("state.power_w must be a finite number >= 0, got inf")
    ):
        State.from_payload(STATE_EXAMPLE.replace("118.4", "1e400"))


def test_state_nan_power_is_rejected_at_the_json_stage():
    with pytest.raises(ProtocolError, match="state payload is not valid JSON: NaN"):
        State.from_payload(STATE_EXAMPLE.replace("118.4", "NaN"))


def test_objects_are_validated_at_construction_too():
    with pytest.raises(
        ProtocolError, match=re.escape("state.power_w must be a finite number >= 0, got -3")
    ):
        State(ts=1.0, seq=0, on=True, power_w=-3, energy_wh=0.0, phase="idle")


def test_payload_objects_are_frozen():
    state = State.from_payload(STATE_EXAMPLE)
    with pytest.raises(AttributeError):
        state.power_w = 5.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"online", ONLINE),
        (b"offline", OFFLINE),
        ("Online", ONLINE),
        (b" OFFLINE\n", OFFLINE),
    ],
)
def test_availability(payload, expected):
    assert parse_availability(payload) == expected


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"", "must be 'online' or 'offline', got ''"),
        (b"up", "got 'up'"),
        (b'"online"', "must be 'online' or 'offline'"),
        (b"\xff", "availability payload is not valid UTF-8"),
        (b"o" * 70000, "availability payload is 70000 bytes"),
    ],
)
def test_availability_rejections(payload, fragment):
    with pytest.raises(ProtocolError) as caught:
        parse_availability(payload)
    assert fragment in str(caught.value)


@FAST
@given(metas)
def test_every_meta_round_trips(meta):
    assert Meta.from_payload(meta.to_payload()) == meta
    assert Meta.from_dict(meta.to_dict()) == meta


@FAST
@given(states)
def test_every_state_round_trips(state):
    assert State.from_payload(state.to_payload()) == state
    assert State.from_payload(state.to_payload().decode()) == state
