"""Air-source heat pump heating a house: inverter modulation, on/off cycling, defrosts.

Calibration (appliances.md): 800-2400 W electrical in inverter steps, 3 W
standby, modulating with outdoor temperature, defrost ~5 min every 45 min in
the cold, COP 3-4 at 10 C.

The house is one thermal mass (`time_constant_h` x `heat_loss_w_per_k`) losing
heat to the outdoors (devices/weather.py) and gaining `GAINS_W` from people
and appliances plus the sun through the windows (clear-sky irradiance cut by
the weather's clouds). The controller heats towards `setpoint_c`, or `setback_c`
overnight (22:30-06:30), with a feed-forward of the steady heat loss plus a
proportional term on the indoor error. The thermal output is the electrical
input times COP = 3.5 + 0.08 (T_out - 10), clipped to 1.8..5 (3.5 at 10 C,
2.3 at -5 C, as manufacturers' data sheets for A7/W35 to A-7/W35). Electrical
input moves in steps of 1/12 of `rated_w` between a third of it (the
inverter's lowest speed, 800 W at 2400 W) and `rated_w` or `capacity_w` / COP,
whichever is lower. When the house needs less than the lowest speed gives,
the unit cycles on/off on the indoor temperature with +/- 0.3 C hysteresis,
so runs last tens of minutes, not seconds.

Below 5 C outdoors frost builds on the outdoor coil: after every 45 min of
running the unit reverses for 5 min (`defrost`, at `rated_w`, no heat
delivered). Like real controllers (summer mode) it heats only while the
damped (48 h average) outdoor temperature is below `heating_limit_c`, 16 C,
about the UK degree-day base of 15.5 C, so a cool summer night does not start
it: in summer it idles at standby.

Promises: `power()` is 3 W standby when off, idle or between cycles, and
800-2400 W (at the defaults) while heating or defrosting. OFF stops heating at
once; the house keeps cooling and the unit resumes when switched ON.

Boost (protocol 1.1, `{"boost": true}`): heat now, at full output, until the house
is at the day setpoint plus `boost_k` (1.5 K: the top of a comfortable band), even in
the overnight setback,
storing heat in the house's fabric while power is cheap or the sun shines; the
boost ends by itself when the house gets there, and the controller goes back to
its schedule while the house cools back. `{"boost": false}` ends it at once.
Refused while the unit is off or in summer mode (no heating wanted).
"""

import math
from datetime import datetime

from devices.appliance import Appliance
from devices.params import ModelError, Param
from devices.weather import irradiance_w_m2, temperature_c

STANDBY_W = 3.0
GAINS_W = 300.0
"""Heat from people, cooking and appliances that the heating need not supply."""
WINDOW_M2 = 3.0
"""Effective solar aperture of the windows: ~15 m2 of glazing x g-value 0.6 x orientation/shade."""
SITE = (51.5, -0.13)
"""Where the sun shines from: the weather is UK-like, so is the sun."""
MIN_SPEED = 1 / 3
STEPS = 12
HYSTERESIS_C = 0.3
GAIN_PER_K = 8.0
"""Proportional gain: extra heat per degree below target, in units of the heat loss per K."""
DEFROST_BELOW_C = 5.0
DEFROST_EVERY_S = 45 * 60
DEFROST_S = 5 * 60
SETBACK_HOURS = (22.5, 6.5)
OUTDOOR_SAMPLE_S = 60
"""The outdoor sensor is read once a minute: weather changes slowly."""
DAMPING_S = 2 * 86400.0


def cop(outdoor_c: float) -> float:
    """Coefficient of performance of the heat pump at an outdoor temperature."""
    return min(5.0, max(1.8, 3.5 + 0.08 * (outdoor_c - 10.0)))


class HeatPump(Appliance):
    kind = "heat_pump"
    summary = "air-source heat pump, 800-2400 W modulating, COP ~3.5 at 10 C, 3 W standby"
    default_priority = 2
    starts_on = True
    params = {
        "rated_w": Param(2400.0, "largest electrical input, W", 500, 10000),
        "capacity_w": Param(6000.0, "largest heat output, W thermal", 1000, 30000),
        "setpoint_c": Param(20.0, "indoor temperature by day, C", 10, 28),
        "setback_c": Param(16.0, "indoor temperature overnight (22:30-06:30), C", 5, 28),
        "heat_loss_w_per_k": Param(
            200.0, "house heat loss per degree indoor-outdoor, W/K", 30, 1000
        ),
        "time_constant_h": Param(8.0, "how fast the house cools when unheated, hours", 1, 100),
        "heating_limit_c": Param(
            16.0, "no heating above this 48 h mean outdoor temperature, C", 5, 25
        ),
        "boost_k": Param(1.5, "how far above the day setpoint a boost heats the house, K", 0.5, 4),
    }
    extra_commands = frozenset({"boost"})

    def setup(self, t: float) -> None:
        self._weather_at, self._weather_now = math.nan, (math.nan, math.nan)
        self.outdoor_c = self._outdoor(t)
        # the damped outdoor temperature starts as the mean of the previous two days
        self.damped_c = sum(self._outdoor(t - 3600 * h) for h in range(48)) / 48
        self.indoor_c = self._target(t)
        self.running = False
        self.frost_s = 0.0
        self.defrost_left_s = 0.0
        self.electric_w = 0.0
        self.heat_w = 0.0
        self.boosting = False
        self._control(t, 0.0)

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def standby_w(self) -> float:
        return STANDBY_W

    def power(self) -> float:
        return self.electric_w if self.electric_w > 0 else STANDBY_W

    def update(self, t: float, dt: float) -> None:
        ua = float(self.p["heat_loss_w_per_k"])
        mass = ua * float(self.p["time_constant_h"]) * 3600
        gains = GAINS_W + self._weather(t)[1]
        self.indoor_c += dt * (self.heat_w + gains - ua * (self.indoor_c - self.outdoor_c)) / mass
        self.damped_c += (self.outdoor_c - self.damped_c) * dt / DAMPING_S
        now = t + dt
        self.outdoor_c = self._outdoor(now)
        if self.outdoor_c >= DEFROST_BELOW_C:
            self.frost_s = 0.0
        if self.on:
            self._control(now, dt)

    def _control(self, t: float, dt: float) -> None:
        """Choose the phase and the electrical input for the tick that starts at `t`."""
        if self.defrost_left_s > 0:
            self.defrost_left_s -= dt
            if self.defrost_left_s > 0:
                return
        target = self._target(t)
        if self.boosting:
            boost_to = float(self.p["setpoint_c"]) + float(self.p["boost_k"])
            self.boosting = self.indoor_c < boost_to and not self._summer()
            target = boost_to if self.boosting else target
        ua = float(self.p["heat_loss_w_per_k"])
        steady_w = ua * (target - self.outdoor_c) - GAINS_W
        need_w = steady_w + GAIN_PER_K * ua * (target - self.indoor_c)
        efficiency = cop(self.outdoor_c)
        lowest = self.rated_w * MIN_SPEED
        highest = max(lowest, min(self.rated_w, float(self.p["capacity_w"]) / efficiency))
        wanted = need_w / efficiency
        if self._summer() or self.indoor_c > target + HYSTERESIS_C:
            self.running = False
        elif self.indoor_c < target - HYSTERESIS_C or wanted >= lowest or self.boosting:
            self.running = True
        if not self.running:
            self._set("idle", 0.0, 0.0)
            return
        if self.outdoor_c < DEFROST_BELOW_C:
            self.frost_s += dt
            if self.frost_s >= DEFROST_EVERY_S:
                self.frost_s = 0.0
                self.defrost_left_s = DEFROST_S
                self._set("defrost", self.rated_w, 0.0)
                return
        if self.boosting:  # flat out until the house holds the heat
            self._set("boost", highest, highest * efficiency)
            return
        step = self.rated_w / STEPS
        electric = min(highest, max(lowest, round(wanted / step) * step))
        self._set("heating", electric, electric * efficiency)

    def _summer(self) -> bool:
        return self.damped_c >= float(self.p["heating_limit_c"])

    def check_boost(self, on: bool) -> None:
        if on and not self.on:
            raise ModelError("the heat pump is switched off: switch it on to boost")
        if on and self._summer():
            raise ModelError("the heat pump is in summer mode: no heating to boost")

    def apply_boost(self, on: bool, t: float) -> None:
        self.boosting = on
        self._control(t, 0.0)

    def _set(self, phase: str, electric_w: float, heat_w: float) -> None:
        self.phase, self.electric_w, self.heat_w = phase, electric_w, heat_w

    def _outdoor(self, t: float) -> float:
        return self._weather(t)[0]

    def _weather(self, t: float) -> tuple[float, float]:
        """Outdoor temperature and solar gain through the windows, read once a minute."""
        minute = math.floor(t / OUTDOOR_SAMPLE_S) * OUTDOOR_SAMPLE_S
        if minute != self._weather_at:
            sun = irradiance_w_m2(minute, self.weather_seed, *SITE)
            self._weather_at = minute
            self._weather_now = (temperature_c(minute, self.weather_seed, self.tz), WINDOW_M2 * sun)
        return self._weather_now

    def _target(self, t: float) -> float:
        local = datetime.fromtimestamp(t, self.tz)
        hour = local.hour + local.minute / 60
        night = hour >= SETBACK_HOURS[0] or hour < SETBACK_HOURS[1]
        return float(self.p["setback_c"] if night else self.p["setpoint_c"])

    def apply_switch(self, on: bool, t: float) -> None:
        if not on:
            self.running, self.defrost_left_s, self.boosting = False, 0.0, False
            self._set("off", 0.0, 0.0)
        elif not self.on:
            self._control(t, 0.0)
        self.on = on
