"""Commands sent to ``<root>/<id>/set`` and the device's reply on ``result``.

Commands come from anyone (the dashboard, ``mosquitto_pub``, a script), so
parsing is forgiving about form (``on``, `` ON ``, ``{"on": true}`` all work)
and strict about content: an unknown key or an out-of-range value is an error
that names the key and the allowed values, and nothing half-applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Self

from protocol.device_payloads import (
    INTERVAL_MAX_S,
    INTERVAL_MIN_S,
    LEVEL_MAX,
    LEVEL_MIN,
    SOC_MAX,
    SOC_MIN,
    State,
)
from protocol.errors import ProtocolError
from protocol.fields import (
    decode_text,
    encode_json,
    parse_json,
    pick,
    preview,
    require_bool,
    require_number,
    require_str,
)
from protocol.json_payload import JsonPayload, Rule

POWER_SETPOINT_MAX_W = 1_000_000.0
"""A setpoint beyond any home's connection: refused as a typo rather than clipped."""

CANCEL_START = 0.0
"""`start_at` as parsed from null: back to the machine's own latest start. A real start
is a simulation time long after 1970, so 0 cannot be one."""
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _departure(value: object, path: str) -> str | float:
    """`"07:30"` (the next such local time) or a simulation timestamp."""
    if isinstance(value, str):
        if not _HHMM.fullmatch(value):
            raise ProtocolError(f"{path}: expected HH:MM such as 07:30, or a timestamp")
        return value
    return require_number(value, path, gt=0)


def _start_at(value: object, path: str) -> float:
    if value is None or value == CANCEL_START:  # null on the wire; 0 once parsed
        return CANCEL_START
    return require_number(value, path, gt=0)


# The keys a JSON command may carry, in the contract's order, with their rules.
COMMAND_KEYS: dict[str, Rule] = {
    "on": require_bool,
    "level": partial(require_number, ge=LEVEL_MIN, le=LEVEL_MAX),
    "interval_s": partial(require_number, ge=INTERVAL_MIN_S, le=INTERVAL_MAX_S),
    # 1.1: a device with modes (a battery: auto, charge, discharge, hold) names its own
    "mode": partial(require_str, min_len=1, max_len=32),
    "power_w": partial(require_number, ge=0, le=POWER_SETPOINT_MAX_W),
    # 1.1 flexible appliances: a heat store's boost, a car's target and departure, a
    # loaded machine's planned start (null cancels it: CANCEL_START below)
    "boost": require_bool,
    "target_soc": partial(require_number, ge=SOC_MIN, le=SOC_MAX),
    "departure": _departure,
    "start_at": _start_at,
}
_FORMS = "empty, ON, OFF, TOGGLE (any case) or a JSON object"
RESULT_RAW_MAX_CHARS = 200
RESULT_ERROR_MAX_CHARS = 1000
RESULT_CODE_MAX_CHARS = 40
BAD_PAYLOAD, UNKNOWN_KEY, BAD_VALUE, NOT_DIMMABLE, BAD_MODE = (
    "bad_payload",  # not one of the forms: no UTF-8, no JSON, not an object, empty
    "unknown_key",
    "bad_value",  # a value of the wrong type or out of range
    "not_dimmable",  # a level for a device that cannot dim
    "bad_mode",  # a mode (or setpoint) this device does not have
)
NOT_SUPPORTED = "not_supported"
"""A 1.1 command this kind does not take (a boost to a kettle, a start_at to a car)."""
"""The ``code`` of a device's refusal (1.1, optional): a category a program may branch on."""
RESULT_REQUEST_MAX_BYTES = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """A parsed ``set`` payload; all fields empty means "publish your state now".

    ``toggle`` comes only from the text form ``TOGGLE`` and so cannot be
    combined with other fields.
    """

    on: bool | None = None
    toggle: bool = False
    level: float | None = None
    interval_s: float | None = None
    mode: str | None = None
    power_w: float | None = None
    """A setpoint in W for the modes that take one (a battery's charge and discharge)."""
    boost: bool | None = None
    target_soc: float | None = None
    departure: str | float | None = None
    start_at: float | None = None
    """A planned start; CANCEL_START (what null parses to) goes back to the default."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "toggle", require_bool(self.toggle, "command.toggle"))
        for key, rule in COMMAND_KEYS.items():
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, rule(value, f"command.{key}"))
        if self.toggle and any(getattr(self, key) is not None for key in COMMAND_KEYS):
            raise ProtocolError("command: TOGGLE cannot be combined with other keys")
        if self.power_w is not None and self.mode is None:
            raise ProtocolError(
                "command: power_w is a setpoint of a mode; send it with one, "
                'such as {"mode": "charge", "power_w": 2500}',
                BAD_VALUE,
            )

    @property
    def is_status_request(self) -> bool:
        """True for the empty payload: the device should just publish its state."""
        return not self.toggle and all(getattr(self, key) is None for key in COMMAND_KEYS)

    @classmethod
    def from_payload(cls, payload: bytes | str) -> Self:
        """Parse a raw ``set`` payload in any of the contract's forms."""
        try:
            text = decode_text(payload, "command payload").strip()
            if text.startswith("{"):
                data = parse_json(text, "command payload")
            elif text.lower() not in ("", "on", "off", "toggle"):
                raise ProtocolError(f"command must be {_FORMS}, got {preview(text)}")
        except ProtocolError as exc:
            raise ProtocolError(str(exc), BAD_PAYLOAD) from None
        word = text.lower()
        if word in ("on", "off"):
            return cls(on=word == "on")
        if word == "toggle":
            return cls(toggle=True)
        return cls.from_dict(data) if text else cls()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Parse the JSON form of a command (also what a web API body carries)."""
        known = ", ".join(COMMAND_KEYS)
        if not isinstance(data, Mapping):
            raise ProtocolError(f"command must be a JSON object, got {preview(data)}", BAD_PAYLOAD)
        if not data:
            raise ProtocolError(
                f"command object is empty; give at least one of {known}", BAD_PAYLOAD
            )
        for key in data:
            if key not in COMMAND_KEYS:
                raise ProtocolError(
                    f"command has unknown key {preview(key)}; known keys: {known}", UNKNOWN_KEY
                )
        # Explicit null is not a value for any key but start_at (which it cancels), so
        # check before the dataclass (where None means "not given").
        try:
            values = {key: COMMAND_KEYS[key](v, f"command.{key}") for key, v in data.items()}
        except ProtocolError as exc:
            raise ProtocolError(str(exc), BAD_VALUE) from None
        return cls(**values)

    def to_request(self) -> dict[str, Any]:
        """The parsed command as it appears in a result's ``request`` field."""
        if self.toggle:
            return {"toggle": True}
        request = {k: getattr(self, k) for k in COMMAND_KEYS if getattr(self, k) is not None}
        if request.get("start_at") == CANCEL_START:
            request["start_at"] = None
        return request

    def to_dict(self) -> dict[str, Any]:
        """Same as `to_request` (the only JSON view of a command that covers TOGGLE)."""
        return self.to_request()

    def to_payload(self) -> bytes:
        """A ``set`` payload that parses back to an equal command."""
        if self.is_status_request:
            return b""
        if self.toggle:
            return b"TOGGLE"
        return encode_json(self.to_request(), "command")


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandResult(JsonPayload):
    """A device's reply on ``<root>/<id>/result`` to one command.

    Success: ``request`` is the parsed command (a dict) and ``state`` the state
    after applying it. Failure: ``error`` says why and ``request`` is the raw
    payload cut to 200 characters, so the sender can see what arrived; ``code``
    (added in 1.1, optional: a 1.0 device sends none) names the kind of refusal.
    """

    ok: bool
    request: dict[str, Any] | str
    state: State | None = None
    error: str | None = None
    code: str | None = None
    applied: dict[str, Any] | None = None
    """(1.1, on success, optional) what the device made of the request where it differs
    in kind from a switch: a battery's setpoint clipped to its limits."""

    WHAT: ClassVar[str] = "result"
    ADDED: ClassVar[frozenset[str]] = frozenset({"code", "applied"})

    def __post_init__(self) -> None:
        ok = require_bool(self.ok, "result.ok")
        if ok:
            request = _plain_json_object(self.request, "result.request")
            if not isinstance(self.state, State):
                raise ProtocolError(
                    f"result.state must be a state when ok is true, got {preview(self.state)}"
                )
            for name in ("error", "code"):
                if getattr(self, name) is not None:
                    raise ProtocolError(f"result.{name} must be absent when ok is true")
            if self.applied is not None:
                object.__setattr__(
                    self, "applied", _plain_json_object(self.applied, "result.applied")
                )
        else:
            request = require_str(self.request, "result.request", max_len=RESULT_RAW_MAX_CHARS)
            require_str(self.error, "result.error", min_len=1, max_len=RESULT_ERROR_MAX_CHARS)
            if self.code is not None:
                require_str(self.code, "result.code", min_len=1, max_len=RESULT_CODE_MAX_CHARS)
            if self.state is not None:
                raise ProtocolError("result.state must be absent when ok is false")
            if self.applied is not None:
                raise ProtocolError("result.applied must be absent when ok is false")
        object.__setattr__(self, "request", request)

    @classmethod
    def success(
        cls, request: Mapping[str, Any], state: State, applied: Mapping[str, Any] | None = None
    ) -> Self:
        """The reply to an applied command; `request` is usually `Command.to_request()`."""
        return cls(
            ok=True,
            request=dict(request),
            state=state,
            applied=None if applied is None else dict(applied),
        )

    @classmethod
    def failure(cls, error: str, raw: bytes | str, code: str | None = None) -> Self:
        """The reply to a rejected command; `raw` is the payload as it arrived, `code`
        the kind of refusal where there is one (`BAD_PAYLOAD`...)."""
        if isinstance(raw, str):
            text = raw.encode("utf-8", errors="replace").decode("utf-8")
        else:
            text = bytes(raw).decode("utf-8", errors="replace")
        reason = error[:RESULT_ERROR_MAX_CHARS] if error else "command rejected"
        return cls(ok=False, error=reason, request=text[:RESULT_RAW_MAX_CHARS], code=code)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        ok = require_bool(pick(data, cls.WHAT, ["ok"])["ok"], "result.ok")
        if ok:
            fields = pick(data, cls.WHAT, ["request", "state", "applied"], cls.ADDED)
            request = _plain_json_object(fields["request"], "result.request")
            try:
                state = State.from_dict(fields["state"])
            except ProtocolError as exc:
                raise ProtocolError(f"result.state: {exc}") from None
            return cls(ok=True, request=request, state=state, applied=fields.get("applied"))
        fields = pick(data, cls.WHAT, ["error", "request", "code"], cls.ADDED)
        return cls(ok=False, **fields)

    def to_dict(self) -> dict[str, Any]:
        if self.ok:
            assert self.state is not None  # guaranteed by __post_init__
            done = {"ok": True, "request": dict(self.request), "state": self.state.to_dict()}
            return done if self.applied is None else {**done, "applied": dict(self.applied)}
        failed = {"ok": False, "error": self.error, "request": self.request}
        return failed if self.code is None else {**failed, "code": self.code}


def _plain_json_object(value: object, path: str) -> dict[str, Any]:
    """A small dict that survives a JSON round trip unchanged."""
    if not isinstance(value, Mapping):
        raise ProtocolError(f"{path} must be a JSON object when ok is true, got {preview(value)}")
    encoded = encode_json(dict(value), path)
    if len(encoded) > RESULT_REQUEST_MAX_BYTES:
        raise ProtocolError(
            f"{path} is {len(encoded)} bytes as JSON, the limit is {RESULT_REQUEST_MAX_BYTES}"
        )
    decoded = json.loads(encoded)
    if decoded != value:
        raise ProtocolError(f"{path} must hold only JSON values (string keys, lists, no tuples)")
    return decoded
