"""Washing machine: fill, heat, wash, rinse and spin, about 100 min at 40 C.

Calibration (appliances.md): heating ~2000 W for ~12 min; drum 100-300 W; spin
400-800 W; 70-140 min program (fill, heat, wash, rinse, spin); 1 W standby;
~0.6 kWh a cycle. The heating block is what the wash temperature changes: 12 min
at 2 kW warms ~14 L of inlet water (15 C) to 40 C, so the heating time scales with
(temperature - 15) and varies +/- 15 % with load and inlet water (30 C: ~7 min,
60 C: ~22 min, 90 C: ~36 min; the program runs 95-130 min). At 40 C a cycle is
~0.65 kWh: 0.4 kWh heating, 0.1 kWh spinning, 0.15 kWh turning the drum.
Household: 4-5 washes a week (0.65 a day at home; CREST ~0.54), started by someone
awake, most on weekend mornings, else weekday mornings or evenings ("laundry" profile).
"""

from devices.activities import Activity
from devices.kinds._program import Phase, ProgramAppliance
from devices.params import Param

INLET_C = 15.0
HEAT_MIN_AT_40C = 12.0
DRUM_W = 110.0


class WashingMachine(ProgramAppliance):
    kind = "washing_machine"
    summary = "washing machine, 2 kW heating then 110-700 W drum, ~100 min, ~0.6 kWh a wash"
    default_priority = 4
    params = {
        "heater_w": Param(2000.0, "water heater power, W", 1000, 3000),
        "temperature_c": Param(40, "wash temperature, C (20 cold, 30, 40, 60, 90)", 20, 90),
    }
    usage = (Activity("laundry", per_day=0.65),)

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"])

    @property
    def standby_w(self) -> float:
        return 1.0

    def program(self) -> tuple[Phase, ...]:
        rise = (float(self.p["temperature_c"]) - INLET_C) / (40.0 - INLET_C)
        heat_min = HEAT_MIN_AT_40C * rise * self.rng.uniform(0.85, 1.15)
        return (
            Phase("fill", 5, 100),  # inlet valve open, drum turning to soak the load
            Phase("heat", heat_min, self.rated_w),
            Phase("wash", 45, DRUM_W),
            Phase("rinse", 14, DRUM_W),
            Phase("spin", 3, 500),
            Phase("rinse", 14, DRUM_W),
            Phase("spin", 7, 700),
        )
