"""A device's readings into the simulated hub: only those that tell it something.

A live device reports every couple of seconds; the hub turns successive
counters into energy spread evenly over the time between them, and its ledger
nets the home minute by minute. So a reading taken while a device's power
stayed the same adds nothing the next one would not: the energy between two
readings at one constant power falls into the minutes exactly as it would
with a reading every minute. Nine in ten of the default home's device-minutes
are like that (a fridge between cycles, a light that is off, the panels at
night), and reading and booking them was half of the simulator's time.

So each minute the device is asked, and it reports only when its power, its
status or its counter moved otherwise than its last reading says; the minute
before such a change is reported first (the device's state then, which is its
last reading carried forward), so every stretch of constant power is booked
over exactly its own minutes. `flush` reports a held minute at once: before
a command, at each local midnight (so a day's figures are whole when it
closes) and at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from devices.agent import DeviceAgent
from protocol import State

PublishAt = Callable[[str, bytes, float], None]
"""publish_at(topic, payload, t): hand the hub a reading as if it arrived at sim time `t`."""
SAME_WH = 1e-9
"""How far a counter may be from its last reading's power before the power counts as changed."""


class Reporter:
    """Reports one device's agent into the hub's gate, skipping what adds nothing."""

    def __init__(self, agent: DeviceAgent, publish_at: PublishAt):
        self.agent = agent
        self.publish_at = publish_at
        self._last: State | None = None
        self._last_t = float("-inf")  # `_last`'s time, `_last_wh` its counter, unrounded
        self._last_wh = self._last_power = 0.0
        self._held: tuple[float, float] | None = None  # (t, counter) of a skipped reading

    @property
    def reported_until(self) -> float:
        """The hub has this device's energy up to here."""
        return self._last_t

    def connected(self, t: float) -> None:
        self.agent.connected(t, t)  # meta, availability and the counter's baseline
        self._took(self.agent.state(), t)

    def report(self, t: float, always: bool = False) -> None:
        """The device's reading at `t`, if it says anything its last one does not."""
        model, last = self.agent.model, self._last
        if (
            not always
            and last is not None
            and (
                model.power_w == self._last_power
                and (model.on, model.phase, model.level) == (last.on, last.phase, last.level)
                and abs(model.energy_wh - self._last_wh - model.power_w * (t - self._last_t) / 3600)
                <= SAME_WH * max(1.0, model.energy_wh)
            )
        ):
            self._held = (t, model.energy_wh)
            return
        self.flush()
        self._took(self.agent.publish_state(t), t)

    def flush(self) -> None:
        """Report a held reading now: the last one carried forward to its time, and
        received then (the hub books a reading at the time it arrives)."""
        if self._held is None or self._last is None:
            return
        t, energy = self._held
        self._held = None
        agent = self.agent
        agent.seq += 1
        state = replace(
            self._last,
            ts=round(t, 3),
            seq=agent.seq,
            energy_wh=round(agent.energy_offset_wh + energy, 4),
        )
        self.publish_at(agent.topics.state(agent.device_id), state.to_payload(), t)
        self._last, self._last_t, self._last_wh = state, t, energy

    def command(self, payload: bytes, t: float) -> None:
        """A command from the hub (load shedding), applied as the device process would."""
        self.flush()
        self.agent.command(payload, t, t)
        self._took(self.agent.state(), t)

    def _took(self, state: State, t: float) -> None:
        model = self.agent.model
        self._last, self._last_t, self._last_wh, self._last_power = (
            state,
            t,
            model.energy_wh,
            model.power_w,
        )
