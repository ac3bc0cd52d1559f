"""Electric water heater: an immersion element on a tank thermostat, reheating after draws.

Calibration (appliances.md): 3000 W UK immersion (US tanks 4500-5500 W), 0 W
standby, thermostat with ~5 C hysteresis, ~90 min from cold for 80 L at 2.4 kW.

The tank is one well-mixed volume of `tank_l` litres (4186 J per litre and
kelvin). The thermostat switches the element on when the water falls to
`setpoint_c` - `hysteresis_c` and off when it reaches `setpoint_c`. The tank
loses heat to a 20 C room in proportion to the temperature difference,
`loss_kwh_per_day` at the setpoint (1.5-2 kWh a day for a 150 L cylinder with
factory foam insulation). Heating 80 L by 39 K (15 to 54 C) at 2.4 kW takes
80 x 4186 x 39 / 2400 s = 91 min, the published "~90 min from cold"; from 10
to 60 C it takes 116 min.

The household draws hot water while someone is at home and awake: showers of 6-10 min
(two a day, most in the morning, some in the evening: the "washing" profile), a basin
wash, and washing up of 2-6 min, mostly after dinner ("washing_up").
While a tap runs, `DRAW_L_PER_MIN` of tank water leaves and as much cold mains
water (10 C) mixes in; the use's length sets the litres (a 6-10 min shower
takes 30-50 L of hot water). That makes ~110 L a day, near the Energy Saving
Trust's 122 L average for a UK household, and ~6-9 kWh a day.

Promises: power is `rated_w` while heating, else 0. OFF switches the element
off at once (phase `off`); hot water can still be drawn and the tank cools.
ON re-arms the thermostat, which heats if the tank has fallen below its
cut-in temperature.

Boost (protocol 1.1, `{"boost": true}`): heat now, up to `boost_c` (70 C by
default, under the 80 C that a cylinder's safety cut-out allows), storing cheap or
solar energy as hot water; the thermostat then goes back to its band and the
tank cools into it. `{"boost": false}` ends a boost at once. A switched-off
heater refuses it.
"""

from devices.activities import Activity
from devices.appliance import Appliance
from devices.occupant import Use
from devices.params import ModelError, Param

J_PER_L_K = 4186.0
COLD_C = 10.0
ROOM_C = 20.0
DRAW_L_PER_MIN = 5.0


class WaterHeater(Appliance):
    kind = "water_heater"
    summary = "hot water tank with a 3 kW immersion heater on a thermostat, ~110 L a day"
    default_priority = 4  # a hot tank stays hot for hours: shed it before most loads
    starts_on = True
    params = {
        "rated_w": Param(3000.0, "immersion element power, W", 500, 6000),
        "tank_l": Param(150.0, "tank volume, litres", 30, 500),
        "setpoint_c": Param(60.0, "thermostat setting, C", 35, 80),
        "hysteresis_c": Param(5.0, "how far the tank cools before the element comes on, C", 1, 15),
        "loss_kwh_per_day": Param(
            1.7, "standing heat loss with the tank at the setpoint, kWh a day", 0.2, 5
        ),
        "boost_c": Param(70.0, "temperature a boost heats the tank to, C", 40, 80),
    }
    extra_commands = frozenset({"boost"})
    usage = (
        Activity("washing", per_day=2.0, minutes=(6, 10)),  # showers
        Activity("washing", per_day=0.6, minutes=(1, 2)),  # a basin
        Activity("washing_up", per_day=1.2, minutes=(2, 6)),
    )

    def setup(self, t: float) -> None:
        # somewhere in the thermostat's dead band, element off
        self.tank_c = self.setpoint_c - self.hysteresis_c * self.rng.random()
        self.heating = False
        self.taps: list[float] = []
        """When each running tap closes (sim seconds)."""
        self.phase = "idle" if self.on else "off"
        self.boosting = False

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def setpoint_c(self) -> float:
        return float(self.p["setpoint_c"])

    @property
    def hysteresis_c(self) -> float:
        return float(self.p["hysteresis_c"])

    def power(self) -> float:
        return self.rated_w if self.heating else 0.0

    def update(self, t: float, dt: float) -> None:
        volume = float(self.p["tank_l"])
        capacity = volume * J_PER_L_K
        loss_w_per_k = (
            float(self.p["loss_kwh_per_day"]) * 3.6e6 / 86400 / (self.setpoint_c - ROOM_C)
        )
        heat_j = self.power() * dt - loss_w_per_k * (self.tank_c - ROOM_C) * dt
        self.tank_c += heat_j / capacity
        end = t + dt
        tap_s = sum(min(end, close) - t for close in self.taps)
        self.taps = [close for close in self.taps if close > end]
        drawn = min(volume, DRAW_L_PER_MIN * tap_s / 60)
        self.tank_c += (COLD_C - self.tank_c) * drawn / volume
        if self.on:
            self._thermostat()

    def _thermostat(self) -> None:
        if self.boosting and self.tank_c >= float(self.p["boost_c"]):
            self.boosting = False
        if self.boosting or self.tank_c <= self.setpoint_c - self.hysteresis_c:
            self.heating = True
        elif self.tank_c >= self.setpoint_c:
            self.heating = False
        self.phase = "boost" if self.boosting else "heating" if self.heating else "idle"

    def check_boost(self, on: bool) -> None:
        if on and not self.on:
            raise ModelError("the water heater is switched off: switch it on to boost")

    def apply_boost(self, on: bool, t: float) -> None:
        self.boosting = on
        if self.on:
            self._thermostat()

    def start_use(self, use: Use, t: float) -> None:
        """Someone opens a hot tap: water is drawn for the use's length whether or not it heats."""
        self.taps.append(t + use.duration_s)

    def apply_switch(self, on: bool, t: float) -> None:
        self.on = on
        if on:
            self._thermostat()
        else:
            self.heating, self.boosting, self.phase = False, False, "off"
