"""History for charts and CSV exports, read straight from the log on the caller's thread.

Queries are checked when they are built, so an oversized or inverted span never
reaches the log; reads stream, so memory stays bounded whatever the span.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub.api_errors import InvalidRequest, Unavailable
from hub.store_export import export, iso_utc
from hub.store_queries import StoreQueries
from hub.store_schema import StoreError
from protocol import ProtocolError, validate_device_id

HISTORY_RESOLUTIONS = ("1m", "raw")
MAX_HISTORY_SPAN_S = 31 * 86400.0
MAX_HISTORY_DEVICES = 20
DEFAULT_HISTORY_SPAN_S = 86400.0
DEFAULT_MAX_POINTS = 500_000
# Export reads the log a window at a time, so memory stays bounded whatever the span.
_EXPORT_WINDOW_S = {"raw": 3600.0, "1m": 86400.0}


@dataclass(frozen=True)
class HistoryQuery:
    """A span of the log, [from_ts, to_ts) in simulation seconds, for some devices (None: all).

    Constructing one checks it, so an oversized or inverted query never reaches the log.
    """

    from_ts: float
    to_ts: float
    devices: tuple[str, ...] | None = None
    resolution: str = "1m"

    def __post_init__(self) -> None:
        if self.resolution not in HISTORY_RESOLUTIONS:
            choices = " or ".join(HISTORY_RESOLUTIONS)
            raise InvalidRequest(f"resolution must be {choices}, got {self.resolution!r}")
        if not (math.isfinite(self.from_ts) and math.isfinite(self.to_ts)):
            raise InvalidRequest("from and to must be finite times")
        if not self.from_ts < self.to_ts:
            span = f"from ({iso_utc(self.from_ts)}) must be before to ({iso_utc(self.to_ts)})"
            raise InvalidRequest(span)
        if self.to_ts - self.from_ts > MAX_HISTORY_SPAN_S:
            days = (self.to_ts - self.from_ts) / 86400.0
            limit = MAX_HISTORY_SPAN_S / 86400.0
            raise InvalidRequest(f"the span is {days:.1f} days; at most {limit:g} days at a time")
        if self.devices is not None:
            devices = tuple(dict.fromkeys(_device_arg(d) for d in self.devices))
            if len(devices) > MAX_HISTORY_DEVICES:
                raise InvalidRequest(
                    f"{len(devices)} devices asked for; at most {MAX_HISTORY_DEVICES} at a time"
                )
            object.__setattr__(self, "devices", devices or None)


def read_history(
    store: StoreQueries, query: HistoryQuery, max_points: int = DEFAULT_MAX_POINTS
) -> dict[str, Any]:
    """Power and energy series per device and for the home, for charts.

    At ``1m`` a device's point is a minute rollup (t = the minute's start,
    power_w its average, energy_wh the energy in that minute); ``raw`` gives
    the readings (t = the device's timestamp, energy_wh its counter). The
    home's series are always the minute rollups (the home has no readings).
    More than `max_points` points in all is an InvalidRequest.
    """
    devices: dict[str, dict[str, list[float]]] = {d: _series() for d in query.devices or ()}
    budget = itertools.count(1)

    def add(device: str, t: float, power_w: float, energy_wh: float) -> None:
        if next(budget) > max_points:
            raise InvalidRequest(
                f"the selection holds more than {max_points} points; choose a shorter "
                "span, fewer devices or resolution=1m"
            )
        series = devices.setdefault(device, _series())
        series["t"].append(t)
        series["power_w"].append(power_w)
        series["energy_wh"].append(energy_wh)

    span = (query.from_ts, query.to_ts, query.devices)
    home: dict[str, list[float]] = {"t": [], "consumption_w": [], "production_w": []}
    try:
        if query.resolution == "raw":
            for r in store.iter_readings(*span):
                add(r.device, r.ts, r.power_w, r.energy_wh)
        else:
            for m in store.iter_device_rollups(*span):
                add(m.device, m.minute, round(m.power_avg_w, 3), round(m.energy_wh, 4))
        for h in store.home_rollups(query.from_ts, query.to_ts):  # type: ignore[arg-type]
            next(budget)
            home["t"].append(h.minute)
            home["consumption_w"].append(round(h.consumption_wh * 60.0, 3))
            home["production_w"].append(round(h.production_wh * 60.0, 3))
    except StoreError as exc:
        raise Unavailable(str(exc)) from exc
    return {
        "from": query.from_ts,
        "to": query.to_ts,
        "resolution": query.resolution,
        "devices": devices,
        "home": home,
    }


def export_chunks(store: StoreQueries, query: HistoryQuery) -> Iterator[str]:
    """The CSV of `hub.store_export.export` for the query, in chunks, for streaming.

    The first chunk is read before this returns, so a failing log is an
    `Unavailable` here rather than a download cut short.
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
    try:
        first = next(stream)
    except StoreError as exc:
        raise Unavailable(str(exc)) from exc
    return itertools.chain([first], stream)


def _series() -> dict[str, list[float]]:
    return {"t": [], "power_w": [], "energy_wh": []}


def _device_arg(device: object) -> str:
    try:
        return validate_device_id(device)
    except ProtocolError as exc:
        raise InvalidRequest(f"device: {exc}") from None
