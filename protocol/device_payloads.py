"""What a device publishes about itself: ``meta``, ``state`` and ``availability``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from protocol.errors import ProtocolError
from protocol.fields import (
    decode_text,
    preview,
    require_bool,
    require_choice,
    require_int,
    require_number,
    require_optional_number,
    require_str,
)
from protocol.ids import validate_device_id
from protocol.json_payload import JsonPayload, Rule

PROTOCOL_VERSION = 1
KIND_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
ROLES = ("consumer", "producer")
CONSUMER, PRODUCER = ROLES
INTERVAL_MIN_S = 0.1
INTERVAL_MAX_S = 3600.0
LEVEL_MIN = 0.0
LEVEL_MAX = 100.0

ONLINE = "online"
OFFLINE = "offline"


def _device_id(value: object, path: str) -> str:
    try:
        return validate_device_id(value)
    except ProtocolError as exc:
        raise ProtocolError(f"{path}: {exc}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta(JsonPayload):
    """A device's retained self-description (``<root>/<id>/meta``).

    ``protocol`` accepts any version >= 1: later versions only add optional
    fields, so a newer device still parses here.
    """

    protocol: int = PROTOCOL_VERSION
    id: str
    name: str
    kind: str
    role: str
    rated_w: float
    standby_w: float
    dimmable: bool
    interval_s: float
    priority: int
    sw: str

    WHAT: ClassVar[str] = "meta"
    RULES: ClassVar[dict[str, Rule]] = {
        "protocol": partial(require_int, ge=1),
        "id": _device_id,
        "name": partial(require_str, min_len=1, max_len=100),
        "kind": partial(require_str, pattern=KIND_PATTERN),
        "role": partial(require_choice, choices=ROLES),
        "rated_w": partial(require_number, ge=0),
        "standby_w": partial(require_number, ge=0),
        "dimmable": require_bool,
        "interval_s": partial(require_number, ge=INTERVAL_MIN_S, le=INTERVAL_MAX_S),
        "priority": partial(require_int, ge=1, le=5),
        "sw": partial(require_str, max_len=100),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class State(JsonPayload):
    """One reading (``<root>/<id>/state``).

    ``energy_wh`` is a cumulative counter with Home Assistant
    ``total_increasing`` semantics: a decrease means the counter restarted.
    Extra fields on the wire (``voltage_v``, ...) are ignored, not kept.
    """

    ts: float
    seq: int
    on: bool
    power_w: float
    energy_wh: float
    level: float | None = None
    phase: str

    WHAT: ClassVar[str] = "state"
    RULES: ClassVar[dict[str, Rule]] = {
        "ts": partial(require_number, gt=0),
        "seq": partial(require_int, ge=0),
        "on": require_bool,
        "power_w": partial(require_number, ge=0),
        "energy_wh": partial(require_number, ge=0),
        "level": partial(require_optional_number, ge=LEVEL_MIN, le=LEVEL_MAX),
        "phase": partial(require_str, min_len=1, max_len=32),
    }


def parse_availability(payload: bytes | str) -> str:
    """Return `ONLINE` or `OFFLINE` for an availability payload.

    Case and surrounding whitespace are forgiven (Tasmota, for one, publishes
    ``Online``); anything else raises `ProtocolError`.
    """
    text = decode_text(payload, "availability payload").strip()
    lowered = text.lower()
    if lowered in (ONLINE, OFFLINE):
        return lowered
    raise ProtocolError(
        f"availability payload must be {ONLINE!r} or {OFFLINE!r}, got {preview(text)}"
    )
