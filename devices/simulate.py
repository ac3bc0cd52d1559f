"""Run a model alone, in memory and fast: for calibration tests, docs and benchmarks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from devices.appliance import Appliance
from devices.kinds import get_kind


@dataclass(frozen=True)
class Sample:
    t: float
    power_w: float
    on: bool
    phase: str
    level: float | None


@dataclass(frozen=True)
class Trace:
    """A model's samples at every grid point: power is constant between two samples."""

    model: Appliance
    samples: list[Sample]
    step_s: float

    @property
    def energy_wh(self) -> float:
        return self.model.energy_wh

    @property
    def hours(self) -> float:
        return len(self.samples) * self.step_s / 3600

    def runs(self, inside: Callable[[Sample], bool]) -> list[tuple[float, float]]:
        """(start, duration_s) of each maximal stretch of samples where `inside` holds."""
        found, start = [], None
        for sample in self.samples:
            if inside(sample) and start is None:
                start = sample.t
            elif not inside(sample) and start is not None:
                found.append((start, sample.t - start))
                start = None
        if start is not None:
            found.append((start, self.samples[-1].t + self.step_s - start))
        return found

    def share(self, inside: Callable[[Sample], bool]) -> float:
        return sum(1 for s in self.samples if inside(s)) / len(self.samples)

    def at_local_hour(self, hour: int) -> list[Sample]:
        tz = self.model.tz
        return [s for s in self.samples if datetime.fromtimestamp(s.t, tz).hour == hour]


def simulate(
    kind: str | type[Appliance],
    hours: float = 24.0,
    params: Mapping[str, object] | None = None,
    seed: int = 1,
    start: str = "2026-06-15T00:00",
    timezone: str = "Europe/London",
    home_seed: int | None = None,
) -> Trace:
    """Run a model from local time `start` for `hours` and sample it at every tick.

    `seed` is the device's own; `home_seed` (default: `seed`) is its home's, which
    sets the weather and the household, as `--seed` does for `python -m devices`.
    """
    cls = get_kind(kind) if isinstance(kind, str) else kind
    tz = ZoneInfo(timezone)
    t0 = datetime.fromisoformat(start).replace(tzinfo=tz).timestamp()
    model = cls.create(params or {}, seed, t0, tz, weather_seed=home_seed)
    step = cls.tick_s
    samples = []
    for i in range(round(hours * 3600 / step)):
        t = t0 + i * step
        model.advance_to(t)
        samples.append(Sample(t, model.power_w, model.on, model.phase, model.level))
    model.advance_to(t0 + len(samples) * step)
    return Trace(model, samples, step)
