"""What a device publishes about itself: ``meta``, ``state`` and ``availability``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, ClassVar, Self

import msgspec

from protocol.errors import ProtocolError
from protocol.fields import (
    MAX_PAYLOAD_BYTES,
    MAX_SAFE_INTEGER,
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
ROLES = ("consumer", "producer", "storage")
CONSUMER, PRODUCER, STORAGE = ROLES
SOC_MIN = 0.0
SOC_MAX = 100.0
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


def _optional_mode(value: object, path: str) -> str | None:
    return None if value is None else require_str(value, path, min_len=1, max_len=32)


def _optional_bool(value: object, path: str) -> bool | None:
    return None if value is None else require_bool(value, path)


def _optional_commands(value: object, path: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) > 16:
        raise ProtocolError(f"{path}: expected a list of at most 16 command names")
    return tuple(require_str(v, f"{path}[{i}]", min_len=1, max_len=32) for i, v in enumerate(value))


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta(JsonPayload):
    """A device's retained self-description (``<root>/<id>/meta``).

    ``role`` ``storage`` (1.1) is a battery: it adds ``capacity_wh``,
    ``max_charge_w`` and ``max_discharge_w``.

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
    capacity_wh: float | None = None
    max_charge_w: float | None = None
    max_discharge_w: float | None = None
    deferrable: bool | None = None
    flexible: tuple[str, ...] | None = None

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
        "capacity_wh": partial(require_optional_number, gt=0),
        "max_charge_w": partial(require_optional_number, ge=0),
        "max_discharge_w": partial(require_optional_number, ge=0),
        "deferrable": _optional_bool,
        "flexible": _optional_commands,
    }
    # a storage device's, a deferrable one's, a kind with extra commands' (1.1); others
    # leave them out
    ADDED: ClassVar[frozenset[str]] = frozenset(
        {"capacity_wh", "max_charge_w", "max_discharge_w", "deferrable", "flexible"}
    )
    OMIT_WHEN_NONE: ClassVar[frozenset[str]] = ADDED


FLEXIBLE_STATE = ("plugged", "departure", "target_soc", "finish_by", "program_s")
"""1.1: an EV charger's plug, departure and target; a deferrable machine's finish_by and
program length."""


@dataclass(frozen=True, slots=True, kw_only=True)
class State(JsonPayload):
    """One reading (``<root>/<id>/state``).

    ``energy_wh`` is a cumulative counter with Home Assistant
    ``total_increasing`` semantics: a decrease means the counter restarted.
    Extra fields on the wire (``voltage_v``, ...) are ignored, not kept.

    A storage device (1.1) adds ``discharge_w`` (what it delivers; ``power_w``
    stays what it draws), ``soc_pct``, ``mode`` and ``energy_out_wh``, its
    second counter; other devices leave them out, and so does ``to_dict``
    when they are None, so a 1.0 reading stays byte for byte what it was.
    An EV charger adds ``plugged``, ``soc_pct``, ``mode``, ``departure`` and
    ``target_soc``; a deferrable machine ``finish_by`` and ``program_s``.
    """

    ts: float
    seq: int
    on: bool
    power_w: float
    energy_wh: float
    level: float | None = None
    phase: str
    discharge_w: float | None = None
    soc_pct: float | None = None
    mode: str | None = None
    energy_out_wh: float | None = None
    plugged: bool | None = None
    departure: float | None = None
    target_soc: float | None = None
    finish_by: float | None = None
    program_s: float | None = None

    WHAT: ClassVar[str] = "state"
    RULES: ClassVar[dict[str, Rule]] = {
        "ts": partial(require_number, gt=0),
        "seq": partial(require_int, ge=0),
        "on": require_bool,
        "power_w": partial(require_number, ge=0),
        "energy_wh": partial(require_number, ge=0),
        "level": partial(require_optional_number, ge=LEVEL_MIN, le=LEVEL_MAX),
        "phase": partial(require_str, min_len=1, max_len=32),
        "discharge_w": partial(require_optional_number, ge=0),
        "soc_pct": partial(require_optional_number, ge=SOC_MIN, le=SOC_MAX),
        "mode": _optional_mode,
        "energy_out_wh": partial(require_optional_number, ge=0),
        "plugged": _optional_bool,
        "departure": partial(require_optional_number, gt=0),
        "target_soc": partial(require_optional_number, ge=SOC_MIN, le=SOC_MAX),
        "finish_by": partial(require_optional_number, gt=0),
        "program_s": partial(require_optional_number, ge=0),
    }
    ADDED: ClassVar[frozenset[str]] = frozenset(
        {"discharge_w", "soc_pct", "mode", "energy_out_wh", *FLEXIBLE_STATE}
    )
    OMIT_WHEN_NONE: ClassVar[frozenset[str]] = ADDED

    @property
    def contribution_w(self) -> float:
        """What the device adds to the home's net grid power (a storage device's
        discharge counts against it)."""
        return self.power_w - (self.discharge_w or 0.0)

    @classmethod
    def from_payload(cls, payload: bytes | str) -> Self:
        """As `JsonPayload.from_payload`, with a compiled fast path for valid readings.

        Readings are nearly all of the hub's traffic, and the rule functions cost
        most of its time per reading. `_StateWire` states the same rules to
        msgspec, which checks a typical payload in about a microsecond (it is as
        strict: no NaN or out-of-range numbers, no bools for numbers, strict
        UTF-8). Whatever it refuses goes through the full gate, which alone
        decides and words the error; tests/protocol/test_protocol_state_fast_path.py
        holds the two to the same decisions.
        """
        if isinstance(payload, bytes) and len(payload) <= MAX_PAYLOAD_BYTES:
            try:
                wire = _STATE_DECODER.decode(payload)
            # ValidationError too, and msgspec's UTF-8 errors for lone surrogates: the full
            # gate says why
            except (msgspec.DecodeError, UnicodeDecodeError):
                pass
            else:
                return cls._checked(
                    ts=wire.ts,
                    seq=wire.seq,
                    on=wire.on,
                    power_w=wire.power_w,
                    energy_wh=wire.energy_wh,
                    level=wire.level,
                    phase=wire.phase,
                    discharge_w=wire.discharge_w,
                    soc_pct=wire.soc_pct,
                    mode=wire.mode,
                    energy_out_wh=wire.energy_out_wh,
                    plugged=wire.plugged,
                    departure=wire.departure,
                    target_soc=wire.target_soc,
                    finish_by=wire.finish_by,
                    program_s=wire.program_s,
                )
        # slots=True replaces the class, so the zero-argument super() would name the old one
        return super(State, cls).from_payload(payload)


class _StateWire(msgspec.Struct):
    """`State.RULES` for msgspec (every field required, unknown fields ignored)."""

    ts: Annotated[float, msgspec.Meta(gt=0)]
    seq: Annotated[int, msgspec.Meta(ge=0, le=MAX_SAFE_INTEGER)]
    on: bool
    power_w: Annotated[float, msgspec.Meta(ge=0)]
    energy_wh: Annotated[float, msgspec.Meta(ge=0)]
    level: Annotated[float, msgspec.Meta(ge=LEVEL_MIN, le=LEVEL_MAX)] | None
    phase: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    discharge_w: Annotated[float, msgspec.Meta(ge=0)] | None = None
    soc_pct: Annotated[float, msgspec.Meta(ge=SOC_MIN, le=SOC_MAX)] | None = None
    mode: Annotated[str, msgspec.Meta(min_length=1, max_length=32)] | None = None
    energy_out_wh: Annotated[float, msgspec.Meta(ge=0)] | None = None
    plugged: bool | None = None
    departure: Annotated[float, msgspec.Meta(gt=0)] | None = None
    target_soc: Annotated[float, msgspec.Meta(ge=SOC_MIN, le=SOC_MAX)] | None = None
    finish_by: Annotated[float, msgspec.Meta(gt=0)] | None = None
    program_s: Annotated[float, msgspec.Meta(ge=0)] | None = None


_STATE_DECODER = msgspec.json.Decoder(_StateWire)


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
