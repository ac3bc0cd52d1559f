"""Time-of-use pricing (hub.core.tariff): rates, period splits, local days, DST."""

import datetime as dt
import itertools
import math
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.settings import Period, TariffConfig
from hub.core.tariff import Segment, Tariff

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # DST shifts the clock by 30 minutes
FAST = settings(max_examples=200, deadline=None)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEK = frozenset(range(7))


def hm(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def period(name: str, start: str, end: str, rate: float, days=WEEK) -> Period:
    return Period(name, hm(start), hm(end), rate, frozenset(days))


def local(*fields: int, zone: ZoneInfo = LONDON) -> float:
    return dt.datetime(*fields, tzinfo=zone).timestamp()


# Economy 7: a cheap night, and a day that runs over midnight into the next night.
ECONOMY_7 = TariffConfig(
    standing_charge_per_day=0.60,
    export_rate=0.15,
    carbon_g_per_kwh=149,
    periods=(period("night", "00:30", "07:30", 0.09), period("day", "07:30", "00:30", 0.30)),
)
# Day-of-week sets: cheap weekend days, and a cheaper Friday night that runs into Saturday.
WEEKEND = TariffConfig(
    periods=(
        period("weekday", "08:30", "22:00", 0.30, {MON, TUE, WED, THU, FRI}),
        period("weekend", "08:30", "22:00", 0.05, {SAT, SUN}),
        period("night", "22:00", "08:30", 0.10, {SAT, SUN, MON, TUE, WED, THU}),
        period("fri-night", "22:00", "08:30", 0.02, {FRI}),
    )
)
FLAT = TariffConfig()


def hours_by_period(segments: list[Segment]) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    for segment in segments:
        hours[segment.period] += (segment.end - segment.start) / 3600
    return dict(hours)


def test_a_known_day_of_consumption_under_economy_7_costs_exactly():
    # Wednesday 2026-06-10 (BST), metered every 30 s; each pair priced via segments:
    #   base load 200 W all day:      night 7 h * 0.2 kW * 0.09 = 0.126
    #                                 day  17 h * 0.2 kW * 0.30 = 1.020
    #   EV 7 kW 01:00-04:00:          21 kWh * 0.09             = 1.890
    #   oven 2 kW 18:00-19:30:         3 kWh * 0.30             = 0.900
    #   kettle 3 kW 07:25-07:35:      0.25 kWh * 0.09 + 0.25 kWh * 0.30 = 0.0975
    # total 4.0335 for 29.3 kWh
    tariff = Tariff(ECONOMY_7, LONDON)
    midnight = local(2026, 6, 10)
    loads = [(0, 24, 200), (1, 4, 7000), (18, 19.5, 2000), (7 + 25 / 60, 7 + 35 / 60, 3000)]

    def power_w(t: float) -> float:
        hour = (t - midnight) / 3600
        return sum(w for start, end, w in loads if start <= hour < end)

    cost = energy_kwh = 0.0
    for step in range(24 * 120):
        t0, t1 = midnight + 30 * step, midnight + 30 * (step + 1)
        watts = power_w(t0)
        for segment in tariff.segments(t0, t1):
            assert segment.day == dt.date(2026, 6, 10)
            kwh = watts * (segment.end - segment.start) / 3_600_000
            cost += kwh * segment.rate
            energy_kwh += kwh
    assert energy_kwh == pytest.approx(29.3, abs=1e-9)
    assert cost == pytest.approx(4.0335, abs=1e-9)


def test_a_reading_pair_straddling_a_period_boundary_is_split_at_the_boundary():
    tariff = Tariff(ECONOMY_7, LONDON)
    boundary = local(2026, 6, 10, 7, 30)
    day = dt.date(2026, 6, 10)
    assert tariff.segments(boundary - 10, boundary + 5) == [
        Segment(boundary - 10, boundary, 0.09, "night", day),
        Segment(boundary, boundary + 5, 0.30, "day", day),
    ]


def test_a_pair_inside_one_period_is_one_segment():
    tariff = Tariff(ECONOMY_7, LONDON)
    t = local(2026, 6, 10, 12)
    assert tariff.segments(t, t + 2.5) == [Segment(t, t + 2.5, 0.30, "day", dt.date(2026, 6, 10))]
    assert tariff.segments(t, t) == []


def test_a_pair_straddling_local_midnight_is_split_by_day_within_one_period():
    tariff = Tariff(ECONOMY_7, LONDON)
    midnight = local(2026, 6, 11)
    assert tariff.segments(midnight - 2, midnight + 3) == [
        Segment(midnight - 2, midnight, 0.30, "day", dt.date(2026, 6, 10)),
        Segment(midnight, midnight + 3, 0.30, "day", dt.date(2026, 6, 11)),
    ]


def test_backwards_or_nan_intervals_are_refused():
    tariff = Tariff(FLAT, LONDON)
    with pytest.raises(ValueError, match="t0 <= t1"):
        tariff.segments(100.0, 99.0)
    with pytest.raises(ValueError, match="t0 <= t1"):
        tariff.segments(100.0, math.nan)


@pytest.mark.parametrize(
    ("day", "hours", "night", "day_rate_hours"),
    [
        (dt.date(2026, 3, 29), 23, 6, 17),  # clocks go forward at 01:00: night loses an hour
        (dt.date(2026, 10, 25), 25, 8, 17),  # clocks go back at 02:00: night gains an hour
        (dt.date(2026, 6, 10), 24, 7, 17),
    ],
)
def test_dst_days_in_london_have_the_right_hours_per_period(day, hours, night, day_rate_hours):
    tariff = Tariff(ECONOMY_7, LONDON)
    start, end = tariff.day_start(day), tariff.day_start(day + dt.timedelta(days=1))
    assert end - start == hours * 3600
    segments = tariff.segments(start, end)
    assert hours_by_period(segments) == {"night": night, "day": day_rate_hours}
    assert {segment.day for segment in segments} == {day}


def test_the_offset_change_inside_a_period_keeps_its_rate_and_day():
    tariff = Tariff(ECONOMY_7, LONDON)
    change = dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC).timestamp()  # 01:00 GMT -> 02:00 BST
    segments = tariff.segments(change - 60, change + 60)
    assert [(s.start, s.end, s.period) for s in segments] == [
        (change - 60, change, "night"),
        (change, change + 60, "night"),
    ]
    assert tariff.rate_at(change) == 0.09
    assert tariff.day_of(change) == dt.date(2026, 3, 29)


@pytest.mark.parametrize(
    ("when", "name", "rate"),
    [
        ((2026, 6, 12, 23), "fri-night", 0.02),  # Friday night
        ((2026, 6, 13, 7), "fri-night", 0.02),  # Saturday morning: still Friday's period
        ((2026, 6, 13, 8, 30), "weekend", 0.05),
        ((2026, 6, 13, 23), "night", 0.10),  # Saturday night is an ordinary night
        ((2026, 6, 15, 7), "night", 0.10),  # Monday morning: Sunday's night, across the week
        ((2026, 6, 15, 12), "weekday", 0.30),
        ((2026, 6, 12, 7), "night", 0.10),  # Friday morning: Thursday's night
        ((2026, 6, 12, 21, 59), "weekday", 0.30),
    ],
)
def test_day_of_week_sets_and_midnight_crossing_periods(when, name, rate):
    tariff = Tariff(WEEKEND, LONDON)
    assert tariff.period_at(local(*when)).name == name
    assert tariff.rate_at(local(*when)) == rate


def test_friday_evening_to_saturday_morning_is_cut_by_period_and_day():
    tariff = Tariff(WEEKEND, LONDON)
    segments = tariff.segments(local(2026, 6, 12, 21), local(2026, 6, 13, 9))
    assert [(s.period, s.day.day, (s.end - s.start) / 3600) for s in segments] == [
        ("weekday", 12, 1.0),
        ("fri-night", 12, 2.0),
        ("fri-night", 13, 8.5),
        ("weekend", 13, 0.5),
    ]


def test_tariff_figures_and_local_calendar():
    tariff = Tariff(ECONOMY_7, LONDON)
    assert (tariff.standing_charge_per_day, tariff.export_rate, tariff.carbon_g_per_kwh) == (
        0.60,
        0.15,
        149,
    )
    # 23:30 UTC on 31 March is already 1 April in London (BST).
    assert tariff.day_of(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC).timestamp()) == dt.date(
        2026, 4, 1
    )
    assert (
        tariff.month_start(local(2026, 4, 15, 12))
        == dt.datetime(2026, 3, 31, 23, tzinfo=dt.UTC).timestamp()
    )
    assert tariff.month_start(local(2026, 1, 1)) == local(2026, 1, 1)


def test_periods_with_a_gap_are_refused():
    config = TariffConfig(periods=(period("night", "00:30", "07:30", 0.09),))
    with pytest.raises(ValueError, match="no tariff period covers mon 00:00-00:30"):
        Tariff(config, LONDON)


# --- properties --------------------------------------------------------------------

ZONES = (LONDON, NEW_YORK, LORD_HOWE)
TARIFFS = [Tariff(c, z) for c in (ECONOMY_7, WEEKEND, FLAT) for z in ZONES]
durations = st.one_of(st.floats(0, 10), st.floats(0, 3 * 86400))


def offset_changes(zone: ZoneInfo, year: int) -> list[int]:
    """The instants `zone` changes its UTC offset in `year`: a daily scan, then bisection."""

    def offset(t: int) -> dt.timedelta | None:
        return dt.datetime.fromtimestamp(t, zone).utcoffset()

    changes = []
    day = int(local(year, 1, 1, zone=zone))
    for _ in range(366):
        before, after = day, day + 86400
        if offset(before) != offset(after):
            while after - before > 1:
                middle = (before + after) // 2
                before, after = (
                    (middle, after) if offset(middle) == offset(before) else (before, middle)
                )
            changes.append(after)
        day += 86400
    return changes


CHANGES = {zone: offset_changes(zone, 2026) for zone in ZONES}
assert all(len(changes) == 2 for changes in CHANGES.values())


def instants_for(tariff: Tariff) -> st.SearchStrategy[tuple[Tariff, float]]:
    """Anywhere in 15 years, or within a day of one of the zone's offset changes."""
    anywhere = st.floats(local(2020, 1, 1), local(2035, 1, 1))
    near_change = st.builds(
        lambda change, delta: change + delta,
        st.sampled_from(CHANGES[tariff.zone]),
        st.one_of(st.floats(-5, 5), st.integers(-86400, 86400).map(float)),
    )
    return st.tuples(st.just(tariff), st.one_of(anywhere, near_change))


cases = st.sampled_from(TARIFFS).flatmap(instants_for)


def reference_period(tariff: Tariff, t: float) -> Period:
    """The period at `t` straight from the definition, by the local wall clock."""
    # Periods change on whole minutes, so floor(t) has t's period; datetime would round.
    now = dt.datetime.fromtimestamp(math.floor(t), tariff.zone)
    minute, weekday = now.hour * 60 + now.minute, now.weekday()
    matches = []
    for p in tariff.config.periods:
        start, end = p.start.hour * 60 + p.start.minute, p.end.hour * 60 + p.end.minute
        if start < end:
            hit = weekday in p.days and start <= minute < end
        else:  # runs over midnight: belongs to the day it starts on
            hit = (weekday in p.days and minute >= start) or (
                (weekday - 1) % 7 in p.days and minute < end
            )
        if hit:
            matches.append(p)
    assert len(matches) == 1
    return matches[0]


@FAST
@given(cases, durations)
def test_segments_partition_the_interval_exactly(case, length):
    tariff, t0 = case
    t1 = t0 + length
    segments = tariff.segments(t0, t1)
    if t1 == t0:
        assert segments == []
        return
    assert segments[0].start == t0
    assert segments[-1].end == t1
    for before, after in itertools.pairwise(segments):
        assert before.end == after.start
    assert math.isclose(sum(s.end - s.start for s in segments), t1 - t0, abs_tol=1e-6)
    for s in segments:
        assert s.start < s.end
        assert s.rate == tariff.rate_at(s.start)
        assert s.period == tariff.period_at(s.start).name
        assert s.day == tariff.day_of(s.start)
        last = math.nextafter(s.end, -math.inf)  # no boundary hides inside a segment
        assert tariff.period_at(last).name == s.period
        assert tariff.day_of(last) == s.day


@FAST
@given(cases)
def test_period_at_agrees_with_the_definition(case):
    tariff, t = case
    # One shared Tariff per case, queried in random order: the cache must never go stale.
    assert tariff.period_at(t) == reference_period(tariff, t)


@FAST
@given(st.sampled_from(ZONES), st.dates(dt.date(2000, 1, 2), dt.date(2037, 12, 31)))
def test_day_start_begins_the_local_day(zone, day):
    tariff = Tariff(FLAT, zone)
    start = tariff.day_start(day)
    assert tariff.day_of(start) == day
    assert tariff.day_of(start - 0.001) == day - dt.timedelta(days=1)
    assert tariff.segments(start - 1, start + 1)[1].day == day
