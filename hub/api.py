"""The hub's public API: everything the web layer may ask of the hub, and nothing more.

Live state (devices, figures, open alerts, settings) belongs to the core
thread, so every call that reads or changes it runs there, through the
controller; the web's request threads never touch hub state directly. Reads of
the log (history, export, past alerts) go straight to the `Store`, which
keeps a connection per thread, so a long export never holds up the core.

Errors a caller can act on are typed, so the web can answer with the right
status without knowing the hub's internals: `InvalidRequest` (bad input,
nothing changed), `NotFound`, `Unavailable` (the hub cannot answer now),
`CommandRefused` and `CommandTimeout`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hub.api_errors import CommandTimeout, InvalidRequest, NotFound, Unavailable, store_errors
from hub.config.load import (
    ConfigError,
    tariff_from_dict,
    tariff_to_dict,
    threshold_to_dict,
    thresholds_from_dicts,
)
from hub.controller import HubController
from hub.core.events import AlertChanged, Event
from hub.core.hub_core import CommandRefused, HubCore, Now
from hub.core.settings import AGILE_LIKE, HomeConfig, PriceFile
from hub.features.commands import CommandTracker
from hub.features.manager import ManagerFeature
from hub.store.energy_view import EnergyQuery, HomeNow, read_energy
from hub.store.export import parse_time
from hub.store.history import (
    DEFAULT_HISTORY_SPAN_S,
    DEFAULT_MAX_POINTS,
    DEFAULT_SERIES_POINTS,
    HISTORY_RESOLUTIONS,
    MAX_HISTORY_DEVICES,
    MAX_HISTORY_SPAN_S,
    SERIES_POINTS_RANGE,
    HistoryQuery,
    export_chunks,
    read_history,
)
from hub.store.queries import StoreQueries
from hub.store.writer import StoreWriter
from hub.views import (
    device_of,
    devices_view,
    open_alerts_view,
    snapshot_view,
    summary_view,
    thresholds_view,
)
from protocol import Command, CommandResult, Prices

PRICE_HORIZON_H = 24.0

__all__ = [
    "DEFAULT_HISTORY_SPAN_S",
    "DEFAULT_MAX_POINTS",
    "DEFAULT_SERIES_POINTS",
    "HISTORY_RESOLUTIONS",
    "MAX_HISTORY_DEVICES",
    "MAX_HISTORY_SPAN_S",
    "SERIES_POINTS_RANGE",
    "CommandRefused",
    "CommandTimeout",
    "EnergyQuery",
    "HistoryQuery",
    "HubApi",
    "InvalidRequest",
    "NotFound",
    "Unavailable",
    "checked_history_query",
    "parse_energy_query",
]

T = TypeVar("T")
RECENT_ALERTS = 100
LAST_TIME = 253_402_300_799.0
"""9999-12-31T23:59:59Z: the last time a date can be written for (and Python's datetime holds)."""


class HubApi:
    def __init__(
        self,
        controller: HubController,
        tracker: CommandTracker,
        writer: StoreWriter,
        mqtt_connected: Callable[[], bool],
        store: StoreQueries | None = None,
        home: HomeConfig | None = None,
        manager: ManagerFeature | None = None,
    ):
        """`store` is the log history is read from (default: the writer's own store);
        `home` the home's fixed settings (default: read once from the core).
        """
        self.controller = controller
        self.tracker = tracker
        self.writer = writer
        self.mqtt_connected = mqtt_connected
        if store is None and isinstance(getattr(writer, "store", None), StoreQueries):
            store = writer.store  # type: ignore[assignment]  # the hub's own Store
        self.store = store
        self._home = home
        self.manager = manager

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
        return self.controller.now().sim

    def parse_time(self, text: str, what: str) -> float:
        """Unix seconds, or an ISO 8601 date or date-time in the home's zone; `what` names it."""
        try:
            value = parse_time(text, self.timezone, what)
        except ValueError as exc:
            raise InvalidRequest(str(exc)) from None
        if not (math.isfinite(value) and 0 <= value <= LAST_TIME):
            raise InvalidRequest(f"{what} must be a time from 1970 to 9999, got {text[:40]!r}")
        return value

    # ---- live state (on the core thread) ----------------------------------------------

    def health(self) -> dict[str, Any]:
        """Whether the hub can do its job: broker connection, log writer, queue."""
        online, total = self.controller.query(lambda core, now: core.registry.counts())
        mqtt_ok, store_ok = self.mqtt_connected(), self.writer.healthy
        return {
            "status": "ok" if mqtt_ok and store_ok else "degraded",
            "mqtt_connected": mqtt_ok,
            "store": {"healthy": store_ok, "error": self.writer.last_error},
            "queue_depth": self.controller.queue_depth,
            "devices_online": online,
            "devices_total": total,
        }

    def summary(self) -> dict[str, Any]:
        """The live summary (as on MQTT) plus today's and this month's details, and
        `problems`: what a person should know is wrong with the hub itself, in words."""
        return self.with_problems(
            self._query(lambda core, now: summary_view(core, core.summary(now), now))
        )

    def with_problems(self, summary: dict[str, Any]) -> dict[str, Any]:
        """A summary view (`hub.views`) as the API answers it: with the hub's `problems`."""
        return {**summary, "problems": self.problems()}

    def problems(self) -> list[str]:
        found = []
        if not self.writer.healthy:
            found.append(
                f"The log cannot be written ({self.writer.last_error}). Live figures carry on "
                "and logging resumes by itself when this clears."
            )
        if not self.mqtt_connected():
            found.append("The hub has lost the MQTT broker and is reconnecting.")
        return found

    def snapshot(self) -> dict[str, Any]:
        """What a new page starts from, read in one go on the core thread, so its parts
        agree: `home_name`, `currency`, `devices`, `summary` (with `problems`), the open
        `alerts` and the `thresholds`, each as its own call answers it."""
        snapshot = self._query(snapshot_view)
        return {**snapshot, "summary": self.with_problems(snapshot["summary"])}

    def devices(self) -> list[dict[str, Any]]:
        """Every known device, by id."""
        return self._query(devices_view)

    def device(self, device_id: str) -> dict[str, Any] | None:
        """One device, or None when the hub does not know it (never seen, or forgotten)."""
        return self._query(lambda core, now: device_of(core, device_id, now))

    def command(
        self, device_id: str, command: Command, actor: str = "web", timeout: float = 5.0
    ) -> CommandResult:
        """Send a command and wait for the device's reply.

        Raises CommandRefused (unknown device, offline, not dimmable) before
        anything is sent, Unavailable when the core does not take it within `timeout`
        (then nothing is sent), or CommandTimeout when no reply comes in time.
        """
        token, reply = self.tracker.new_request()
        try:
            self._act(
                lambda core, now: core.command(device_id, command, actor, now, token), timeout
            )
        except (CommandRefused, Unavailable):
            self.tracker.abandon(token, device_id, "not sent")
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
        open_alerts = self._query(open_alerts_view)
        latest: dict[str, dict[str, Any]] = {}
        if self.store is not None:
            with store_errors():
                latest = {a.id: a.to_dict() for a in self.store.alerts(RECENT_ALERTS)}
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
        return self._query(thresholds_view)

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
        """New prices from now on (energy already counted keeps its price); saved in the log.

        A price file is named in home.toml only: a change may keep the file in force
        (it is read again), switch to "agile-like" or drop the series, never read
        another file on the hub's machine.
        """
        if isinstance(data, dict) and "prices" in data:
            current = self._query(lambda core, now: core.config.tariff.prices)
            in_force = current.path if isinstance(current, PriceFile) else None
            if data["prices"] not in (AGILE_LIKE, in_force):
                raise InvalidRequest(
                    f'tariff.prices: expected "{AGILE_LIKE}"'
                    + (f" or the price file in force ({in_force})" if in_force else "")
                    + "; a price file is named in home.toml"
                )
        try:
            tariff = tariff_from_dict(data, "tariff")  # type: ignore[arg-type]
        except ConfigError as exc:
            raise InvalidRequest(_problem(exc)) from None
        try:
            self._act(lambda core, now: core.set_tariff(tariff))
        except ValueError as exc:  # the core's own check; the config's is the same today
            raise InvalidRequest(str(exc)) from None
        return tariff_to_dict(tariff)

    def prices(self, hours: float = PRICE_HORIZON_H) -> dict[str, Any]:
        """The price slots from the one in force now over the next `hours`: the payload of
        ``home/hub/prices`` (`protocol.Prices`), in simulation time."""

        def read(core: HubCore, now: Now) -> dict[str, Any]:
            slots = core.prices.slots(now.sim, now.sim + hours * 3600.0)
            return Prices(currency=core.config.home.currency, slots=tuple(slots)).to_dict()

        return self._query(read)

    # ---- the energy manager -------------------------------------------------------------

    def manager_status(self) -> dict[str, Any]:
        """The manager's strategy and the ones it can run."""
        feature = self._manager()
        return self._query(lambda core, now: feature.status())

    def set_manager(self, data: object) -> dict[str, Any]:
        """``{"strategy": "off" | "rules" | "plan"}``, as ``home/hub/manager/set`` takes it."""
        feature = self._manager()
        if not isinstance(data, dict) or set(data) != {"strategy"}:
            raise InvalidRequest('the body must be {"strategy": "off" | "rules" | "plan"}')
        try:
            return self._query(lambda core, now: feature.set_strategy(data["strategy"]))
        except ValueError as exc:
            raise InvalidRequest(str(exc)) from None

    def plan(self) -> dict[str, Any]:
        """The plan last published on ``home/hub/plan``; NotFound while there is none."""
        feature = self._manager()
        payload, strategy = self._query(lambda core, now: (feature.plan_payload, feature.strategy))
        if payload is None:
            raise NotFound(f"no plan: the energy manager's strategy is {strategy}, not plan")
        return payload

    def _manager(self) -> ManagerFeature:
        if self.manager is None:
            raise Unavailable("this hub runs no energy manager")
        return self.manager

    # ---- the log (on the calling thread) ----------------------------------------------

    def history(self, query: HistoryQuery, max_points: int = DEFAULT_MAX_POINTS) -> bytes:
        """Power and energy series per device and for the home, for charts, as JSON."""
        with store_errors():
            return read_history(self._log(), query, max_points)

    def energy(self, query: EnergyQuery) -> dict[str, Any]:
        """The energy view of a day, week, month or year, from the hourly rollups."""

        def read(core: HubCore, now: Now) -> HomeNow:
            devices = {d: (r.name, r.role) for d, r in core.registry.devices.items()}
            home, charge = core.config.home, core.tariff.standing_charge_per_day
            today = core.tariff.day_of(now.sim)
            return HomeNow(today, home.timezone, home.currency, charge, devices)

        with store_errors():
            return read_energy(self._log(), query, self._query(read))

    def export_csv(self, query: HistoryQuery) -> Iterator[str]:
        """The log as CSV, in chunks, for streaming (see `hub.store.history.export_chunks`)."""
        with store_errors():
            return export_chunks(self._log(), query)

    # ---- internals --------------------------------------------------------------------

    def _query(self, action: Callable[[HubCore, Now], T]) -> T:
        try:
            return self.controller.query(action)
        except FutureTimeout:
            raise Unavailable("the hub's core is not answering; try again shortly") from None

    def _act(
        self, action: Callable[[HubCore, Now], list[Event]], timeout: float = 10.0
    ) -> list[Event]:
        try:
            return self.controller.act(action, timeout)
        except FutureTimeout:
            raise Unavailable("the hub's core is not answering; try again shortly") from None

    def _log(self) -> StoreQueries:
        if self.store is None:
            raise Unavailable("this hub keeps no log to read history from")
        return self.store


def checked_history_query(
    from_ts: float,
    to_ts: float,
    devices: tuple[str, ...] | None = None,
    resolution: str = "1m",
    points: int = DEFAULT_SERIES_POINTS,
) -> HistoryQuery:
    """A `HistoryQuery`, checked as it is built; InvalidRequest names what is wrong."""
    with store_errors():
        return HistoryQuery(from_ts, to_ts, devices, resolution, points)


def parse_energy_query(period: str | None, day: str | None, compare: str | None) -> EnergyQuery:
    """An `EnergyQuery` from the query string's texts; InvalidRequest names what is wrong."""
    with store_errors():
        return EnergyQuery.parse(period, day, compare)


def _problem(exc: ConfigError) -> str:
    return f"{exc.path}: {exc.problem}" if exc.path else exc.problem
