"""The home without a broker: every device of a home.toml and the hub's core, in one loop.

What would a bigger battery, another tariff or a second car do to a year's
bill? Running the live home at `--speed` answers it in hours; this answers it
in seconds, with the same parts. Every device is built as the launcher builds
it (home/models.py) and wrapped in its own `DeviceAgent`, whose publications
go straight into a `HubCore` (the same gate, registry, counters, ledger,
tariff, thresholds and shedding as the live hub) instead of onto a broker:
its meta, availability and command results as the bytes it would publish, its
readings as the `State`s it makes, which the gate checks no differently.

The loop steps along the ledger's minute grid, but only to the minutes at
which some device's model says its state may have changed
(`Appliance.holds_until`), and at least every `WATCH_S` (`QUIET_WATCH_S` with
no energy manager; every minute while load shedding is at work), and at each
local midnight. At a step the devices
that are due report what changed (home/sim_readings.py, as `State`s handed
to the core without JSON: the same checks, no bytes), the grid followers
(storage, a car charging from the surplus) follow the core's net grid power,
and the core ticks when it must; the minutes its ledger hands out are
summed by home/sim_figures.py, and a load-shedding command the core issues is
applied to the device, as its process would. Pure: no clock, no I/O; `python -m home simulate`
(home/simulate_cli.py) times it and writes the files.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from devices.assembly import build_agent
from devices.kinds.solar import Solar
from devices.state_file import SavedState
from home.models import model_of, spec_of
from home.sim_figures import Book, Period, Slot
from home.sim_manager import SimManager
from home.sim_oracle import Recorder, oracle_plan
from home.sim_readings import MINUTE_S, Reporter
from hub.core.events import CommandIssued, LedgerChanged
from hub.core.hub_core import HubCore, Now
from hub.core.manager import flexible_devices
from hub.core.settings import DeviceEntry, HubConfig
from protocol import State, Topics

WATCH_S = 300.0
"""The longest the core goes without a tick while an energy manager runs: its ledger
hands out the minutes the manager reads, its shedding looks at the import (the live hub
ticks once a second of real time, every 24 simulated seconds at --speed 1440; shedding
waits `for_s` of that clock anyway)."""
QUIET_WATCH_S = 86400.0
"""The same with no manager. Nothing that makes the figures waits for a tick then: the
ledger's day totals are current at every reading, the minutes it hands out are only
counted once complete, and shedding is looked at every step (a tick every minute while
it may act). Each tick hands out every minute that changed since the last, and a
device's reading after hours at one power changes all of those hours' minutes again:
ticking every 5 minutes built ~5 times as many minutes as a day has, hourly still
~5,000 a day too many (and a tick's summary, thresholds and shedding cost besides).
The ledger keeps two days of minutes, so a daily tick lets none go before handing it
out; the thresholds' alerts, which no figure counts, are looked at that much less."""
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
    strategy: str = "off"
    solve_ms: tuple[float, ...] = ()
    """How long each of the manager's plans took to solve."""
    commands: int = 0
    """Commands the manager sent (`refused` of them the device or the hub refused)."""
    refused: int = 0


class HomeSimulation:
    """A home.toml's devices and a hub core, advanced together from `start`."""

    def __init__(
        self,
        config: HubConfig,
        seed: int,
        start: float,
        every_minute: bool = False,
        strategy: str = "off",
        watch: Recorder | None = None,
    ):
        """`every_minute`: every device reports every minute as bytes through the whole
        gate and the core ticks every minute, even when that adds nothing (the figures
        are the same, only slower: what tests hold the shortcuts to). `strategy`: the
        energy manager's (home/sim_manager.py); `off` commands nothing. `watch`: what
        records the run for the oracle (home/sim_oracle.py) instead of a manager."""
        self.every_minute = every_minute
        self.config = config
        self.seed = seed
        self.start = start
        managed = strategy != "off" or watch is not None
        self.core = HubCore(config, TOPICS, device_minutes=managed)
        self.book = Book(self.core.tariff, self.core.prices)
        self._now = Now(start, start)
        self._t = start
        self.reporters: dict[str, Reporter] = {}
        self.followers: list[Reporter] = []
        """Storage, and kinds that follow the net grid power (a car charger's pv modes)."""
        for entry in config.devices:
            self._add(entry)
        self._others = [r for r in self.reporters.values() if r not in self.followers]
        self._every = list(self.reporters.values())
        self._day = self.core.tariff.day_of(start)
        self._midnight = self._next_midnight()
        self._ticked = start
        self._shedding = False
        """Whether load shedding was at work at the last tick: then it ticks every minute."""
        for reporter in self.reporters.values():
            reporter.connected(start)
        models = [reporter.agent.model for reporter in self.reporters.values()]
        panels = [model for model in models if isinstance(model, Solar)]
        self.manager: SimManager | Recorder | None = watch
        if strategy != "off":
            self.manager = SimManager(config, strategy, seed, panels)
        if self.manager is not None:
            self.manager.next_at = start  # it looks at the home first thing
        self._watch_s = WATCH_S if self.manager is not None else QUIET_WATCH_S

    def _add(self, entry: DeviceEntry) -> None:
        model = model_of(entry, self.seed, self.start, self.config.home.timezone)
        saved = SavedState(entry.id, entry.kind)
        agent = build_agent(spec_of(entry), model, saved, TOPICS, self._publish)
        reporter = self.reporters[entry.id] = Reporter(agent, self._deliver)
        if agent.follows_summary:
            self.followers.append(reporter)

    def _publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> None:
        """Where a device's MQTT client would publish: straight into the hub's gate."""
        self.core.handle_message(topic, payload, self._now)

    def _deliver(self, device_id: str, state: State, t: float) -> None:
        """A reading received as it would have been at `t` (a held one: before now)."""
        now = self._now if t == self._now.sim else Now(self.start, t)
        self.core.handle_state(device_id, state, now)

    # ---- time -------------------------------------------------------------------------

    def run(self, end: float, progress: Callable[[float], None] | None = None) -> Run:
        """Advance to `end` on the minute grid; `progress(t)` about once a simulated day."""
        t = self._t
        reported = t
        while t < end:
            t = self._next_step(end)
            self.step(t)
            if progress is not None and t - reported >= 86400:
                progress(t)
                reported = t
        self.settle()
        return self.result()

    def _next_step(self, end: float) -> float:
        """The next minute of the grid at which anything happens, or `end`."""
        after = self._t
        if self.every_minute:
            soonest = after
        else:
            soonest = self._ticked + (MINUTE_S if self._shedding else self._watch_s)
            soonest = min(soonest, self._midnight, min([r.due for r in self._every]))
            if self.manager is not None:
                soonest = min(soonest, self.manager.next_at)
        minute = max(math.ceil(soonest / MINUTE_S), math.floor(after / MINUTE_S) + 1)
        return min(end, minute * MINUTE_S)

    def step(self, t: float) -> None:
        """The devices due at `t` report (if they have news), the grid followers follow
        the net and report, then the core ticks if it must."""
        # no network in here: nothing goes stale, so the hub's "real" time stands still
        now = self._now = Now(self.start, t)
        if self.every_minute:
            for reporter in self._others:
                reporter.report_always(t)
        else:
            for reporter in self._others:
                if reporter.due <= t:
                    reporter.report(t)
        net_w = self.core.net_power_w() if self.followers or self.config.shedding.enabled else 0.0
        if self.followers:
            net_w += self._step_followers(net_w, t)
        if self.manager is not None and t >= self.manager.next_at:
            self._obey(self.manager.decide(self.core, now), t)
        day = self.core.tariff.day_of(t)
        if day != self._day:  # before the tick, which lets go of last month's days
            for reporter in self.reporters.values():
                reporter.flush(t)
            self.book.close_day(self._day, self.core.ledger.day(self._day))
            self._day = day
            self._midnight = self._next_midnight()
        if self.every_minute or t >= self._ticked + self._watch_s or self._shedding_at_work(net_w):
            self._tick(now)
        self._t = t

    def settle(self) -> None:
        """Report every device's energy up to now, so the figures are whole."""
        for reporter in self.reporters.values():
            reporter.flush(self._t)
        self._tick(self._now)

    def _next_midnight(self) -> float:
        return self.core.tariff.day_start(self._day + timedelta(days=1))

    def _shedding_at_work(self, net_w: float) -> bool:
        """Whether load shedding may act now: the import (`net_w`, to within rounding:
        a watt's margin) over its limit, a device shed (it waits for the import to fall),
        or either at the last tick (it sees the change)."""
        shedding = self.config.shedding
        at_work = shedding.enabled and (
            net_w > shedding.limit_w - 1.0 or bool(self.core.shedder.shed_devices())
        )
        was, self._shedding = self._shedding, at_work
        return at_work or was

    def _tick(self, now: Now) -> None:
        self._ticked = now.sim
        events = self.core.tick(now)
        for event in events:
            if isinstance(event, LedgerChanged):
                self.book.minutes(event.homes)
                if self.manager is not None:
                    self.manager.minutes(event.homes, event.devices)
        self._obey(events, now.sim)
        self.book.complete_until(min(r.reported_until for r in self.reporters.values()))

    def _obey(self, events: list, t: float) -> None:
        """The commands the core issued (load shedding, the manager), as the devices obey."""
        for event in events:
            if isinstance(event, CommandIssued):
                self.reporters[event.device_id].command(event.command.to_payload(), t)

    def _step_followers(self, net_w: float, t: float) -> float:
        """THE place storage (and a car charging from the surplus) is stepped: after
        every other device due has reported at `t`, with the net grid power `net_w` of
        the hub's summary (positive importing), which is what a battery in `auto`
        follows through its grid clamp. The net is current here (the battery's own part
        in it is what it draws now), so no `seen_w`. Returns how much their readings
        moved the net."""
        before = sum(reporter.contribution_w for reporter in self.followers)
        for reporter in self.followers:
            reporter.agent.model.follow_grid(net_w, t)
            if self.every_minute:
                reporter.report_always(t)
            else:
                reporter.report(t)
        return sum(reporter.contribution_w for reporter in self.followers) - before

    def result(self) -> Run:
        """The figures so far; the local day under way counts as far as it has got."""
        if self._t > self.core.tariff.day_start(self._day):
            self.book.close_day(self._day, self.core.ledger.day(self._day))
        days = dict(self.book.days)
        devices = tuple(self.reporters)
        run = Run(self.start, self._t, self.seed, devices, days, self.book.total(), self.book.slots)
        if isinstance(self.manager, SimManager):
            manager = self.manager
            run = replace(
                run,
                strategy=manager.strategy,
                solve_ms=tuple(manager.solve_ms),
                commands=manager.commands,
                refused=manager.refused,
            )
        return run


def simulate(
    config: HubConfig,
    seed: int,
    start: float,
    end: float,
    progress: Callable[[float], None] | None = None,
    strategy: str = "off",
) -> Run:
    """The home of `config` with home seed `seed` over [start, end) of simulation time,
    its energy managed by `strategy` (off, rules, plan or oracle)."""
    return simulation_of(config, seed, start, end, strategy).run(end, progress)


def simulation_of(
    config: HubConfig, seed: int, start: float, end: float, strategy: str = "off"
) -> HomeSimulation:
    """The simulation `simulate` runs, ready at `start`: for the oracle, once the run has
    been recorded without a manager and its one plan made (it needs the run's `end`)."""
    if strategy != "oracle":
        return HomeSimulation(config, seed, start, strategy=strategy)
    recorded = HomeSimulation(config, seed, start, watch=Recorder(config, flexible_devices(config)))
    plan = oracle_plan(recorded, start, end)
    simulation = HomeSimulation(config, seed, start, strategy="oracle")
    simulation.manager.follow(plan)  # type: ignore[union-attr]
    return simulation
