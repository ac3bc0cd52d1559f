"""Tumble dryer (vented or condenser): a 2 kW heater and the drum motor, ~1.5-2 h a load.

Calibration (appliances.md): vented/condenser 2-2.6 kW element, 0-1 W standby,
45-90 min (a full load dries for longer), 2-4.5 kWh a cycle; the EU energy
label of household tumble dryers (Regulation (EU) 392/2012) rates 160 cycles a
year. A run turns the drum (motor and fan ~200 W) throughout; while the clothes
are wet the exhaust stays cool and the element runs flat out (`heat`, the first
45 % of the drying time), then the exhaust thermostat cycles it on and off,
2.5 min each way, as the load dries (`dry`), and a 10 min cool-down tumbles the
load with the element off (`cool`). Drying takes 80-110 min with the load and
how wet the spin left it: runs of 90-120 min, 2.2-3.1 kWh, ~2.65 kWh on average.

Household: ~0.35 loads a day at home over the year are started by someone awake
in laundry hours (the "laundry" profile, as the washer). In summer many loads go
on the line instead: 2.5 times as many loads in mid-January as in mid-July
(`winter`), ~3.5 loads a week in winter and ~1.4 in summer, ~130 a year (~350 kWh).
"""

import math

from devices.activities import Activity
from devices.kinds._program import Phase, ProgramAppliance
from devices.params import Param

MOTOR_W = 200.0
WET_SHARE = 0.45
"""Share of the drying time at full heat, before the thermostat starts cycling."""
CYCLE_MIN = 2.5
"""Element on, then off, for this long each while the thermostat cycles."""


class TumbleDryer(ProgramAppliance):
    kind = "tumble_dryer"
    summary = "tumble dryer, 2 kW element cycling and 200 W drum, 1.5-2 h, ~2.6 kWh a load"
    default_priority = 5
    params = {
        "heater_w": Param(2000.0, "heating element power, W", 500, 3000),
    }
    usage = (Activity("laundry", per_day=0.35, winter=2.5),)

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"])

    @property
    def standby_w(self) -> float:
        return 0.5

    def program(self) -> tuple[Phase, ...]:
        drying_min = self.rng.uniform(80, 110)
        heating, drum = self.rated_w + MOTOR_W, MOTOR_W
        phases = [Phase("heat", WET_SHARE * drying_min, heating)]
        cycles = (1 - WET_SHARE) * drying_min / (2 * CYCLE_MIN)
        for n in range(math.ceil(cycles)):
            minutes = CYCLE_MIN * min(1.0, cycles - n)  # the last cycle may be cut short
            phases += [Phase("dry", minutes, heating), Phase("dry", minutes, drum)]
        return (*phases, Phase("cool", 10, drum))
