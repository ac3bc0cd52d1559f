"""State's compiled fast path (msgspec) decides exactly as the full gate does.

`State.from_payload` tries msgspec first and falls back to the rule functions
of `JsonPayload.from_payload`; these tests hold the two to the same answer on
valid, borderline and hostile payloads: equal states in the same types, or the
same error.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from protocol_strategies import FAST, states

from protocol import ProtocolError, State
from protocol.fields import MAX_PAYLOAD_BYTES, MAX_SAFE_INTEGER
from protocol.json_payload import JsonPayload

FIELDS = ("ts", "seq", "on", "power_w", "energy_wh", "level", "phase")


def full_gate(payload: bytes) -> State:
    return JsonPayload.from_payload.__func__(State, payload)  # type: ignore[attr-defined]


def outcome(parse, payload: bytes) -> tuple[str, object]:
    try:
        state = parse(payload)
    except ProtocolError as exc:
        return "error", str(exc)
    return "state", [(name, type(getattr(state, name)), getattr(state, name)) for name in FIELDS]


def assert_same_decision(payload: bytes) -> None:
    assert outcome(State.from_payload, payload) == outcome(full_gate, payload)


# Values at and around every rule's edges, in every JSON type.
edge_values = st.sampled_from(
    [
        0,
        -0.0,
        1e-300,
        -1,
        100,
        100.0,
        100.5,
        MAX_SAFE_INTEGER,
        MAX_SAFE_INTEGER + 1,
        2**64,
        1.5,
        True,
        False,
        None,
        "",
        "on",
        "x" * 32,
        "x" * 33,
        "é",
        "\ud800",
        [],
        {},
    ]
)
json_values = (
    edge_values
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)


@FAST
@given(states)
def test_valid_states_decode_to_what_the_full_gate_gives(state):
    assert_same_decision(state.to_payload())
    assert State.from_payload(state.to_payload()) == state


@FAST
@given(
    st.fixed_dictionaries({}, optional={name: json_values for name in FIELDS}),
    st.dictionaries(st.text(max_size=5), json_values, max_size=2),
)
@example({"ts": 1.0, "seq": 1, "on": True, "power_w": 1, "energy_wh": 2, "phase": "a"}, {})
@example(
    {"ts": 1.0, "seq": 1, "on": True, "power_w": 1, "energy_wh": 2, "level": 5, "phase": "é"}, {}
)
def test_any_object_gets_the_same_decision(fields, extra):
    payload = json.dumps({**extra, **fields}, ensure_ascii=False, allow_nan=False)
    assert_same_decision(payload.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "payload",
    [
        b'{"ts": 1e400, "seq": 1, "on": true, "power_w": 1, "energy_wh": 1, "level": null,'
        b' "phase": "a"}',
        b'{"ts": NaN, "seq": 1, "on": true, "power_w": 1, "energy_wh": 1, "level": null,'
        b' "phase": "a"}',
        b'{"ts": 5, "seq": 1, "on": true, "power_w": 1, "energy_wh": 1, "level": null,'
        b' "phase": "a", "ts": -5}',
        b'{"ts": 5, "seq": 1.0, "on": true, "power_w": 1, "energy_wh": 1, "level": null,'
        b' "phase": "a"}',
        b'{"ts": 5, "seq": 1, "on": 1, "power_w": 1, "energy_wh": 1, "level": null, "phase": "a"}',
        b'{"ts": 5, "seq": 1, "on": true, "power_w": 1, "energy_wh": 1, "phase": "a"}',
        b'{"ts": 5, "seq": 1, "on": true, "power_w": 1, "energy_wh": 1, "level": null,'
        b' "phase": "\\ud800"}',
        b'{"phase": "\xed\xa0\x80", "ts": 0}',  # a lone surrogate as raw UTF-8 bytes
        b"[1, 2]",
        b"\xff\xfe",
        b"",
        b" " * (MAX_PAYLOAD_BYTES + 1),
    ],
)
def test_hostile_payloads_get_the_full_gates_error(payload):
    assert_same_decision(payload)
    with pytest.raises(ProtocolError):
        State.from_payload(payload)


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_get_the_same_decision(payload):
    assert_same_decision(payload)


def test_a_typical_reading_skips_the_rule_functions(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the full gate ran")

    monkeypatch.setattr(JsonPayload, "from_dict", classmethod(refuse))
    payload = b'{"ts": 1763900000.25, "seq": 812, "on": true, "power_w": 118, "energy_wh": 5.5,'
    payload += b' "level": null, "phase": "cooling", "voltage_v": 230}'
    state = State.from_payload(payload)
    assert (state.power_w, type(state.power_w), state.phase) == (118.0, float, "cooling")
