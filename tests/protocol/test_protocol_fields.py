"""The staged gate and the shared field rules (protocol.fields)."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol import MAX_PAYLOAD_BYTES, Meta, ProtocolError, State, Summary
from protocol.fields import (
    MAX_SAFE_INTEGER,
    canonical_test,
    decode_object,
    decode_text,
    encode_json,
    parse_json,
    pick,
    preview,
    require_bool,
    require_choice,
    require_int,
    require_number,
    require_optional_number,
    require_str,
)


def test_payload_limit_is_64_kib():
    assert MAX_PAYLOAD_BYTES == 65536


def test_size_is_checked_before_anything_else():
    with pytest.raises(ProtocolError, match="payload is 70000 bytes, the limit is 65536"):
        decode_text(b"\xff" * 70000)
    assert decode_text(b"a" * MAX_PAYLOAD_BYTES) == "a" * MAX_PAYLOAD_BYTES
    with pytest.raises(ProtocolError, match="the limit is 65536"):
        decode_text("a" * (MAX_PAYLOAD_BYTES + 1))
    with pytest.raises(ProtocolError, match="65538 bytes"):
        decode_text("é" * 32769)  # few characters, too many bytes


@pytest.mark.parametrize("payload", [b"\xff", b"caf\xc3", b"\xed\xa0\x80", "\ud800"])
def test_text_must_be_utf8(payload):
    with pytest.raises(ProtocolError, match="payload is not valid UTF-8"):
        decode_text(payload)


def test_bytes_like_and_str_are_accepted_other_types_are_not():
    assert decode_text(bytearray(b"on")) == "on"
    assert decode_text(memoryview(b"on")) == "on"
    assert decode_text("on") == "on"
    with pytest.raises(ProtocolError, match="must be bytes or str, got 5"):
        decode_text(5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "payload is not valid JSON"),
        ('{"a": NaN}', "NaN is not allowed"),
        ('{"a": Infinity}', "Infinity is not allowed"),
        ("[-Infinity]", "-Infinity is not allowed"),
        ("[" * 100_000 + "]" * 100_000, "payload is not valid JSON"),
        ("1" * 5000, "payload is not valid JSON"),  # beyond the interpreter's digit limit
    ],
)
def test_json_must_be_strict(text, fragment):
    with pytest.raises(ProtocolError, match=fragment):
        parse_json(text)


def test_decode_object_wants_a_top_level_object():
    assert decode_object(b'{"a": 1}', "state") == {"a": 1}
    for payload, shown in [(b"[1]", "an array of 1 item"), (b'"x"', "'x'"), (b"null", "null")]:
        with pytest.raises(
            ProtocolError, match=f"state payload must be a JSON object, got {shown}"
        ):
            decode_object(payload, "state")


def test_encode_json_is_compact_utf8_and_refuses_nan():
    assert encode_json({"name": "Küche", "w": 1.5}) == '{"name":"Küche","w":1.5}'.encode()
    with pytest.raises(ProtocolError, match="cannot be encoded"):
        encode_json({"w": math.nan})
    with pytest.raises(ProtocolError, match="cannot be encoded"):
        encode_json({"w": object()})


def test_pick_requires_every_known_field_and_ignores_the_rest():
    assert pick({"a": 1, "b": 2, "z": 3}, "x", ["a", "b"]) == {"a": 1, "b": 2}
    with pytest.raises(ProtocolError, match=r"^x\.b is required$"):
        pick({"a": 1}, "x", ["a", "b"])
    with pytest.raises(ProtocolError, match="x must be a JSON object"):
        pick([1], "x", ["a"])


def test_require_number_accepts_ints_and_floats_as_float():
    assert require_number(3, "f") == 3.0
    assert isinstance(require_number(3, "f"), float)
    assert require_number(0, "f", ge=0) == 0.0
    assert require_number(100, "f", ge=0, le=100) == 100.0


@pytest.mark.parametrize(
    ("value", "bounds", "message"),
    [
        (-3, {"ge": 0}, "state.power_w must be a finite number >= 0, got -3"),
        (True, {"ge": 0}, "state.power_w must be a finite number >= 0, got true"),
        ("5", {}, "state.power_w must be a finite number, got '5'"),
        (None, {}, "state.power_w must be a finite number, got null"),
        (math.inf, {}, "got inf"),
        (math.nan, {}, "got nan"),
        (10**400, {}, "got a very large integer"),
        (0, {"gt": 0}, "must be a finite number > 0, got 0"),
        (101, {"ge": 0, "le": 100}, "must be a finite number between 0 and 100, got 101"),
        (0.05, {"ge": 0.1, "le": 3600}, "between 0.1 and 3600, got 0.05"),
        (100001, {"gt": 0, "le": 100000}, "> 0 and <= 100000"),
    ],
)
def test_require_number_rejections(value, bounds, message):
    with pytest.raises(ProtocolError) as caught:
        require_number(value, "state.power_w", **bounds)
    assert message in str(caught.value)


def test_require_optional_number():
    assert require_optional_number(None, "f") is None
    assert require_optional_number(5, "f", ge=0, le=100) == 5.0
    with pytest.raises(ProtocolError, match="f must be null or a finite number between 0 and 100"):
        require_optional_number(-1, "f", ge=0, le=100)


def test_require_int():
    assert require_int(812, "state.seq", ge=0) == 812
    assert require_int(MAX_SAFE_INTEGER, "state.seq", ge=0) == MAX_SAFE_INTEGER
    for bad, shown in [(3.0, "3.0"), (True, "true"), (-1, "-1"), ("1", "'1'")]:
        with pytest.raises(ProtocolError, match=f"state.seq must be an integer >= 0, got {shown}"):
            require_int(bad, "state.seq", ge=0)
    with pytest.raises(ProtocolError, match="must be an integer between 1 and 5, got 6"):
        require_int(6, "meta.priority", ge=1, le=5)
    with pytest.raises(ProtocolError, match="magnitude at most"):
        require_int(MAX_SAFE_INTEGER + 1, "state.seq", ge=0)


def test_require_bool_does_not_take_numbers():
    assert require_bool(False, "b") is False
    for bad in (0, 1, "true", None):
        with pytest.raises(ProtocolError, match="b must be true or false"):
            require_bool(bad, "b")


def test_require_str():
    assert require_str("idle", "p", min_len=1, max_len=32) == "idle"
    with pytest.raises(ProtocolError, match="p must be 1 to 32 characters long, got 0"):
        require_str("", "p", min_len=1, max_len=32)
    with pytest.raises(ProtocolError, match="p must be at most 3 characters long, got 4"):
        require_str("abcd", "p", max_len=3)
    with pytest.raises(ProtocolError, match="p must be a string, got 3"):
        require_str(3, "p")
    with pytest.raises(ProtocolError, match=r"p must match \^\[A-Z\]\{3\}\$, got 'gbp'"):
        require_str("gbp", "p", pattern=r"^[A-Z]{3}$")
    with pytest.raises(ProtocolError, match="lone surrogates"):
        require_str("a\ud800", "p")


def test_require_choice_lists_the_choices():
    assert require_choice("producer", "meta.role", ("consumer", "producer")) == "producer"
    with pytest.raises(
        ProtocolError, match=re.escape("meta.role must be one of consumer, producer, got 'x'")
    ):
        require_choice("x", "meta.role", ("consumer", "producer"))
    with pytest.raises(ProtocolError, match="got 1"):
        require_choice(1, "meta.role", ("consumer", "producer"))


def test_preview_is_short_and_speaks_json():
    assert preview(None) == "null"
    assert preview(True) == "true"
    assert preview({"a": 1, "b": 2}) == "an object with 2 keys"
    assert len(preview("x" * 10_000)) == 60
    assert preview("x" * 10_000).endswith("...")


# Every rule of the payloads read and built most, with its canonical test where it has one.
TESTED_RULES = [
    (cls, name, rule)
    for cls in (State, Meta, Summary)
    for name, rule in cls.RULES.items()
    if canonical_test(rule) is not None
]
any_value = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.sampled_from([MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1, -0.0, 100.0, 1e308, 2**64])
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["consumer", "storage", "x" * 32, "x" * 33, "\ud800", "é"])
)


def test_the_common_rules_have_a_canonical_test():
    assert {name for cls, name, _ in TESTED_RULES if cls is State} >= {
        *("ts", "seq", "on", "power_w", "energy_wh", "level", "phase", "soc_pct")
    }


@given(st.sampled_from(TESTED_RULES), any_value)
def test_a_value_the_canonical_test_passes_the_rule_returns_as_it_is(case, value):
    """The shortcut payloads take (a value already canonical skips its rule) never lets
    through what the rule would refuse, nor keeps what the rule would change."""
    _, name, rule = case
    if eval(f"lambda v: {canonical_test(rule)}")(value):
        result = rule(value, name)
        assert type(result) is type(value) and result == value
