"""Dishwasher: a cold prewash, two heating blocks around a pumped wash, heated drying.

Calibration (appliances.md): two heating blocks of ~1800-3100 W (12 and 10 min),
a circulation pump of 80-160 W in between, drying at 600 W, ~80-110 min in all,
no standby draw, ~1.0-1.4 kWh a cycle. The heating blocks vary +/- 10 % with
the load and the inlet water, so a cycle runs ~95 min and uses ~1.05 kWh at the
default 2 kW heater: 0.4 + 0.33 kWh heating, 0.23 kWh drying, 0.09 kWh pumping.
Household: 0.85 runs a day at home (CREST ~0.66), started by someone awake, mostly after
dinner (19:00-22:00), sometimes after a weekend lunch (the "washing_up" profile).
"""

from devices.activities import Activity
from devices.kinds._program import Phase, ProgramAppliance
from devices.params import Param

PUMP_W = 120.0


class Dishwasher(ProgramAppliance):
    kind = "dishwasher"
    summary = "dishwasher, two 2 kW heating blocks, 120 W pump, 600 W drying, ~1.05 kWh a run"
    default_priority = 5
    params = {
        "heater_w": Param(2000.0, "water heater power, W", 1200, 3500),
    }
    usage = (Activity("washing_up", per_day=0.85),)

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"])

    def program(self) -> tuple[Phase, ...]:
        heater = self.rated_w
        return (
            Phase("prewash", 8, PUMP_W),
            Phase("heat", 12 * self.rng.uniform(0.9, 1.1), heater),  # main wash to ~55 C
            Phase("wash", 25, PUMP_W),
            Phase("rinse", 12, PUMP_W),
            Phase("heat", 10 * self.rng.uniform(0.9, 1.1), heater),  # hot final rinse
            Phase("dry", 23, 600),
            Phase("dry", 5, 0),  # fan off, dishes cooling in the closed tub
        )
