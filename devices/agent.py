"""One device on the wire: the contract's behaviour around a model, without any socket.

The agent decides what to publish and when, and applies commands all-or-nothing;
the runtime gives it the time and a `publish` function. Tests drive it in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devices import state_file
from devices.appliance import Appliance
from devices.ha_discovery import discovery_messages
from protocol import (
    ONLINE,
    Command,
    CommandResult,
    Meta,
    ProtocolError,
    State,
    Topics,
)
from protocol.command_payloads import NOT_DIMMABLE

SOFTWARE = "devices 0.1.0"
MAX_CATCH_UP_S = 86400.0
"""A larger gap in simulation time is a clock jump, skipped rather than simulated."""

Publish = Callable[[str, bytes, int, bool], None]
"""publish(topic, payload, qos, retain)"""

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
        self.seq = saved.seq
        self.next_report = 0.0
        self._last_status: tuple | None = None
        self._save_error: str | None = None

    @property
    def device_id(self) -> str:
        return self.identity.device_id

    def meta(self) -> Meta:
        model = self.model
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
        )

    def state(self) -> State:
        model = self.model
        return State(
            ts=round(model.now, 3),
            seq=self.seq,
            on=model.on,
            power_w=round(model.power_w, 2),
            energy_wh=round(self.energy_offset_wh + model.energy_wh, 4),
            level=model.level,
            phase=model.phase,
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
        if real_now >= self.next_report or self._status() != self._last_status:
            self.publish_state(real_now)

    def publish_state(self, real_now: float) -> State:
        self.seq += 1
        state = self.state()
        if self.state_path is not None:
            # saved before it is published: the counter a subscriber saw is never lost
            self._save(
                state_file.SavedState(self.device_id, self.model.kind, state.energy_wh, self.seq)
            )
        self.publish(self.topics.state(self.device_id), state.to_payload(), 0, True)
        self._last_status = self._status()
        self.next_report = real_now + self.interval_s
        return state

    def command(self, payload: bytes, sim_now: float, real_now: float) -> CommandResult:
        """Apply a `set` payload all-or-nothing and publish the result (and the new state)."""
        try:
            command = Command.from_payload(payload)
            self._check_applicable(command)
        except ProtocolError as exc:
            result = CommandResult.failure(str(exc), payload, exc.code)
            log.info("%s: refused command %r: %s", self.device_id, payload[:80], exc)
        else:
            self.sync(sim_now)
            self._apply(command, sim_now)
            result = CommandResult.success(command.to_request(), self.publish_state(real_now))
        self.publish(self.topics.result(self.device_id), result.to_payload(), 1, False)
        return result

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
            energy = self.state().energy_wh  # as published: rounding must not go backwards
            saved = state_file.SavedState(self.device_id, self.model.kind, energy, self.seq)
            self._save(saved, durable=True)

    def _check_applicable(self, command: Command) -> None:
        if command.level is not None and not self.model.dimmable:
            raise ProtocolError(
                f"{self.device_id} is a {self.model.kind}, which is not dimmable: "
                "'level' works only on dimmable devices",
                NOT_DIMMABLE,
            )

    def _apply(self, command: Command, sim_now: float) -> None:
        model = self.model
        if command.toggle:
            model.switch(not model.on, sim_now)
        if command.on is not None:
            model.switch(command.on, sim_now)
        if command.level is not None:
            model.set_level(command.level, sim_now)
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

    def _status(self) -> tuple:
        return (self.model.on, self.model.phase, self.model.level)
