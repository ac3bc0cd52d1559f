"""The simulated occupant: when a person would start an appliance, day by day.

A kind's `usage` lists what starts it. An `Activity` (`devices.activities`)
starts it while the household is at home and active, with a chance by hour:
the usual way, shared by every device of a home (`devices.household`). A
`Window` is a fixed daily chance of one use in a span of the day ("a kettle
use between 06:30 and 08:30 on 95 % of days"), for a habit that does not
follow the household. Each local day's uses are drawn from generators seeded
by (device seed, date) and the household's day, so they depend only on the
seeds and the calendar, never on how often the runtime happens to step the
model: a device publishing every 0.1 s and one publishing every hour live the
same day.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from devices.activities import Activity, draw_uses
from devices.household import ABSENT, Household

ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})


@dataclass(frozen=True)
class Window:
    """A daily chance of one use starting between `start` and `end` (local "HH:MM")."""

    start: str
    end: str
    chance: float
    minutes: tuple[float, float] = (0.0, 0.0)
    """How long the use lasts, drawn uniformly from this range (models may ignore it)."""
    days: frozenset[int] = ALL_DAYS
    """Weekdays (0 = Monday) on which the window applies."""


@dataclass(frozen=True, order=True)
class Use:
    """One use by the occupant: starts at `start` (sim seconds) and lasts `duration_s`."""

    start: float
    duration_s: float = field(default=0.0, compare=False)


class UsageSchedule:
    """The uses of a set of windows and activities, for any span of simulation time."""

    def __init__(
        self,
        usage: Iterable[Window | Activity],
        seed: int,
        tz: tzinfo,
        household: Household | None = None,
    ):
        """`household` is whose activity starts the `Activity` uses (default: home `seed`'s);
        with one, `Window` uses too skip its days away."""
        usage = tuple(usage)
        self.windows = tuple(u for u in usage if isinstance(u, Window))
        self.activities = tuple(u for u in usage if isinstance(u, Activity))
        self.seed = seed
        self.tz = tz
        self.household = household
        if self.activities and household is None:
            self.household = Household(seed, tz)
        self._days: dict[date, list[Use]] = {}

    def uses_between(self, t0: float, t1: float) -> Iterator[Use]:
        """Uses starting in [t0, t1), in order."""
        # start a day early: yesterday's window may run past midnight
        day = datetime.fromtimestamp(t0, self.tz).date() - timedelta(days=1)
        last = datetime.fromtimestamp(t1, self.tz).date()
        while day <= last:
            for use in self.uses_on(day):
                if t0 <= use.start < t1:
                    yield use
            day += timedelta(days=1)

    def next_use(self, after: float, horizon_days: int = 8) -> Use | None:
        """The first use starting strictly after `after`, looking `horizon_days` ahead."""
        day = datetime.fromtimestamp(after, self.tz).date() - timedelta(days=1)
        for _ in range(horizon_days + 1):
            for use in self.uses_on(day):
                if use.start > after:
                    return use
            day += timedelta(days=1)
        return None

    def uses_on(self, day: date) -> list[Use]:
        if day not in self._days:
            if len(self._days) > 8:  # a long run needs only the days around now
                self._days.pop(min(self._days))
            self._days[day] = self._draw(day)
        return self._days[day]

    def _draw(self, day: date) -> list[Use]:
        rng = random.Random(f"{self.seed}:{day.isoformat()}")
        uses = []
        for window in self.windows:
            # draw every number whether or not the window applies, so that
            # editing one window does not reshuffle the others
            chance, position, length = rng.random(), rng.random(), rng.random()
            if day.weekday() not in window.days or chance >= window.chance:
                continue
            start = self._local(day, window.start)
            end = self._local(day, window.end)
            if end <= start:
                end += 86400
            low, high = window.minutes
            use = Use(start + position * (end - start), 60 * (low + length * (high - low)))
            if self.household is None or self.household.day_at(use.start).kind not in ABSENT:
                uses.append(use)  # a habit too waits for the household to come home
        for index, activity in enumerate(self.activities):
            assert self.household is not None
            # one generator per activity: adding one does not reshuffle the others' days
            own = random.Random(f"{self.seed}:{day.isoformat()}:{index}:{activity.profile}")
            uses += [Use(*use) for use in draw_uses(activity, self.household, day, own)]
        return sorted(uses)

    def _local(self, day: date, hhmm: str) -> float:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        return datetime.combine(day, time(hours, minutes), self.tz).timestamp()
