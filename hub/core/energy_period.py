"""The calendar of the energy view: a day, week, month or year of the home's local time, in buckets.

Pure date arithmetic, so the awkward cases (a 23- or 25-hour day when the
clocks change, a week across two months, a leap year) are tested in
microseconds. A day is split into real hours: the day the clocks go back has
25 buckets, two of them labelled "01:00" and told apart by the zone's
abbreviation ("01:00 BST", "01:00 GMT"). Weeks start on Monday (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.core.tariff import local_midnight

PERIOD_KINDS = ("day", "week", "month", "year")
HOUR_S = 3600.0
FIRST_YEAR, LAST_YEAR = 1971, 9998
"""The years a period may be asked for: its neighbours' years must be dates too."""


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar of the view: [start, end) in Unix seconds, and how the axis labels it."""

    label: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class EnergyPeriod:
    """The period of `kind` that holds a date: its local days [first_day, end_day), its buckets,
    and the first days of the periods before and after it."""

    kind: str
    first_day: dt.date
    end_day: dt.date
    previous: dt.date
    next: dt.date
    buckets: tuple[Bucket, ...]

    @property
    def start(self) -> float:
        return self.buckets[0].start

    @property
    def end(self) -> float:
        return self.buckets[-1].end

    @property
    def edges(self) -> list[float]:
        """Every bucket's start, then the period's end: what `home_buckets` takes."""
        return [bucket.start for bucket in self.buckets] + [self.end]

    def days_begun(self, today: dt.date) -> int:
        """How many of the period's days have begun by `today` (for the standing charge)."""
        total = (self.end_day - self.first_day).days
        return max(0, min(total, (today - self.first_day).days + 1))


def energy_period(kind: str, day: dt.date, zone: ZoneInfo) -> EnergyPeriod:
    """The period of `kind` (one of `PERIOD_KINDS`) that holds local date `day` in `zone`.

    `ValueError` for an unknown kind; `day` must be in FIRST_YEAR..LAST_YEAR, or its
    neighbours may not be dates.
    """
    if kind == "day":
        first, end, previous = day, day + dt.timedelta(days=1), day - dt.timedelta(days=1)
        return EnergyPeriod(kind, first, end, previous, end, _hours(day, zone))
    if kind == "week":
        first = day - dt.timedelta(days=day.weekday())
        end, previous = first + dt.timedelta(days=7), first - dt.timedelta(days=7)
        return EnergyPeriod(kind, first, end, previous, end, _days(first, end, zone))
    if kind == "month":
        first = day.replace(day=1)
        end, previous = _add_months(first, 1), _add_months(first, -1)
        return EnergyPeriod(kind, first, end, previous, end, _days(first, end, zone))
    if kind == "year":
        first = dt.date(day.year, 1, 1)
        end, previous = dt.date(day.year + 1, 1, 1), dt.date(day.year - 1, 1, 1)
        months = [_add_months(first, n) for n in range(13)]
        buckets = tuple(
            Bucket(f"{a:%Y-%m}", local_midnight(a, zone), local_midnight(b, zone))
            for a, b in itertools.pairwise(months)
        )
        return EnergyPeriod(kind, first, end, previous, end, buckets)
    raise ValueError(f"period must be one of {', '.join(PERIOD_KINDS)}, got {kind!r}")


def _hours(day: dt.date, zone: ZoneInfo) -> tuple[Bucket, ...]:
    start, end = local_midnight(day, zone), local_midnight(day + dt.timedelta(days=1), zone)
    starts = []
    t = start
    while t < end:
        starts.append(t)
        t += HOUR_S
    local = [dt.datetime.fromtimestamp(t, zone) for t in starts]
    labels = [f"{moment:%H:%M}" for moment in local]
    repeated = {label for label in labels if labels.count(label) > 1}
    labels = [
        f"{label} {moment.tzname()}" if label in repeated else label
        for label, moment in zip(labels, local, strict=True)
    ]
    ends = [*starts[1:], end]
    return tuple(Bucket(*bucket) for bucket in zip(labels, starts, ends, strict=True))


def _days(first: dt.date, end: dt.date, zone: ZoneInfo) -> tuple[Bucket, ...]:
    days = [first + dt.timedelta(days=n) for n in range((end - first).days + 1)]
    return tuple(
        Bucket(a.isoformat(), local_midnight(a, zone), local_midnight(b, zone))
        for a, b in itertools.pairwise(days)
    )


def _add_months(first: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before) the month of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
