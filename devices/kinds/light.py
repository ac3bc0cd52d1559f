"""Room lighting: a few LED lamps, lit when someone is home and awake and it is dark.

Calibration (appliances.md): LED 5-10 W per lamp, 0 W standby, "on with
occupancy: mornings, evenings". The default 40 W is a room or small flat of
five 8 W LED lamps (an incandescent household would set `rated_w` higher).

A room is in use while someone at home and awake is in it: sessions of 30-180 min
start by the "lighting" profile (on waking and through the evening, about five a
day), and end at the latest when the house empties or goes to bed. Each light of a
home draws its own sessions from the same household, so the rooms of a home are lit
at different times, never all evening all together, and never while everyone is
asleep or away. Within a session the light is on only while the room is too dark,
as in the CREST lighting model: when the outdoor global irradiance under the home's
sky (`devices.weather`) is below the home's threshold, drawn once per home from
N(60, 10) W/m2 (a room with a 2 % daylight factor then has ~150 lux). At London in
June a room is lit late in the evening and on an overcast early morning; in
December for much of the evening, on dark mornings, and through a grey afternoon.
Brightness is the `level` (0-100 %), and power scales with it linearly; level 0 is
dark while the switch stays on.

Commands win over the occupant: a person's OFF keeps the light off until the
next scheduled session starts; a person's ON keeps it on until the end of the
running session (or of the next one, if none runs), or until switched off.
"""

import math
import random

from devices.activities import Activity
from devices.appliance import Appliance
from devices.kinds._sessions import Session
from devices.occupant import Use
from devices.params import Param
from devices.weather import irradiance_w_m2

DARK_BELOW_W_M2 = (60.0, 10.0)
"""Mean and spread of a home's outdoor irradiance below which its rooms need light (CREST)."""


class Light(Appliance):
    kind = "light"
    summary = "room lighting, 40 W of LED lamps, on when someone is home and it is dark"
    dimmable = True
    default_priority = 2
    params = {
        "rated_w": Param(40.0, "power of all lamps at full brightness, W", 1, 500),
        "lat": Param(51.5, "latitude of the home, degrees north", -90, 90),
        "lon": Param(-0.13, "longitude of the home, degrees east", -180, 180),
    }
    usage = (Activity("lighting", per_day=5.0, minutes=(30, 180)),)

    def setup(self, t: float) -> None:
        self.session = Session()
        self.session.resume(self.schedule, t)
        self.held: bool | None = None
        """A person's last switch while it still overrides the occupant, else None."""
        self._was_running = self.session.running(t)
        self._dark_minute, self._dark = -1, False
        mean, spread = DARK_BELOW_W_M2
        self.dark_below_w_m2 = random.Random(f"lights:{self.weather_seed}").gauss(mean, spread)
        """The home's threshold: every light of the home agrees when it is dark."""
        self._refresh(t)

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    def power(self) -> float:
        return self.rated_w * float(self.level or 0.0) / 100.0 if self.on else 0.0

    def update(self, t: float, dt: float) -> None:
        running = self.session.running(t + dt)
        if self._was_running and not running and self.held:
            self.held = None  # the occupant switches off at the end of the session
        self._was_running = running
        self._refresh(t + dt)

    def next_change(self, t: float) -> float:
        """In a session the darkness outside, looked at once a minute, decides (unless a
        person's switch holds); the session's end lets go of that switch."""
        if not self._was_running:
            return math.inf
        end = self.tick_reaching(self.session.end)
        if self.held is not None:
            return end
        return min(end, self.tick_reaching(60.0 * (self._dark_minute + 1)))

    def start_use(self, use: Use, t: float) -> None:
        self.session.extend(t, use.duration_s)
        self._was_running = True
        if self.held is False:
            self.held = None  # a new session: the occupant decides again
        self._refresh(t)

    def apply_switch(self, on: bool, t: float) -> None:
        self.held = on
        self._refresh(t)

    def _refresh(self, t: float) -> None:
        if self.held is not None:
            self.on = self.held
        else:
            self.on = self.session.running(t) and self.is_dark(t)
        self.phase = "on" if self.on else "off"

    def is_dark(self, t: float) -> bool:
        """Whether a room at the configured place needs light during the minute of `t`."""
        minute = int(t // 60)  # the light outdoors changes slowly: once a minute is enough
        if minute != self._dark_minute:
            lat, lon = float(self.p["lat"]), float(self.p["lon"])
            outdoors = irradiance_w_m2(60.0 * minute, self.weather_seed, lat, lon)
            self._dark_minute, self._dark = minute, outdoors < self.dark_below_w_m2
        return self._dark
