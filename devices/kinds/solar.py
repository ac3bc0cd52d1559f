"""Rooftop solar PV on a tilted roof: the clear-sky light cut by clouds, seen by the panels.

Calibration (appliances.md, PVGIS for London): 4 kWp at 35 degrees facing south
make ~850-1,000 kWh per kWp a year (London ~950), ~0.9 kWh/kWp on an average
January day and ~4.5 in June-July; a clear January day puts ~2.3 times the
horizontal irradiance on such a roof; overcast days give 10-30 % of clear sky.
The model (seeds 1-4, 2026): ~950 kWh/kWp a year (~3,800 kWh from 4 kWp), ~1.0
kWh/kWp on a January day (0.8-1.2 from one seed's January to another's), ~4.1 in
May-July, ~0.7 in December.

Output = `kwp` x `PERFORMANCE_RATIO` x plane-of-array irradiance / (1000 W/m2).
The chain, all pure functions of time and the home's weather seed:

1. the sun's elevation and azimuth for `lat`, `lon` (devices/sun.py);
2. the Ineichen clear-sky horizontal irradiance, cut by the weather's clouds
   down to ~10 % under a full overcast (devices/weather.py): ~1050 kWh/m2 a
   year in London on the horizontal;
3. Erbs's split into beam and diffuse, then the Hay-Davies sky and ground
   reflection on a plane tilted `tilt` degrees facing `azimuth` (180 south,
   90 east, 270 west) (devices/plane_of_array.py): ~1.15 times the horizontal
   over a year at 35 degrees south, ~1.6 in January, ~1.9 on a clear January day.

A performance ratio of 0.8 covers the inverter, wiring, heat and dirt (typical
of UK systems; PVGIS assumes 14 % losses). Clouds and the turbidity follow
London's climate whatever `lat` says.

The curve is slow, so the model ticks once a minute. `power_w` is what the
array generates (role `producer`). ON is the inverter switched on; OFF stops
generation at once (phase `off`). Phases: `generating`, `night`, `off`.
"""

import math

from devices.appliance import Appliance
from devices.params import Param
from devices.plane_of_array import erbs, poa_global
from devices.weather import sunlight

PERFORMANCE_RATIO = 0.8
STC_W_M2 = 1000.0
EARTH_TURN_RAD_S = 2 * math.pi / 86164.1
"""The Earth's turn in radians per second (a sidereal day): the fastest the sine of the
sun's elevation can change."""
"""Irradiance at which a panel makes its rated (peak) power."""


class Solar(Appliance):
    kind = "solar"
    summary = "rooftop solar PV, 4 kWp at 35 deg south: clouds cut the sun, ~950 kWh per kWp a year"
    role = "producer"
    default_priority = 1
    starts_on = True
    tick_s = 60.0
    params = {
        "kwp": Param(4.0, "array peak power, kWp", 0.1, 50),
        "lat": Param(51.5, "latitude, degrees north", -90, 90),
        "lon": Param(-0.13, "longitude, degrees east", -180, 180),
        "tilt": Param(35.0, "panel tilt from the horizontal, degrees (0 flat, 90 a wall)", 0, 90),
        "azimuth": Param(180.0, "direction the panels face, degrees (90 E, 180 S, 270 W)", 0, 360),
    }

    def setup(self, t: float) -> None:
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return float(self.p["kwp"]) * 1000

    def power(self) -> float:
        return self.output_w if self.on else 0.0

    def update(self, t: float, dt: float) -> None:
        self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        """By day every minute; by night not before the sun could be up (the sine of its
        elevation rises no faster than the Earth turns); off, nothing changes."""
        if not self.on:
            return math.inf
        if self.output_w > 0 or self._sin_elevation >= 0:
            return super().next_change(t)
        return self.tick_reaching(self._sampled_at - self._sin_elevation / EARTH_TURN_RAD_S)

    def _refresh(self, t: float) -> None:
        """What the array makes over the tick starting at `t` (sunlight sampled at its start)."""
        lat, lon = float(self.p["lat"]), float(self.p["lon"])
        light = sunlight(t, self.weather_seed, lat, lon)
        self._sampled_at, self._sin_elevation = t, math.sin(math.radians(light.sun.elevation))
        dni, dhi = erbs(light.ghi, light.sun)
        tilt, azimuth = float(self.p["tilt"]), float(self.p["azimuth"])
        poa = poa_global(light.ghi, dni, dhi, light.sun, tilt, azimuth)
        self.output_w = self.rated_w * PERFORMANCE_RATIO * poa / STC_W_M2
        if not self.on:
            self.phase = "off"
        else:
            self.phase = "generating" if poa > 0 else "night"

    def apply_switch(self, on: bool, t: float) -> None:
        self.on = on
        self._refresh(t)
