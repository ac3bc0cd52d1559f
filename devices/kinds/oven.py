"""Electric oven: full power until the cavity is hot, then the thermostat cycles the element.

Calibration (appliances.md): ~2000-2400 W element, 3 W standby (the clock),
thermostat cycling once hot, ~30 min use, ~1 kWh per use. A use heats at full
power until the cavity reaches the setpoint (`preheat`, about 10 min from cold),
then the thermostat holds it within +/- 10 C, switching the element on for
~45 % of the time in cycles of a few minutes (`baking`), for the rest of a
30-60 min use. That makes 0.7-1.2 kWh a use, ~0.95 kWh on average.

The cavity is one first-order thermal mass: C dT/dt = P - k (T - 20 C), with
k and C chosen so that 2200 W reach 190 C in ~10 min and hold it at ~45 % duty.
It keeps cooling after a use, so an oven switched on again soon preheats faster.

The household cooks dinner in it on most days (0.6 uses a day when at home over
the year, as CREST; 1.3 times as many in mid-January as in mid-July: more hot
meals in winter), mostly starting 17:00-19:00, and a weekend lunch on some weekends
(the "dinner" profile of `devices.activities`), for 30-75 min. ON starts a use of
`cook_min` minutes that ends by itself; OFF stops it at once.
"""

import math

from devices.activities import Activity
from devices.appliance import Appliance
from devices.occupant import Use
from devices.params import Param

AMBIENT_C = 20.0
LOSS_W_PER_K = 5.8
"""Heat lost through the door and walls per kelvin above the kitchen."""
CAPACITY_J_PER_K = 5800.0
"""Effective heat capacity of the cavity, racks and inner walls (time constant ~17 min)."""
SWING_C = 10.0
"""Thermostat hysteresis either side of the setpoint."""
SETPOINT_SPREAD_C = 20.0
"""Dishes vary: each use's setpoint is drawn within this of `setpoint_c`."""


class Oven(Appliance):
    kind = "oven"
    summary = "electric oven, 2.2 kW element cycling on a thermostat, ~1 kWh a use"
    default_priority = 3
    params = {
        "rated_w": Param(2200.0, "heating element power, W", 1000, 4000),
        "standby_w": Param(3.0, "clock display power, W", 0, 10),
        "setpoint_c": Param(190.0, "mean cooking temperature, C", 100, 250),
        "cook_min": Param(45.0, "length of a use started by a person, min", 5, 300),
    }
    usage = (Activity("dinner", per_day=0.6, minutes=(30, 75), winter=1.3),)

    def setup(self, t: float) -> None:
        self.temp_c = AMBIENT_C
        self._temp_t = t
        """When the cavity was at `temp_c`: off, it is only worked out when it is needed."""
        self.target_c = float(self.p["setpoint_c"])
        self.element = False
        self.remaining_s = 0.0

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def standby_w(self) -> float:
        return float(self.p["standby_w"])

    def power(self) -> float:
        return self.rated_w if self.element else self.standby_w

    def update(self, t: float, dt: float) -> None:
        self._warm_to(t + dt)
        if not self.on:
            return
        self.remaining_s -= dt
        if self.remaining_s <= 0:
            self._stop()
            return
        if self.phase == "preheat" and self.temp_c >= self.target_c:
            self.phase = "baking"
        if self.phase == "baking":
            if self.temp_c >= self.target_c + SWING_C:
                self.element = False
            elif self.temp_c <= self.target_c - SWING_C:
                self.element = True

    def start_use(self, use: Use, t: float) -> None:
        if not self.on:
            self._warm_to(t)
            self._start(use.duration_s)

    def apply_switch(self, on: bool, t: float) -> None:
        self._warm_to(t)
        if on and not self.on:
            self._start(60 * float(self.p["cook_min"]))
        elif not on:
            self._stop()

    def next_change(self, t: float) -> float:
        # off, the cavity only cools (and only what it has when next used matters)
        return super().next_change(t) if self.on else math.inf

    def _warm_to(self, t: float) -> None:
        """The cavity's temperature at `t`: the exact first-order step towards the
        equilibrium of the heat going in since `_temp_t` (the element did not switch)."""
        equilibrium = AMBIENT_C + (self.rated_w if self.element else 0.0) / LOSS_W_PER_K
        decay = math.exp(-(t - self._temp_t) * LOSS_W_PER_K / CAPACITY_J_PER_K)
        self.temp_c = equilibrium + (self.temp_c - equilibrium) * decay
        self._temp_t = t

    def _start(self, duration_s: float) -> None:
        spread = self.rng.uniform(-SETPOINT_SPREAD_C, SETPOINT_SPREAD_C)
        self.target_c = float(self.p["setpoint_c"]) + spread
        self.on, self.remaining_s = True, duration_s
        self.element = self.temp_c < self.target_c + SWING_C
        self.phase = "preheat" if self.temp_c < self.target_c else "baking"

    def _stop(self) -> None:
        self.on, self.element, self.phase, self.remaining_s = False, False, "off", 0.0
