"""Desktop computer: long sessions alternating active and idle, asleep at 5 W in between.

Calibration (appliances.md): desktop PC 100-140 W, 5 W standby; laptop 50-60 W
and 1-2 W (set `active_w`, `idle_w`, `sleep_w` for one); long sessions (CREST
mean 300 min). Someone at home and awake starts a session of 2-6 h about once a day
(the "computer" profile: weekday mornings, when someone works from home, evenings,
weekend mornings), and it ends when the house empties or sleeps. During a session the
machine is
busy about 70 % of the time, in spells of 2-12 min, and idles (screen on,
nothing running) in spells of 1-5 min; idle draw is about half the active one.
Sessions average about 4-5 h, ~0.45 kWh a day with the night asleep; 1.15 times as
many in mid-January as in mid-July (winter evenings are spent in).

A person's ON starts a session of `session_min` minutes (the CREST mean), or
until switched off; OFF puts the machine to sleep at once.
"""

import math
from typing import Any

from devices.activities import Activity
from devices.appliance import Appliance
from devices.kinds._sessions import Session
from devices.occupant import Use
from devices.params import ModelError, Param, ParamValue

ACTIVE_SPELL_MIN = (2.0, 12.0)
IDLE_SPELL_MIN = (1.0, 5.0)
"""Mean spells of 7 and 3 min: busy 70 % of a session."""


class Computer(Appliance):
    kind = "computer"
    summary = "desktop PC, 120 W active, 60 W idle, 5 W asleep; multi-hour sessions"
    default_priority = 2
    params = {
        "active_w": Param(120.0, "power while busy, W", 10, 400),
        "idle_w": Param(60.0, "power while on but idle, W", 1, 400),
        "sleep_w": Param(5.0, "power asleep between sessions, W", 0, 10),
        "session_min": Param(
            300.0, "how long a session started by a person lasts unless switched off, min", 5, 1440
        ),
    }
    usage = (Activity("computer", per_day=1.0, minutes=(120, 360), winter=1.15),)

    @classmethod
    def prepare(cls, params: dict[str, ParamValue]) -> dict[str, Any]:
        if float(params["idle_w"]) > float(params["active_w"]):
            idle, active = params["idle_w"], params["active_w"]
            raise ModelError(f"parameter idle_w={idle}: must not exceed active_w={active}")
        return params

    def setup(self, t: float) -> None:
        self.session = Session()
        self.session.resume(self.schedule, t)
        self.busy = False
        self.spell_until = t
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return float(self.p["active_w"])

    @property
    def standby_w(self) -> float:
        return float(self.p["sleep_w"])

    def power(self) -> float:
        if not self.on:
            return self.standby_w
        return self.rated_w if self.busy else float(self.p["idle_w"])

    def update(self, t: float, dt: float) -> None:
        self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        """In a session: its end or the end of the spell; asleep only a use wakes it."""
        if not self.on:
            return math.inf
        return self.tick_reaching(min(self.session.end, self.spell_until))

    def start_use(self, use: Use, t: float) -> None:
        self.session.extend(t, use.duration_s)
        self._refresh(t)

    def apply_switch(self, on: bool, t: float) -> None:
        if on:
            self.session.extend(t, 60 * float(self.p["session_min"]))
        else:
            self.session.stop()
        self._refresh(t)

    def _refresh(self, t: float) -> None:
        if not self.session.running(t):
            self.on, self.phase = False, "sleep"
            return
        if not self.on:  # waking up: the person sits down to do something
            self.on, self.busy = True, False
            self.spell_until = t
        if t >= self.spell_until:
            self.busy = not self.busy
            low, high = ACTIVE_SPELL_MIN if self.busy else IDLE_SPELL_MIN
            self.spell_until = t + 60 * self.rng.uniform(low, high)
        self.phase = "active" if self.busy else "idle"
