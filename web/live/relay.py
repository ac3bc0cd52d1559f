"""Collects live updates as they happen and hands them out in batches.

`add` is called on the hub's core thread for every event, so it only
appends under a lock; the Socket.IO task drains it on its own schedule.
The summary frames of the last 15 minutes are kept for new clients' snapshots.
"""

from __future__ import annotations

import bisect
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

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

    def add(self, seen: float, frame: dict) -> None:
        if self.seen and seen - self.seen[-1] < SNAPSHOT_STEP_S:
            return
        self.seen.append(seen)
        for name, column in self.home.items():
            column.append(frame.get(name) or 0.0)
        powers: dict[str, float] = frame.get("device_power_w") or {}
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
    readings: list[dict] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    summary_due: bool = False


class Relay:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._pending = Batch()
        self._frames = _Frames()
        self.listening = False
        """Batches pile up only once someone drains them (the first client connected)."""

    def add(self, kind: str, data: dict) -> None:
        with self._lock:
            if kind == "reading":
                if self.listening:
                    self._pending.readings.append(data)
            elif kind == "alert" and self.listening:
                self._pending.alerts.append(data)
            elif kind == "device":
                if data["id"] not in self._pending.devices:
                    self._pending.devices.append(data["id"])
                if data.get("change") == "forgotten":
                    self._frames.forget(data["id"])
            elif kind == "summary":
                self._frames.add(self.clock(), data)
                self._pending.summary_due = True

    def drain(self) -> Batch:
        with self._lock:
            batch, self._pending = self._pending, Batch()
            return batch

    def series(self) -> dict:
        """The frames of the last 15 minutes (real time), for a snapshot:
        {"t", "power_w", "load_w", "generation_w": [...], "device_power_w": {id: [...]}}."""
        cutoff = self.clock() - WINDOW_S
        with self._lock:
            return self._frames.since(cutoff)
