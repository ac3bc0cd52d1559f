"""The hub's public API: everything the web layer may ask of the hub, and nothing more.

Live state (devices, figures, open alerts, settings) belongs to the core
thread, so every call that reads or changes it runs there, through the
service; the web's request threads never touch hub state directly. Reads of
the log (history, export, past alerts) go straight to the `Store`, which
keeps a connection per thread, so a long export never holds up the core.

Errors a caller can act on are typed, so the web can answer with the right
status without knowing the hub's internals: `InvalidRequest` (bad input,
nothing changed), `NotFound`, `Unavailable` (the hub cannot answer now),
`CommandRefused` and `CommandTimeout`.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hub.commands import CommandTracker
from hub.config import (
    ConfigError,
    HomeConfig,
    tariff_from_dict,
    tariff_to_dict,
    threshold_to_dict,
    thresholds_from_dicts,
)
from hub.core.events import AlertChanged, Event
from hub.core.hub_core import CommandRefused, HubCore, Now
from hub.core.ledger import Totals
from hub.core.registry import DeviceRecord
from hub.live import LiveFeed
from hub.service import HubService
from hub.store_export import export, iso_utc, parse_time
from hub.store_queries import StoreQueries
from hub.store_schema import StoreError
from hub.store_writer import StoreWriter
from protocol import Command, CommandResult, ProtocolError, validate_device_id

__all__ = [
    "DEFAULT_HISTORY_SPAN_S",
    "DEFAULT_MAX_POINTS",
    "HISTORY_RESOLUTIONS",
    "MAX_HISTORY_DEVICES",
    "MAX_HISTORY_SPAN_S",
    "CommandRefused",
    "CommandTimeout",
    "HistoryQuery",
    "HubApi",
    "InvalidRequest",
    "NotFound",
    "Unavailable",
]

T = TypeVar("T")
HISTORY_RESOLUTIONS = ("1m", "raw")
MAX_HISTORY_SPAN_S = 31 * 86400.0
MAX_HISTORY_DEVICES = 20
DEFAULT_HISTORY_SPAN_S = 86400.0
DEFAULT_MAX_POINTS = 500_000
RECENT_ALERTS = 100
# Export reads the log a window at a time, so memory stays bounded whatever the span.
_EXPORT_WINDOW_S = {"raw": 3600.0, "1m": 86400.0}


class CommandTimeout(Exception):
    """The device did not answer in time (offline, or too busy)."""


class InvalidRequest(ValueError):
    """Input the hub will not act on; the message names the field and the rule. Nothing changed."""


class NotFound(LookupError):
    """No such device or open alert."""


class Unavailable(RuntimeError):
    """The hub cannot answer now (its log failed, or its core is overloaded); try again later."""


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


class HubApi:
    def __init__(
        self,
        service: HubService,
        tracker: CommandTracker,
        writer: StoreWriter,
        mqtt_connected: Callable[[], bool],
        store: StoreQueries | None = None,
        home: HomeConfig | None = None,
        live: LiveFeed | None = None,
    ):
        """`store` is the log history is read from (default: the writer's own store);
        `home` the home's fixed settings (default: read once from the core); `live`
        the feature that tells the web what happens (default: a new one, added to
        the service's features, so build this before the service runs).
        """
        self.service = service
        self.tracker = tracker
        self.writer = writer
        self.mqtt_connected = mqtt_connected
        if store is None and isinstance(getattr(writer, "store", None), StoreQueries):
            store = writer.store  # type: ignore[assignment]  # the hub's own Store
        self.store = store
        self._home = home
        if live is None:
            live = LiveFeed()
            service.features.append(live)
        self.live = live

    # ---- the home ---------------------------------------------------------------------

    @property
    def home(self) -> HomeConfig:
        """Name, time zone and currency: fixed for the life of the process, so kept."""
        if self._home is None:
            self._home = self._query(lambda core, now: core.config.home)
        return self._home

    @property
    def home_name(self) -> str:
        return self.home.name

    @property
    def currency(self) -> str:
        return self.home.currency

    @property
    def timezone(self) -> ZoneInfo:
        return self.home.timezone

    def now(self) -> float:
        """Simulation time now (Unix seconds): what "now" means for history."""
        return self.service.now().sim

    def parse_time(self, text: str, what: str) -> float:
        """Unix seconds, or an ISO 8601 date or date-time in the home's zone; `what` names it."""
        try:
            value = parse_time(text, self.timezone, what)
        except ValueError as exc:
            raise InvalidRequest(str(exc)) from None
        if not math.isfinite(value):
            raise InvalidRequest(f"{what} must be a finite time, got {text!r}")
        return value

    # ---- live state (on the core thread) ----------------------------------------------

    def health(self) -> dict[str, Any]:
        """Whether the hub can do its job: broker connection, log writer, queue."""
        online, total = self.service.query(lambda core, now: core.registry.counts())
        mqtt_ok, store_ok = self.mqtt_connected(), self.writer.healthy
        return {
            "status": "ok" if mqtt_ok and store_ok else "degraded",
            "mqtt_connected": mqtt_ok,
            "store": {"healthy": store_ok, "error": self.writer.last_error},
            "queue_depth": self.service.queue_depth,
            "devices_online": online,
            "devices_total": total,
        }

    def summary(self) -> dict[str, Any]:
        """The live summary (as on MQTT) plus today's and this month's details."""
        return self._query(_summary)

    def devices(self) -> list[dict[str, Any]]:
        """Every known device, by id."""

        def read(core: HubCore, now: Now) -> list[dict[str, Any]]:
            today = core.today(now)
            records = sorted(core.registry.devices.values(), key=lambda r: r.device_id)
            return [_device(record, today) for record in records]

        return self._query(read)

    def device(self, device_id: str) -> dict[str, Any] | None:
        """One device, or None when the hub does not know it (never seen, or forgotten)."""

        def read(core: HubCore, now: Now) -> dict[str, Any] | None:
            record = core.registry.get(device_id)
            return None if record is None else _device(record, core.today(now))

        return self._query(read)

    def command(
        self, device_id: str, command: Command, actor: str = "web", timeout: float = 5.0
    ) -> CommandResult:
        """Send a command and wait for the device's reply.

        Raises CommandRefused (unknown device, offline, not dimmable) before
        anything is sent, or CommandTimeout when no reply comes in time.
        """
        token, reply = self.tracker.new_request()
        try:
            self.service.act(lambda core, now: core.command(device_id, command, actor, now, token))
        except CommandRefused:
            self.tracker.abandon(token, device_id, "refused")
            raise
        try:
            return reply.result(timeout)
        except FutureTimeout:
            self.tracker.abandon(token, device_id, f"no reply within {timeout:g} s")
            raise CommandTimeout(
                f"{device_id} did not answer within {timeout:g} s (is it running?)"
            ) from None

    def alerts(self) -> dict[str, list[dict[str, Any]]]:
        """Open alerts (newest raise first) and the latest state of the most recent ones.

        `recent` comes from the log, which lags by up to half a second, so the
        core's open alerts are laid over it: both lists always agree.
        """
        open_alerts = self._query(
            lambda core, now: [a.to_dict() for a in core.alerts.open_alerts()]
        )
        latest: dict[str, dict[str, Any]] = {}
        if self.store is not None:
            try:
                latest = {a.id: a.to_dict() for a in self.store.alerts(RECENT_ALERTS)}
            except StoreError as exc:
                raise Unavailable(str(exc)) from exc
        latest.update({alert["id"]: alert for alert in open_alerts})
        recent = sorted(latest.values(), key=lambda a: (-a["ts"], a["id"]))[:RECENT_ALERTS]
        return {"open": open_alerts, "recent": recent}

    def acknowledge(self, alert_id: str) -> dict[str, Any]:
        """Mark an open alert seen (it stays open); NotFound if no open alert has that id."""
        try:
            events = self._act(lambda core, now: core.acknowledge(alert_id, now))
        except KeyError:
            raise NotFound(f"no open alert has id {alert_id!r} (it may have cleared)") from None
        return next(e.alert.to_dict() for e in events if isinstance(e, AlertChanged))

    def thresholds(self) -> list[dict[str, Any]]:
        """The alert rules in force, as home.toml's ``[[thresholds]]`` tables."""
        return self._query(lambda core, now: [threshold_to_dict(r) for r in core.config.thresholds])

    def set_thresholds(self, items: object) -> list[dict[str, Any]]:
        """Replace every rule, checked as home.toml's are; on InvalidRequest nothing changes.

        Alerts of removed or changed rules clear; the new rules are saved in the log.
        """
        try:
            rules = thresholds_from_dicts(items, "thresholds")  # type: ignore[arg-type]
        except ConfigError as exc:
            raise InvalidRequest(_problem(exc)) from None
        try:
            self._act(lambda core, now: core.set_thresholds(rules, now))
        except ValueError as exc:  # what only the whole set can break: a rule given twice
            raise InvalidRequest(str(exc)) from None
        return [threshold_to_dict(rule) for rule in rules]

    def tariff(self) -> dict[str, Any]:
        """The tariff in force, as home.toml's ``[tariff]`` table."""
        return self._query(lambda core, now: tariff_to_dict(core.config.tariff))

    def set_tariff(self, data: object) -> dict[str, Any]:
        """New prices from now on (energy already counted keeps its price); saved in the log."""
        try:
            tariff = tariff_from_dict(data, "tariff")  # type: ignore[arg-type]
        except ConfigError as exc:
            raise InvalidRequest(_problem(exc)) from None
        try:
            self._act(lambda core, now: core.set_tariff(tariff))
        except ValueError as exc:  # the core's own check; the config's is the same today
            raise InvalidRequest(str(exc)) from None
        return tariff_to_dict(tariff)

    # ---- the log (on the calling thread) ----------------------------------------------

    def history(self, query: HistoryQuery, max_points: int = DEFAULT_MAX_POINTS) -> dict[str, Any]:
        """Power and energy series per device and for the home, for charts.

        At ``1m`` a device's point is a minute rollup (t = the minute's start,
        power_w its average, energy_wh the energy in that minute); ``raw`` gives
        the readings (t = the device's timestamp, energy_wh its counter). The
        home's series are always the minute rollups (the home has no readings).
        More than `max_points` points in all is an InvalidRequest.
        """
        store = self._log()
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

    def export_csv(self, query: HistoryQuery) -> Iterator[str]:
        """The CSV of `hub.store_export.export` for the query, in chunks, for streaming.

        The first chunk is read before this returns, so a failing log is an
        `Unavailable` here rather than a download cut short.
        """
        store = self._log()

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

    # ---- internals --------------------------------------------------------------------

    def _query(self, action: Callable[[HubCore, Now], T]) -> T:
        try:
            return self.service.query(action)
        except FutureTimeout:
            raise Unavailable("the hub's core is not answering; try again shortly") from None

    def _act(self, action: Callable[[HubCore, Now], list[Event]]) -> list[Event]:
        try:
            return self.service.act(action)
        except FutureTimeout:
            raise Unavailable("the hub's core is not answering; try again shortly") from None

    def _log(self) -> StoreQueries:
        if self.store is None:
            raise Unavailable("this hub keeps no log to read history from")
        return self.store


def _device_arg(device: object) -> str:
    try:
        return validate_device_id(device)
    except ProtocolError as exc:
        raise InvalidRequest(f"device: {exc}") from None


def _problem(exc: ConfigError) -> str:
    return f"{exc.path}: {exc.problem}" if exc.path else exc.problem


def _series() -> dict[str, list[float]]:
    return {"t": [], "power_w": [], "energy_wh": []}


def _summary(core: HubCore, now: Now) -> dict[str, Any]:
    computed = core.summary(now)
    today, month = core.today(now), core.month(now)
    standing = core.tariff.standing_charge_per_day
    limits = [rule.above for rule in core.config.thresholds if rule.rule == "total-power"]
    # Energy of devices the hub no longer knows counted as consumption when it came in.
    attributed = sum(
        wh
        for device, wh in today.device_wh.items()
        if (record := core.registry.get(device)) is None or record.role != "producer"
    )
    return {
        **computed.summary.to_dict(),
        "co2_today_g": round(today.carbon_g, 1),
        "production_today_wh": round(today.production_wh, 3),
        "import_today_wh": round(today.import_wh, 3),
        "export_today_wh": round(today.export_wh, 3),
        "energy_month_wh": round(month.consumption_wh, 3),
        "cost_month": round(month.cost + standing * core.days_this_month(now), 4),
        "standing_charge_per_day": standing,
        "tariff_period": core.tariff.period_at(now.sim).name,
        "home_name": core.config.home.name,
        "total_power_threshold_w": min(limits, default=None),
        "unaccounted_today_wh": round(max(0.0, today.consumption_wh - attributed), 3),
    }


def _device(record: DeviceRecord, today: Totals) -> dict[str, Any]:
    """The contract's Device shape; a device with no meta yet gets the documented defaults."""
    meta, state = record.meta, record.state
    return {
        "id": record.device_id,
        "name": record.name,
        "kind": meta.kind if meta else "unknown",
        "role": record.role,
        "status": record.status,
        "rated_w": meta.rated_w if meta else 0.0,
        "standby_w": meta.standby_w if meta else 0.0,
        "dimmable": meta.dimmable if meta else False,
        "priority": meta.priority if meta else 3,
        "interval_s": record.interval_s,
        "on": state.on if state else None,
        "power_w": record.live_power_w,
        "level": state.level if state else None,
        "phase": state.phase if state else None,
        "energy_wh": state.energy_wh if state else None,
        "ts": state.ts if state else None,
        "energy_today_wh": round(today.device_wh.get(record.device_id, 0.0), 3),
        "cost_today": round(today.device_cost.get(record.device_id, 0.0), 4),
    }
