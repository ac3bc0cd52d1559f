"""How `home.toml` is checked and how a mistake in it is reported.

`hub.core.settings` says what the configuration is and `hub.config.load` reads it;
this module holds the rules every field is read with, so each rule is written
once and reads the same in every error: ``<file>:<line>: <key path>: <problem>``.
How tariff periods lay out over the week (and so what a gap or an overlap is)
is defined once, in `hub.core.tariff`, and only reported from here.

`tomllib` gives no line numbers for values, so `locate_keys` finds them in the
text itself: best effort, and an error without a line is still a full error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Collection, Sequence
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.core.tariff import DAY_NAMES
from protocol import ProtocolError, validate_device_id

KeyPath = tuple[str | int, ...]
_REQUIRED: Any = object()
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ConfigError(Exception):
    """A configuration a person got wrong; ``str(error)`` says where and why.

    `source` is the file (or settings store) name, `line` the 1-based line when
    it could be found, `path` the dotted key path (``tariff.periods[1].rate``)
    and `problem` the rule that was broken, each available on its own so a web
    API can return them as fields.
    """

    def __init__(self, source: str, problem: str, path: str = "", line: int | None = None):
        self.source, self.problem, self.path, self.line = source, problem, path, line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {path}: {problem}" if path else f"{where}: {problem}")


def dotted(path: KeyPath) -> str:
    """``("tariff", "periods", 1, "rate")`` -> ``tariff.periods[1].rate``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            text += f".{name}" if text else name
    return text


def show(value: object) -> str:
    """Describe a value in TOML terms for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + '..."'
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return f"an array of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    return f"a {type(value).__name__}"


def _suggest(word: str, known: Collection[str], listing: bool = False) -> str:
    """`` (did you mean 'x'?)`` for the closest known word, else maybe the list of them."""
    close = difflib.get_close_matches(word, sorted(known), n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known: {', '.join(sorted(known))})" if listing else ""


def toml_syntax_error(source: str, exc: Exception) -> ConfigError:
    """Turn tomllib's ``msg (at line L, column C)`` into ``source:L: invalid TOML: msg ...``."""
    text = str(exc)
    match = re.search(r" \(at line (\d+), column (\d+)\)$", text)
    if match is None:
        return ConfigError(source, f"invalid TOML: {text}")
    message = f"invalid TOML: {text[: match.start()]} (column {match.group(2)})"
    return ConfigError(source, message, line=int(match.group(1)))


# --- the line locator ---------------------------------------------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?\s*(?:#.*)?")
_ASSIGNMENT = re.compile(rf"\s*({_DOTTED_KEY})\s*=")


def _key_parts(text: str) -> list[str]:
    return [p[1:-1] if p[0] in "\"'" else p for p in re.findall(_KEY, text)]


def locate_keys(text: str) -> dict[KeyPath, int]:
    """Map each key path written in `text` to the line where it first appears.

    Understands table headers, arrays of tables (``[[tariff.periods]]`` number
    their elements 0, 1, ...), dotted keys and multi-line strings; values inside
    inline tables or multi-line arrays get the line of the key that holds them.
    """
    lines: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}  # array-of-tables path -> elements so far
    table: KeyPath = ()
    open_quote: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_quote is not None:
            if raw.count(open_quote) % 2 == 1:
                open_quote = None
            continue
        header = _HEADER.fullmatch(raw)
        if header is not None:
            names = _key_parts(header.group(2))
            path: KeyPath = ()
            for name in names[:-1] if header.group(1) == "[[" else names:
                path = (*path, name)
                if path in counts:
                    path = (*path, counts[path] - 1)
            if header.group(1) == "[[":
                path = (*path, names[-1])
                lines.setdefault(path, number)
                counts[path] = counts.get(path, 0) + 1
                path = (*path, counts[path] - 1)
            lines.setdefault(path, number)
            table = path
            continue
        assignment = _ASSIGNMENT.match(raw)
        if assignment is not None:
            names = _key_parts(assignment.group(1))
            for end in range(1, len(names) + 1):
                lines.setdefault((*table, *names[:end]), number)
            rest = raw[assignment.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    open_quote = quote
    return lines


# --- reading tables ---------------------------------------------------------------


class Checker:
    """Raises `ConfigError` for one source, with lines found in its text when it has one."""

    def __init__(self, source: str, text: str | None = None):
        self.source = source
        self._lines = locate_keys(text) if text is not None else {}

    def line_of(self, path: KeyPath) -> int | None:
        """The line of `path`, or of the nearest enclosing key that has one."""
        for end in range(len(path), 0, -1):
            if path[:end] in self._lines:
                return self._lines[path[:end]]
        return None

    def fail(self, path: KeyPath, problem: str, at: KeyPath | None = None) -> NoReturn:
        raise ConfigError(self.source, problem, dotted(path), self.line_of(at or path))


class Section:
    """One table being read: typed getters that name the key path in every error.

    Each getter takes a key and an optional default; a missing key without a
    default is an error, and a present key must obey the getter's rule.
    """

    def __init__(self, checker: Checker, path: KeyPath, data: object):
        if not isinstance(data, dict):
            checker.fail(path, f"expected a table, got {show(data)}")
        self.checker, self.path, self.data = checker, path, data

    def fail(self, key: str, problem: str) -> NoReturn:
        self.checker.fail((*self.path, key), problem)

    def only(self, allowed: Collection[str]) -> None:
        """Reject any key not in `allowed`, suggesting the closest known one."""
        for key in self.data:
            if key not in allowed:
                problem = f"unknown key {key!r}{_suggest(key, allowed, listing=True)}"
                self.checker.fail(self.path, problem, at=(*self.path, key))

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            self.checker.fail(self.path, f"missing required key {key!r}")
        return default

    def table(self, key: str) -> Section:
        """A sub-table; an absent one reads as empty, so every default applies."""
        return Section(self.checker, (*self.path, key), self.data.get(key, {}))

    def tables(self, key: str) -> list[Section]:
        """An array of tables (``[[key]]``); absent reads as empty."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected an array of tables, got {show(value)}")
        return [Section(self.checker, (*self.path, key, i), item) for i, item in enumerate(value)]

    def number(
        self, key: str, default: Any = _REQUIRED, *, minimum: float = 0.0, strict: bool = False
    ) -> Any:
        """A finite number (TOML integer or float, never a bool) >= `minimum` (> if strict)."""
        value = self._get(key, default)
        if value is default and key not in self.data:
            return value
        rule = f"a number {'>' if strict else '>='} {minimum:g}"
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < minimum or (strict and value == minimum):
            self.fail(key, f"expected {rule}, got {show(value)}")
        return float(value)

    def integer(self, key: str, default: Any, low: int, high: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"expected an integer from {low} to {high}, got {show(value)}")
        return value

    def boolean(self, key: str, default: Any = _REQUIRED) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {show(value)}")
        return value

    def string(
        self, key: str, default: Any = _REQUIRED, *, pattern: str = r".+", rule: str = ""
    ) -> Any:
        """A string matching `pattern` (non-empty by default); `rule` describes it."""
        value = self._get(key, default)
        if value is default and key not in self.data:
            return value
        if not isinstance(value, str) or re.fullmatch(pattern, value, re.DOTALL) is None:
            self.fail(key, f"expected {rule or 'a non-empty string'}, got {show(value)}")
        return value

    def choice(self, key: str, options: Sequence[str], default: Any = _REQUIRED) -> str:
        value = self._get(key, default)
        if value not in options or not isinstance(value, str):
            hint = _suggest(value, options) if isinstance(value, str) else ""
            listed = ", ".join(repr(o) for o in options)
            self.fail(key, f"expected one of {listed}, got {show(value)}{hint}")
        return value

    def clock_time(self, key: str) -> dt.time:
        """A time of day, ``"HH:MM"`` from 00:00 to 23:59 (or a TOML time on the minute)."""
        value = self._get(key, _REQUIRED)
        if isinstance(value, dt.time) and value.second == value.microsecond == 0:
            return value
        match = _HHMM.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            rule = 'a time "HH:MM" from "00:00" to "23:59" (midnight is "00:00")'
            self.fail(key, f"expected {rule}, got {show(value)}")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def days(self, key: str, default: frozenset[int]) -> frozenset[int]:
        """Days of the week as ``["mon", ..., "sun"]`` -> {0..6}, each at most once."""
        value = self._get(key, default)
        if value is default:
            return default
        if not isinstance(value, list) or not value:
            self.fail(
                key,
                f'expected a non-empty array of day names like ["mon", "tue"], got {show(value)}',
            )
        days: set[int] = set()
        for item in value:
            if item not in DAY_NAMES:
                hint = _suggest(item, DAY_NAMES) if isinstance(item, str) else ""
                self.fail(
                    key, f"expected day names from {', '.join(DAY_NAMES)}, got {show(item)}{hint}"
                )
            if DAY_NAMES.index(item) in days:
                self.fail(key, f"{item!r} is listed twice")
            days.add(DAY_NAMES.index(item))
        return frozenset(days)

    def timezone(self, key: str, default: ZoneInfo) -> ZoneInfo:
        value = self.string(key, None)
        if value is None:
            return default
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.fail(key, f'expected an IANA time zone like "Europe/London", got {show(value)}')

    def device_id(self, key: str) -> str:
        try:
            return validate_device_id(self._get(key, _REQUIRED))
        except ProtocolError as exc:
            self.fail(key, str(exc))
