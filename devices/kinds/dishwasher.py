"""Dishwasher: a cold prewash, two heating blocks around a pumped wash, heated drying.

Calibration (appliances.md): two heating blocks of ~1800-3100 W (12 and 10 min),
a circulation pump of 80-160 W in between, drying at 600 W, ~80-110 min in all,
no standby draw, ~1.0-1.4 kWh a cycle. Programs, with the energies of a 12-13
place-setting machine's EU energy label (Regulation (EU) 2019/2017, which rates
the `eco` program: ~0.8-0.9 kWh over ~3-3.5 h) and its manual's program table:

| program | heating at 2 kW | wash + rinse | heated drying | length | energy |
|---|---|---|---|---|---|
| `eco` | 9 + 8 min (~45-50 C) | 75 + 20 min | 8 min (+65 min unheated) | ~3 h 15 | ~0.85 kWh |
| `normal` | 12 + 10 min (~55 C) | 25 + 12 min | 23 min | ~95 min | ~1.05 kWh |
| `intensive` | 20 + 15 min (~65-70 C) | 30 + 12 min | 25 min | ~2 h | ~1.5 kWh |

Eco saves energy by washing cooler and soaking longer. The heating blocks vary
+/- 10 % with the load and the inlet water, the wash and rinse +/- 10 % with
how dirty the sensors find the water. `program = mixed` draws each run: eco
50 %, normal 40 %, intensive 10 % (assumed shares), ~1.0 kWh a run on average.
Household: 0.66 runs a day at home (as CREST), started by someone awake, mostly after
dinner (19:00-22:00), sometimes after a weekend lunch (the "washing_up" profile).
"""

from devices.activities import Activity
from devices.kinds._deferrable import DeferrableAppliance
from devices.kinds._program import Phase, program_param
from devices.params import Param

HEATING_REFERENCE_W = 2000.0
"""The heater power the table's heating minutes are for; another heater takes the same energy."""
PUMP_W = 120.0
RUNS = {
    "eco": (10.0, 9.0, 75.0, 20.0, 8.0, 8.0, 65.0),
    "normal": (8.0, 12.0, 25.0, 12.0, 10.0, 23.0, 5.0),
    "intensive": (10.0, 20.0, 30.0, 12.0, 15.0, 25.0, 5.0),
}
"""Each program's minutes of: prewash, heating, wash, rinse, heating, heated drying, cooling."""
SHARES = {"eco": 0.5, "normal": 0.4, "intensive": 0.1}


class Dishwasher(DeferrableAppliance):
    kind = "dishwasher"
    summary = "dishwasher, 2 kW heating blocks, 120 W pump, 600 W drying, 1.5-3.5 h, ~1 kWh a run"
    default_priority = 5
    programs = SHARES
    params = {
        "heater_w": Param(2000.0, "water heater power, W", 1200, 3500),
        "program": program_param(SHARES),
    }
    usage = (Activity("washing_up", per_day=0.66),)

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"])

    def program(self) -> tuple[Phase, ...]:
        prewash, heat1, wash, rinse, heat2, dry, cool = RUNS[self.choose_program()]
        heater = self.rated_w
        scale = HEATING_REFERENCE_W / heater
        sensed = self.rng.uniform(0.9, 1.1)
        return (
            Phase("prewash", prewash, PUMP_W),
            Phase("heat", heat1 * scale * self.rng.uniform(0.9, 1.1), heater),  # main wash
            Phase("wash", wash * sensed, PUMP_W),
            Phase("rinse", rinse * sensed, PUMP_W),
            Phase("heat", heat2 * scale * self.rng.uniform(0.9, 1.1), heater),  # hot final rinse
            Phase("dry", dry, 600),
            Phase("dry", cool, 0),  # fan off, dishes cooling in the closed tub
        )
