"""The household: who is at home and awake, at any instant, shared by every device of a home.

In the spirit of the CREST demand model (Richardson, Thomson, Infield and
Clifford, 2008-2010), occupancy is a Markov chain in 10-minute steps, and an
appliance is used only while someone is at home and active (awake). CREST
draws the household's joint state from transition matrices fitted to the UK
2000 Time Use Survey; those tables are too large to ship in a device process,
so here each occupant is a small chain of their own (asleep, at home and
active, away) whose transition probabilities per step come from a few
routine times (when people wake, leave, come back and go to bed), and the
household is the count of occupants at home and active at each step.

- Each occupant has a role drawn once for the home (a commuter, someone at
  home in the day, a child at school), a chronotype (an early or late person,
  +/- 0.4 h) and follows a weekday or weekend routine; a commuter works from
  home on a quarter of weekdays.
- Transitions: a person asleep wakes with the hazard of a normal wake-up time
  (weekdays ~06:40 for commuters, ~07:30 at home, ~08:20 at weekends: UK time
  use surveys put most adults up between 06:00 and 08:00 on weekdays and about
  an hour later at weekends, and in bed 22:30-00:00); a commuter leaves and
  comes back with the hazards of their commute times; someone at home in the
  day goes out shopping or visiting (about one trip of 1.5-2.5 h a day, half as
  many again in mid-summer and half as many in mid-winter); and
  everyone goes to bed with the hazard of a bedtime. The whole household's
  wake and bed times move together by a daily shift (+/- 0.3 h: a late
  Saturday is late for everyone).
- Over many homes an occupant is at home and awake 45 % of the time, as in CREST
  (its mean active occupancy is 0.459).
- The calendar: most households take a summer holiday (7-14 days from
  mid-July), some a second break (Easter, October half-term or Christmas),
  and spend a few nights a year away, mostly Saturdays. On those days nobody
  is at home.

Each household day runs from 04:00 local (everyone asleep or away) to 04:00
the next day and is drawn from `random.Random(f"household:{seed}:{date}")`,
the roles from `f"household:{seed}"` and the calendar from
`f"household:{seed}:calendar:{year}"`: occupancy is a pure function of (home
seed, time), computed lazily a day at a time, so any device can ask about any
instant in any order, at any reporting rate, with no broker, and every device
of a home given the same seed sees the same people.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Literal, NamedTuple

from devices.weather import summerness

STEP_S = 600
"""One step of the chain, as CREST's occupancy model: ten minutes."""
DAY_START_HOUR = 4
"""A household day starts at 04:00 local, when nearly everyone is asleep."""
MAX_OCCUPANTS = 6
ASLEEP, ACTIVE, AWAY = 0, 1, 2
DAILY_SHIFT_H = 0.3
CHRONOTYPE_H = 0.4
WORK_FROM_HOME = 0.25
DAYTIME = (9.0, 20.0)
OUTINGS_SWING = 0.5
"""Trips out are this much more frequent than the year's mean in mid-July, and less in
mid-January: summer days are spent out, winter ones in."""
"""Hours in which people at home go out on trips."""

DayKind = Literal["weekday", "weekend", "away", "holiday"]
ABSENT: frozenset[DayKind] = frozenset({"away", "holiday"})
"""The kinds of day nobody spends at home."""
Role = Literal["commuter", "at_home", "school"]
Hours = tuple[float, float]
"""(mean, standard deviation) of a time of day, in hours."""


@dataclass(frozen=True)
class Routine:
    """One person's day as the times of its transitions."""

    wake: Hours
    bed: Hours
    leave: Hours | None = None
    """The day's main absence (work, school), if any, and when it ends."""
    back: Hours | None = None
    trips: float = 0.0
    """Expected short trips out a day while at home in the DAYTIME hours."""
    trip_min: float = 90.0


ROUTINES: dict[str, Routine] = {
    "commuter": Routine(wake=(6.7, 0.5), bed=(23.0, 0.6), leave=(8.0, 0.5), back=(17.7, 0.8)),
    "school": Routine(wake=(7.0, 0.3), bed=(21.9, 0.6), leave=(8.3, 0.2), back=(15.8, 0.6)),
    "at_home": Routine(wake=(7.4, 0.8), bed=(23.0, 0.7), trips=1.0, trip_min=100.0),
    "weekend": Routine(wake=(8.3, 0.9), bed=(23.5, 0.7), trips=1.0, trip_min=150.0),
}


@dataclass(frozen=True)
class Person:
    role: Role
    chronotype_h: float
    """Added to the routine's wake and bed times: an early or a late person."""


class Presence(NamedTuple):
    home: int
    """Occupants at home, awake or asleep."""
    active: int
    """Occupants at home and awake: the ones who use appliances."""


@dataclass(frozen=True)
class HouseholdDay:
    """One household day from 04:00 local: the counts in each 10-minute step."""

    day: date
    start: float
    kind: DayKind
    home: tuple[int, ...]
    active: tuple[int, ...]

    @property
    def end(self) -> float:
        return self.start + STEP_S * len(self.active)

    def index(self, t: float) -> int:
        return min(len(self.active) - 1, max(0, int((t - self.start) // STEP_S)))


def _survival(x: float, mean: float, sd: float) -> float:
    return 0.5 * math.erfc((x - mean) / (sd * math.sqrt(2)))


def hazard(hour: float, mean: float, sd: float) -> float:
    """Chance that an event due at a normal time (mean, sd) happens in the step from `hour`,
    given it has not happened yet: the chain's transition probability for that step."""
    before = _survival(hour, mean, sd)
    if before < 1e-12:
        return 1.0
    return (before - _survival(hour + STEP_S / 3600, mean, sd)) / before


class Household:
    """The occupants of one home, their calendar, and who is at home and active when."""

    def __init__(self, seed: int, tz: tzinfo, occupants: int = 0, away_days: bool = True):
        """`occupants` 0 draws 2 or 3 from the seed; `away_days` False keeps everyone at home
        every day (a reference household for calibrating appliance use)."""
        self.seed = seed
        self.tz = tz
        self.away_days = away_days
        rng = random.Random(f"household:{seed}")
        drawn = rng.choice((2, 3))
        # draw every person whether or not they live here, so that changing the
        # number of occupants does not reshuffle the others
        roles, chronotypes = [rng.random() for _ in range(MAX_OCCUPANTS)], []
        for _ in range(MAX_OCCUPANTS):
            chronotypes.append(max(-1.0, min(1.0, rng.gauss(0.0, CHRONOTYPE_H))))
        count = occupants or drawn
        self.people = tuple(
            Person(_role(i, roles[i]), chronotypes[i]) for i in range(min(count, MAX_OCCUPANTS))
        )
        self._days: dict[date, HouseholdDay] = {}
        self._calendars: dict[int, dict[date, DayKind]] = {}

    @property
    def occupants(self) -> int:
        return len(self.people)

    def presence(self, t: float) -> Presence:
        """Who is at home, and who is at home and awake, at Unix time `t`."""
        day = self.day_at(t)
        i = day.index(t)
        return Presence(day.home[i], day.active[i])

    def active_at(self, t: float) -> int:
        day = self.day_at(t)
        return day.active[day.index(t)]

    def active_until(self, t: float, limit_s: float = 86400.0) -> float:
        """When the spell of someone being active that holds `t` ends (`t` if nobody is)."""
        day = self.day_at(t)
        i = day.index(t)
        if day.active[i] == 0:
            return t
        while day.start < t + limit_s:
            while i < len(day.active) and day.active[i] > 0:
                i += 1
            if i < len(day.active):
                return day.start + STEP_S * i
            day, i = self.day(day.day + timedelta(days=1)), 0
            if day.active[0] == 0:
                return day.start
        return t + limit_s

    def day_at(self, t: float) -> HouseholdDay:
        """The household day holding `t` (it starts at 04:00, so 01:00 is the day before's)."""
        local = datetime.fromtimestamp(t, self.tz)
        day = local.date() if local.hour >= DAY_START_HOUR else local.date() - timedelta(days=1)
        return self.day(day)

    def day(self, day: date) -> HouseholdDay:
        if day not in self._days:
            if len(self._days) > 16:  # a long run needs only the days around now
                self._days.pop(min(self._days))
            self._days[day] = self._draw(day)
        return self._days[day]

    def day_kind(self, day: date) -> DayKind:
        absent = self._calendar(day.year).get(day) or self._calendar(day.year - 1).get(day)
        if absent and self.away_days:
            return absent
        return "weekend" if day.weekday() >= 5 else "weekday"

    def _start(self, day: date) -> float:
        return datetime.combine(day, time(DAY_START_HOUR), self.tz).timestamp()

    def _draw(self, day: date) -> HouseholdDay:
        start = self._start(day)
        steps = round((self._start(day + timedelta(days=1)) - start) / STEP_S)
        kind = self.day_kind(day)
        if kind in ABSENT:
            return HouseholdDay(day, start, kind, (0,) * steps, (0,) * steps)
        rng = random.Random(f"household:{self.seed}:{day.isoformat()}")
        shift = rng.gauss(0.0, DAILY_SHIFT_H)
        at_home = [rng.random() < WORK_FROM_HOME for _ in range(MAX_OCCUPANTS)]
        home, active = [0] * steps, [0] * steps
        outings = 1 + OUTINGS_SWING * (2 * summerness(day) - 1)
        for n, person in enumerate(self.people):
            if kind == "weekend":
                routine = ROUTINES["weekend"]
            elif person.role == "commuter" and at_home[n]:
                routine = ROUTINES["at_home"]
            else:
                routine = ROUTINES[person.role]
            states = _live(routine, person.chronotype_h + shift, rng, steps, outings)
            for k, state in enumerate(states):
                home[k] += state != AWAY
                active[k] += state == ACTIVE
        return HouseholdDay(day, start, kind, tuple(home), tuple(active))

    def _calendar(self, year: int) -> dict[date, DayKind]:
        if year not in self._calendars:
            self._calendars[year] = _calendar(self.seed, year)
        return self._calendars[year]


def _role(index: int, draw: float) -> Role:
    """The first adult commutes in 70 % of homes, the second in 55 %; a third is usually a child."""
    if index == 0:
        return "commuter" if draw < 0.7 else "at_home"
    if index == 1:
        return "commuter" if draw < 0.55 else "at_home"
    return "school" if draw < 0.7 else "at_home"


def _live(
    routine: Routine, offset_h: float, rng: random.Random, steps: int, outings: float = 1.0
) -> list[int]:
    """One person's state in each step of a household day: the chain run from 04:00 asleep;
    `outings` scales the day's trips out (more on a summer day)."""
    state, woke, left, main_absence = ASLEEP, False, False, False
    wake_mean, bed_mean = routine.wake[0] + offset_h, routine.bed[0] + offset_h
    trip = outings * routine.trips / ((DAYTIME[1] - DAYTIME[0]) * 3600 / STEP_S)
    trip_back = STEP_S / (60 * routine.trip_min)
    states = []
    for k in range(steps):
        # hours since the midnight before the day's 04:00 start; a DST night shifts
        # only the hours after 01:00, when nearly everyone is asleep
        hour = DAY_START_HOUR + k * STEP_S / 3600
        u = rng.random()
        if state == ASLEEP:
            if not woke and u < hazard(hour, wake_mean, routine.wake[1]):
                state, woke = ACTIVE, True
        elif state == ACTIVE:
            to_bed = hazard(hour, bed_mean, routine.bed[1])
            if u < to_bed:
                state = ASLEEP
            elif routine.leave is not None and not left:
                if u < to_bed + hazard(hour, *routine.leave):
                    state, left, main_absence = AWAY, True, True
            elif DAYTIME[0] <= hour < DAYTIME[1] and u < to_bed + trip:
                state, main_absence = AWAY, False
        elif main_absence and routine.back is not None:
            if u < hazard(hour, *routine.back):
                state = ACTIVE
        elif u < trip_back:
            state = ACTIVE
        states.append(state)
    return states


def _calendar(seed: int, year: int) -> dict[date, DayKind]:
    """The household days of `year` (and a few into the next) that nobody spends at home."""
    rng = random.Random(f"household:{seed}:calendar:{year}")
    absent: dict[date, DayKind] = {}
    summer, summer_start, summer_days = rng.random(), rng.randrange(48), rng.randrange(7, 15)
    second, second_when, second_start, second_days = (
        rng.random(),
        rng.randrange(3),
        rng.randrange(10),
        rng.randrange(4, 9),
    )
    nights = [rng.randrange(52) for _ in range(8)]
    count = rng.randrange(3, 9)
    if summer < 0.85:  # from mid-July to the end of August
        first = date(year, 7, 15) + timedelta(days=summer_start)
        absent |= {first + timedelta(days=i): "holiday" for i in range(summer_days)}
    if second < 0.4:  # Easter, October half-term or Christmas
        opening = (date(year, 3, 28), date(year, 10, 20), date(year, 12, 20))[second_when]
        first = opening + timedelta(days=second_start)
        absent |= {first + timedelta(days=i): "holiday" for i in range(second_days)}
    first_saturday = date(year, 1, 1) + timedelta(days=(5 - date(year, 1, 1).weekday()) % 7)
    for week in nights[:count]:
        night = first_saturday + timedelta(weeks=week)
        absent.setdefault(night, "away")
    return absent


@lru_cache(maxsize=16)
def shared_household(seed: int, tz: tzinfo, occupants: int = 0) -> Household:
    """The household of home `seed`: devices in one process (a fleet) share one copy."""
    return Household(seed, tz, occupants)
