"""Thermostat cycling of a refrigeration compressor, shared by the fridge kinds.

A cold appliance is never "used": it is switched on once and its thermostat
alternates compressor runs (phase `cooling`, full compressor power) and rests
(phase `idle`, 0 W) of random length drawn from the kind's `run_min` and
`rest_min` ranges. In the evening (`busy_hours`) the door is opened more often,
so warm air gets in and rests are shortened by `busy_rest_scale`: the duty
cycle is a little higher then, as in metered kitchens.

The kitchen's temperature (devices/weather.py `indoor_c`: ~18.5 C heated in
winter, ~23-26 C on summer days) sets how fast heat leaks into the cabinet: a
rest lasts 1 / (1 + ROOM_DUTY_PER_C x (room - ROOM_REFERENCE_C)) of its drawn
length, so a fridge's consumption rises ~3.5 % per degree C and a
fridge-freezer's ~2.5 % (published: ~2-4 % per degree C of ambient), and a July
day uses ~10-20 % more than a January one. The kind's published run and rest
ranges describe a 20 C kitchen, about the year's mean.

Promises: power is the compressor's `rated_w` while cooling and 0 otherwise;
OFF stops everything at once (phase `off`, 0 W); ON restarts the cycle with a
run, because a cabinet that was off is warm.
"""

import math
from datetime import datetime
from typing import ClassVar

from devices.appliance import Appliance
from devices.weather import indoor_c

ROOM_REFERENCE_C = 20.0
"""The kitchen the kinds' published cycle figures describe."""
ROOM_DUTY_PER_C = 0.045
"""How much faster the cabinet warms per degree C of room: with the rests (not the runs)
shortened, the duty rises by (1 - duty) times this: ~3.5 % per degree C for a fridge, ~2.5 % for
a fridge-freezer, whose defrost heater does not care about the room."""


class CompressorAppliance(Appliance):
    """Base of the fridge kinds: a compressor cycling on a thermostat, always on."""

    starts_on = True
    default_priority = 1  # food spoils: never shed a cold appliance
    run_min: ClassVar[tuple[float, float]]
    """Compressor run length, minutes, drawn uniformly from this range."""
    rest_min: ClassVar[tuple[float, float]]
    """Rest between runs, minutes, drawn uniformly from this range (before `busy_rest_scale`)."""
    busy_hours: ClassVar[range] = range(17, 22)
    busy_rest_scale: ClassVar[float] = 0.8

    def setup(self, t: float) -> None:
        # join the cycle at a random point, so fridges started together do not run in lockstep
        run = sum(self.run_min) / 2
        rest = sum(self.rest_min) / 2
        self.phase = "cooling" if self.rng.random() < run / (run + rest) else "idle"
        self.ends_at = t + self.draw_s(self.phase, t) * self.rng.random()
        """When the current run or rest ends: a time, not a countdown, so the ticks
        between are passed over (`next_change`)."""

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    def power(self) -> float:
        return self.rated_w if self.on and self.phase == "cooling" else 0.0

    def update(self, t: float, dt: float) -> None:
        if self.on:
            self.cycle(t, dt)

    def next_change(self, t: float) -> float:
        return self.tick_reaching(self.ends_at) if self.on else math.inf

    def cycle(self, t: float, dt: float) -> None:
        """Advance the thermostat by one tick: switch run <-> rest when the current one
        ends (the next one is drawn from its end, so no time is lost to the grid)."""
        if t + dt >= self.ends_at:
            self.phase = "idle" if self.phase == "cooling" else "cooling"
            self.ends_at += self.draw_s(self.phase, t + dt)

    def start_run(self, t: float) -> None:
        """Begin a compressor run now (after power-up or a defrost the cabinet is warm)."""
        self.phase = "cooling"
        self.ends_at = t + self.draw_s("cooling", t)

    def draw_s(self, phase: str, t: float) -> float:
        """Length in seconds of a run (`cooling`) or a rest (`idle`) starting at `t`."""
        if phase == "cooling":
            return 60 * self.rng.uniform(*self.run_min)
        scale = self.room_rest_scale(t)
        if datetime.fromtimestamp(t, self.tz).hour in self.busy_hours:
            scale *= self.busy_rest_scale
        return 60 * scale * self.rng.uniform(*self.rest_min)

    def room_rest_scale(self, t: float) -> float:
        """How much a rest starting at `t` is stretched (cool kitchen) or shortened (warm)."""
        room = indoor_c(t, self.weather_seed)
        return 1.0 / (1.0 + ROOM_DUTY_PER_C * (room - ROOM_REFERENCE_C))

    def apply_switch(self, on: bool, t: float) -> None:
        if on and not self.on:
            self.on = True
            self.start_run(t)
        elif not on:
            self.on, self.phase = False, "off"
