"""Commands on set and replies on result (protocol.command_payloads)."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from protocol_strategies import FAST, commands, results, states

from protocol import Command, CommandResult, ProtocolError, State

STATE = State(ts=1763900000.25, seq=812, on=True, power_w=118.4, energy_wh=5123.77, phase="cooling")


@pytest.mark.parametrize(
    ("payload", "expected", "request_dict"),
    [
        (b"", Command(), {}),
        (b"  \n", Command(), {}),
        (b"ON", Command(on=True), {"on": True}),
        (b"off", Command(on=False), {"on": False}),
        (b" On \n", Command(on=True), {"on": True}),
        (b"TOGGLE", Command(toggle=True), {"toggle": True}),
        ("toggle", Command(toggle=True), {"toggle": True}),
        (b'{"on": true}', Command(on=True), {"on": True}),
        (b'{"level": 40}', Command(level=40.0), {"level": 40.0}),
        (b'{"interval_s": 0.5}', Command(interval_s=0.5), {"interval_s": 0.5}),
        (
            b' {"on": false, "level": 0, "interval_s": 3600} ',
            Command(on=False, level=0.0, interval_s=3600.0),
            {"on": False, "level": 0.0, "interval_s": 3600.0},
        ),
    ],
)
def test_every_command_form_of_the_contract_parses(payload, expected, request_dict):
    command = Command.from_payload(payload)
    assert command == expected
    assert command.to_request() == request_dict
    assert command.to_dict() == request_dict
    assert command.is_status_request is (request_dict == {})


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"ONN", "command must be empty, ON, OFF, TOGGLE (any case) or a JSON object, got 'ONN'"),
        (b'"ON"', "command must be empty, ON, OFF, TOGGLE"),
        (b"[1]", "command must be empty, ON, OFF, TOGGLE"),
        (b"{", "command payload is not valid JSON"),
        (b'{"level": NaN}', "command payload is not valid JSON: NaN is not allowed"),
        (b"{}", "command object is empty; give at least one of on, level, interval_s"),
        (
            b'{"on": true, "brightness": 5}',
            "command has unknown key 'brightness'; known keys: on, level, interval_s",
        ),
        (b'{"toggle": true}', "unknown key 'toggle'"),
        (b'{"on": 1}', "command.on must be true or false, got 1"),
        (b'{"on": null}', "command.on must be true or false, got null"),
        (b'{"on": "ON"}', "command.on must be true or false, got 'ON'"),
        (b'{"level": 140}', "command.level must be a finite number between 0 and 100, got 140"),
        (b'{"level": -1}', "command.level must be a finite number between 0 and 100, got -1"),
        (b'{"level": true}', "command.level must be a finite number between 0 and 100, got true"),
        (b'{"level": 1e400}', "command.level must be a finite number between 0 and 100, got inf"),
        (b'{"interval_s": 0}', "command.interval_s must be a finite number between 0.1 and 3600"),
        (
            b'{"interval_s": 3601}',
            "command.interval_s must be a finite number between 0.1 and 3600",
        ),
        (b"\xffON", "command payload is not valid UTF-8"),
        (b" " * 65537, "command payload is 65537 bytes, the limit is 65536"),
    ],
)
def test_bad_commands_say_what_is_wrong(payload, message):
    with pytest.raises(ProtocolError) as caught:
        Command.from_payload(payload)
    assert message in str(caught.value)


def test_toggle_cannot_be_combined():
    with pytest.raises(ProtocolError, match="TOGGLE cannot be combined"):
        Command(toggle=True, level=5)


def test_command_from_dict_is_the_json_form():
    assert Command.from_dict({"level": 12.5}) == Command(level=12.5)
    with pytest.raises(ProtocolError, match="command must be a JSON object"):
        Command.from_dict(["on"])  # type: ignore[arg-type]


def test_command_payloads():
    assert Command().to_payload() == b""
    assert Command(toggle=True).to_payload() == b"TOGGLE"
    assert Command(on=True, level=40).to_payload() == b'{"on":true,"level":40.0}'


def test_success_result_has_the_contract_shape():
    result = CommandResult.success(Command(on=True).to_request(), STATE)
    assert json.loads(result.to_payload()) == {
        "ok": True,
        "request": {"on": True},
        "state": json.loads(STATE.to_payload()),
    }
    assert list(result.to_dict()) == ["ok", "request", "state"]


def test_failure_result_has_the_contract_shape_and_cuts_the_raw_payload():
    raw = b'{"level": 140, "pad": "' + b"x" * 300 + b'"}'
    result = CommandResult.failure("command.level must be ...", raw)
    data = json.loads(result.to_payload())
    assert list(data) == ["ok", "error", "request"]
    assert data["ok"] is False
    assert data["error"] == "command.level must be ..."
    assert data["request"] == raw.decode()[:200]
    assert len(data["request"]) == 200


def test_failure_replaces_bytes_that_are_not_utf8():
    result = CommandResult.failure("bad", b"\xffON")
    assert result.request == "\ufffdON"
    assert CommandResult.failure("bad", "a\ud800").request == "a?"


def test_failure_never_has_an_empty_or_overlong_error():
    assert CommandResult.failure("", b"x").error
    assert len(CommandResult.failure("e" * 5000, b"x").error) == 1000


def test_result_example_shapes_parse():
    ok = b'{"ok": true, "request": {"level": 40}, "state": ' + STATE.to_payload() + b"}"
    parsed = CommandResult.from_payload(ok)
    assert parsed.ok and parsed.request == {"level": 40} and parsed.state == STATE
    bad = b'{"ok": false, "error": "level must be 0..100", "request": "{\\"level\\": 140}"}'
    parsed = CommandResult.from_payload(bad)
    assert not parsed.ok
    assert parsed.error == "level must be 0..100"
    assert parsed.request == '{"level": 140}'
    assert parsed.state is None


def test_a_refusal_code_is_optional_and_travels_only_when_given():
    coded = CommandResult.failure(
        "command has unknown key 'colour'", b'{"colour":1}', "unknown_key"
    )
    assert json.loads(coded.to_payload())["code"] == "unknown_key"
    assert CommandResult.from_payload(coded.to_payload()) == coded
    plain = CommandResult.failure("the lid is open", b"ON")  # a 1.0 device's reply
    assert "code" not in plain.to_dict()
    assert CommandResult.from_payload(plain.to_payload()).code is None
    with pytest.raises(ProtocolError, match=r"result\.code must be absent"):
        CommandResult(ok=True, request={}, state=STATE, code="x")
    with pytest.raises(ProtocolError, match=r"result\.code must be 1 to 40"):
        CommandResult.failure("e", b"x", "c" * 41)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "result.ok is required"),
        ({"ok": 1}, "result.ok must be true or false"),
        ({"ok": True, "request": {}}, "result.state is required"),
        ({"ok": True, "request": "ON", "state": None}, "result.request must be a JSON object"),
        ({"ok": True, "request": {}, "state": {"ts": 1}}, "state.seq is required"),
        ({"ok": False, "request": "x"}, "result.error is required"),
        ({"ok": False, "error": "", "request": "x"}, "result.error must be 1 to 1000 characters"),
        ({"ok": False, "error": "e", "request": {}}, "result.request must be a string"),
        ({"ok": False, "error": "e", "request": "x" * 201}, "result.request must be at most 200"),
    ],
)
def test_result_rejections_name_the_field(data, message):
    with pytest.raises(ProtocolError) as caught:
        CommandResult.from_payload(json.dumps(data))
    assert message in str(caught.value)


def test_result_construction_keeps_the_shapes_apart():
    with pytest.raises(ProtocolError, match=r"result\.state must be a state"):
        CommandResult(ok=True, request={})
    with pytest.raises(ProtocolError, match=r"result\.error must be absent"):
        CommandResult(ok=True, request={}, state=STATE, error="x")
    with pytest.raises(ProtocolError, match=r"result\.state must be absent"):
        CommandResult(ok=False, request="x", error="e", state=STATE)
    with pytest.raises(ProtocolError, match="only JSON values"):
        CommandResult.success({1: "x"}, STATE)  # type: ignore[dict-item]
    with pytest.raises(ProtocolError, match="limit is 1024"):
        CommandResult.success({"x": "y" * 2000}, STATE)


@FAST
@given(commands)
def test_every_command_round_trips(command):
    assert Command.from_payload(command.to_payload()) == command


@FAST
@given(st.sampled_from(["on", "off", "toggle"]), st.data())
def test_switch_words_parse_in_any_case(word, data):
    cased = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
    command = Command.from_payload(f" {cased}\t")
    assert command.to_request() == ({"toggle": True} if word == "toggle" else {"on": word == "on"})


@FAST
@given(results)
def test_every_result_round_trips(result):
    assert CommandResult.from_payload(result.to_payload()) == result


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["on", "level", "interval_s", "other"]),
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False),
        min_size=1,
    )
)
def test_json_commands_parse_or_name_the_bad_key(data):
    try:
        command = Command.from_payload(json.dumps(data))
    except ProtocolError as exc:
        named = [f"command.{key}" for key in data] + ["unknown key 'other'"]
        assert any(name in str(exc) for name in named), str(exc)
    else:
        assert "other" not in data
        assert command.to_request() == {
            key: value if key == "on" else float(value) for key, value in data.items()
        }


@FAST
@given(states)
def test_success_carries_the_state(state):
    result = CommandResult.success({}, state)
    assert CommandResult.from_payload(result.to_payload()).state == state
