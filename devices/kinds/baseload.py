"""Always-on load: the router, set-top box, boiler controls, chargers and alarm together,
and the gas central heating's pump and fan while the heating runs.

Calibration (appliances.md): 40-150 W together, steady, flat day and night with
small steps, ~10-15 % of a home's electricity (270-400 kWh of Ofgem's typical
2,700 a year: 30-45 W on average); the issue's target for a UK home's floor is
50-150 W with the fridges. The Defra/DECC/Energy Saving Trust Household
Electricity Survey (Intertek, 2012; 250 English homes) found ~90 W that never
switches off besides the cold appliances, before the EU's 0.5 W standby rules
(2013) and LED-lit set-top boxes; the default is 60 W (~1.4 kWh a day, ~525 kWh
a year, nearer the survey's homes than the 10-15 % share). Around it the power has
- noise: a new value every minute within +/- `noise_w` (chargers and routers
  are never quite flat);
- drift: two slow waves (5.3 h and 17 h periods) of +/- 2 W each;
- steps: on ~40 % of days something on standby comes or goes for 1-8 h
  (a phone on charge, a games console left in rest mode: +5 to +20 W; or a
  set-top box unplugged: -5 to -20 W).

The heating: a gas combi's circulating pump (a fixed-speed one draws 40-60 W)
and its fan and controls draw `heating_w` (default 50 W) while the boiler
fires. The programmer runs the heating 06:00-09:00 and 16:00-22:30; in those
hours the room thermostat calls for heat a share of each 20 minutes that
grows as the day's outdoor mean (`devices.weather`, the home's sky) falls from
15.5 C (the UK's degree-day base: no heating above it) to 5.5 C (heating all
the time). So the pump runs ~9 h on a cold January day (~0.45 kWh), none in
July, ~80 kWh a year: the UK's winter evenings draw more than its summer ones.

The level is a pure function of the seed and the minute, so a process started
at 20:00 draws the same evening as one started at midnight. Never scheduled:
it starts on and stays on; OFF (the mains switched off) draws nothing.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from devices.appliance import Appliance
from devices.params import Param
from devices.weather import outdoor_day_mean_c

DRIFT_W = 2.0
DRIFT_PERIODS_S = (5.3 * 3600, 17.0 * 3600)
STEP_CHANCE = 0.4
"""Share of days on which a device on standby comes or goes."""
STEP_W = (5.0, 20.0)
STEP_HOURS = (1.0, 8.0)
STEP_UP_SHARE = 0.7
"""Most steps are something plugged in; the rest something unplugged."""
HEATING_HOURS = ((time(6, 0), time(9, 0)), (time(16, 0), time(22, 30)))
"""When the central heating's programmer lets the boiler fire, local time."""
NO_HEATING_C = 15.5
"""A day's outdoor mean at and above which the thermostat never calls for heat."""
FULL_HEATING_C = 5.5
"""A day's outdoor mean at and below which it calls for heat all the programmed time."""
THERMOSTAT_CYCLE_MIN = 20
NOISE_BLOCK_MIN = 1440
"""The noise of this many minutes is drawn together (a UTC day)."""


def _heating_hours(clock: time) -> bool:
    """Whether the programmer lets the boiler fire at local `clock`."""
    for start, end in HEATING_HOURS:  # noqa: SIM110 - any() of a generator, every minute, costs more
        if start <= clock < end:
            return True
    return False


class Baseload(Appliance):
    kind = "baseload"
    summary = "always-on load (router, set-top box, boiler...), ~60 W, +50 W while heating"
    default_priority = 1  # the boiler's controls and the router: never shed
    starts_on = True
    params = {
        "rated_w": Param(60.0, "mean always-on power, W", 20, 400),
        "noise_w": Param(3.0, "minute-to-minute variation either side of the level, W", 0, 20),
        "heating_w": Param(
            80.0, "gas central heating's pump, fan and controls while it fires, W", 0, 300
        ),
    }

    def setup(self, t: float) -> None:
        self.drift_phases = [self.rng.uniform(0, 2 * math.pi) for _ in DRIFT_PERIODS_S]
        self._steps: dict[date, list[tuple[float, float, float]]] = {}
        self._steps_today: tuple[date | None, list[tuple[float, float, float]]] = (None, [])
        self.minute = -1
        self._noise_block, self._noise = -1, [0.0]
        self.watts = 0.0
        self.phase = "on"
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    def power(self) -> float:
        return self.watts if self.on else 0.0

    def update(self, t: float, dt: float) -> None:
        self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        """The level is the minute's: the next minute (off, nothing changes)."""
        return self.tick_reaching(60.0 * (self.minute + 1)) if self.on else math.inf

    def apply_switch(self, on: bool, t: float) -> None:
        self.on, self.phase = on, "on" if on else "off"
        self._refresh(t)

    def level_w(self, minute: int) -> float:
        """The always-on power during `minute` (minutes since the epoch)."""
        t = 60.0 * minute
        drift = 0.0  # a loop, not sum(): asked every minute (the same terms, the same order)
        for period, phase in zip(DRIFT_PERIODS_S, self.drift_phases, strict=True):
            drift += DRIFT_W * math.sin(2 * math.pi * t / period + phase)
        noise = self._noise_w(minute)
        local = datetime.fromtimestamp(t, self.tz)
        return max(0.0, self.rated_w + drift + noise + self._step_w(t, local.date())) + (
            self._heating_w(t, local)
        )

    def _noise_w(self, minute: int) -> float:
        """The minute's noise: drawn for a whole block of minutes at once (seeding a
        generator costs more than the level itself), still a function of the minute."""
        block, index = divmod(minute, NOISE_BLOCK_MIN)
        if block != self._noise_block:
            rng = random.Random(f"{self.seed}:noise:{block}")
            noise_w = float(self.p["noise_w"])
            self._noise = [rng.uniform(-noise_w, noise_w) for _ in range(NOISE_BLOCK_MIN)]
            self._noise_block = block
        return self._noise[index]

    def _heating_w(self, t: float, local: datetime) -> float:
        """The boiler's pump and fan during the minute starting at `t` (`local` there)."""
        watts = float(self.p["heating_w"])
        if watts == 0 or not _heating_hours(local.time()):
            return 0.0
        cold = (NO_HEATING_C - outdoor_day_mean_c(t, self.weather_seed)) / (
            NO_HEATING_C - FULL_HEATING_C
        )
        firing_min = THERMOSTAT_CYCLE_MIN * min(1.0, max(0.0, cold))
        return watts if local.minute % THERMOSTAT_CYCLE_MIN < firing_min else 0.0

    def _refresh(self, t: float) -> None:
        minute = math.floor(t / 60)
        if minute != self.minute:
            self.minute, self.watts = minute, self.level_w(minute)

    def _step_w(self, t: float, today: date) -> float:
        total = 0.0
        for start, end, watts in self._steps_on(today):
            if start <= t < end:
                total += watts
        return total

    def _steps_on(self, today: date) -> list[tuple[float, float, float]]:
        """The steps that may run on local `today`: yesterday's (one may run past
        midnight) and today's, worked out once a day, not once a minute."""
        if self._steps_today[0] != today:
            yesterday = self._steps_of(today - timedelta(days=1))
            self._steps_today = (today, [*yesterday, *self._steps_of(today)])
        return self._steps_today[1]

    def _steps_of(self, day: date) -> list[tuple[float, float, float]]:
        """(start, end, watts) of the step that begins on local `day`, if any."""
        if day not in self._steps:
            if len(self._steps) > 4:
                self._steps.pop(min(self._steps))
            rng = random.Random(f"{self.seed}:steps:{day.isoformat()}")
            chance, at, hours, watts, up = (rng.random() for _ in range(5))
            steps = []
            if chance < STEP_CHANCE:
                midnight = datetime.combine(day, time(), self.tz).timestamp()
                start = 60 * math.floor((midnight + at * 86400) / 60)  # on a minute
                low, high = STEP_HOURS
                end = start + 60 * round(60 * (low + hours * (high - low)))
                size = STEP_W[0] + watts * (STEP_W[1] - STEP_W[0])
                steps.append((start, end, size if up < STEP_UP_SHARE else -size))
            self._steps[day] = steps
        return self._steps[day]
