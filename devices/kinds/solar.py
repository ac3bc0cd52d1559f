"""Rooftop solar PV: a clear-sky bell from sunrise to sunset, cut by passing clouds.

Calibration (appliances.md): clear-sky irradiance GHI = 1098 cos z exp(-0.059 / cos z)
W/m2 (Haurwitz), a bell from sunrise to sunset that clouds cut; UK ~850 kWh per
kWp per year.

Output = `kwp` x `PERFORMANCE_RATIO` x irradiance / (1000 W/m2), where the
irradiance is the Haurwitz clear-sky value at the sun's position for `lat`,
`lon` and the time (devices/sun.py) cut by the weather's clouds
(devices/weather.py, Kasten-Czeplak). A performance ratio of 0.8 covers the
inverter, wiring, heat and dirt (typical of UK systems). The weather's UK
cloud climate gives ~1100 kWh/m2 a year in London, so 4 kWp make ~3,500 kWh,
~890 kWh per kWp, near the published ~850. Clouds follow the UK climate
whatever `lat` says.

The curve is slow, so the model ticks once a minute. `power_w` is what the
array generates (role `producer`). ON is the inverter switched on; OFF stops
generation at once (phase `off`). Phases: `generating`, `night`, `off`.
"""

from devices.appliance import Appliance
from devices.params import Param
from devices.weather import irradiance_w_m2

PERFORMANCE_RATIO = 0.8
STC_W_M2 = 1000.0
"""Irradiance at which a panel makes its rated (peak) power."""


class Solar(Appliance):
    kind = "solar"
    summary = "rooftop solar PV, 4 kWp: clear-sky bell cut by clouds, ~850 kWh per kWp a year"
    role = "producer"
    default_priority = 1
    starts_on = True
    tick_s = 60.0
    params = {
        "kwp": Param(4.0, "array peak power, kWp", 0.1, 50),
        "lat": Param(51.5, "latitude, degrees north", -90, 90),
        "lon": Param(-0.13, "longitude, degrees east", -180, 180),
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

    def _refresh(self, t: float) -> None:
        """What the array makes over the tick starting at `t` (sunlight sampled at its start)."""
        sun = irradiance_w_m2(t, self.weather_seed, float(self.p["lat"]), float(self.p["lon"]))
        self.output_w = self.rated_w * PERFORMANCE_RATIO * sun / STC_W_M2
        if not self.on:
            self.phase = "off"
        else:
            self.phase = "generating" if sun > 0 else "night"

    def apply_switch(self, on: bool, t: float) -> None:
        self.on = on
        self._refresh(t)
