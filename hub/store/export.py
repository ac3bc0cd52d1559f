"""Write a span of the hub's log as CSV or JSON Lines, for analysis elsewhere.

This is what ``python -m hub export --from ... --to ... [--device ...]
[--format csv|jsonl] [--resolution raw|1m]`` runs. Promises:

- rows stream from the database to `out` one at a time, so a year exports in
  constant memory;
- the first two columns are ``timestamp`` (Unix seconds, simulation time) and
  ``power_w``, so the CSV of one device is a trace the ``replay`` device kind
  plays back as it is; then ``device`` and ``time_utc`` (ISO 8601, UTC), then
  the rest. At 1-minute resolution ``timestamp`` is the minute's start and
  ``power_w`` its average power;
- JSON Lines has one object per row with the same keys (``on`` as a boolean,
  a missing ``level`` as null); CSV writes ``on`` as 1/0 and a missing value
  as an empty field.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import TextIO

from hub.store.queries import StoreQueries
from protocol import validate_device_id

FORMATS = ("csv", "jsonl")
RESOLUTIONS = ("raw", "1m")
RAW_COLUMNS = (
    "timestamp",
    "power_w",
    "device",
    "time_utc",
    "seq",
    "on",
    "energy_wh",
    "level",
    "phase",
)
MINUTE_COLUMNS = ("timestamp", "power_w", "device", "time_utc", "energy_wh", "cost", "power_max_w")


def iso_utc(ts: float, timespec: str = "milliseconds") -> str:
    """`ts` (Unix seconds) as ISO 8601 in UTC with a ``Z``, e.g. ``2024-05-01T12:00:00.000Z``."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def parse_time(text: str, tz: tzinfo, what: str = "--from") -> float:
    """Unix seconds for a command-line time: Unix seconds, or an ISO 8601 date or date-time.

    A date means its local midnight and a date-time without an offset is local
    time, both in the home's time zone `tz`. Raises `ValueError` naming `what`.
    """
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{what} must be Unix seconds or an ISO 8601 date or date-time "
            f"(2024-05-01, 2024-05-01T07:30), got {text!r}"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).timestamp()


def export(
    store: StoreQueries,
    out: TextIO,
    from_ts: float,
    to_ts: float,
    devices: Sequence[str] | None = None,
    fmt: str = "csv",
    resolution: str = "raw",
) -> int:
    """Write the log between `from_ts` (included) and `to_ts` (excluded) to `out`.

    `devices` limits the rows to those devices (None: all). Returns the number
    of rows written (the CSV header not counted). Raises `ValueError` naming
    the option for an unknown format or resolution, a bad device id or an
    empty span.
    """
    if fmt not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if resolution not in RESOLUTIONS:
        raise ValueError(
            f"--resolution must be one of {', '.join(RESOLUTIONS)}, got {resolution!r}"
        )
    if not from_ts < to_ts:
        raise ValueError(f"--from ({iso_utc(from_ts)}) must be before --to ({iso_utc(to_ts)})")
    if devices is not None:
        devices = [validate_device_id(device) for device in devices]
    if resolution == "raw":
        columns, records = RAW_COLUMNS, _raw_records(store, from_ts, to_ts, devices)
    else:
        columns, records = MINUTE_COLUMNS, _minute_records(store, from_ts, to_ts, devices)
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([int(v) if isinstance(v, bool) else v for v in record])
            count += 1
    else:
        for record in records:
            out.write(json.dumps(dict(zip(columns, record, strict=True))) + "\n")
            count += 1
    return count


def _raw_records(
    store: StoreQueries, from_ts: float, to_ts: float, devices: Sequence[str] | None
) -> Iterator[tuple[object, ...]]:
    for r in store.iter_readings(from_ts, to_ts, devices):
        yield (r.ts, r.power_w, r.device, iso_utc(r.ts), r.seq, r.on, r.energy_wh, r.level, r.phase)


def _minute_records(
    store: StoreQueries, from_ts: float, to_ts: float, devices: Sequence[str] | None
) -> Iterator[tuple[object, ...]]:
    for r in store.iter_device_rollups(from_ts, to_ts, devices):
        when = iso_utc(r.minute, "seconds")
        yield (r.minute, r.power_avg_w, r.device, when, r.energy_wh, r.cost, r.power_max_w)
