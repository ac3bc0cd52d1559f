"""Always-on load: the router, set-top box, boiler pump and controls, chargers and alarm together.

Calibration (appliances.md): 40-150 W together, steady, flat day and night with
small steps; the issue's target for a UK home's floor is 50-150 W. The
Defra/DECC/Energy Saving Trust Household Electricity Survey (Intertek, 2012;
250 English homes, summarised in EST's "Powering the Nation") found the average
minimum load ~170 W at 4 am, less than half of it fridges and freezers: ~90 W
that never switches off besides the cold appliances, the default here
(~2.2 kWh a day). Around it the power has
- noise: a new value every minute within +/- `noise_w` (chargers and routers
  are never quite flat);
- drift: two slow waves (5.3 h and 17 h periods) of +/- 2 W each;
- steps: on ~40 % of days something on standby comes or goes for 1-8 h
  (a phone on charge, a games console left in rest mode: +5 to +20 W; or a
  set-top box unplugged: -5 to -20 W).

The level is a pure function of the seed and the minute, so a process started
at 20:00 draws the same evening as one started at midnight. Never scheduled:
it starts on and stays on; OFF (the mains switched off) draws nothing.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from devices.appliance import Appliance
from devices.params import Param

DRIFT_W = 2.0
DRIFT_PERIODS_S = (5.3 * 3600, 17.0 * 3600)
STEP_CHANCE = 0.4
"""Share of days on which a device on standby comes or goes."""
STEP_W = (5.0, 20.0)
STEP_HOURS = (1.0, 8.0)
STEP_UP_SHARE = 0.7
"""Most steps are something plugged in; the rest something unplugged."""


class Baseload(Appliance):
    kind = "baseload"
    summary = "always-on load (router, set-top box, boiler controls...), ~90 W day and night"
    default_priority = 1  # the boiler's controls and the router: never shed
    starts_on = True
    params = {
        "rated_w": Param(90.0, "mean always-on power, W", 20, 400),
        "noise_w": Param(3.0, "minute-to-minute variation either side of the level, W", 0, 20),
    }

    def setup(self, t: float) -> None:
        self.drift_phases = [self.rng.uniform(0, 2 * math.pi) for _ in DRIFT_PERIODS_S]
        self._steps: dict[date, list[tuple[float, float, float]]] = {}
        self.minute = -1
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

    def apply_switch(self, on: bool, t: float) -> None:
        self.on, self.phase = on, "on" if on else "off"
        self._refresh(t)

    def level_w(self, minute: int) -> float:
        """The always-on power during `minute` (minutes since the epoch)."""
        t = 60.0 * minute
        drift = sum(
            DRIFT_W * math.sin(2 * math.pi * t / period + phase)
            for period, phase in zip(DRIFT_PERIODS_S, self.drift_phases, strict=True)
        )
        noise_w = float(self.p["noise_w"])
        noise = random.Random(f"{self.seed}:{minute}").uniform(-noise_w, noise_w)
        return max(0.0, self.rated_w + drift + noise + self._step_w(t))

    def _refresh(self, t: float) -> None:
        minute = math.floor(t / 60)
        if minute != self.minute:
            self.minute, self.watts = minute, self.level_w(minute)

    def _step_w(self, t: float) -> float:
        today = datetime.fromtimestamp(t, self.tz).date()
        total = 0.0
        for day in (today - timedelta(days=1), today):  # yesterday's step may run past midnight
            total += sum(w for start, end, w in self._steps_of(day) if start <= t < end)
        return total

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
