"""The simulator's solar forecast: the weather model's own, with a forecast's error.

A plan made at `made` sees each half hour's solar as the panels' true mean output in
it (sampled at `SAMPLES` points; cached, since the truth does not change) times a
lognormal error that grows with the lead time, from `SIGMA_NOW` for the next hour to
`SIGMA_DAY` a day ahead, as day-ahead PV forecasts' errors do (25-40 % by the hour for
a single roof). Each forecast issue (once an hour) draws new errors, seeded by the
home's seed, so the same run plans on the same forecasts every time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from devices.kinds.solar import Solar
from protocol import PriceSlot

SAMPLES = 3
SIGMA_NOW = 0.1
SIGMA_DAY = 0.35
ISSUE_S = 3600


class SolarForecast:
    """`forecast(slots, made)`: the `hub.core.manager.forecast.PvForecast` of `panels`."""

    def __init__(self, panels: Sequence[Solar], seed: int, perfect: bool = False):
        self.panels = tuple(panels)
        self.seed = seed
        self.perfect = perfect
        """No error: the oracle's view of the future."""
        self._truth: dict[tuple[float, float], float] = {}

    def truth_w(self, start: float, end: float) -> float:
        key = (start, end)
        if key not in self._truth:
            step = (end - start) / SAMPLES
            points = [start + step * (i + 0.5) for i in range(SAMPLES)]
            self._truth[key] = sum(p.output_at(t) for p in self.panels for t in points) / SAMPLES
        return self._truth[key]

    def __call__(self, slots: Sequence[PriceSlot], made: float) -> list[float]:
        issue = int(made // ISSUE_S)
        forecast = []
        for slot in slots:
            truth = self.truth_w(slot.start, slot.end)
            if self.perfect or truth <= 0:
                forecast.append(truth)
                continue
            lead_h = max(0.0, (slot.start - made) / 3600)
            sigma = SIGMA_NOW + (SIGMA_DAY - SIGMA_NOW) * min(1.0, lead_h / 24)
            rng = random.Random(f"{self.seed}:{issue}:{slot.start}")
            forecast.append(truth * math.exp(rng.gauss(-sigma * sigma / 2, sigma)))
        return forecast
