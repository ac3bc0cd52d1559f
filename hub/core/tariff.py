"""Time-of-use pricing: the rate at an instant, and intervals cut so they can be priced.

Pure: no clock is read; times are Unix seconds on the simulation clock and
"local" means wall-clock time in the home's zone. Periods are wall-clock
times, so on a DST day they last what the clock shows: in Europe/London a
00:30-07:30 period is 6 h on 2026-03-29 (23 h day) and 8 h on 2026-10-25
(25 h day).

Promises of `Tariff.segments(t0, t1)`: the segments partition [t0, t1)
exactly (contiguous, first starts at t0, last ends at t1), and each lies
inside one period and one local day, cut at every period boundary, every
local midnight and every change of UTC offset. So energy spread uniformly
over [t0, t1) is priced and assigned to the right local day exactly.

How periods lay out over the week (`week_layout`) is defined here once; the
config check reports its gaps and overlaps (`coverage_problem`) as errors.

Speed: the common call is a few seconds inside one period, so the current
stretch (same period, same day, same offset) is cached and such a call costs
a comparison and one `Segment`.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.core.settings import Period, TariffConfig

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
_DAY_S = 86400
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY = dt.date(1970, 1, 1).weekday()  # Thursday


Piece = tuple[int, int, int]  # (start minute, end minute, period index) within one day


def week_layout(periods: Sequence[Period]) -> tuple[tuple[Piece, ...], ...]:
    """Each weekday's (0 = Monday) pieces of the periods, sorted by start minute.

    A period whose end is not after its start crosses midnight (start == end is
    the whole day): it belongs to the day it starts on for its `days` check,
    and its part after midnight falls on the next weekday (Sunday -> Monday).
    """
    week: list[list[Piece]] = [[] for _ in range(7)]
    for index, period in enumerate(periods):
        start = period.start.hour * 60 + period.start.minute
        end = period.end.hour * 60 + period.end.minute
        for day in period.days:
            if start < end:
                week[day].append((start, end, index))
                continue
            week[day].append((start, MINUTES_PER_DAY, index))
            if end > 0:
                week[(day + 1) % 7].append((0, end, index))
    return tuple(tuple(sorted(pieces)) for pieces in week)


def coverage_problem(periods: Sequence[Period]) -> tuple[int | None, str] | None:
    """The first gap or overlap in the week: (index of a period involved, message), else None.

    Every minute of every weekday must belong to exactly one period.
    """
    for day, pieces in enumerate(week_layout(periods)):
        covered, owner = 0, None
        for start, end, index in pieces:
            if start > covered:
                return index, f"no tariff period covers {_when(day, covered, start)}"
            if start < covered:
                assert owner is not None  # covered > 0, so a piece came first
                names = f"{periods[owner].name!r} and {periods[index].name!r}"
                return (
                    index,
                    f"tariff periods {names} overlap on {_when(day, start, min(covered, end))}",
                )
            covered, owner = end, index
        if covered < MINUTES_PER_DAY:
            return owner, f"no tariff period covers {_when(day, covered, MINUTES_PER_DAY)}"
    return None


def _when(day: int, start: int, end: int) -> str:
    """``mon 07:00-07:30``; the end of a day shows as 24:00."""
    return f"{DAY_NAMES[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True, slots=True)
class Segment:
    """[start, end) inside one tariff period and one local day."""

    start: float
    end: float
    rate: float
    period: str
    day: dt.date


@dataclass(frozen=True, slots=True)
class _Stretch:
    """[lo, hi): one period, one local day, one UTC offset."""

    lo: float
    hi: float
    period: Period
    day: dt.date


class Tariff:
    """The rates of a `TariffConfig` in a time zone.

    Raises `ValueError` if the periods leave a gap or overlap (a config read by
    `hub.config.load` never does).
    """

    def __init__(self, config: TariffConfig, zone: ZoneInfo):
        problem = coverage_problem(config.periods)
        if problem is not None:
            raise ValueError(f"invalid tariff: {problem[1]}")
        self.config = config
        self.zone = zone
        self._layout = week_layout(config.periods)
        self._starts = tuple(tuple(piece[0] for piece in day) for day in self._layout)
        self._cached: _Stretch | None = None

    @property
    def standing_charge_per_day(self) -> float:
        return self.config.standing_charge_per_day

    @property
    def export_rate(self) -> float:
        return self.config.export_rate

    @property
    def carbon_g_per_kwh(self) -> float:
        return self.config.carbon_g_per_kwh

    def rate_at(self, t: float) -> float:
        """Money per kWh imported at instant `t`."""
        return self._stretch_at(t).period.rate

    def period_at(self, t: float) -> Period:
        return self._stretch_at(t).period

    def span_at(self, t: float) -> tuple[float, float, Period]:
        """[lo, hi) around `t` inside one period, one local day and one UTC offset: the
        fixed periods' price slot (`hub.core.prices.FixedPrices`)."""
        stretch = self._stretch_at(t)
        return stretch.lo, stretch.hi, stretch.period

    def segments(self, t0: float, t1: float) -> list[Segment]:
        """Cut [t0, t1) at period boundaries, local midnights and offset changes.

        Empty when t0 == t1; `ValueError` when t1 < t0 (or either is NaN).
        """
        if not t1 >= t0:
            raise ValueError(f"segments need t0 <= t1, got t0={t0!r}, t1={t1!r}")
        result = []
        t = t0
        while t < t1:
            stretch = self._stretch_at(t)
            end = min(stretch.hi, t1)
            result.append(Segment(t, end, stretch.period.rate, stretch.period.name, stretch.day))
            t = end
        return result

    def day_of(self, t: float) -> dt.date:
        """The local date at instant `t` (exact, where `datetime` would round to 1 µs)."""
        return self._stretch_at(t).day

    def day_start(self, day: dt.date) -> float:
        """The instant local `day` begins (if midnight is skipped by DST, when the clock jumps)."""
        return local_midnight(day, self.zone)

    def month_start(self, t: float) -> float:
        """The instant the local month containing `t` begins."""
        return self.day_start(self.day_of(t).replace(day=1))

    def _offset(self, t: float) -> int:
        # Offsets change on whole seconds, so the offset at floor(t) is exact where
        # `fromtimestamp(t)` could round a hair before a change onto it.
        offset = dt.datetime.fromtimestamp(math.floor(t), self.zone).utcoffset()
        assert offset is not None  # a ZoneInfo always has one
        return int(offset.total_seconds())

    def _stretch_at(self, t: float) -> _Stretch:
        cached = self._cached
        if cached is not None and cached.lo <= t < cached.hi:
            return cached
        self._cached = stretch = self._find(t)
        return stretch

    def _find(self, t: float) -> _Stretch:
        offset = self._offset(t)
        day_number = math.floor((t + offset) / _DAY_S)  # local days since 1970-01-01
        minute = int((t + offset - day_number * _DAY_S) // 60)
        weekday = (day_number + _EPOCH_WEEKDAY) % 7
        index = bisect_right(self._starts[weekday], minute) - 1
        start_minute, end_minute, period_index = self._layout[weekday][index]
        # Wall-clock bounds as instants, valid while the offset stays the same;
        # offsets change on whole seconds, which these bounds are too.
        midnight = day_number * _DAY_S - offset
        lo = midnight + start_minute * 60
        hi = midnight + end_minute * 60
        if hi - 1 > t and self._offset(hi - 1) != offset:
            hi = self._offset_change(math.floor(t), hi - 1, offset)
        if lo < t and self._offset(lo) != offset:
            lo = t
        return _Stretch(
            float(min(lo, t)),
            float(hi),
            self.config.periods[period_index],
            dt.date.fromordinal(_EPOCH_ORDINAL + day_number),
        )

    def _offset_change(self, before: int, after: int, offset: int) -> int:
        """The first whole second in (before, after] whose offset is not `offset`."""
        while after - before > 1:
            middle = (before + after) // 2
            if self._offset(middle) == offset:
                before = middle
            else:
                after = middle
        return after


def local_midnight(day: dt.date, zone: dt.tzinfo) -> float:
    """The instant local `day` begins in `zone` (if DST skips midnight, when the clock jumps)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
