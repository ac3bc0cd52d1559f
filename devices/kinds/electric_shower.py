"""Electric shower (UK): an instantaneous 9.5 kW heater while the water runs.

Calibration (appliances.md): 8.5-10.5 kW, ~8 min a shower, ~1.2 kWh a shower,
no standby. The Energy Saving Trust's "At Home with Water" (2013, 86,000 GB
households) found an average shower of 7.5 min, 4.4 showers a person a week.
The unit heats the water as it flows: the element runs at its full rating for
the whole shower (the temperature is set by the flow, not the power).

The household showers by the "washing" profile (5-11 min, someone awake at home,
mostly mornings, later at weekends, sometimes in the evening): ~1.1 showers a day,
~1.4 kWh a day. At 9.5 kW a shower alone is more than the default home's 9 kW
shedding limit: enable it with a higher `limit_w`, as an electrician would give
it its own 40-45 A circuit.

A person's ON runs `shower_min` minutes and ends by itself; OFF stops at once.
"""

from devices.activities import Activity
from devices.kinds._timed import TimedAppliance
from devices.params import Param


class ElectricShower(TimedAppliance):
    kind = "electric_shower"
    summary = "electric shower, 9.5 kW for 5-10 min, mostly mornings, ~1.2 kWh a shower"
    default_priority = 2  # shedding a shower mid-use leaves someone under cold water
    params = {
        "rated_w": Param(9500.0, "heater power, W", 7000, 11000),
        "shower_min": Param(8.0, "length of a shower started by a person, min", 1, 30),
    }
    usage = (Activity("washing", per_day=1.2, minutes=(5, 11)),)
    running_phase = "showering"

    def switched_on_s(self) -> float:
        return 60 * float(self.p["shower_min"])
