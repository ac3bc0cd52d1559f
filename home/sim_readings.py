"""A device's readings into the simulated hub: only those that tell it something.

A live device reports every couple of seconds; the hub turns successive
counters into energy spread evenly over the time between them, and its ledger
nets the home minute by minute. So a reading taken while a device's power
stayed the same adds nothing the next one would not: the energy between two
readings at one constant power falls into the minutes exactly as it would
with a reading every minute. Nine in ten of the default home's device-minutes
are like that (a fridge between cycles, a light that is off, the panels at
night).

So a device is asked only when its model says its state may have changed
(`Appliance.holds_until`), on the ledger's minute grid, and it reports then
only if its power, status or counters moved otherwise than its last reading
says; first comes its last reading carried forward to the minute before (its
state then), so every stretch of constant power is booked over exactly its
own minutes. `flush(t)` carries the last reading forward to `t`: at each local
midnight (so a day's figures are whole when it closes) and at the end.

A reading reaches the hub's core as the `State` the device made
(`HubCore.handle_state`): the same checks as a parsed payload, without
encoding it to JSON and parsing it back. `report_always` sends every reading
as bytes through the core's whole gate, as a device reporting once a minute
would: what the tests hold the shortcut to.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from devices.agent import MAX_CATCH_UP_S, DeviceAgent
from devices.appliance import Storage
from protocol import CommandResult, State

MINUTE_S = 60.0
"""The ledger's grain: readings are taken on its minute grid."""
Deliver = Callable[[str, State, float], None]
"""deliver(device_id, state, t): hand the hub a reading as if it arrived at sim time `t`."""
SAME_WH = 1e-9
"""How far a counter may be from its last reading's power before the power counts as changed."""


def minute_before(t: float) -> float:
    """The last point of the minute grid before `t`."""
    return (math.ceil(t / MINUTE_S) - 1) * MINUTE_S


class Reporter:
    """Reports one device's agent into the hub's core, skipping what adds nothing."""

    def __init__(self, agent: DeviceAgent, deliver: Deliver):
        self.agent = agent
        self.deliver = deliver
        self.due = math.inf
        """When the model's state may next change by itself: it need not be asked before."""
        self._storage = isinstance(agent.model, Storage)
        self._last: State | None = None
        self._last_t = -math.inf  # `_last`'s time, and its counters and powers unrounded
        self._last_wh = self._last_power = self._last_out_wh = self._last_out_w = 0.0

    @property
    def reported_until(self) -> float:
        """The hub has this device's energy up to here."""
        return self._last_t

    @property
    def contribution_w(self) -> float:
        """What the device's last reading adds to the home's net grid power."""
        return self._last.contribution_w if self._last is not None else 0.0

    def connected(self, t: float) -> None:
        self.agent.connected(t, t)  # meta, availability and the counter's baseline
        self.due = self._next_ask(t)
        self._took(self.agent.state(), t)

    def report(self, t: float) -> None:
        """The device's reading at `t` (on the minute grid), if it says anything its last
        one does not; after it, when the device must next be asked."""
        self.agent.sync(t)
        self.due = self._next_ask(t)
        if not self._says_something(t):
            return
        self.flush(minute_before(t))
        state = self.agent.next_state(t)
        self.deliver(self.agent.device_id, state, t)
        self._took(state, t)

    def report_always(self, t: float) -> None:
        """The device's reading at `t` whatever it says, as bytes through the whole gate."""
        self.agent.sync(t)
        self.due = self._next_ask(t)
        self._took(self.agent.publish_state(t), t)

    def flush(self, t: float) -> None:
        """The last reading carried forward to `t` (the power was constant since), as the
        device would have reported it then: a minute before a change, a day's end."""
        last = self._last
        if last is None or t <= self._last_t:
            return
        agent = self.agent
        agent.seq += 1
        dt_h = (t - self._last_t) / 3600.0
        energy = self._last_wh + self._last_power * dt_h
        out = self._last_out_wh + self._last_out_w * dt_h
        state = replace(
            last,
            ts=round(t, 3),
            seq=agent.seq,
            energy_wh=round(agent.energy_offset_wh + energy, 4),
            energy_out_wh=(
                round(agent.energy_out_offset_wh + out, 4) if self._storage else last.energy_out_wh
            ),
        )
        self.deliver(agent.device_id, state, t)
        self._last, self._last_t, self._last_wh, self._last_out_wh = state, t, energy, out

    def command(self, payload: bytes, t: float) -> CommandResult:
        """A command from the hub (load shedding, the energy manager) at `t`, a point of
        the minute grid at which this device has reported if it had news: applied as the
        device process would, its result and new state published through the gate."""
        result = self.agent.command(payload, t, t)
        self.due = self._next_ask(t)
        self._took(self.agent.state(), t)
        return result

    def _next_ask(self, t: float) -> float:
        """When the device must next be asked: when its model's state may change, and
        within half of the agent's catch-up limit, which would take a longer gap for a
        clock that jumped and skip it (the uses in it lost)."""
        return min(self.agent.model.holds_until(), t + MAX_CATCH_UP_S / 2)

    def _says_something(self, t: float) -> bool:
        model, last = self.agent.model, self._last
        if last is None or model.power_w != self._last_power:
            return True
        if (model.on, model.phase, model.level) != (last.on, last.phase, last.level):
            return True
        dt_h = (t - self._last_t) / 3600.0
        moved = abs(model.energy_wh - self._last_wh - model.power_w * dt_h)
        if moved > SAME_WH * max(1.0, model.energy_wh):
            return True
        if not self._storage:
            return False
        out_w, out_wh = model.discharge_w, model.energy_out_wh  # type: ignore[attr-defined]
        moved = abs(out_wh - self._last_out_wh - out_w * dt_h)
        return out_w != self._last_out_w or moved > SAME_WH * max(1.0, out_wh)

    def _took(self, state: State, t: float) -> None:
        model = self.agent.model
        self._last, self._last_t = state, t
        self._last_wh, self._last_power = model.energy_wh, model.power_w
        if self._storage:
            self._last_out_wh = model.energy_out_wh  # type: ignore[attr-defined]
            self._last_out_w = model.discharge_w  # type: ignore[attr-defined]
