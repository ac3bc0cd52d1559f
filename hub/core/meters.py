"""Energy from the devices' own counters, so that readings lost in transit lose no energy.

Each device's `energy_wh` is a cumulative meter (Home Assistant's
`total_increasing`): the hub accounts for the difference between successive
readings. A decrease means the meter restarted from zero, so the new value
itself is the energy since. A device that never reports a counter (a simple
third-party device that always sends `energy_wh: 0`) is metered by
integrating its power instead, until its counter first moves.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PLAUSIBLE_W = 1_000_000.0
"""An implied average power above this is a broken or malicious counter, not a load."""


@dataclass(frozen=True)
class Delta:
    """`energy_wh` used (or generated) uniformly over simulation time [start, end)."""

    start: float
    end: float
    energy_wh: float


@dataclass
class CounterPosition:
    t: float
    energy_wh: float
    power_w: float
    counts: bool
    """Whether the device's counter has ever moved: until then, its power is integrated."""


class ImplausibleReading(ValueError):
    pass


class CounterTracker:
    """Turns each device's successive readings into energy deltas."""

    def __init__(self) -> None:
        self.positions: dict[str, CounterPosition] = {}

    def resume(self, device_id: str, t: float, energy_wh: float) -> None:
        """Continue from a counter accounted for before a hub restart."""
        self.positions[device_id] = CounterPosition(t, energy_wh, 0.0, energy_wh > 0)

    def forget(self, device_id: str) -> None:
        self.positions.pop(device_id, None)

    def reading(self, device_id: str, t: float, energy_wh: float, power_w: float) -> Delta | None:
        """Account for one reading at simulation time `t`; the energy since the previous one.

        The first reading of a device only sets the baseline: the hub cannot
        know when its counter began.
        """
        previous = self.positions.get(device_id)
        if previous is None:
            self.positions[device_id] = CounterPosition(t, energy_wh, power_w, energy_wh > 0)
            return None
        start, end = previous.t, max(t, previous.t)
        counts = previous.counts or energy_wh > 0
        if counts:
            used = energy_wh - previous.energy_wh if energy_wh >= previous.energy_wh else energy_wh
        else:
            used = previous.power_w * (end - start) / 3600.0
        # moved in place: one allocation a reading less (no one else keeps a position)
        previous.t, previous.energy_wh = end, energy_wh
        previous.power_w, previous.counts = power_w, counts
        if used > 0 and used * 3600.0 > MAX_PLAUSIBLE_W * max(end - start, 1.0):
            # the new value becomes the baseline: a swapped meter, not energy used
            raise ImplausibleReading(f"counter jumped by {used:.0f} Wh in {end - start:.0f} s")
        return Delta(start, end, used) if used > 0 else None
