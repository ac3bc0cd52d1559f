"""The gate every payload class shares (protocol.json_payload), driven with hostile input.

Whatever arrives on the wire, parsing either yields a valid object or raises
ProtocolError; any other exception would escape into an MQTT callback.
"""

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from protocol_strategies import (
    PER_CLASS,
    VALID_OBJECTS,
    dump,
    finite_json_values,
    json_values,
    parse_or_protocol_error,
)

from protocol import (
    MAX_PAYLOAD_BYTES,
    Command,
    CommandResult,
    ProtocolError,
    Summary,
    parse_availability,
)

PARSERS = [cls.from_payload for cls in VALID_OBJECTS] + [parse_availability]
PARSER_IDS = [cls.__name__ for cls in VALID_OBJECTS] + ["availability"]
JSON_CLASSES = [cls for cls in VALID_OBJECTS if cls is not Command]
# A rule that ties fields together may name the other field of the pair;
# a result's ok decides which of the other fields are required.
RELATED_FIELDS = {
    (Summary, "devices_online"): ["devices_total"],
    (Summary, "devices_total"): ["devices_online"],
    (CommandResult, "ok"): ["error", "request", "state", "code"],
}


@pytest.mark.parametrize("parse", PARSERS, ids=PARSER_IDS)
@PER_CLASS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_protocol_error(parse, payload):
    parse_or_protocol_error(parse, payload)


@pytest.mark.parametrize("parse", PARSERS, ids=PARSER_IDS)
@PER_CLASS
@given(json_values)
def test_arbitrary_json_raises_only_protocol_error(parse, value):
    parse_or_protocol_error(parse, dump(value))


def field_names(cls: type) -> list[str]:
    if cls is CommandResult:
        return ["ok", "request", "state", "error", "code"]
    return [field.name for field in dataclasses.fields(cls)]


@pytest.mark.parametrize("cls", list(VALID_OBJECTS), ids=lambda cls: cls.__name__)
@PER_CLASS
@given(st.data())
def test_the_right_keys_with_random_values_raise_only_protocol_error(cls, data):
    names = field_names(cls)
    if cls is Command:
        names = data.draw(st.lists(st.sampled_from(names[:1] + names[2:]), unique=True))
    obj = data.draw(st.fixed_dictionaries({name: json_values for name in names}))
    parsed = parse_or_protocol_error(cls.from_payload, dump(obj))
    if parsed is not None:
        assert cls.from_payload(parsed.to_payload()) == parsed


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda cls: cls.__name__)
@PER_CLASS
@given(st.data())
def test_a_single_bad_field_is_named_in_the_error(cls, data):
    valid = data.draw(VALID_OBJECTS[cls]).to_dict()
    name = data.draw(st.sampled_from(sorted(valid)))
    valid[name] = data.draw(finite_json_values)
    try:
        parsed = cls.from_payload(dump(valid))
    except ProtocolError as exc:
        named = {name, *RELATED_FIELDS.get((cls, name), ())}
        assert any(field in str(exc) for field in named), (name, str(exc))
    else:
        assert cls.from_payload(parsed.to_payload()) == parsed


@pytest.mark.parametrize("cls", list(VALID_OBJECTS), ids=lambda cls: cls.__name__)
@PER_CLASS
@given(st.data())
def test_every_valid_object_round_trips_as_bytes_and_str(cls, data):
    obj = data.draw(VALID_OBJECTS[cls])
    payload = obj.to_payload()
    assert isinstance(payload, bytes)
    assert len(payload) <= MAX_PAYLOAD_BYTES
    assert cls.from_payload(payload) == obj
    assert cls.from_payload(payload.decode()) == obj


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda cls: cls.__name__)
@PER_CLASS
@given(st.data())
def test_payloads_are_compact_json_objects_with_the_dict_view(cls, data):
    obj = data.draw(VALID_OBJECTS[cls])
    payload = obj.to_payload()
    assert b"\n" not in payload and b": " not in payload.split(b'"')[0]
    assert json.loads(payload) == obj.to_dict()
    assert cls.from_dict(obj.to_dict()) == obj


@pytest.mark.parametrize("cls", list(VALID_OBJECTS), ids=lambda cls: cls.__name__)
def test_oversized_payloads_are_refused_before_decoding(cls):
    payload = b'{"pad": "' + b"x" * MAX_PAYLOAD_BYTES + b'"}'
    with pytest.raises(ProtocolError, match=f"is {len(payload)} bytes, the limit is 65536"):
        cls.from_payload(payload)


@pytest.mark.parametrize("cls", JSON_CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("payload", [b"[]", b"3", b'"text"', b"null", b"true"])
def test_top_level_must_be_an_object(cls, payload):
    with pytest.raises(ProtocolError, match="payload must be a JSON object"):
        cls.from_payload(payload)
