"""Full power for a set time, then off by itself: the kettle, the microwave, the electric shower.

These appliances have no program and no regulation: while on they draw `rated_w`,
and a timer (a kettle's thermostat, a microwave's dial, a person under the shower)
ends the use. The occupant's use lasts what the household drew (`use_s`); a
person's ON lasts the kind's own default (`switched_on_s`); OFF stops at once.
ON while running changes nothing: the timer already runs. Off, the appliance
draws its `standby_w` (a microwave's clock).
"""

import math
from abc import abstractmethod
from typing import ClassVar

from devices.appliance import Appliance
from devices.occupant import Use


class TimedAppliance(Appliance):
    """Base of the kinds that run at full power until their timer ends."""

    running_phase: ClassVar[str]
    """The phase reported while on ("boiling", "heating")."""
    idle_phase: ClassVar[str] = "off"

    def setup(self, t: float) -> None:
        self.ends_at = t
        """When the running use ends (a time, so the ticks before it are passed over)."""
        self.phase = self.idle_phase

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    def power(self) -> float:
        return self.rated_w if self.on else self.standby_w

    def update(self, t: float, dt: float) -> None:
        if self.on and t + dt >= self.ends_at:
            self._stop()

    def next_change(self, t: float) -> float:
        return self.tick_reaching(self.ends_at) if self.on else math.inf

    def start_use(self, use: Use, t: float) -> None:
        if not self.on:
            self._start(t, self.use_s(use))

    def apply_switch(self, on: bool, t: float) -> None:
        if on and not self.on:
            self._start(t, self.switched_on_s())
        elif not on:
            self._stop()

    def use_s(self, use: Use) -> float:
        """How long the occupant's use runs; the household's drawn length unless overridden."""
        return use.duration_s

    @abstractmethod
    def switched_on_s(self) -> float:
        """How long a person's ON runs."""

    def _start(self, t: float, duration_s: float) -> None:
        self.on, self.phase, self.ends_at = True, self.running_phase, t + duration_s

    def _stop(self) -> None:
        self.on, self.phase = False, self.idle_phase
