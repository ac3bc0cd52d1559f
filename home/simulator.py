"""The home without a broker: every device of a home.toml and the hub's core, in one loop.

What would a bigger battery, another tariff or a second car do to a year's
bill? Running the live home at `--speed` answers it in hours; this answers it
in seconds, with the same parts. Every device is built as the launcher builds
it (home/models.py) and wrapped in its own `DeviceAgent`, whose publications
go straight into a `HubCore` (the same gate, registry, counters, ledger,
tariff, thresholds and shedding as the live hub) instead of onto a broker:
the bytes a device would publish, read as the hub reads them.

Every `STEP_S` of simulated time, on the ledger's minute grid, each device
reports what changed (home/sim_readings.py), the storage devices follow the
net grid power, and the core ticks; the minutes its ledger hands out are
summed by home/sim_figures.py, and a load-shedding command the core issues is
applied to the device, as its process would. Pure: no clock, no I/O; `python -m home simulate`
(home/simulate_cli.py) times it and writes the files.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from devices.assembly import build_agent
from devices.kinds import get_kind
from devices.state_file import SavedState
from home.models import model_of, spec_of
from home.sim_figures import Book, Period, Slot
from home.sim_readings import Reporter
from hub.core.events import CommandIssued, LedgerChanged
from hub.core.hub_core import HubCore, Now
from hub.core.settings import DeviceEntry, HubConfig
from protocol import Topics

STEP_S = 60.0
"""How often each device reports: the ledger's own grain, so each reading fills one minute."""
STORAGE = "storage"
TOPICS = Topics()


@dataclass(frozen=True)
class Run:
    """What the live hub would have reported over [start, end)."""

    start: float
    end: float
    seed: int
    devices: tuple[str, ...]
    """Every device of the config, in its order."""
    days: dict[date, Period]
    total: Period
    slots: list[Slot]


class HomeSimulation:
    """A home.toml's devices and a hub core, advanced together from `start`."""

    def __init__(self, config: HubConfig, seed: int, start: float, every_minute: bool = False):
        """`every_minute`: every device reports every minute, even when that adds nothing
        (the figures are the same, only slower: what tests hold the shortcut to)."""
        self.every_minute = every_minute
        self.config = config
        self.seed = seed
        self.start = start
        self.core = HubCore(config, TOPICS)
        self.book = Book(self.core.tariff, self.core.prices)
        self._now = Now(start, start)
        self._t = start
        self.reporters: dict[str, Reporter] = {}
        self.storage: list[Reporter] = []
        for entry in config.devices:
            self._add(entry)
        self._others = [r for r in self.reporters.values() if r not in self.storage]
        self._day = self.core.tariff.day_of(start)
        for reporter in self.reporters.values():
            reporter.connected(start)

    def _add(self, entry: DeviceEntry) -> None:
        model = model_of(entry, self.seed, self.start, self.config.home.timezone)
        saved = SavedState(entry.id, entry.kind)
        agent = build_agent(spec_of(entry), model, saved, TOPICS, self._publish)
        reporter = self.reporters[entry.id] = Reporter(agent, self._publish_at)
        if get_kind(entry.kind).role == STORAGE:
            self.storage.append(reporter)

    def _publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> None:
        """Where a device's MQTT client would publish: straight into the hub's gate."""
        self.core.handle_message(topic, payload, self._now)

    def _publish_at(self, topic: str, payload: bytes, t: float) -> None:
        """A reading held back until now, received as it would have been at `t`."""
        self.core.handle_message(topic, payload, Now(self.start, t))

    # ---- time -------------------------------------------------------------------------

    def run(self, end: float, progress: Callable[[float], None] | None = None) -> Run:
        """Advance to `end` on the minute grid; `progress(t)` about once a simulated day."""
        t = self._t
        reported = t
        while t < end:
            t = min(end, (math.floor(t / STEP_S) + 1) * STEP_S)
            self.step(t)
            if progress is not None and t - reported >= 86400:
                progress(t)
                reported = t
        self.settle()
        return self.result()

    def step(self, t: float) -> None:
        """Every device reports at `t` (if it has news), storage last, then the core ticks."""
        # no network in here: nothing goes stale, so the hub's "real" time stands still
        now = self._now = Now(self.start, t)
        for reporter in self._others:
            reporter.agent.sync(t)
            reporter.report(t, always=self.every_minute)
        if self.storage:
            self._step_storage(self.core.summary(now).summary.power_w, t)
        day = self.core.tariff.day_of(t)
        if day != self._day:  # before the tick, which lets go of last month's days
            for reporter in self._others:
                reporter.flush()
            self.book.close_day(self._day, self.core.ledger.day(self._day))
            self._day = day
        self._tick(now)
        self._t = t

    def settle(self) -> None:
        """Report every held reading, so the figures are whole up to now."""
        for reporter in self._others:
            reporter.flush()
        self._tick(self._now)

    def _tick(self, now: Now) -> None:
        for event in self.core.tick(now):
            if isinstance(event, LedgerChanged):
                self.book.minutes(event.homes)
            elif isinstance(event, CommandIssued):  # load shedding, as the device obeys it
                self.reporters[event.device_id].command(event.command.to_payload(), now.sim)
        self.book.complete_until(min(r.reported_until for r in self.reporters.values()))

    def _step_storage(self, net_w: float, t: float) -> None:
        """THE place storage is stepped: after every other device has reported at `t`,
        with the net grid power `net_w` of the hub's summary (positive importing), which
        is what a battery in `auto` follows through its grid clamp. The net is current
        here (the battery's own part in it is what it draws now), so no `seen_w`."""
        for reporter in self.storage:
            agent = reporter.agent
            agent.model.follow_grid(net_w, t)
            agent.sync(t)
            reporter.report(t, always=True)

    def result(self) -> Run:
        """The figures so far; the local day under way counts as far as it has got."""
        if self._t > self.core.tariff.day_start(self._day):
            self.book.close_day(self._day, self.core.ledger.day(self._day))
        days = dict(self.book.days)
        devices = tuple(self.reporters)
        return Run(
            self.start, self._t, self.seed, devices, days, self.book.total(), self.book.slots
        )


def simulate(
    config: HubConfig,
    seed: int,
    start: float,
    end: float,
    progress: Callable[[float], None] | None = None,
) -> Run:
    """The home of `config` with home seed `seed` over [start, end) of simulation time."""
    return HomeSimulation(config, seed, start).run(end, progress)
