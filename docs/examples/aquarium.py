"""Tropical aquarium: a 10 W filter pump all day, a heater holding the water at 25 C.

The water loses heat to the room in proportion to the difference in
temperature; the heater's thermostat switches at 24.5 C and 25.5 C.
"""

from devices.appliance import Appliance
from devices.params import Param

ROOM_C = 20.0


class Aquarium(Appliance):
    kind = "aquarium"
    summary = "aquarium, 10 W pump plus a 100 W thermostat heater"
    starts_on = True  # plugged in and running when the process starts
    tick_s = 10.0  # water temperature changes slowly: a coarse grid is plenty
    params = {
        "heater_w": Param(100.0, "heater power, W", 10, 500),
        "litres": Param(120.0, "water volume, L", 10, 1000),
    }

    def setup(self, t: float) -> None:
        self.water_c = 25.0 + self.rng.uniform(-0.5, 0.5)
        self.heating = False

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"]) + 10.0

    def power(self) -> float:
        if not self.on:
            return 0.0
        return 10.0 + (float(self.p["heater_w"]) if self.heating else 0.0)

    def update(self, t: float, dt: float) -> None:
        if not self.on:
            return
        litres = float(self.p["litres"])
        heat_j = (float(self.p["heater_w"]) if self.heating else 0.0) * dt
        loss_j = 0.07 * litres * (self.water_c - ROOM_C) * dt  # 0.07 W per litre per kelvin
        self.water_c += (heat_j - loss_j) / (4186.0 * litres)
        if self.water_c < 24.5:
            self.heating = True
        elif self.water_c > 25.5:
            self.heating = False
        self.phase = "heating" if self.heating else "idle"
