"""Electric hob (ceramic or induction): one to three zones, brought to the boil, then cycled.

Calibration (appliances.md): 1.2-2.5 kW per ring, cycling, 10-40 min around
meals, ~0.5-1 kWh a day. A 60 cm four-zone hob has zones of 1.2, 1.8, 1.8 and
2.3 kW (`zone_w` scales them; ~7.1 kW in all). A cooking session uses one zone
for a short meal, one to three for a longer one, each switched on a little after
the session starts and off before it ends. A zone runs flat out for 2-6 min to
bring its pan to the boil, then its energy regulator (or the induction
generator) cycles it on and off over a minute at a 30-60 % setting to simmer, so
the hob draws 1-4 kW in pulses. That makes ~0.6-0.8 kWh for a 25-35 min dinner.

Household: ~0.9 sessions a day at home of 10-40 min, started by someone awake at
meal times, mostly dinner (the "dinner" profile): ~0.6 kWh a day, in the
lower half of the published range because the home's oven cooks many dinners;
1.2 times as many sessions in mid-January as in mid-July (more hot meals). A
person's ON starts a session of `cook_min` minutes with two zones that ends by
itself; OFF switches every zone off at once.
"""

import math
from dataclasses import dataclass

from devices.activities import Activity
from devices.appliance import Appliance
from devices.occupant import Use
from devices.params import Param

ZONES_W = (1200.0, 1800.0, 1800.0, 2300.0)
"""The four zones at the default `zone_w` of 1.8 kW; another `zone_w` scales them all."""
REGULATOR_S = 60.0
"""Period of the energy regulator's on/off cycle while a zone simmers."""


@dataclass(frozen=True)
class Zone:
    """One zone in use: full power from `start` to `boiled`, then `duty` of each cycle."""

    watts: float
    start: float
    boiled: float
    end: float
    duty: float
    offset: float

    def power(self, t: float) -> float:
        if not self.start <= t < self.end:
            return 0.0
        simmering = (t - self.boiled + self.offset) % REGULATOR_S
        return self.watts if t < self.boiled or simmering < self.duty * REGULATOR_S else 0.0


class Hob(Appliance):
    kind = "hob"
    summary = "electric hob, 1-3 zones of 1.2-2.3 kW cycling, 10-40 min meals, ~0.6 kWh a day"
    default_priority = 3
    params = {
        "zone_w": Param(1800.0, "power of a mid-sized zone at full setting, W", 800, 3700),
        "cook_min": Param(25.0, "length of a session started by a person, min", 1, 240),
    }
    usage = (Activity("dinner", per_day=0.9, minutes=(10, 40), winter=1.2),)

    def setup(self, t: float) -> None:
        self.zones: tuple[Zone, ...] = ()
        self.session_end = t
        self.watts = 0.0

    @property
    def rated_w(self) -> float:
        return self.scale * sum(ZONES_W)

    @property
    def scale(self) -> float:
        return float(self.p["zone_w"]) / ZONES_W[1]

    def power(self) -> float:
        return self.watts

    def update(self, t: float, dt: float) -> None:
        if self.on:
            self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        # cooking, the zones pulse within the minute: every tick; off only a use starts it
        return super().next_change(t) if self.on else math.inf

    def start_use(self, use: Use, t: float) -> None:
        if not self.on:
            zones = 1 if use.duration_s < 15 * 60 else self.rng.choice((1, 2, 2, 3))
            self._start(t, use.duration_s, zones)

    def apply_switch(self, on: bool, t: float) -> None:
        if on and not self.on:
            self._start(t, 60 * float(self.p["cook_min"]), 2)
        elif not on:
            self.on, self.phase, self.zones, self.watts = False, "off", (), 0.0

    def _start(self, t: float, duration_s: float, count: int) -> None:
        sizes = self.rng.sample(ZONES_W, count)
        zones = []
        for n, size in enumerate(sizes):
            # the first pan goes on at once, the others a little later; all come off by the end
            start = t if n == 0 else t + self.rng.uniform(0, 0.3) * duration_s
            end = start + (t + duration_s - start) * (1.0 if n == 0 else self.rng.uniform(0.5, 1))
            boiled = min(end, start + 60 * self.rng.uniform(2, 6))
            duty = self.rng.uniform(0.3, 0.6)
            offset = self.rng.uniform(0, REGULATOR_S)
            zones.append(Zone(size * self.scale, start, boiled, end, duty, offset))
        self.zones, self.session_end = tuple(zones), t + duration_s
        self.on, self.phase = True, "cooking"
        self._refresh(t)

    def _refresh(self, t: float) -> None:
        if t >= self.session_end:
            self.on, self.phase, self.zones, self.watts = False, "off", (), 0.0
            return
        self.watts = sum(zone.power(t) for zone in self.zones)
