"""Washing machine: fill, heat, wash, rinse and spin, a choice of programs from 90 min to 3 h.

Calibration (appliances.md): heating ~2000 W for ~12 min; drum 100-300 W; spin
400-800 W; 70-140 min program (fill, heat, wash, rinse, spin); 1 W standby;
~0.6 kWh a cycle. The programs take the energies of a 7-8 kg machine's EU
energy label (Regulation (EU) 2019/2014) and its manual's program table:
`eco 40-60` runs ~3 h at ~0.6-0.9 kWh, a 40 C cotton wash takes ~0.7-0.9 kWh
and a 60 C one ~1.2-1.4 kWh.

| program | heating at 2 kW | wash | length | energy |
|---|---|---|---|---|
| `cotton_30` | 8 min | 40 min | ~90 min | ~0.5 kWh |
| `cotton_40` | 15 min | 45 min | ~105 min | ~0.75 kWh |
| `cotton_60` | 28 min | 55 min | ~125 min | ~1.2 kWh |
| `eco_40_60` | 10 min | 130 min | ~3 h | ~0.75 kWh |

Heating is the energy to warm the water (a hotter wash heats longer); eco
washes cooler for longer. The heating time varies +/- 15 % with load and inlet
water and the wash and rinses +/- 10 % with the load the machine senses, so a
40 C wash runs ~95-110 min. Every program spends ~0.17 kWh filling, rinsing and
spinning. `program = mixed` draws each wash: 30 C 35 %, 40 C 40 %, 60 C 10 %,
eco 15 % (assumed shares, in line with UK habits: most washes at 30-40 C, one
in ten hot), ~0.7 kWh a wash on average.
Household: 4-5 washes a week (0.65 a day at home; the Household Electricity Survey's
median home ran 4.2, CREST ~0.54), started by someone awake, most on weekend mornings,
else weekday mornings or evenings (the "laundry" profile).
"""

from devices.activities import Activity
from devices.kinds._deferrable import DeferrableAppliance
from devices.kinds._program import Phase, program_param
from devices.params import Param

HEATING_REFERENCE_W = 2000.0
"""The heater power the table's heating minutes are for; another heater takes the same energy."""
DRUM_W = 110.0
WASHES = {"cotton_30": (8.0, 40.0), "cotton_40": (15.0, 45.0), "cotton_60": (28.0, 55.0),
          "eco_40_60": (10.0, 130.0)}  # fmt: skip
"""Each program's (minutes of heating at 2 kW, minutes of washing)."""
SHARES = {"cotton_30": 0.35, "cotton_40": 0.40, "cotton_60": 0.10, "eco_40_60": 0.15}


class WashingMachine(DeferrableAppliance):
    kind = "washing_machine"
    summary = "washing machine, 2 kW heating then 110-700 W drum, 90 min-3 h, ~0.7 kWh a wash"
    default_priority = 4
    programs = SHARES
    params = {
        "heater_w": Param(2000.0, "water heater power, W", 1000, 3000),
        "program": program_param(SHARES),
    }
    usage = (Activity("laundry", per_day=0.65),)

    @property
    def rated_w(self) -> float:
        return float(self.p["heater_w"])

    @property
    def standby_w(self) -> float:
        return 1.0

    def program(self) -> tuple[Phase, ...]:
        heat_min, wash_min = WASHES[self.choose_program()]
        heat_min *= HEATING_REFERENCE_W / self.rated_w * self.rng.uniform(0.85, 1.15)
        sensed = self.rng.uniform(0.9, 1.1)  # a fuller drum washes and rinses longer
        return (
            Phase("fill", 5, 100),  # inlet valve open, drum turning to soak the load
            Phase("heat", heat_min, self.rated_w),
            Phase("wash", wash_min * sensed, DRUM_W),
            Phase("rinse", 14 * sensed, DRUM_W),
            Phase("spin", 3, 500),
            Phase("rinse", 14 * sensed, DRUM_W),
            Phase("spin", 7, 700),
        )
