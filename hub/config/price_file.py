"""A price file (`[tariff] prices = "prices.csv"`): read once, checked, into `PriceFile`.

The format: a header row naming the columns ``start,import,export`` and optionally
``co2_g_per_kwh`` (in any order), then one row per slot. ``start`` is ISO 8601
with a UTC offset (``2026-01-05T16:00:00Z``, ``2026-01-05T16:00+00:00``) or
Unix seconds; ``import`` and ``export`` are money per kWh in the home's
currency (negative allowed), ``co2_g_per_kwh`` grams per kWh (a file without
it takes the tariff's ``carbon_g_per_kwh``). Blank lines and lines starting
with ``#`` are skipped.

Each slot runs to the next row's start and the last for the file's median slot
(30 minutes for a file of one row). Starts fall on whole minutes (the hub
prices by the minute) and slots last at least `MIN_SLOT_S` (so a day of them
fits in one `home/hub/prices` message). In a file whose slots mostly share one
length (the usual half-hourly file) a longer slot is a gap, rows missing, and
an error; a file of irregular slots (time-of-use blocks) is taken as given.

Every mistake is one `ConfigError` naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import re
import statistics
from pathlib import Path

from hub.config.checks import ConfigError, _suggest
from hub.core.settings import PriceFile, PriceRow

COLUMNS = ("start", "import", "export", "co2_g_per_kwh")
REQUIRED = COLUMNS[:3]
MIN_SLOT_S = 300.0
DEFAULT_SLOT_S = 1800.0
_UNIX = re.compile(r"[+-]?\d+(\.\d+)?")


def read_price_file(path: Path) -> PriceFile:
    """Read and check a price file; an unreadable one is a `ConfigError` naming it."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(source, "price file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(source, f"not UTF-8 text (bad byte at offset {exc.start})") from None
    except OSError as exc:
        raise ConfigError(source, f"cannot read the price file: {exc.strerror or exc}") from None
    return PriceFile(source, parse_prices(text, source))


def parse_prices(text: str, source: str) -> tuple[PriceRow, ...]:
    """The rows of a price file's `text`; `source` names it in errors."""
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ConfigError(source, f"empty: expected a header row ({','.join(REQUIRED)}) and rows")
    header_line, header_text = lines[0]
    header = [name.strip() for name in next(csv.reader([header_text]))]
    _check_header(header, source, header_line)
    if len(lines) == 1:
        raise ConfigError(source, "no rows after the header", line=header_line)
    at = {name: header.index(name) for name in header}
    starts: list[float] = []
    values: list[tuple[float, float, float | None]] = []
    for number, line in lines[1:]:
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if len(cells) != len(header):
            problem = f"expected {len(header)} values ({','.join(header)}), got {len(cells)}"
            raise ConfigError(source, problem, line=number)
        start = _start(cells[at["start"]], source, number)
        if starts and start <= starts[-1]:
            word = "the same as" if start == starts[-1] else "before"
            problem = f"start {cells[at['start']]} is {word} the row above's: rows must be sorted"
            raise ConfigError(source, problem + " by start, each slot once", line=number)
        starts.append(start)
        co2 = _number(cells, at, "co2_g_per_kwh", source, number) if "co2_g_per_kwh" in at else None
        if co2 is not None and co2 < 0:
            raise ConfigError(source, f"co2_g_per_kwh must be >= 0, got {co2:g}", line=number)
        imported = _number(cells, at, "import", source, number)
        exported = _number(cells, at, "export", source, number)
        values.append((imported, exported, co2))
    numbers = [number for number, _ in lines[1:]]
    ends = _ends(starts, numbers, source)
    return tuple(
        (start, end, imported, exported, co2)
        for start, end, (imported, exported, co2) in zip(starts, ends, values, strict=True)
    )


def _check_header(header: list[str], source: str, line: int) -> None:
    for name in header:
        if name not in COLUMNS:
            hint = _suggest(name, COLUMNS, listing=True)
            raise ConfigError(source, f"unknown column {name!r}{hint}", line=line)
        if header.count(name) > 1:
            raise ConfigError(source, f"column {name!r} appears twice", line=line)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problem = f"missing column {missing[0]!r} (the header must name {','.join(REQUIRED)}"
        raise ConfigError(source, problem + ", and may add co2_g_per_kwh)", line=line)


def _start(cell: str, source: str, line: int) -> float:
    if _UNIX.fullmatch(cell):
        t = float(cell)
    else:
        try:
            when = dt.datetime.fromisoformat(cell)
        except ValueError:
            rule = "ISO 8601 with an offset (2026-01-05T16:00:00Z) or Unix seconds"
            raise ConfigError(source, f"start: expected {rule}, got {cell!r}", line=line) from None
        if when.utcoffset() is None:
            problem = f"start {cell!r} has no UTC offset: add Z or +01:00 (times are instants)"
            raise ConfigError(source, problem, line=line)
        t = when.timestamp()
    if not math.isfinite(t) or t < 0 or t % 60:
        problem = f"start {cell!r} must be a whole minute after 1970 (the hub prices by the minute)"
        raise ConfigError(source, problem, line=line)
    return t


def _number(cells: list[str], at: dict[str, int], column: str, source: str, line: int) -> float:
    cell = cells[at[column]]
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ConfigError(source, f"{column}: expected a number, got {cell!r}", line=line)
    return value


def _ends(starts: list[float], lines: list[int], source: str) -> list[float]:
    """Each slot's end: the next start, the last the median slot's length after its start."""
    steps = [b - a for a, b in itertools.pairwise(starts)]
    median = statistics.median(steps) if steps else DEFAULT_SLOT_S
    for index, step in enumerate(steps):
        if step < MIN_SLOT_S:
            problem = f"this slot lasts {_span(step)}; slots last at least {_span(MIN_SLOT_S)}"
            raise ConfigError(source, problem, line=lines[index])
    regular = steps and sum(step == median for step in steps) * 2 >= len(steps)
    if regular:
        for index, step in enumerate(steps):
            if step > median:
                problem = (
                    f"a gap: the next row starts {_span(step)} after this one, where slots "
                    f"are {_span(median)} (a missing row?)"
                )
                raise ConfigError(source, problem, line=lines[index])
    return [*starts[1:], starts[-1] + median]


def _span(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes / 60:g} h" if minutes >= 120 and minutes % 60 == 0 else f"{minutes:g} min"
