"""One device on the wire: the contract's behaviour around a model, without any socket.

The agent decides what to publish and when, and applies commands all-or-nothing;
the runtime gives it the time and a `publish` function. Tests drive it in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices import state_file
from devices.appliance import Appliance, Storage
from devices.ha_discovery import discovery_messages
from devices.params import ModelError
from protocol import (
    ONLINE,
    Command,
    CommandResult,
    Meta,
    ProtocolError,
    State,
    Summary,
    Topics,
)
from protocol.command_payloads import (
    BAD_MODE,
    BAD_VALUE,
    CANCEL_START,
    NOT_DIMMABLE,
    NOT_SUPPORTED,
)

SOFTWARE = "devices 0.1.0"
MAX_CATCH_UP_S = 86400.0
"""A larger gap in simulation time is a clock jump, skipped rather than simulated."""

SUMMARY_STALE_S = 10.0
FLOW_REPORT_W = 50.0
"""A storage device reports at once when its flow moved this far from its last report."""
"""Real seconds without a hub summary after which a battery in `auto` holds: the hub
publishes one a second, so this is a hub gone, not a summary late."""

Publish = Callable[[str, bytes, int, bool], None]
"""publish(topic, payload, qos, retain)"""

EXTRA_KEYS = ("boost", "target_soc", "departure", "start_at")
"""1.1 command keys that go to the kind's `check_extra` / `apply_extra`."""
log = logging.getLogger("devices")


@dataclass(frozen=True)
class Identity:
    device_id: str
    name: str


class DeviceAgent:
    """Publishes a model's meta, availability and state, and answers its commands."""

    def __init__(
        self,
        identity: Identity,
        model: Appliance,
        topics: Topics,
        interval_s: float,
        publish: Publish,
        saved: state_file.SavedState,
        state_path: Path | None = None,
        ha_discovery: bool = False,
    ):
        self.identity = identity
        self.model = model
        self.topics = topics
        self.interval_s = interval_s
        self.publish = publish
        self.state_path = state_path
        self.ha_discovery = ha_discovery
        self.energy_offset_wh = saved.energy_wh
        self.energy_out_offset_wh = saved.energy_out_wh or 0.0
        if isinstance(model, Storage) and saved.soc_pct is not None:
            model.resume_soc(saved.soc_pct)
        self.seq = saved.seq
        self.next_report = 0.0
        self._last_status: tuple | None = None
        self._save_error: str | None = None
        self._summary_real: float | None = None
        """Real time of the last hub summary a storage model was given."""
        self._published_w: float | None = None
        """The contribution to the home's net power in the last state published: what the
        hub's summary counts for this device."""

    @property
    def device_id(self) -> str:
        return self.identity.device_id

    @property
    def follows_summary(self) -> bool:
        """Whether this device wants the hub's summary (storage follows its net power)."""
        return isinstance(self.model, Storage) or self.model.follows_grid

    def meta(self) -> Meta:
        model = self.model
        storage = (
            {
                "capacity_wh": round(model.capacity_wh, 3),
                "max_charge_w": round(model.max_charge_w, 3),
                "max_discharge_w": round(model.max_discharge_w, 3),
            }
            if isinstance(model, Storage)
            else {}
        )
        return Meta(
            id=self.device_id,
            name=self.identity.name,
            kind=model.kind,
            role=model.role,
            rated_w=round(model.rated_w, 3),
            standby_w=round(model.standby_w, 3),
            dimmable=model.dimmable,
            interval_s=self.interval_s,
            priority=model.priority,
            sw=SOFTWARE,
            deferrable=True if model.deferrable else None,
            flexible=("boost",) if "boost" in model.extra_commands else None,
            **storage,
        )

    def state(self) -> State:
        model = self.model
        storage = (
            {
                "discharge_w": round(model.discharge_w, 2),
                "soc_pct": round(model.soc_pct, 2),
                "mode": model.mode,
                "energy_out_wh": round(self.energy_out_offset_wh + model.energy_out_wh, 4),
            }
            if isinstance(model, Storage)
            else {}
        )
        return State(
            ts=round(model.now, 3),
            seq=self.seq,
            on=model.on,
            power_w=round(model.power_w, 2),
            energy_wh=round(self.energy_offset_wh + model.energy_wh, 4),
            level=model.level,
            phase=model.phase,
            **storage,
            **model.state_fields(),
        )

    def connected(self, sim_now: float, real_now: float) -> None:
        """(Re)announce everything a late subscriber or a restarted hub needs."""
        meta = self.meta()
        self.publish(self.topics.meta(self.device_id), meta.to_payload(), 1, True)
        self.publish(self.topics.availability(self.device_id), ONLINE.encode(), 1, True)
        if self.ha_discovery:
            for topic, payload in discovery_messages(meta, self.topics):
                self.publish(topic, payload, 1, True)
        self.sync(sim_now)
        self.publish_state(real_now)

    def sync(self, sim_now: float) -> None:
        """Bring the model to `sim_now`: simulate ordinary progress, skip clock jumps."""
        gap = sim_now - self.model.now
        if -1.0 <= gap <= MAX_CATCH_UP_S:  # a hair backwards: a wall clock step; wait
            self.model.advance_to(sim_now)
        else:
            log.info(
                "%s: simulation clock jumped by %+.0f s; continuing from there", self.device_id, gap
            )
            self.model.jump_to(sim_now)

    def tick(self, sim_now: float, real_now: float) -> None:
        """Advance the model; publish when the interval is up or the model changed by itself."""
        self.sync(sim_now)
        if self._summary_real is not None and real_now - self._summary_real > SUMMARY_STALE_S:
            self._follow(None, sim_now, None)  # the hub went quiet: nothing to follow
        if (
            real_now >= self.next_report
            or self._status() != self._last_status
            or self._flow_moved()
        ):
            self.publish_state(real_now)

    def _flow_moved(self) -> bool:
        """Storage only: its flow is far from what it last reported. The battery follows the
        hub's net, which counts the battery as it reported itself; reporting a new flow at
        once, rather than at the interval, takes that lag out of the loop (at `--speed 30`
        a 2 s interval is a simulated minute of a battery cancelling a kettle that is off)."""
        if not isinstance(self.model, Storage) or self._published_w is None:
            return False
        return abs(self.model.contribution_w - self._published_w) >= FLOW_REPORT_W

    def publish_state(self, real_now: float) -> State:
        state = self.next_state(real_now)
        self.publish(self.topics.state(self.device_id), state.to_payload(), 0, True)
        return state

    def next_state(self, real_now: float) -> State:
        """The next reading, numbered and saved, taken as published now: for
        `publish_state`, and for a caller that hands the hub the `State` itself (the
        simulator, home/sim_readings.py)."""
        self.seq += 1
        state = self.state()
        if self.state_path is not None:
            # saved before it is published: the counter a subscriber saw is never lost
            self._save(self._saved(state))
        self._published_w = state.contribution_w
        self._last_status = self._status()
        self.next_report = real_now + self.interval_s
        return state

    def command(self, payload: bytes, sim_now: float, real_now: float) -> CommandResult:
        """Apply a `set` payload all-or-nothing and publish the result (and the new state)."""
        try:
            command = Command.from_payload(payload)
            # checked against the model as it last was: a refusal changes nothing, not
            # even how far the model has run
            self._check_applicable(command)
        except ProtocolError as exc:
            result = CommandResult.failure(str(exc), payload, exc.code)
            log.info("%s: refused command %r: %s", self.device_id, payload[:80], exc)
        else:
            self.sync(sim_now)
            applied = self._apply(command, sim_now)
            result = CommandResult.success(
                command.to_request(), self.publish_state(real_now), applied
            )
        self.publish(self.topics.result(self.device_id), result.to_payload(), 1, False)
        return result

    def summary(self, payload: bytes, sim_now: float, real_now: float) -> None:
        """The hub's summary (storage only): its net grid power is what `auto` follows,
        with this device counted as it last published itself. A bad one is logged and
        taken as none; an empty one (cleared) is none."""
        net_w: float | None = None
        if payload:
            try:
                net_w = Summary.from_payload(payload).power_w
            except ProtocolError as exc:
                log.warning("%s: ignoring the hub's summary: %s", self.device_id, exc)
        self._follow(net_w, sim_now, real_now if net_w is not None else None)

    def _follow(self, net_w: float | None, sim_now: float, real_now: float | None) -> None:
        self._summary_real = real_now
        if isinstance(self.model, Storage):
            self.sync(sim_now)
            self.model.follow_grid(net_w, sim_now, self._published_w)
        elif self.model.follows_grid and net_w is not None:
            self.sync(sim_now)
            self.model.follow_grid(net_w, sim_now)

    def _save(self, saved: state_file.SavedState, durable: bool = False) -> None:
        """Save the state file; a failing disk is reported once, and the device carries on."""
        try:
            state_file.save(self.state_path, saved, durable)  # type: ignore[arg-type]
        except OSError as exc:
            if self._save_error != str(exc):
                log.error(
                    "%s: cannot save state file %s: %s (still running)",
                    self.device_id,
                    self.state_path,
                    exc,
                )
            self._save_error = str(exc)
        else:
            if self._save_error is not None:
                log.info("%s: state file %s saved again", self.device_id, self.state_path)
            self._save_error = None

    def save_durably(self) -> None:
        if self.state_path is not None:
            # as published: rounding must not go backwards
            self._save(self._saved(self.state()), durable=True)

    def _saved(self, state: State) -> state_file.SavedState:
        return state_file.SavedState(
            self.device_id,
            self.model.kind,
            state.energy_wh,
            self.seq,
            state.energy_out_wh,
            state.soc_pct,
        )

    def _check_applicable(self, command: Command) -> None:
        if command.level is not None and not self.model.dimmable:
            raise ProtocolError(
                f"{self.device_id} is a {self.model.kind}, which is not dimmable: "
                "'level' works only on dimmable devices",
                NOT_DIMMABLE,
            )
        extras = self._extras(command)
        for key, value in extras.items():
            if key not in self.model.extra_commands:
                raise ProtocolError(
                    f"{self.device_id} is a {self.model.kind}, which takes no {key!r}",
                    NOT_SUPPORTED,
                )
            try:
                self.model.check_extra(key, value)
            except ModelError as exc:
                code = BAD_MODE if key == "mode" else BAD_VALUE
                raise ProtocolError(f"{self.device_id}: {exc}", code) from None
        if command.mode is not None and "mode" not in extras:
            if not isinstance(self.model, Storage):
                raise ProtocolError(
                    f"{self.device_id} is a {self.model.kind}, which has no modes", BAD_MODE
                )
            try:
                self.model.check_mode(command.mode, command.power_w)
            except ModelError as exc:
                raise ProtocolError(f"{self.device_id}: {exc}", BAD_MODE) from None

    def _apply(self, command: Command, sim_now: float) -> dict[str, object] | None:
        """Apply a checked command; what a mode command applied (None for the rest)."""
        model = self.model
        applied = None
        if command.toggle:
            model.switch(not model.on, sim_now)
        if command.on is not None:
            model.switch(command.on, sim_now)
        if command.level is not None:
            model.set_level(command.level, sim_now)
        if command.mode is not None and isinstance(model, Storage):
            applied = model.set_mode(command.mode, command.power_w, sim_now)
        for key, value in self._extras(command).items():
            model.apply_extra(key, value, model.now)
        if command.interval_s is not None and command.interval_s != self.interval_s:
            self.interval_s = command.interval_s
            self.publish(self.topics.meta(self.device_id), self.meta().to_payload(), 1, True)
        if not command.is_status_request:
            log.info(
                "%s: applied %s; on=%s level=%s",
                self.device_id,
                command.to_request(),
                model.on,
                model.level,
            )
        return applied

    def _extras(self, command: Command) -> dict[str, Any]:
        """The command's 1.1 keys a kind takes through `check_extra` / `apply_extra`
        (`mode` too, for a kind that lists it); a cancelled start_at is None."""
        extras: dict[str, Any] = {
            key: getattr(command, key) for key in EXTRA_KEYS if getattr(command, key) is not None
        }
        if extras.get("start_at") == CANCEL_START:
            extras["start_at"] = None
        if command.mode is not None and "mode" in self.model.extra_commands:
            extras["mode"] = command.mode
        return extras

    def _status(self) -> tuple:
        return (self.model.on, self.model.phase, self.model.level)
