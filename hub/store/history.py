"""History for charts and CSV exports, read straight from the log on the caller's thread.

Queries are checked when they are built, so an oversized or inverted span never
reaches the log; reads stream, so memory stays bounded whatever the span.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass

from hub.store.buckets import Buckets, items_in, with_gaps
from hub.store.export import export, iso_utc
from hub.store.queries import StoreQueries
from hub.store.schema import BadQueryError
from protocol import ProtocolError, validate_device_id

HISTORY_RESOLUTIONS = ("1m", "raw")
MAX_HISTORY_SPAN_S = 31 * 86400.0
MAX_HISTORY_DEVICES = 20
DEFAULT_HISTORY_SPAN_S = 86400.0
DEFAULT_MAX_POINTS = 500_000
# Points per series at 1m: twice a chart's width in pixels is a good choice; the
# default keeps a day of minutes whole, and the most is more than the longest span has.
DEFAULT_SERIES_POINTS = 2000
SERIES_POINTS_RANGE = (10, 50_000)
# Export reads the log a window at a time, so memory stays bounded whatever the span.
_EXPORT_WINDOW_S = {"raw": 3600.0, "1m": 86400.0}
_EMPTY_SERIES = '{"energy_wh":[],"power_w":[],"t":[]}'


@dataclass(frozen=True)
class HistoryQuery:
    """A span of the log, [from_ts, to_ts) in simulation seconds, for some devices (None: all).

    `points` bounds each series of a chart at ``1m`` (see `hub.store.buckets`);
    ``raw`` and the CSV export are every row. Constructing one checks it, so an
    oversized or inverted query never reaches the log.
    """

    from_ts: float
    to_ts: float
    devices: tuple[str, ...] | None = None
    resolution: str = "1m"
    points: int = DEFAULT_SERIES_POINTS

    def __post_init__(self) -> None:
        if self.resolution not in HISTORY_RESOLUTIONS:
            choices = " or ".join(HISTORY_RESOLUTIONS)
            raise BadQueryError(f"resolution must be {choices}, got {self.resolution!r}")
        if not (math.isfinite(self.from_ts) and math.isfinite(self.to_ts)):
            raise BadQueryError("from and to must be finite times")
        if not self.from_ts < self.to_ts:
            span = f"from ({iso_utc(self.from_ts)}) must be before to ({iso_utc(self.to_ts)})"
            raise BadQueryError(span)
        if self.to_ts - self.from_ts > MAX_HISTORY_SPAN_S:
            days = (self.to_ts - self.from_ts) / 86400.0
            limit = MAX_HISTORY_SPAN_S / 86400.0
            raise BadQueryError(f"the span is {days:.1f} days; at most {limit:g} days at a time")
        low, high = SERIES_POINTS_RANGE
        if not low <= self.points <= high:
            raise BadQueryError(f"points must be from {low} to {high}, got {self.points}")
        if self.devices is not None:
            devices = tuple(dict.fromkeys(_device_arg(d) for d in self.devices))
            if len(devices) > MAX_HISTORY_DEVICES:
                raise BadQueryError(
                    f"{len(devices)} devices asked for; at most {MAX_HISTORY_DEVICES} at a time"
                )
            object.__setattr__(self, "devices", devices or None)


def read_history(
    store: StoreQueries, query: HistoryQuery, max_points: int = DEFAULT_MAX_POINTS
) -> bytes:
    """Power and energy series per device and for the home, for charts, as a JSON document.

    At ``1m`` a device's point is a minute rollup (t = the minute's start,
    power_w its average to 3 decimals, energy_wh the energy in that minute to
    4); where the span has more minutes than `query.points`, each bucket of
    minutes gives its lowest and highest minute instead (power to 3
    decimals, energy its power / 60 to 4, rounded by SQLite), and a bucket
    (or minute) with no rollup between two that have some is a point of
    nulls, so charts show a gap; see `hub.store.buckets`. ``raw`` gives
    the readings (t = the device's timestamp, energy_wh its counter). The
    home's series are its minute rollups, bucketed as the devices' are (the
    home has no readings). The document is built as text, not as Python
    objects, because that is most of the cost of a day of many devices;
    numbers at ``1m`` are written as ``833333e-3`` (see
    `hub.store.queries._json_numbers`).

    More than `max_points` device points sent whole is a BadQueryError,
    found by counting them first, so an oversized query reads nothing.
    """
    span = (query.from_ts, query.to_ts, query.devices)
    raw = query.resolution == "raw"
    buckets = Buckets.for_span(query.from_ts, query.to_ts, query.points)
    if raw or buckets.full:
        points = store.count_readings(*span) if raw else store.count_device_rollups(*span)
        if points > max_points:
            raise BadQueryError(
                f"the selection holds more than {max_points} points; choose a shorter "
                "span, fewer devices, resolution=1m or fewer points"
            )
    devices = dict.fromkeys(query.devices or (), _EMPTY_SERIES)
    devices.update(_raw_series(store, query) if raw else _minute_series(store, query, buckets))
    t, consumption, production = _home_series(store, query, buckets)
    # the keys in sorted order, as Flask's jsonify writes them
    device_objects = ",".join(f"{json.dumps(d)}:{devices[d]}" for d in sorted(devices))
    home = f'{{"consumption_w":{consumption},"production_w":{production},"t":{t}}}'
    document = (
        f'{{"devices":{{{device_objects}}},"from":{json.dumps(query.from_ts)},"home":{home},'
        f'"resolution":{json.dumps(query.resolution)},"to":{json.dumps(query.to_ts)}}}\n'
    )
    return document.encode()


def _minute_series(
    store: StoreQueries, query: HistoryQuery, buckets: Buckets
) -> Iterator[tuple[str, str]]:
    if buckets.full:
        rows = store.device_rollup_series(query.from_ts, query.to_ts, query.devices)
        counted = ((d, items_in(t), t, p, e) for d, t, p, e in rows)
    else:
        counted = store.device_rollup_buckets(buckets, query.to_ts, query.devices)
    for device, present, *series in counted:
        t, power_w, energy_wh = with_gaps(buckets, present, *series)
        yield device, f'{{"energy_wh":{energy_wh},"power_w":{power_w},"t":{t}}}'


def _home_series(store: StoreQueries, query: HistoryQuery, buckets: Buckets) -> tuple[str, ...]:
    if buckets.full:
        series = store.home_rollup_series(query.from_ts, query.to_ts)
        return with_gaps(buckets, items_in(series[0]), *series)
    present, *series = store.home_rollup_buckets(buckets, query.to_ts)
    return with_gaps(buckets, present, *series)


def _raw_series(store: StoreQueries, query: HistoryQuery) -> Iterator[tuple[str, str]]:
    """Readings stay Python objects: they are not rounded, and only Python's repr gives
    every float back exactly (SQLite 3.40 prints 15 significant digits)."""
    series: dict[str, dict[str, list[float]]] = {}
    for r in store.iter_readings(query.from_ts, query.to_ts, query.devices):
        points = series.setdefault(r.device, {"energy_wh": [], "power_w": [], "t": []})
        points["t"].append(r.ts)
        points["power_w"].append(r.power_w)
        points["energy_wh"].append(r.energy_wh)
    for device, points in series.items():
        yield device, json.dumps(points, separators=(",", ":"))


def export_chunks(store: StoreQueries, query: HistoryQuery) -> Iterator[str]:
    """The CSV of `hub.store.export.export` for the query, in chunks, for streaming.

    The first chunk is read before this returns, so a failing log is a
    `StoreError` here rather than a download cut short.
    """

    def chunks() -> Iterator[str]:
        start = query.from_ts
        while start < query.to_ts:
            end = min(start + _EXPORT_WINDOW_S[query.resolution], query.to_ts)
            out = io.StringIO()
            export(store, out, start, end, query.devices, "csv", query.resolution)
            text = out.getvalue()
            # every window repeats the header; only the first keeps it
            text = text if start == query.from_ts else text.partition("\n")[2]
            if text:
                yield text
            start = end

    stream = chunks()
    first = next(stream)
    return itertools.chain([first], stream)


def _device_arg(device: object) -> str:
    try:
        return validate_device_id(device)
    except ProtocolError as exc:
        raise BadQueryError(f"device: {exc}") from None
