"""Device ids and topic roots (protocol.ids)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from protocol_strategies import FAST, device_ids, topic_roots

from protocol import (
    DEVICE_ID_PATTERN,
    RESERVED_IDS,
    ProtocolError,
    is_valid_device_id,
    validate_device_id,
    validate_topic_root,
)


@pytest.mark.parametrize("value", ["kitchen-fridge", "a", "0", "ev_charger-2", "x" * 48])
def test_valid_ids_are_returned_unchanged(value):
    assert validate_device_id(value) == value
    assert is_valid_device_id(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Kitchen", "device id 'Kitchen' must match ^[a-z0-9][a-z0-9_-]{0,47}$"),
        ("", "must not be empty"),
        ("x" * 49, "is 49 characters long"),
        ("hub", "reserved"),
        ("a+b", "must match"),
        ("a#b", "must match"),
        ("a/b", "must match"),
        ("-lead", "must match"),
        ("_lead", "must match"),
        ("with space", "must match"),
        ("kitchen\n", "must match"),  # "$" alone would let a trailing newline through
        ("café", "must match"),
        (None, "must be a string, got null"),
        (7, "must be a string, got 7"),
        (b"kitchen", "must be a string"),
    ],
)
def test_invalid_ids_are_rejected_with_a_clear_reason(value, fragment):
    with pytest.raises(ProtocolError) as caught:
        validate_device_id(value)
    assert fragment in str(caught.value)
    assert not is_valid_device_id(value)


def test_the_message_explains_the_rule_in_words():
    with pytest.raises(ProtocolError, match="lower case letters, digits, '-' and '_', at most 48"):
        validate_device_id("Kitchen")


def test_pattern_and_reserved_names_match_the_contract():
    assert DEVICE_ID_PATTERN == r"^[a-z0-9][a-z0-9_-]{0,47}$"
    assert frozenset({"hub"}) == RESERVED_IDS


def test_protocol_error_is_a_value_error():
    assert issubclass(ProtocolError, ValueError)


@FAST
@given(device_ids)
def test_every_id_matching_the_pattern_is_accepted(value):
    assert re.fullmatch(DEVICE_ID_PATTERN, value)
    assert validate_device_id(value) == value


@FAST
@given(device_ids, st.sampled_from("+#/"), st.data())
def test_ids_with_wildcards_or_slashes_are_rejected(value, bad, data):
    at = data.draw(st.integers(0, len(value)))
    assert not is_valid_device_id(value[:at] + bad + value[at:])


@FAST
@given(device_ids, st.characters(whitelist_categories=("Lu",)), st.data())
def test_ids_with_any_upper_case_letter_are_rejected(value, upper, data):
    at = data.draw(st.integers(0, len(value)))
    with pytest.raises(ProtocolError):
        validate_device_id(value[:at] + upper + value[at:])


@FAST
@given(st.from_regex(r"[a-z0-9][a-z0-9_-]{48,80}", fullmatch=True))
def test_ids_longer_than_48_characters_are_rejected(value):
    with pytest.raises(ProtocolError, match="characters long"):
        validate_device_id(value)


@FAST
@given(st.text(max_size=60) | st.binary(max_size=10) | st.integers() | st.none())
def test_arbitrary_values_are_accepted_exactly_when_they_match(value):
    expected = (
        isinstance(value, str)
        and re.fullmatch(DEVICE_ID_PATTERN, value) is not None
        and value != "hub"
    )
    assert is_valid_device_id(value) is expected


@pytest.mark.parametrize("root", ["home", "site/a/home", "my home", "a" * 200, "x$"])
def test_valid_topic_roots(root):
    assert validate_topic_root(root) == root


@pytest.mark.parametrize(
    ("root", "fragment"),
    [
        ("", "must not be empty"),
        ("home/", "empty level"),
        ("/home", "empty level"),
        ("a//b", "empty level"),
        ("home/+", "wildcard"),
        ("home/#", "wildcard"),
        ("$SYS", "must not start with '$'"),
        ("ho\0me", "NUL"),
        ("a" * 201, "201 characters long, the limit is 200"),
        (3, "must be a string"),
    ],
)
def test_invalid_topic_roots(root, fragment):
    with pytest.raises(ProtocolError, match=re.escape(fragment)):
        validate_topic_root(root)


@FAST
@given(topic_roots)
def test_generated_roots_are_valid(root):
    assert validate_topic_root(root) == root
