"""Collects live updates as they happen and hands them out in batches.

`add` is called on the hub's core thread for every event, so it only
appends under a lock; the Socket.IO task drains it on its own schedule.
Per-device series of the last 15 minutes are kept for new clients' snapshots.
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
"""A new page's chart starts from one point every 5 s per device; live points follow."""
MAX_POINTS = int(WINDOW_S / SNAPSHOT_STEP_S)


class _Series:
    """One device's snapshot points as three flat arrays of doubles: 24 bytes a point.

    A deque of (seen, ts, power_w) tuples cost ~145 bytes a point, 13 MB for 15
    minutes of 500 devices, and the soak benchmark saw it as growth.
    """

    __slots__ = ("power_w", "seen", "ts")

    def __init__(self) -> None:
        self.seen, self.ts, self.power_w = array("d"), array("d"), array("d")

    def add(self, seen: float, ts: float, power_w: float) -> None:
        if self.seen and seen - self.seen[-1] < SNAPSHOT_STEP_S:
            return
        columns = (self.seen, self.ts, self.power_w)
        for column, value in zip(columns, (seen, ts, power_w), strict=True):
            column.append(value)
        if len(self.seen) > MAX_POINTS:
            for column in columns:
                del column[0]

    def since(self, cutoff: float) -> dict[str, list[float]]:
        first = bisect.bisect_left(self.seen, cutoff)
        return {"t": self.ts[first:].tolist(), "power_w": self.power_w[first:].tolist()}


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
        self._series: dict[str, _Series] = {}
        self.listening = False
        """Batches pile up only once someone drains them (the first client connected)."""

    def add(self, kind: str, data: dict) -> None:
        with self._lock:
            if kind == "reading":
                if self.listening:
                    self._pending.readings.append(data)
                points = self._series.get(data["id"])
                if points is None:
                    points = self._series[data["id"]] = _Series()
                points.add(self.clock(), data["ts"], data["power_w"])
            elif kind == "alert" and self.listening:
                self._pending.alerts.append(data)
            elif kind == "device":
                if data["id"] not in self._pending.devices:
                    self._pending.devices.append(data["id"])
                if data.get("change") == "forgotten":
                    self._series.pop(data["id"], None)
            elif kind == "summary":
                self._pending.summary_due = True

    def drain(self) -> Batch:
        with self._lock:
            batch, self._pending = self._pending, Batch()
            return batch

    def series(self) -> dict[str, dict[str, list[float]]]:
        """The last 15 minutes (real time) of every device's readings, for a snapshot."""
        cutoff = self.clock() - WINDOW_S
        with self._lock:
            return {device_id: points.since(cutoff) for device_id, points in self._series.items()}
