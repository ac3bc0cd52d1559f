"""What the hub knows about each device: discovered from MQTT, never configured.

A device appears with the first valid meta, availability or state message
(all three are retained, so a restarted hub rediscovers the whole home at
once), goes `stale` after three reporting intervals without a word, and
`offline` when its availability says so (its last will, or a clean stop).
A retained meta cleared with an empty payload forgets the device.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from protocol import OFFLINE, ONLINE, Meta, State

STALE_AFTER_INTERVALS = 3
DEFAULT_INTERVAL_S = 2.0
REJECTION_LOG_PERIOD_S = 60.0

Status = str  # "online" | "offline" | "stale" | "unknown"


@dataclass
class DeviceRecord:
    device_id: str
    meta: Meta | None = None
    availability: str | None = None
    state: State | None = None
    last_heard_real: float | None = None
    """Wall-clock time of its last valid message: staleness is about the network, not the sim."""
    status: Status = "unknown"

    @property
    def interval_s(self) -> float:
        return self.meta.interval_s if self.meta else DEFAULT_INTERVAL_S

    @property
    def role(self) -> str:
        return self.meta.role if self.meta else "consumer"

    @property
    def name(self) -> str:
        return self.meta.name if self.meta else self.device_id

    @property
    def live_power_w(self) -> float:
        """What the device draws (or generates) now, as far as the hub can tell."""
        if self.status != "online" or self.state is None:
            return 0.0
        return self.state.power_w

    @property
    def live_discharge_w(self) -> float:
        """What a storage device delivers now (0 for every other device)."""
        if self.status != "online" or self.state is None:
            return 0.0
        return self.state.discharge_w or 0.0


@dataclass
class Rejections:
    """Invalid messages, counted per device and reason, logged at most once a minute each."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    _last_logged: dict[str, float] = field(default_factory=dict)

    def add(self, source: str, reason: str, real_now: float) -> bool:
        """Count one rejection; True when it should be logged now."""
        self.counts[(source, reason)] += 1
        if real_now - self._last_logged.get(source, -REJECTION_LOG_PERIOD_S) >= (
            REJECTION_LOG_PERIOD_S
        ):
            self._last_logged[source] = real_now
            return True
        return False

    def by_source(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for (source, reason), count in self.counts.items():
            result.setdefault(source, {})[reason] = count
        return result


class Registry:
    def __init__(self) -> None:
        self.devices: dict[str, DeviceRecord] = {}

    def get(self, device_id: str) -> DeviceRecord | None:
        return self.devices.get(device_id)

    def ensure(self, device_id: str) -> tuple[DeviceRecord, bool]:
        """The device's record, and whether it was just discovered."""
        record = self.devices.get(device_id)
        if record is not None:
            return record, False
        record = self.devices[device_id] = DeviceRecord(device_id)
        return record, True

    def forget(self, device_id: str) -> bool:
        return self.devices.pop(device_id, None) is not None

    def refresh_status(self, record: DeviceRecord, real_now: float) -> bool:
        """Recompute the record's status; True when it changed."""
        if record.availability == OFFLINE:
            status = "offline"
        elif record.last_heard_real is not None and (
            real_now - record.last_heard_real > STALE_AFTER_INTERVALS * record.interval_s
        ):
            status = "stale"
        elif record.availability == ONLINE or record.state is not None:
            status = "online"
        else:
            status = "unknown"
        changed = status != record.status
        record.status = status
        return changed

    def counts(self) -> tuple[int, int]:
        """(online, total)."""
        online = sum(1 for r in self.devices.values() if r.status == "online")
        return online, len(self.devices)
