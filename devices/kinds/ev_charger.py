"""Home EV charger: the car plugged in after work, charged at constant power, then tapering.

Calibration (appliances.md): 7.4 kW single-phase 32 A (11 kW three-phase, 2.3 kW
from a plug via `rated_w`), 0 W standby, constant power until the battery is
nearly full then tapering, 40-60 kWh batteries.

The occupant comes home and plugs in on 70 % of weekdays between 17:30 and
19:30 (30 % of weekend days, 13:00-19:00), arriving with `arrival_soc` +/- 20 %
state of charge (30-70 % by default: a long commute; raise it for a short
one), and drives off at 07:30-08:30 on weekdays (half the weekend mornings,
10:00-12:00), charged or not: the scheduled uses before noon are departures.
The car takes the charger's full offer up to 80 % SoC (phase `charging`),
then its acceptance falls linearly to 10 % of `rated_w` at 100 % (phase
`tapering`), and the charge stops at `target_soc` (phase `plugged`).
`CHARGE_EFFICIENCY` of the energy drawn reaches the battery, so a 30 -> 90 %
session on 60 kWh draws 40 kWh from the grid and takes ~5.7 h at 7.4 kW.

`level` is the current the charger offers (IEC 61851 pilot signal): power is
at most `rated_w` x level / 100, and an offer below 6 A of the rated 32 A
pauses charging, as real cars do.

`on` is "a charge session is active": ON plugs a car in if none is (as a
person would in the demo) and lets it charge; OFF stops charging at once
(the car stays plugged in); the car driving away ends the session.
"""

from datetime import datetime, timedelta

from devices.appliance import Appliance
from devices.occupant import WEEKDAYS, WEEKEND, Use, Window
from devices.params import Param

TAPER_FROM = 0.8
TAPER_END = 0.1
"""The car's acceptance at 100 % SoC, as a fraction of `rated_w`."""
MIN_OFFER = 6 / 32
CHARGE_EFFICIENCY = 0.9
ARRIVAL_SPREAD = 0.2
DEPARTURES_BEFORE_HOUR = 12
CATCH_UP_STEP_S = 60.0


class EvCharger(Appliance):
    kind = "ev_charger"
    summary = "EV charger, 7.4 kW until 80 % then tapering, car plugged in most evenings"
    default_priority = 5  # the car is needed in the morning, not now: shed it first
    dimmable = True
    params = {
        "rated_w": Param(7400.0, "charging power, W (7.4 kW 1-phase, 11 kW 3-phase)", 1400, 22000),
        "battery_kwh": Param(60.0, "usable battery capacity, kWh", 5, 200),
        "target_soc": Param(90.0, "state of charge at which charging stops, %", 20, 100),
        "arrival_soc": Param(
            50.0, "typical state of charge when the car comes home, % (+/- 20)", 5, 95
        ),
    }
    usage = (
        Window("17:30", "19:30", 0.7, days=WEEKDAYS),  # home from work
        Window("13:00", "19:00", 0.3, days=WEEKEND),
        Window("07:30", "08:30", 1.0, days=WEEKDAYS),  # off to work
        Window("10:00", "12:00", 0.5, days=WEEKEND),
    )

    def setup(self, t: float) -> None:
        self.plugged = False
        self.soc = 0.0
        self._charged_to = t
        arrived = self._arrival_before(t)
        if arrived is not None:
            # the car came home before the model started: join its charge
            self._plug_in(arrived)
            while self._charged_to < t and self.power() > 0:
                self._charge_until(min(t, self._charged_to + CATCH_UP_STEP_S))
            self._charged_to = t
        self._refresh()

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def target(self) -> float:
        return float(self.p["target_soc"]) / 100

    def power(self) -> float:
        if not (self.on and self.plugged) or self.soc >= self.target:
            return 0.0
        offer = self.rated_w * (self.level if self.level is not None else 100.0) / 100
        if offer < self.rated_w * MIN_OFFER:
            return 0.0
        acceptance = self.rated_w
        if self.soc > TAPER_FROM:
            fraction = (self.soc - TAPER_FROM) / (1 - TAPER_FROM)
            acceptance *= 1 - (1 - TAPER_END) * fraction
        return min(offer, acceptance)

    def update(self, t: float, dt: float) -> None:
        self._charge_until(t + dt)
        self._refresh()

    def _charge_until(self, t: float) -> None:
        """Put the energy drawn since the last call into the battery."""
        joules = self.power() * (t - self._charged_to) * CHARGE_EFFICIENCY
        self.soc = min(1.0, self.soc + joules / (float(self.p["battery_kwh"]) * 3.6e6))
        self._charged_to = t

    def _refresh(self) -> None:
        if not self.plugged:
            self.phase = "unplugged"
        elif self.power() == 0:
            self.phase = "plugged"
        else:
            self.phase = "tapering" if self.soc > TAPER_FROM else "charging"

    def _plug_in(self, t: float) -> None:
        self.plugged, self.on = True, True
        typical = float(self.p["arrival_soc"]) / 100
        self.soc = self.rng.uniform(
            max(0.0, typical - ARRIVAL_SPREAD), min(1.0, typical + ARRIVAL_SPREAD)
        )
        self._charged_to = t

    def _is_departure(self, t: float) -> bool:
        return datetime.fromtimestamp(t, self.tz).hour < DEPARTURES_BEFORE_HOUR

    def _arrival_before(self, t: float) -> float | None:
        """When the car came home, if that is the last scheduled use before `t`."""
        if self.schedule is None:
            return None
        today = datetime.fromtimestamp(t, self.tz).date()
        uses = [
            use.start
            for day in (today - timedelta(days=1), today)
            for use in self.schedule.uses_on(day)
            if use.start < t
        ]
        if not uses or self._is_departure(max(uses)):
            return None
        return max(uses)

    def start_use(self, use: Use, t: float) -> None:
        self._charge_until(t)
        if self._is_departure(use.start):
            self.plugged, self.on = False, False
        elif not self.plugged:
            self._plug_in(t)
        self._refresh()

    def apply_switch(self, on: bool, t: float) -> None:
        self._charge_until(t)
        if on and not self.plugged:
            self._plug_in(t)
        self.on = on
        self._refresh()

    def apply_level(self, level: float, t: float) -> None:
        self._charge_until(t)
        self.level = level
        self._refresh()
