"""Television: ~120 W while showing a picture, 1 W in standby, watched mostly in the evening.

Calibration (appliances.md): 100-200 W on, 0.5-3 W standby, sessions of ~73 min
(CREST), mostly in the evening. The household watches while someone is at home and
awake, by the "tv" profile: mostly 18:00-23:00, sometimes the morning news, and more
in weekend afternoons; ~1.9 sessions a day of 40-110 min, which end when the last
person watching goes to bed or out: ~1.8 sessions a day averaging 70-80 min, ~0.3 kWh
a day over the year; 1.3 times as many sessions in mid-January as in mid-July (BARB's
viewing figures run about a third higher in winter). A panel's draw follows the brightness of
the picture, so while on the power wanders +/- 10 % around `rated_w`, holding
each level for one to five minutes as the content changes.

OFF puts the set in standby at once. A person's ON lasts until switched off or
until the set's auto-standby (EU ecodesign rules: 4 h without interaction).
"""

import math

from devices.activities import Activity
from devices.appliance import Appliance
from devices.kinds._sessions import Session
from devices.occupant import Use
from devices.params import Param

PICTURE_SWING = 0.10
"""How far the content moves the power around `rated_w`, as a fraction."""
PICTURE_HOLD_S = (60.0, 300.0)
"""How long one picture level lasts: the power changes at most once a minute."""


class Tv(Appliance):
    kind = "tv"
    summary = "television, ~120 W while on, 1 W standby, ~73 min sessions mostly in the evening"
    default_priority = 4
    params = {
        "rated_w": Param(120.0, "mean power while showing a picture, W", 20, 500),
        "standby_w": Param(1.0, "standby power, W", 0, 5),
        "auto_standby_min": Param(
            240.0, "minutes after a person's ON before the set goes to standby by itself", 10, 1440
        ),
    }
    usage = (Activity("tv", per_day=1.9, minutes=(40, 110), winter=1.3),)

    def setup(self, t: float) -> None:
        self.session = Session()
        self.session.resume(self.schedule, t)
        self.picture = 1.0
        self.picture_until = t
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    @property
    def standby_w(self) -> float:
        return float(self.p["standby_w"])

    def power(self) -> float:
        return self.rated_w * self.picture if self.on else self.standby_w

    def update(self, t: float, dt: float) -> None:
        self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        """On: the session's end or the next picture level; in standby only a use wakes it."""
        if not self.on:
            return math.inf
        return self.tick_reaching(min(self.session.end, self.picture_until))

    def start_use(self, use: Use, t: float) -> None:
        self.session.extend(t, use.duration_s)
        self._refresh(t)

    def apply_switch(self, on: bool, t: float) -> None:
        if on:
            self.session.extend(t, 60 * float(self.p["auto_standby_min"]))
        else:
            self.session.stop()
        self._refresh(t)

    def _refresh(self, t: float) -> None:
        self.on = self.session.running(t)
        self.phase = "on" if self.on else "standby"
        if self.on and t >= self.picture_until:
            self.picture = 1.0 + self.rng.uniform(-PICTURE_SWING, PICTURE_SWING)
            self.picture_until = t + self.rng.uniform(*PICTURE_HOLD_S)
