"""The checks every payload shares: the staged decode gate and per-field rules.

Each `require_*` function takes a value and its dotted path (``state.power_w``)
and either returns the value in its canonical Python type or raises
`ProtocolError` with a message of the form ``<path> must be <rule>, got <value>``.
Payload classes only declare which rule applies to which field, so a rule is
written once and reads the same in every error.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import Any

from protocol.errors import ProtocolError

MAX_PAYLOAD_BYTES = 65536
# Integers above this lose precision in JavaScript (the dashboard) and
# overflow SQLite, so no integer field may exceed it.
MAX_SAFE_INTEGER = 2**53 - 1


def preview(value: object, limit: int = 60) -> str:
    """Describe `value` for an error message, in JSON terms and never too long."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value) if value.bit_length() <= 128 else "a very large integer"
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, list):
        text = f"an array of {len(value)} item{'' if len(value) == 1 else 's'}"
    elif isinstance(value, Mapping):
        text = f"an object with {len(value)} key{'' if len(value) == 1 else 's'}"
    else:
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


def decode_text(payload: object, what: str = "payload") -> str:
    """Stages one and two of the gate: a bounded size, then strict UTF-8."""
    if isinstance(payload, str):
        if len(payload) > MAX_PAYLOAD_BYTES:  # every character is at least one byte
            raise ProtocolError(
                f"{what} is at least {len(payload)} bytes, the limit is {MAX_PAYLOAD_BYTES}"
            )
        try:
            payload = payload.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ProtocolError(f"{what} is not valid UTF-8: {exc.reason}") from None
    elif isinstance(payload, bytearray | memoryview):
        payload = bytes(payload)
    elif not isinstance(payload, bytes):
        raise ProtocolError(f"{what} must be bytes or str, got {preview(payload)}")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"{what} is {len(payload)} bytes, the limit is {MAX_PAYLOAD_BYTES}")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            f"{what} is not valid UTF-8: {exc.reason} at byte {exc.start}"
        ) from None


def parse_json(text: str, what: str = "payload") -> Any:
    """Stage three: strict JSON (no NaN or Infinity) of any shape."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, the constants above and the
        # interpreter's limit on digits in an integer.
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ProtocolError(f"{what} is not valid JSON: {reason}") from None


def decode_object(payload: object, what: str) -> dict[str, Any]:
    """The whole gate up to the schema: size, UTF-8, JSON, a top-level object."""
    data = parse_json(decode_text(payload, f"{what} payload"), f"{what} payload")
    if not isinstance(data, dict):
        raise ProtocolError(f"{what} payload must be a JSON object, got {preview(data)}")
    return data


def encode_json(data: object, what: str = "payload") -> bytes:
    """Compact UTF-8 JSON; only finite numbers and valid Unicode get through."""
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"{what} cannot be encoded as JSON: {exc}") from None


def pick(
    data: object, what: str, names: Collection[str], optional: Collection[str] = ()
) -> dict[str, Any]:
    """The known fields of `data`, all required but those in `optional`; anything else
    is ignored.

    Ignoring unknown fields is the contract's rule for readers: producers may
    add optional fields without breaking anyone. `optional` names fields a
    later version of the contract added, which an older producer leaves out.
    """
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what} must be a JSON object, got {preview(data)}")
    missing = [name for name in names if name not in data and name not in optional]
    if missing:
        raise ProtocolError(f"{what}.{missing[0]} is required")
    return {name: data[name] for name in names if name in data}


def _format_bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _describe_range(ge: float | None, gt: float | None, le: float | None) -> str:
    if ge is not None and le is not None:
        return f" between {_format_bound(ge)} and {_format_bound(le)}"
    parts = [
        f"{symbol} {_format_bound(bound)}"
        for symbol, bound in ((">=", ge), (">", gt), ("<=", le))
        if bound is not None
    ]
    return " " + " and ".join(parts) if parts else ""


def require_number(
    value: object,
    path: str,
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
) -> float:
    """A finite JSON number (int or float, never a bool) within the bounds, as float."""
    # on every reading's hot path: the error text is only built when it is needed
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _not_a_number(value, path, ge, gt, le)
    try:
        number = float(value)
    except OverflowError:
        raise _not_a_number(value, path, ge, gt, le) from None
    if (
        not math.isfinite(number)
        or (ge is not None and number < ge)
        or (gt is not None and number <= gt)
        or (le is not None and number > le)
    ):
        raise _not_a_number(value, path, ge, gt, le)
    return number


def _not_a_number(
    value: object, path: str, ge: float | None, gt: float | None, le: float | None
) -> ProtocolError:
    rule = f"a finite number{_describe_range(ge, gt, le)}"
    return ProtocolError(f"{path} must be {rule}, got {preview(value)}")


def require_optional_number(
    value: object,
    path: str,
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
) -> float | None:
    """Like `require_number`, but JSON ``null`` (None) is also accepted."""
    if value is None:
        return None
    try:
        return require_number(value, path, ge=ge, gt=gt, le=le)
    except ProtocolError as exc:
        raise ProtocolError(str(exc).replace(" must be ", " must be null or ", 1)) from None


def require_int(value: object, path: str, *, ge: int | None = None, le: int | None = None) -> int:
    """A JSON integer (not a bool, not 3.0) within the bounds and `MAX_SAFE_INTEGER`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (ge is not None and value < ge)
        or (le is not None and value > le)
    ):
        rule = f"an integer{_describe_range(ge, None, le)}"
        raise ProtocolError(f"{path} must be {rule}, got {preview(value)}")
    if abs(value) > MAX_SAFE_INTEGER:
        raise ProtocolError(
            f"{path} must be an integer of magnitude at most {MAX_SAFE_INTEGER}, "
            f"got {preview(value)}"
        )
    return int(value)


def require_bool(value: object, path: str) -> bool:
    """A JSON ``true`` or ``false``; 0 and 1 are not booleans."""
    if not isinstance(value, bool):
        raise ProtocolError(f"{path} must be true or false, got {preview(value)}")
    return value


def require_str(
    value: object,
    path: str,
    *,
    min_len: int = 0,
    max_len: int | None = None,
    pattern: str | None = None,
) -> str:
    """A string of valid Unicode, within the length bounds and matching `pattern`."""
    if not isinstance(value, str):
        raise ProtocolError(f"{path} must be a string, got {preview(value)}")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        if max_len is None:
            rule = f"at least {min_len} characters"
        elif min_len:
            rule = f"{min_len} to {max_len} characters"
        else:
            rule = f"at most {max_len} characters"
        raise ProtocolError(f"{path} must be {rule} long, got {len(value)} characters")
    if pattern is not None and re.fullmatch(pattern, value) is None:
        raise ProtocolError(f"{path} must match {pattern}, got {preview(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ProtocolError(f"{path} must be valid Unicode text (no lone surrogates)") from None
    return str(value)


def require_choice(value: object, path: str, choices: Collection[str]) -> str:
    """One of a fixed set of strings."""
    if not isinstance(value, str) or value not in choices:
        raise ProtocolError(f"{path} must be one of {', '.join(choices)}, got {preview(value)}")
    return str(value)


def canonical_test(rule: Callable[[Any, str], Any]) -> str | None:
    """A quick test, as a Python expression in `v`, that `rule` would return `v`
    unchanged: it is in its canonical type already (a float, not an int, for a number)
    and within the rule's bounds, as a value a program builds (a device's reading)
    nearly always is. Building a payload runs a rule only for a value that fails it, so
    the rule alone still decides what is refused and says why; parsing costs the same.
    None for a rule it does not know (a payload's own function): that one always runs."""
    func, given = rule, {}
    if isinstance(rule, partial) and not rule.args:
        func, given = rule.func, rule.keywords
    if func is require_number or func is require_optional_number:
        # between -max and max: finite (NaN fails every comparison)
        low = max(_given(given, "ge", -sys.float_info.max), -sys.float_info.max)
        high = min(_given(given, "le", sys.float_info.max), sys.float_info.max)
        test = f"type(v) is float and {float(low)!r} <= v <= {float(high)!r}"
        if _given(given, "gt", None) is not None:
            test += f" and v > {float(given['gt'])!r}"
        return test if func is require_number else f"v is None or ({test})"
    if func is require_int:
        low = max(_given(given, "ge", -MAX_SAFE_INTEGER), -MAX_SAFE_INTEGER)
        high = min(_given(given, "le", MAX_SAFE_INTEGER), MAX_SAFE_INTEGER)
        return f"type(v) is int and {int(low)!r} <= v <= {int(high)!r}"
    if func is require_bool:
        return "type(v) is bool"
    if func is require_str and given.get("pattern") is None:
        # ASCII is valid UTF-8: the rule's look for lone surrogates is not needed
        test = f"type(v) is str and v.isascii() and {int(_given(given, 'min_len', 0))} <= len(v)"
        longest = _given(given, "max_len", None)
        return test if longest is None else f"{test} <= {int(longest)}"
    if func is require_choice:
        return f"type(v) is str and v in {tuple(given['choices'])!r}"
    return None


def _given(keywords: Mapping[str, Any], name: str, default: float | None) -> Any:
    """A rule's bound as its partial gives it; None or left out is no bound (`default`)."""
    value = keywords.get(name)
    return default if value is None else value
