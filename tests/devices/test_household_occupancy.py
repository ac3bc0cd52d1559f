"""The household's occupancy and the activities it drives: pure functions of seed and time."""

import random
from datetime import date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest

from devices.activities import Activity, draw_uses, local_steps
from devices.household import ABSENT, STEP_S, Household
from devices.occupant import UsageSchedule, Window

LONDON = ZoneInfo("Europe/London")
SEEDS = range(100, 112)
MONDAY = date(2026, 10, 5)  # four weeks clear of the holidays the calendar draws from
WEEKS = 4


def at(day: date, hour: float) -> float:
    midnight = datetime.combine(day, datetime.min.time(), LONDON).timestamp()
    return midnight + hour * 3600


def days(first: date = MONDAY, count: int = 7 * WEEKS):
    return [first + timedelta(days=n) for n in range(count)]


def test_occupancy_is_a_function_of_seed_and_time_in_any_order():
    instants = [at(MONDAY, 0) + 137.0 * n for n in range(0, 6000, 7)]
    forwards = Household(5, LONDON)
    in_order = [forwards.presence(t) for t in instants]
    shuffled = instants[:]
    random.Random(0).shuffle(shuffled)
    backwards = Household(5, LONDON)
    asked = {t: backwards.presence(t) for t in reversed(shuffled)}
    assert [asked[t] for t in instants] == in_order
    # how often it is asked does not matter: a 10-minute step has one state
    step = int(at(MONDAY, 19) // STEP_S) * STEP_S
    assert len({forwards.presence(step + s) for s in range(0, STEP_S, 10)}) == 1
    other = Household(6, LONDON)
    assert [other.presence(t) for t in instants] != in_order


def test_counts_stay_within_the_occupants():
    for occupants in (1, 2, 4):
        household = Household(3, LONDON, occupants=occupants)
        assert household.occupants == occupants
        for day in days(count=7):
            hd = household.day(day)
            assert all(0 <= a <= h <= occupants for a, h in zip(hd.active, hd.home, strict=True))
    assert {Household(seed, LONDON).occupants for seed in SEEDS} == {2, 3}


def active_share(hour: float, weekend: bool) -> float:
    """Share of (household, day) with someone at home and awake at `hour`."""
    samples = [
        Household(seed, LONDON, away_days=False).active_at(at(day, hour)) > 0
        for seed in SEEDS
        for day in days()
        if (day.weekday() >= 5) == weekend
    ]
    return sum(samples) / len(samples)


def test_nights_asleep_evenings_at_home():
    for weekend in (False, True):
        assert active_share(3.0, weekend) < 0.05
        assert active_share(20.5, weekend) > 0.85


def test_occupants_are_active_as_often_as_in_crest():
    shares = []
    for seed in SEEDS:
        household = Household(seed, LONDON, away_days=False)
        for day in days():
            hd = household.day(day)
            shares.append(mean(hd.active) / household.occupants)
    assert 0.40 <= mean(shares) <= 0.50  # CREST's mean active occupancy: 0.459


def test_weekdays_and_weekends_differ():
    # up earlier on weekdays; out at work and school in the day
    assert active_share(6.83, weekend=False) > active_share(6.83, weekend=True) + 0.25
    home = [
        mean(
            Household(seed, LONDON, away_days=False).presence(at(day, 11)).home
            for seed in SEEDS
            for day in days()
            if (day.weekday() >= 5) == weekend
        )
        for weekend in (False, True)
    ]
    assert home[1] > home[0] + 0.5


def test_days_away_and_holidays_leave_the_home_empty_and_unused():
    kettle = Activity("hot_drinks", per_day=4.0)
    habit = Window("07:00", "08:00", 1.0)  # a fixed habit waits for them to come home too
    total_away = []
    for seed in SEEDS:
        household = Household(seed, LONDON)
        schedule = UsageSchedule([kettle, habit], seed, LONDON, household)
        year = days(date(2026, 1, 1), 365)
        away = [day for day in year if household.day_kind(day) in ABSENT]
        at_home = [day for day in year[:60] if day not in away]
        assert all(schedule.uses_on(day) for day in at_home)
        total_away.append(len(away))
        for day in away:
            hd = household.day(day)
            assert set(hd.active) == set(hd.home) == {0}
            assert not [use for use in schedule.uses_on(day) if hd.start <= use.start < hd.end], day
    assert 5 <= mean(total_away) <= 20  # a week or two of holidays and a few nights away
    assert max(total_away) <= 30
    assert sum(a > 0 for a in total_away) >= len(SEEDS) - 2


def test_the_calendar_draws_differ_between_homes_and_years():
    def away(seed: int, year: int) -> set[date]:
        household = Household(seed, LONDON)
        return {d for d in days(date(year, 1, 1), 365) if household.day_kind(d) != "weekday"}

    assert away(1, 2026) != away(2, 2026)
    assert {d.replace(year=2026) for d in away(1, 2027)} != away(1, 2026)


@pytest.mark.parametrize(
    ("profile", "per_day", "minutes"),
    [("hot_drinks", 4.0, (0, 0)), ("tv", 1.9, (40, 110)), ("laundry", 0.65, (0, 0))],
)
def test_uses_start_only_while_someone_is_active_and_end_with_the_spell(profile, per_day, minutes):
    activity = Activity(profile, per_day, minutes)
    counts = []
    for seed in SEEDS:
        household = Household(seed, LONDON, away_days=False)
        rng = random.Random(seed)
        for day in days():
            uses = draw_uses(activity, household, day, rng)
            counts.append(len(uses))
            for start, duration in uses:
                assert household.active_at(start) > 0
                assert duration >= 60 * minutes[0]
                assert start + duration <= household.active_until(start)
    # the daily count is the declared one, on average over many households and days
    assert mean(counts) == pytest.approx(per_day, rel=0.15)
    assert len(set(counts)) > 1  # and varies from day to day


def test_more_people_use_more():
    kettle = Activity("hot_drinks", per_day=4.0)

    def per_day(occupants: int) -> float:
        counts = [
            len(draw_uses(kettle, Household(seed, LONDON, occupants, False), day, random.Random(1)))
            for seed in SEEDS[:8]
            for day in days(count=14)
        ]
        return mean(counts)

    assert per_day(1) < per_day(2) < per_day(4)


def test_a_winter_activity_keeps_its_yearly_mean_and_its_january_to_july_ratio():
    tv = Activity("tv", per_day=1.9, minutes=(40, 110), winter=1.3)
    year = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert mean(tv.season(day) for day in year) == pytest.approx(1.0, abs=0.002)
    assert tv.season(date(2026, 1, 15)) / tv.season(date(2026, 7, 16)) == pytest.approx(1.3, 1e-4)
    assert Activity("tv", per_day=1.9).season(date(2026, 1, 15)) == 1.0

    def uses(first: date) -> float:
        counts = [
            len(draw_uses(tv, Household(seed, LONDON, away_days=False), day, random.Random(seed)))
            for seed in SEEDS
            for day in days(first, 14)
        ]
        return mean(counts)

    assert uses(date(2026, 1, 12)) > 1.15 * uses(date(2026, 7, 13))


def test_an_unknown_activity_or_a_season_without_uses_is_refused():
    with pytest.raises(ValueError, match="unknown activity 'juggling'"):
        Activity("juggling", per_day=1)
    with pytest.raises(ValueError, match="winter must be positive"):
        Activity("tv", per_day=1, winter=0)


def test_clock_changes_do_not_break_a_day():
    household = Household(2, LONDON)
    spring, autumn = household.day(date(2026, 3, 28)), household.day(date(2026, 10, 24))
    assert len(spring.active) == 138 and len(autumn.active) == 150  # 23 h and 25 h
    assert household.day(date(2026, 3, 29)).start == spring.end
    assert len(local_steps(date(2026, 3, 29), LONDON)) == 138
    draw_uses(Activity("tv", 2.0), household, date(2026, 3, 29), random.Random(0))
