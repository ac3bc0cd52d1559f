"""Electric kettle: boils for about three minutes at full power, then switches itself off.

Calibration (appliances.md): 2000-3000 W, ~3 min a boil, ~4 uses a day, ~0.1 kWh a use
(CREST: ~1,520 boils a year, 4.2 a day). The boil time varies with how much water the
occupant put in. Boils start while someone is at home and awake, most often at breakfast,
through the day by the hot-drinks profile (`devices.activities`), never on days away: 4 a
day in the average home, more where someone is at home all day, fewer with two commuters;
1.15 times as many in mid-January as in mid-July.
"""

from devices.activities import Activity
from devices.kinds._timed import TimedAppliance
from devices.occupant import Use
from devices.params import Param


class Kettle(TimedAppliance):
    kind = "kettle"
    summary = "electric kettle, 2.8 kW for ~3 min, 3-5 boils a day"
    default_priority = 4
    params = {
        "rated_w": Param(2800.0, "heating element power, W", 1000, 3500),
        "boil_s": Param(150.0, "mean time to boil, s", 30, 600),
    }
    usage = (Activity("hot_drinks", per_day=4.0, winter=1.15),)
    running_phase = "boiling"

    def use_s(self, use: Use) -> float:
        return self.switched_on_s()  # the water in the kettle decides, not the household

    def switched_on_s(self) -> float:
        # a fuller or emptier kettle: +/- 35 % around the mean boil time
        return float(self.p["boil_s"]) * self.rng.uniform(0.65, 1.35)
