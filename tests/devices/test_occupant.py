"""The simulated occupant: uses depend on seed and calendar only."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from devices.occupant import WEEKEND, UsageSchedule, Window

LONDON = ZoneInfo("Europe/London")
WINDOWS = (
    Window("07:00", "08:00", 1.0, minutes=(10, 20)),
    Window("19:00", "20:00", 0.5),
    Window("10:00", "11:00", 1.0, days=WEEKEND),
)


def test_uses_fall_inside_their_windows_with_their_durations():
    schedule = UsageSchedule(WINDOWS, seed=1, tz=LONDON)
    for day in range(1, 29):
        uses = schedule.uses_on(date(2026, 3, day))
        hours = [datetime.fromtimestamp(u.start, LONDON).hour for u in uses]
        assert 7 in hours  # chance 1.0
        morning = next(u for u in uses if datetime.fromtimestamp(u.start, LONDON).hour == 7)
        assert 600 <= morning.duration_s <= 1200
        is_weekend = date(2026, 3, day).weekday() >= 5
        assert (10 in hours) == is_weekend


def test_chance_sets_the_share_of_days():
    schedule = UsageSchedule(WINDOWS, seed=2, tz=LONDON)
    evenings = sum(
        any(datetime.fromtimestamp(u.start, LONDON).hour == 19 for u in schedule.uses_on(day))
        for day in (date.fromordinal(date(2026, 1, 1).toordinal() + i) for i in range(200))
    )
    assert 70 <= evenings <= 130


def test_uses_depend_only_on_seed_and_date():
    a = UsageSchedule(WINDOWS, seed=5, tz=LONDON)
    b = UsageSchedule(WINDOWS, seed=5, tz=LONDON)
    b.uses_on(date(2026, 5, 1))  # asking for another day first changes nothing
    assert a.uses_on(date(2026, 5, 2)) == b.uses_on(date(2026, 5, 2))
    other_seed = UsageSchedule(WINDOWS, 6, LONDON)
    assert a.uses_on(date(2026, 5, 2)) != other_seed.uses_on(date(2026, 5, 2))


def test_uses_between_spans_midnight_and_is_half_open():
    schedule = UsageSchedule([Window("23:00", "01:00", 1.0)], seed=3, tz=LONDON)
    start = datetime(2026, 5, 1, 22, 0, tzinfo=LONDON).timestamp()
    uses = list(schedule.uses_between(start, start + 2 * 86400))
    assert len(uses) == 2
    first = uses[0].start
    assert list(schedule.uses_between(first, first + 1)) == [uses[0]]
    assert list(schedule.uses_between(first - 1, first)) == []
