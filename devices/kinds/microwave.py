"""Microwave oven: ~1.2 kW from the socket for a few minutes, several times a day.

Calibration (appliances.md): 1.0-1.5 kW drawn (an 800 W-output oven draws
~1.2 kW: the magnetron is ~65 % efficient), 1-3 W standby for the clock, uses
of 1-6 min, several a day, ~0.1-0.2 kWh a day. The household warms food by the
"cooking" profile (someone awake at home, breakfast to late evening, mostly
around meals): ~2.4 uses a day of ~2.5 min, ~0.12 kWh heating plus
~0.04 kWh of standby, ~0.16 kWh a day (1.1 times as many uses in mid-January as in
mid-July). Reheating at full power is the common
use, so a use draws `rated_w` throughout.

A person's ON runs `run_min` minutes and ends by itself (the timer); OFF (the
door opened) stops it at once.
"""

from devices.activities import Activity
from devices.kinds._timed import TimedAppliance
from devices.params import Param


class Microwave(TimedAppliance):
    kind = "microwave"
    summary = "microwave oven, 1.2 kW for 1-5 min, ~2-3 uses a day, 1.5 W standby"
    default_priority = 4
    params = {
        "rated_w": Param(1200.0, "power drawn while heating, W", 500, 2500),
        "standby_w": Param(1.5, "clock display power, W", 0, 5),
        "run_min": Param(2.0, "length of a use started by a person, min", 0.5, 30),
    }
    usage = (Activity("cooking", per_day=2.4, minutes=(1, 5), winter=1.1),)
    running_phase = "heating"
    idle_phase = "standby"

    @property
    def standby_w(self) -> float:
        return float(self.p["standby_w"])

    def switched_on_s(self) -> float:
        return 60 * float(self.p["run_min"])
