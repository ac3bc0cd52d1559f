"""What the household does by the hour, and when that starts an appliance.

A kind declares its use in one line, `usage = (Activity("cooking", per_day=0.7),)`,
and its uses then start only while someone is at home and active
(`devices.household`), with a chance by hour that follows an activity
profile, as in the CREST model: there each appliance is tied to an activity
(watching TV, cooking, laundry, washing and dressing, or just "active
occupancy" for the kettle), and in each time step with active occupants it
starts with probability = activity probability x a calibration scalar.

Here a profile is a relative weight for each local hour, weekdays and
weekends apart, shaped on the UK's: hot drinks through the waking day with a
breakfast peak; cooking at breakfast, lunch and mostly 17:00-19:00; dinner
(the oven) in the early evening and at weekend lunch; TV mostly 18:00-23:00;
laundry on weekday and more on weekend mornings; washing up after dinner;
washing (showers) in the morning, some in the evening; lights on waking and
through the evening. More active occupants make a start likelier, less than
in proportion (one pot of tea for two): x1, x1.5, x2 for 1, 2, 3 people.

The calibration scalar is found once per process from a reference population
(eight seeded households, four weeks each, no days away), as CREST calibrates
each appliance's cycles a year: `per_day` is then the mean number of uses on a
day an average household is at home, whatever the hourly shape. Households
with more people, or more often at home, use more; days away use nothing. A
use lasts `minutes` (uniform), starts only if the active spell has room for the
shortest length, and never outlasts the spell: nobody leaves the TV on for an
empty house.

Some activities follow the season: a kind's `winter` says how many times more
uses a mid-January day has than a mid-July one (the year's mean stays
`per_day`), on the weather's seasonal curve. UK viewing figures (BARB) run about
a third higher in winter than in summer, households cook more hot meals, and in
summer much of the washing dries on the line instead of in the tumble dryer.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from devices.household import STEP_S, Household
from devices.weather import summerness

WEEKDAY, WEEKEND = 0, 1


def _hours(weights: Mapping[int, float]) -> tuple[float, ...]:
    return tuple(float(weights.get(hour, 0.0)) for hour in range(24))


@dataclass(frozen=True)
class Profile:
    """Relative weight of starting the activity in each local hour (0-23)."""

    weekday: tuple[float, ...]
    weekend: tuple[float, ...]

    def weight(self, hour: int, weekend: bool) -> float:
        return (self.weekend if weekend else self.weekday)[hour]


# fmt: off
PROFILES: dict[str, Profile] = {
    "hot_drinks": Profile(
        _hours({0: 0.2, 5: 0.4, 6: 2.0, 7: 3.0, 8: 2.2, 9: 1.5, 10: 1.5, 11: 1.2, 12: 1.4,
                13: 1.4, 14: 1.0, 15: 1.5, 16: 1.5, 17: 1.4, 18: 1.4, 19: 1.5, 20: 1.5,
                21: 1.3, 22: 0.8, 23: 0.4}),
        _hours({0: 0.3, 6: 0.5, 7: 1.5, 8: 2.5, 9: 3.0, 10: 2.2, 11: 1.5, 12: 1.4, 13: 1.4,
                14: 1.2, 15: 1.5, 16: 1.5, 17: 1.4, 18: 1.4, 19: 1.5, 20: 1.5, 21: 1.3,
                22: 0.9, 23: 0.5}),
    ),
    "cooking": Profile(
        _hours({6: 0.3, 7: 0.7, 8: 0.6, 9: 0.3, 11: 0.4, 12: 1.2, 13: 0.8, 14: 0.2, 16: 0.6,
                17: 2.0, 18: 2.5, 19: 1.2, 20: 0.4, 21: 0.1}),
        _hours({8: 0.8, 9: 0.8, 10: 0.5, 11: 0.7, 12: 1.5, 13: 1.2, 14: 0.3, 16: 0.7,
                17: 2.0, 18: 2.2, 19: 1.0, 20: 0.3}),
    ),
    "dinner": Profile(
        _hours({12: 0.3, 16: 0.8, 17: 3.0, 18: 3.0, 19: 1.2, 20: 0.3}),
        _hours({11: 0.8, 12: 2.0, 13: 1.0, 16: 1.0, 17: 2.5, 18: 2.5, 19: 1.0}),
    ),
    "tv": Profile(
        _hours({6: 0.3, 7: 0.4, 8: 0.1, 9: 0.1, 10: 0.1, 11: 0.1, 12: 0.2, 13: 0.2, 14: 0.1,
                15: 0.2, 16: 0.3, 17: 0.6, 18: 1.5, 19: 2.5, 20: 3.0, 21: 2.2, 22: 0.8}),
        _hours({8: 0.3, 9: 0.5, 10: 0.4, 11: 0.3, 12: 0.3, 13: 0.4, 14: 0.7, 15: 0.7,
                16: 0.6, 17: 0.8, 18: 1.5, 19: 2.5, 20: 3.0, 21: 2.2, 22: 0.8}),
    ),
    "computer": Profile(
        _hours({8: 1.0, 9: 2.5, 10: 1.5, 11: 0.8, 12: 0.5, 13: 1.0, 14: 0.8, 15: 0.5,
                16: 0.5, 17: 0.5, 18: 0.8, 19: 1.5, 20: 1.5, 21: 0.8, 22: 0.3}),
        _hours({9: 0.8, 10: 1.5, 11: 1.2, 12: 0.6, 13: 0.8, 14: 0.8, 15: 0.6, 16: 0.5,
                17: 0.5, 18: 0.6, 19: 1.0, 20: 1.0, 21: 0.6, 22: 0.2}),
    ),
    "laundry": Profile(
        _hours({7: 0.5, 8: 1.5, 9: 2.0, 10: 2.0, 11: 1.5, 12: 1.0, 13: 0.8, 14: 0.8, 15: 0.8,
                16: 0.8, 17: 1.0, 18: 1.5, 19: 1.5, 20: 1.0, 21: 0.3}),
        _hours({8: 1.0, 9: 2.5, 10: 3.0, 11: 2.5, 12: 1.5, 13: 1.0, 14: 1.0, 15: 0.8,
                16: 0.6, 17: 0.6, 18: 0.6, 19: 0.5, 20: 0.3}),
    ),
    "washing_up": Profile(
        _hours({8: 0.2, 9: 0.2, 13: 0.3, 14: 0.3, 18: 0.5, 19: 2.0, 20: 3.0, 21: 2.0,
                22: 1.0, 23: 0.2}),
        _hours({9: 0.2, 10: 0.2, 13: 1.0, 14: 1.5, 15: 1.0, 18: 0.5, 19: 2.0, 20: 3.0,
                21: 2.0, 22: 1.0, 23: 0.2}),
    ),
    "washing": Profile(
        _hours({5: 0.5, 6: 2.5, 7: 3.0, 8: 1.5, 9: 0.5, 10: 0.3, 11: 0.2, 12: 0.2, 17: 0.2,
                18: 0.3, 19: 0.5, 20: 0.6, 21: 0.8, 22: 0.7, 23: 0.3}),
        _hours({7: 1.0, 8: 2.0, 9: 2.5, 10: 1.5, 11: 0.5, 12: 0.2, 17: 0.3, 18: 0.5,
                19: 0.6, 20: 0.6, 21: 0.8, 22: 0.7, 23: 0.3}),
    ),
    "lighting": Profile(
        _hours({0: 0.2, 5: 0.8, 6: 3.0, 7: 3.0, 8: 0.8, 9: 0.3, 10: 0.3, 11: 0.3, 12: 0.3,
                13: 0.3, 14: 0.3, 15: 0.5, 16: 1.0, 17: 2.0, 18: 2.0, 19: 1.5, 20: 1.5,
                21: 1.5, 22: 1.5, 23: 0.8}),
        _hours({0: 0.4, 7: 1.0, 8: 1.5, 9: 1.0, 10: 0.4, 11: 0.4, 12: 0.4, 13: 0.4,
                14: 0.4, 15: 1.0, 16: 1.5, 17: 2.0, 18: 2.0, 19: 1.5, 20: 1.5, 21: 1.5,
                22: 1.5, 23: 1.0}),
    ),
}
# fmt: on
CROWD = (0.0, 1.0, 1.5, 2.0, 2.4, 2.7, 3.0)
"""How much likelier a start is with 0, 1, 2, ... people active: less than in proportion."""
REFERENCE_SEEDS = range(8)
REFERENCE_START = date(2026, 3, 2)  # a Monday outside the school holidays
REFERENCE_DAYS = 28
_REFERENCE_TZ = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Activity:
    """Uses that start while someone is at home and active, by the hour of an activity."""

    profile: str
    per_day: float
    """Mean uses on a day an average household is at home."""
    minutes: tuple[float, float] = (0.0, 0.0)
    """How long a use lasts, drawn uniformly (models with programs may ignore it)."""
    winter: float = 1.0
    """How many times more uses a mid-January day has than a mid-July one; the year's
    mean stays `per_day`. More evenings in, hot meals and washing dried indoors."""

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown activity {self.profile!r}; known: {', '.join(PROFILES)}")
        if not self.winter > 0:
            raise ValueError(f"winter must be positive, got {self.winter}")

    def season(self, day: date) -> float:
        """The share of `per_day` on `day`: 2w/(w+1) in mid-January, 2/(w+1) in mid-July,
        following the weather's seasonal curve, so the year's mean is 1."""
        swing = (self.winter - 1) / (self.winter + 1)
        return 1 + swing * (1 - 2 * summerness(day))

    def chance(self, hour: int, weekend: bool, active: int, season: float = 1.0) -> float:
        """The chance that a use starts in one 10-minute step, `season` being `season(day)`."""
        weight = PROFILES[self.profile].weight(hour, weekend)
        crowd = CROWD[min(active, len(CROWD) - 1)]
        return min(1.0, weight * crowd * season * self.per_day / _norm(self))


def local_steps(day: date, tz: tzinfo) -> list[tuple[float, int, bool]]:
    """(start, local hour, weekend) of each 10-minute step of local date `day`."""
    return _local_steps(day, tz)


@lru_cache(maxsize=64)
def _local_steps(day: date, tz: tzinfo) -> list[tuple[float, int, bool]]:
    start = datetime.combine(day, time(0), tz).timestamp()
    end = datetime.combine(day + timedelta(days=1), time(0), tz).timestamp()
    weekend = day.weekday() >= 5
    return [
        (t, datetime.fromtimestamp(t, tz).hour, weekend)
        for t in (start + STEP_S * k for k in range(round((end - start) / STEP_S)))
    ]


def draw_uses(
    activity: Activity, household: Household, day: date, rng: random.Random
) -> list[tuple[float, float]]:
    """(start, duration_s) of the activity's uses on local date `day`, in order."""
    uses = []
    shortest, longest = (60 * m for m in activity.minutes)
    season = activity.season(day)
    for t, hour, weekend in local_steps(day, household.tz):
        # draw every number whether or not it is used, so days stay comparable
        chance, position, length = rng.random(), rng.random(), rng.random()
        active = household.active_at(t)
        if active == 0 or chance >= activity.chance(hour, weekend, active, season):
            continue
        start = t + position * STEP_S
        room = household.active_until(t) - start
        if room < shortest:
            continue
        uses.append((start, min(room, shortest + length * (longest - shortest))))
    return uses


ROOM_CAP_STEPS = 72
"""Spells longer than 12 h fit any use: counted as 12 h, to keep the reference small."""


@lru_cache(maxsize=1)
def _reference() -> tuple[dict[tuple[bool, int, float, int], int], int]:
    """How often the reference population has each (weekend, hour, crowd factor, steps until
    the spell ends) among its active steps, and how many household days that covers."""
    counts: Counter[tuple[bool, int, float, int]] = Counter()
    for seed in REFERENCE_SEEDS:
        household = Household(seed, _REFERENCE_TZ, away_days=False)
        # one day more than kept, so the last kept spells know when they end
        dates = [REFERENCE_START + timedelta(days=n) for n in range(REFERENCE_DAYS + 1)]
        timeline = [step for day in dates for step in local_steps(day, _REFERENCE_TZ)]
        kept = len(timeline) - len(local_steps(dates[-1], _REFERENCE_TZ))
        left = 0
        for i in range(len(timeline) - 1, -1, -1):
            t, hour, weekend = timeline[i]
            active = household.active_at(t)
            left = left + 1 if active else 0
            if active and i < kept:
                crowd = CROWD[min(active, len(CROWD) - 1)]
                counts[weekend, hour, crowd, min(left, ROOM_CAP_STEPS)] += 1
    return dict(counts), len(REFERENCE_SEEDS) * REFERENCE_DAYS


@cache
def _norm(activity: Activity) -> float:
    """Expected starts a reference day at chance = weight x crowd: `per_day` divides by it."""
    counts, days = _reference()
    shape = PROFILES[activity.profile]
    shortest = 60 * activity.minutes[0]
    total = 0.0
    for (weekend, hour, crowd, left), count in counts.items():
        fits = min(1.0, max(0.0, (left * STEP_S - shortest) / STEP_S))  # a use needs room
        total += count * shape.weight(hour, weekend) * crowd * fits
    return total / days
