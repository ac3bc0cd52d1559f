"""The hub's core: MQTT messages and time in, events out. No sockets, no clock, no threads.

One thread owns a `HubCore` (see hub/controller.py); everything else talks to it
through that thread. `handle_message` is the staged gate of the contract
(topic, then payload, then meaning); nothing invalid gets past it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from hub.core import events as ev
from hub.core.alert_events import (
    SHED_RULE,
    SHEDDING_ACTOR,
    availability_events,
    breach_events,
    shedding_events,
)
from hub.core.alerts import AlertBook
from hub.core.energy_rows import DeviceMinute, Flow, HomeMeters, HomeMinute, Totals
from hub.core.ledger import EnergyLedger
from hub.core.meters import CounterTracker, ImplausibleReading
from hub.core.prices import price_series
from hub.core.registry import DeviceRecord, Registry, Rejections
from hub.core.settings import (
    MANAGER_ACTOR,
    HubConfig,
    SheddingConfig,
    TariffConfig,
    ThresholdConfig,
)
from hub.core.shedding import DeviceLoad, LoadShedder
from hub.core.tariff import Tariff
from hub.core.thresholds import Observation, ThresholdMonitor
from protocol import (
    STORAGE,
    Alert,
    Command,
    CommandResult,
    Meta,
    ProtocolError,
    State,
    Summary,
    Topics,
    parse_availability,
)

log = logging.getLogger("hub")

_FLOWS: dict[str, Flow] = {"producer": "generation", STORAGE: "charge"}
"""How each role's own counter (`energy_wh`) enters the ledger; anything else is load."""


def out_counter_key(device_id: str) -> str:
    """Where a storage device's energy-delivered counter is tracked and logged: a `/`
    keeps it apart from every device id."""
    return f"{device_id}/out"


@dataclass(frozen=True)
class Now:
    real: float
    sim: float


@dataclass(frozen=True)
class Snapshot:
    """What a restarted hub recovers from its log."""

    counters: list[ev.CounterPosition]
    days: dict[date, Totals]
    minutes: list[tuple[HomeMinute, list[DeviceMinute]]]
    alerts: list[Alert]
    meters: HomeMeters = field(default_factory=HomeMeters)


RefusalReason = Literal["not_found", "not_dimmable", "offline"]


class CommandRefused(ValueError):
    """A command the hub will not send. `reason` is the code callers branch on (the web
    picks its status by it); the message is for a person and may be reworded freely."""

    def __init__(self, reason: RefusalReason, message: str):
        super().__init__(message)
        self.reason: RefusalReason = reason


class HubCore:
    def __init__(self, config: HubConfig, topics: Topics, device_minutes: bool = True):
        """`device_minutes`: whether the ledger keeps, and `LedgerChanged` carries, each
        device's minutes, the log's rows (a core that keeps no log, as the simulator's,
        needs only the home's)."""
        self.config = config
        self.topics = topics
        self.tz = config.home.timezone
        self.registry = Registry()
        self.rejections = Rejections()
        self.counters = CounterTracker()
        self.tariff = Tariff(config.tariff, self.tz)
        self.prices = price_series(config.tariff, self.tz, self.tariff)
        self.ledger = EnergyLedger(self.tariff, prices=self.prices, device_minutes=device_minutes)
        self.alerts = AlertBook()
        self.thresholds = ThresholdMonitor(config.thresholds, currency=config.home.currency)
        self.shedder = LoadShedder(config.shedding)
        self._seqs: dict[str, int] = {}
        self._moved: set[str] = set()

    # ---- inbound MQTT -----------------------------------------------------------------

    def handle_message(self, topic: str, payload: bytes, now: Now) -> list[ev.Event]:
        try:
            ref = self.topics.parse(topic)
        except ProtocolError as exc:
            self._reject(topic, "bad topic", exc, now)
            return []
        if ref.is_hub:
            return []  # our own publications, echoed back
        try:
            return self._device_message(ref.device_id, ref.channel, payload, now)
        except ProtocolError as exc:
            self._reject(ref.device_id, f"bad {ref.channel}", exc, now)
            return []

    def _device_message(
        self, device_id: str, channel: str, payload: bytes, now: Now
    ) -> list[ev.Event]:
        if channel == "meta":
            if not payload:
                return self._forget(device_id)
            meta = Meta.from_payload(payload)
            if meta.id != device_id:
                raise ProtocolError(f"meta.id {meta.id!r} does not match the topic's id")
            record, events = self._record(device_id)
            record.meta = meta
            record.last_heard_real = now.real
            return [*events, ev.DeviceChanged(device_id, "meta"), *self._refresh(record, now)]
        if channel == "availability":
            if not payload:
                return []  # a cleared retained message: nothing to learn
            availability = parse_availability(payload)
            record, events = self._record(device_id)
            record.availability = availability
            record.last_heard_real = now.real
            return [*events, *self._refresh(record, now)]
        if channel == "state":
            if not payload:
                return []
            return self._state(device_id, State.from_payload(payload), now)
        if channel == "result":
            return [ev.CommandAnswered(device_id, CommandResult.from_payload(payload))]
        return []  # `set`: commands to devices, not ours to act on

    def _state(self, device_id: str, state: State, now: Now) -> list[ev.Event]:
        record, events = self._record(device_id)
        previous_seq = self._seqs.get(device_id)
        if previous_seq is not None and state.seq == previous_seq and record.state == state:
            return events  # the retained copy of what we already have
        try:
            delta = self.counters.reading(device_id, now.sim, state.energy_wh, state.power_w)
        except ImplausibleReading as exc:
            self._reject(device_id, "implausible counter", exc, now)
            delta = None
        if delta is not None:
            self.ledger.add(device_id, _FLOWS.get(record.role, "load"), delta)
        if record.role == STORAGE and state.energy_out_wh is not None:
            self._delivered(device_id, state, now)
        self.ledger.note_power(device_id, now.sim, state.power_w)
        self._seqs[device_id] = state.seq
        self._moved.add(device_id)
        record.state = state
        record.last_heard_real = now.real
        return [*events, ev.ReadingTaken(device_id, state, now.sim), *self._refresh(record, now)]

    def handle_state(self, device_id: str, state: State, now: Now) -> list[ev.Event]:
        """A device's reading already in hand as a `State` (a model in this process, as in
        home/simulator.py): what `handle_message` does with a state payload once it has
        parsed it. A `State` is checked when it is made, a parsed one no differently."""
        return self._state(device_id, state, now)

    def _delivered(self, device_id: str, state: State, now: Now) -> None:
        """A storage device's second counter (energy delivered), tracked beside its first
        under a key no device id can take, so the log keeps and restores it the same way."""
        key = out_counter_key(device_id)
        discharge = state.discharge_w or 0.0
        try:
            delta = self.counters.reading(key, now.sim, state.energy_out_wh or 0.0, discharge)
        except ImplausibleReading as exc:
            self._reject(device_id, "implausible counter", exc, now)
            delta = None
        if delta is not None:
            self.ledger.add(device_id, "discharge", delta)
        self._moved.add(key)

    # ---- time -------------------------------------------------------------------------

    def tick(self, now: Now) -> list[ev.Event]:
        """Once a second or so: statuses, thresholds, shedding, the summary, the ledger."""
        events: list[ev.Event] = []
        for record in list(self.registry.devices.values()):
            events += self._refresh(record, now)
        summary = self.summary(now)
        events.append(summary)
        events += self._check_thresholds(summary, now)
        events += self._shed(summary.summary.import_w, now)
        self.ledger.forget_before(now.sim)
        devices, homes = self.ledger.take_changes()
        if devices or homes or self._moved:
            counters = [self._counter_position(d) for d in sorted(self._moved)]
            self._moved.clear()
            events.append(ev.LedgerChanged(devices, homes, counters, self.ledger.meters.copy()))
        return events

    def summary(self, now: Now) -> ev.SummaryComputed:
        """The home's flows now and today, each computed here once (contract 1.1).

        Every figure is rounded first and the net derived from the rounded
        parts, so what the page shows adds up to the watt.
        """
        powers: dict[str, float] = {}
        socs: list[float] = []
        load_w, generation_w, battery_w, power_w = self._flows(powers, socs)
        today = self.today(now)
        meters = self.ledger.meters
        online, total = self.registry.counts()
        summary = Summary(
            ts=round(now.sim, 3),
            power_w=power_w,
            import_w=max(0.0, power_w),
            export_w=max(0.0, -power_w),
            energy_today_wh=round(today.consumption_wh, 3),
            cost_today=round(today.cost + self.tariff.standing_charge_per_day, 4),
            currency=self.config.home.currency,
            tariff_rate=self.prices.slot_at(now.sim).import_price,
            devices_online=online,
            devices_total=total,
            load_w=load_w,
            generation_w=generation_w,
            battery_w=battery_w,
            battery_soc_pct=round(sum(socs) / len(socs), 2) if socs else None,
            import_today_wh=round(today.import_wh, 3),
            export_today_wh=round(today.export_wh, 3),
            generation_today_wh=round(today.production_wh, 3),
            self_consumed_today_wh=round(today.self_consumed_wh, 3),
            import_total_wh=round(meters.import_wh, 3),
            export_total_wh=round(meters.export_wh, 3),
            generation_total_wh=round(meters.generation_wh, 3),
            battery_in_total_wh=round(meters.battery_in_wh, 3),
            battery_out_total_wh=round(meters.battery_out_wh, 3),
        )
        return ev.SummaryComputed(summary, today.carbon_g, powers)

    def net_power_w(self) -> float:
        """The home's net grid power now (positive importing): the summary's `power_w`."""
        return self._flows({}, [])[3]

    def _flows(
        self, powers: dict[str, float], socs: list[float]
    ) -> tuple[float, float, float, float]:
        """(load, generation, battery, net) in W, rounded as the summary says them; fills
        `powers` with each device's and `socs` with the online batteries' charge."""
        load = generation = storage = 0.0
        for record in self.registry.devices.values():
            # DeviceRecord's live_power_w, live_discharge_w and role, written out: this
            # runs for every device at every step of the simulator
            state, meta = record.state, record.meta
            online = state is not None and record.status == "online"
            power = powers[record.device_id] = state.power_w if online else 0.0
            role = meta.role if meta else "consumer"
            if role == "producer":
                generation += power
            elif role == STORAGE:
                if online:
                    storage += power - (state.discharge_w or 0.0)
                    if state.soc_pct is not None:
                        socs.append(state.soc_pct)
            else:
                load += power
        # storage is netted first (one battery charging while another discharges moves
        # energy between them): its charging counts into the load, its discharge is a source
        battery_w = round(storage, 2) + 0.0  # + 0.0: no "-0.0" on the wire
        load_w, generation_w = round(load + max(0.0, battery_w), 2), round(generation, 2)
        discharge_w = max(0.0, -battery_w)
        return load_w, generation_w, battery_w, round(load_w - generation_w - discharge_w, 2) + 0.0

    def today(self, now: Now) -> Totals:
        return self.ledger.day(self.tariff.day_of(now.sim))

    def month(self, now: Now) -> Totals:
        return self.ledger.month(self.tariff.day_of(now.sim))

    def days_this_month(self, now: Now) -> int:
        """Days of standing charge so far this month, today included."""
        return self.tariff.day_of(now.sim).day

    def restore(self, snapshot: Snapshot) -> None:
        """Pick up where the previous run's log ends: counters, figures, open alerts."""
        for position in snapshot.counters:
            if position.energy_wh is not None:
                self.counters.resume(position.device_id, position.t, position.energy_wh)
            self._seqs[position.device_id] = position.seq
        for day, totals in snapshot.days.items():
            self.ledger.restore_day(day, totals)
        for home, devices in snapshot.minutes:
            self.ledger.restore_minute(home, devices)
        self.ledger.restore_meters(snapshot.meters)
        self.alerts.restore(snapshot.alerts)
        self.thresholds.restore((a.rule, a.device) for a in self.alerts.open_alerts())

    # ---- commands and settings --------------------------------------------------------

    def command(
        self, device_id: str, command: Command, actor: str, now: Now, token: int = 0
    ) -> list[ev.Event]:
        """Check a command from a person (or a feature) and issue it; raises CommandRefused.

        A person switching a device the shedder switched off takes it over: it
        will not be restored, and its load-shed alert closes. The energy manager is no
        person: it leaves shed devices alone (`hub.core.manager.observe`).
        """
        record = self.registry.get(device_id)
        if record is None:
            raise CommandRefused("not_found", f"no device {device_id!r} in this home")
        if command.level is not None and record.meta is not None and not record.meta.dimmable:
            raise CommandRefused(
                "not_dimmable", f"{device_id} is not dimmable: 'level' needs a dimmable device"
            )
        if record.status == "offline":
            raise CommandRefused("offline", f"{device_id} is offline and cannot take commands now")
        events: list[ev.Event] = []
        if actor not in (SHEDDING_ACTOR, MANAGER_ACTOR) and (
            command.on is not None or command.toggle
        ):
            self.shedder.person_switched(device_id)
            cleared = self.alerts.clear(
                SHED_RULE,
                device_id,
                None,
                f"{device_id} switched by {actor}; not restored",
                now.sim,
            )
            if cleared is not None:
                events.append(ev.AlertChanged(cleared))
        return [*events, ev.CommandIssued(device_id, command, actor, token)]

    def acknowledge(self, alert_id: str, now: Now) -> list[ev.Event]:
        return [ev.AlertChanged(self.alerts.acknowledge(alert_id, now.sim))]

    def set_thresholds(self, rules: Sequence[ThresholdConfig], now: Now) -> list[ev.Event]:
        """New rules from now on; alerts of removed or changed rules are cleared."""
        cleared = self.thresholds.replace_rules(rules)
        events: list[ev.Event] = breach_events(self.alerts, cleared, now.sim)
        self.config = replace(self.config, thresholds=tuple(rules))
        return [*events, ev.SettingChanged("thresholds", tuple(rules))]

    def set_tariff(self, tariff: TariffConfig) -> list[ev.Event]:
        """Prices from now on; energy already accounted keeps the price it had."""
        self.config = replace(self.config, tariff=tariff)
        self.tariff = Tariff(tariff, self.tz)
        self.prices = price_series(tariff, self.tz, self.tariff)
        self.ledger.set_tariff(self.tariff, self.prices)
        return [ev.SettingChanged("tariff", tariff)]

    def set_shedding(self, shedding: SheddingConfig) -> list[ev.Event]:
        self.config = replace(self.config, shedding=shedding)
        self.shedder.replace_config(shedding)
        return [ev.SettingChanged("shedding", shedding)]

    # ---- internals --------------------------------------------------------------------

    def _record(self, device_id: str) -> tuple[DeviceRecord, list[ev.Event]]:
        record, discovered = self.registry.ensure(device_id)
        if discovered:
            log.info("discovered device %s", device_id)
            return record, [ev.DeviceChanged(device_id, "discovered")]
        return record, []

    def _forget(self, device_id: str) -> list[ev.Event]:
        if not self.registry.forget(device_id):
            return []
        self.counters.forget(device_id)
        self.counters.forget(out_counter_key(device_id))
        self._seqs.pop(device_id, None)
        log.info("forgot device %s (its meta was cleared)", device_id)
        return [ev.DeviceChanged(device_id, "forgotten")]

    def _refresh(self, record: DeviceRecord, now: Now) -> list[ev.Event]:
        before = record.status
        if not self.registry.refresh_status(record, now.real):
            return []
        silent_s = now.real - (record.last_heard_real or now.real)
        events: list[ev.Event] = [ev.DeviceChanged(record.device_id, "status")]
        events += availability_events(self.alerts, record, silent_s, now.sim)
        if before != "unknown" or record.status != "online":
            log.info("device %s is %s", record.device_id, record.status)
        return events

    def _check_thresholds(self, summary: ev.SummaryComputed, now: Now) -> list[ev.Event]:
        powers = {
            r.device_id: r.live_power_w
            for r in self.registry.devices.values()
            if r.status == "online"
        }
        observation = Observation(
            total_power_w=summary.summary.load_w or 0.0,  # what the home draws, before solar
            device_power_w=powers,
            energy_today_kwh=summary.summary.energy_today_wh / 1000.0,
            cost_today=summary.summary.cost_today,
        )
        return breach_events(self.alerts, self.thresholds.evaluate(now.sim, observation), now.sim)

    def _shed(self, import_w: float, now: Now) -> list[ev.Event]:
        loads = [
            DeviceLoad(
                r.device_id,
                r.meta.priority if r.meta else 3,
                bool(r.state and r.state.on),
                r.live_power_w,
                r.status == "online",
            )
            for r in self.registry.devices.values()
            if r.role == "consumer"
        ]
        limit_w = self.config.shedding.limit_w
        return shedding_events(self.alerts, self.shedder, loads, import_w, limit_w, now.sim)

    def _counter_position(self, device_id: str) -> ev.CounterPosition:
        position = self.counters.positions.get(device_id)
        return ev.CounterPosition(
            device_id,
            position.t if position else 0.0,
            position.energy_wh if position else None,
            self._seqs.get(device_id, 0),
        )

    def _reject(self, source: str, reason: str, exc: Exception, now: Now) -> None:
        if self.rejections.add(source, reason, now.real):
            log.warning("rejected a message from %s (%s): %s", source, reason, exc)
