"""Collects live updates as they happen and hands them out in batches.

`add` is called on the hub's core thread for every event, so it only
appends under a lock; the Socket.IO task drains it on its own schedule.
Per-device series of the last 15 minutes are kept for new clients' snapshots.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_S = 15 * 60.0
SNAPSHOT_STEP_S = 5.0
"""A new page's chart starts from one point every 5 s per device; live points follow.
Finer would cost ~150 bytes a point in every device's 15 minutes (67 MB at 500 devices)."""
MAX_POINTS = int(WINDOW_S / SNAPSHOT_STEP_S)


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
        self._series: dict[str, deque[tuple[float, float, float]]] = {}
        self.listening = False
        """Batches pile up only once someone drains them (the first client connected)."""

    def add(self, kind: str, data: dict) -> None:
        with self._lock:
            if kind == "reading":
                if self.listening:
                    self._pending.readings.append(data)
                points = self._series.setdefault(data["id"], deque(maxlen=MAX_POINTS))
                seen = self.clock()
                if not points or seen - points[-1][0] >= SNAPSHOT_STEP_S:
                    points.append((seen, data["ts"], data["power_w"]))
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
            return {
                device_id: {
                    "t": [ts for seen, ts, _ in points if seen >= cutoff],
                    "power_w": [p for seen, _, p in points if seen >= cutoff],
                }
                for device_id, points in self._series.items()
            }
