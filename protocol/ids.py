"""Device ids and topic roots: the names that become MQTT topic levels.

An id or root that passes these checks can be put into a topic without creating
a wildcard, an extra level or a broker-internal ``$`` topic, so every other
module may build topics by plain string formatting.
"""

from __future__ import annotations

import re

from protocol.errors import ProtocolError
from protocol.fields import preview

DEVICE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,47}$"
DEVICE_ID_MAX_LENGTH = 48
RESERVED_IDS = frozenset({"hub"})
TOPIC_ROOT_MAX_LENGTH = 200

# fullmatch, not match: with match, "$" would also accept a trailing newline.
_DEVICE_ID_RE = re.compile(DEVICE_ID_PATTERN)
_DEVICE_ID_RULE = (
    f"must match {DEVICE_ID_PATTERN} (lower case letters, digits, '-' and '_', "
    f"at most {DEVICE_ID_MAX_LENGTH} characters)"
)


def validate_device_id(value: object) -> str:
    """Return `value` if it is a usable device id; otherwise raise `ProtocolError`.

    Usable means it matches `DEVICE_ID_PATTERN` and is not reserved (``hub``
    names the hub's own topics).
    """
    if not isinstance(value, str):
        raise ProtocolError(f"device id must be a string, got {preview(value)}")
    if not value:
        raise ProtocolError(f"device id must not be empty; it {_DEVICE_ID_RULE}")
    if len(value) > DEVICE_ID_MAX_LENGTH:
        raise ProtocolError(
            f"device id {preview(value)} is {len(value)} characters long; it {_DEVICE_ID_RULE}"
        )
    if _DEVICE_ID_RE.fullmatch(value) is None:
        raise ProtocolError(f"device id {preview(value)} {_DEVICE_ID_RULE}")
    if value in RESERVED_IDS:
        raise ProtocolError(f"device id {value!r} is reserved for the hub's own topics")
    return value


def is_valid_device_id(value: object) -> bool:
    """True when `validate_device_id` would accept `value`."""
    try:
        validate_device_id(value)
    except ProtocolError:
        return False
    return True


def validate_topic_root(value: object) -> str:
    """Return `value` if it can prefix every topic of the contract; otherwise raise.

    A root is one or more ``/``-separated non-empty levels with no wildcard
    (``+``, ``#``), no NUL, not starting with ``$`` (broker-internal topics)
    and at most 200 characters.
    """
    if not isinstance(value, str):
        raise ProtocolError(f"topic root must be a string, got {preview(value)}")
    if not value:
        raise ProtocolError("topic root must not be empty")
    if len(value) > TOPIC_ROOT_MAX_LENGTH:
        raise ProtocolError(
            f"topic root is {len(value)} characters long, the limit is {TOPIC_ROOT_MAX_LENGTH}"
        )
    for bad, why in (("+", "a wildcard"), ("#", "a wildcard"), ("\0", "NUL")):
        if bad in value:
            raise ProtocolError(f"topic root {preview(value)} must not contain {why} ({bad!r})")
    if value.startswith("$"):
        raise ProtocolError(
            f"topic root {preview(value)} must not start with '$' (reserved for the broker)"
        )
    if "" in value.split("/"):
        raise ProtocolError(
            f"topic root {preview(value)} has an empty level; "
            "levels are separated by single '/' with none at either end"
        )
    return value
