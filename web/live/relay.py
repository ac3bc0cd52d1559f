"""The live relay: a hub feature that gathers what the page is told, for the one Socket.IO
task (web/live/sockets.py) to emit in batches.

It is handed the core's typed events on the core thread, where nearly every
event is a reading, so `handle` only appends under a lock; the payloads are made
when the task drains them, on its own thread. What an event does not carry is
viewed on the core thread as the event is handed on (`hub.views.LiveViews`): a
device's view at the end of a round of the core's work (`drained`), so it is
never older than the readings sent with it, and the summary's as it is
computed. So the task never asks the core for anything. The summary frames of
the last 15 minutes are kept for new clients' snapshots.
"""

from __future__ import annotations

import bisect
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hub.controller import Feature
from hub.core.events import AlertChanged, DeviceChanged, Event, ReadingTaken, SummaryComputed
from hub.views import LiveViews
from protocol import Alert, State, Summary

WINDOW_S = 15 * 60.0
SNAPSHOT_STEP_S = 5.0
"""A new page's chart starts from one frame every 5 s; live frames follow."""
MAX_POINTS = int(WINDOW_S / SNAPSHOT_STEP_S)
HOME_COLUMNS = ("ts", "power_w", "load_w", "generation_w")
"""A frame's figures for the whole home, each kept as a column."""


class _Frames:
    """The snapshot's frames as flat arrays of doubles: 8 bytes a figure.

    Each frame is one instant of the home (from the hub's summary): its net,
    load and generation, and every device's power, so a chart drawn from them
    has a net line that is its stack's sum at every point. Each device has a
    column as long as the frames': a device missing from a frame (not yet known,
    or gone) drew nothing then, so its column holds 0 there. Tuples or dicts per
    frame cost ~145 bytes a figure, which the soak benchmark saw as growth.
    """

    __slots__ = ("devices", "home", "seen")

    def __init__(self) -> None:
        self.seen = array("d")
        self.home = {name: array("d") for name in HOME_COLUMNS}
        self.devices: dict[str, array] = {}

    def add(self, seen: float, summary: Summary, powers: dict[str, float]) -> None:
        if self.seen and seen - self.seen[-1] < SNAPSHOT_STEP_S:
            return
        self.seen.append(seen)
        for name, column in self.home.items():
            column.append(getattr(summary, name) or 0.0)
        before = len(self.seen) - 1
        for device_id in powers.keys() - self.devices.keys():
            self.devices[device_id] = array("d", bytes(8 * before))
        for device_id, column in self.devices.items():
            column.append(powers.get(device_id, 0.0))
        if len(self.seen) > MAX_POINTS:
            for column in (self.seen, *self.home.values(), *self.devices.values()):
                del column[0]

    def forget(self, device_id: str) -> None:
        """Drop a forgotten device's column (the page drops its trace); frames from
        before still count it in their net until they age out."""
        self.devices.pop(device_id, None)

    def since(self, cutoff: float) -> dict:
        first = bisect.bisect_left(self.seen, cutoff)
        frames: dict = {name: column[first:].tolist() for name, column in self.home.items()}
        frames["t"] = frames.pop("ts")
        frames["device_power_w"] = {
            device_id: column[first:].tolist() for device_id, column in self.devices.items()
        }
        return frames


@dataclass
class Batch:
    """What the Socket.IO task emits next, as the page's payloads (docs/api.md)."""

    readings: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    """Each device's view, or ``{"id", "removed": true}`` once forgotten."""
    summary: dict[str, Any] | None
    """The latest summary view (`hub.views`), without the hub's `problems`."""


@dataclass
class _Pending:
    """What has happened since the last drain, as the core told it."""

    readings: list[ReadingTaken] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    summary: dict[str, Any] | None = None


class Relay(Feature):
    def __init__(self, views: LiveViews, clock: Callable[[], float] = time.monotonic):
        self.views = views
        self.clock = clock
        self._lock = threading.Lock()
        self._pending = _Pending()
        self._changed: dict[str, None] = {}
        """Devices to view at the end of this round, in order (the core thread's alone)."""
        self._frames = _Frames()
        self._stopped = threading.Event()
        self.listening = False
        """Batches pile up only once someone drains them (the first client connected)."""

    # ---- the core thread --------------------------------------------------------------

    def handle(self, event: Event) -> None:
        if isinstance(event, ReadingTaken):
            if self.listening:
                with self._lock:
                    self._pending.readings.append(event)
                    if event.device_id in self._pending.devices:  # its view is now older
                        self._changed[event.device_id] = None
        elif isinstance(event, SummaryComputed):
            summary = self.views.summary(event) if self.listening else None
            with self._lock:
                self._frames.add(self.clock(), event.summary, event.device_power_w)
                if summary is not None:
                    self._pending.summary = summary
        elif isinstance(event, AlertChanged):
            if self.listening:
                with self._lock:
                    self._pending.alerts.append(event.alert)
        elif isinstance(event, DeviceChanged):
            if event.change == "forgotten":
                with self._lock:
                    self._frames.forget(event.device_id)
            if self.listening:
                self._changed[event.device_id] = None

    def drained(self) -> None:
        """View the devices that changed this round, now that its readings are in, and those
        viewed earlier in this batch that have read since: a view the page gets is never
        older than the readings sent with it (they go first)."""
        if not self._changed:
            return
        changed, self._changed = self._changed, {}
        views = {
            device_id: self.views.device(device_id) or {"id": device_id, "removed": True}
            for device_id in changed
        }
        with self._lock:
            self._pending.devices.update(views)  # a device changed again: its newest view

    def stop(self) -> None:
        """The hub is stopping: the Socket.IO task ends at its next wake."""
        self._stopped.set()

    # ---- the Socket.IO task -----------------------------------------------------------

    def wait(self, seconds: float) -> bool:
        """Sleep `seconds` (less if the relay stops); whether the relay still runs."""
        return not self._stopped.wait(seconds)

    def drain(self) -> Batch:
        with self._lock:
            pending, self._pending = self._pending, _Pending()
        return Batch(
            readings=[_reading(event) for event in pending.readings],
            alerts=[alert.to_dict() for alert in pending.alerts],
            devices=list(pending.devices.values()),
            summary=pending.summary,
        )

    def series(self) -> dict:
        """The frames of the last 15 minutes (real time), for a snapshot:
        {"t", "power_w", "load_w", "generation_w": [...], "device_power_w": {id: [...]}}."""
        cutoff = self.clock() - WINDOW_S
        with self._lock:
            return self._frames.since(cutoff)


def _reading(event: ReadingTaken) -> dict[str, Any]:
    state = event.state
    reading = {
        "id": event.device_id,
        "ts": state.ts,
        "power_w": state.power_w,
        "on": state.on,
        "phase": state.phase,
        "level": state.level,
        "energy_wh": state.energy_wh,
    }
    # 1.1: a battery's, a car charger's, a loaded machine's, when it sends them
    for key in State.ADDED:
        value = getattr(state, key)
        if value is not None:
            reading[key] = value
    return reading
