"""A switch that follows the solar surplus without flapping: evcc's `pv` enable and disable timers.

evcc (core/loadpoint.go, `NewLoadpoint` and `pvMaxCurrent`) enables a `pv` charge only
once the surplus has covered the car's minimum power for `Enable.Delay` (default one
minute) and disables it only once the site has imported for `Disable.Delay` (default three
minutes); a single reading back on the other side resets the timer, so a surplus that
wobbles around the threshold never switches at all. The same rule serves here for any
on/off load: on after the surplus has stayed at or above `enable_w` for the enable delay,
off after it has stayed below `disable_w` for the disable delay. `disable_w` below
`enable_w` adds a band in watts on top of the delays, which an on/off load needs (a
charger has its current to modulate inside the band; a heater has not).

Pure: the times are the ones given, which must not go backwards.
"""

from __future__ import annotations

ENABLE_DELAY_S = 60.0
DISABLE_DELAY_S = 180.0


class SurplusSwitch:
    """Whether a surplus-driven load should run, from the surplus seen at each instant."""

    def __init__(
        self,
        enable_w: float,
        disable_w: float,
        enable_delay_s: float = ENABLE_DELAY_S,
        disable_delay_s: float = DISABLE_DELAY_S,
    ):
        if not disable_w <= enable_w:
            raise ValueError(f"disable_w {disable_w:g} W must not exceed enable_w {enable_w:g} W")
        if not (enable_delay_s >= 0 and disable_delay_s >= 0):
            raise ValueError("the enable and disable delays must be >= 0 s")
        self.enable_w, self.disable_w = enable_w, disable_w
        self.enable_delay_s, self.disable_delay_s = enable_delay_s, disable_delay_s
        self.on = False
        self._since: float | None = None
        """Since when the surplus has been on the other side, if it still is."""
        self._last_t: float | None = None

    def observe(self, surplus_w: float, t: float) -> bool:
        """The surplus at `t`; True when this reading switched the load on or off."""
        if self._last_t is not None and t < self._last_t:
            raise ValueError(f"time went backwards: {t!r} after {self._last_t!r}")
        self._last_t = t
        other_side = surplus_w < self.disable_w if self.on else surplus_w >= self.enable_w
        if not other_side:
            self._since = None
            return False
        if self._since is None:
            self._since = t
        if t - self._since < (self.disable_delay_s if self.on else self.enable_delay_s):
            return False
        self.on, self._since = not self.on, None
        return True
