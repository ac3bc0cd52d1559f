"""The energy view's calendar: days of 23 and 25 hours, weeks across months, months, years."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hub.core.energy_period import energy_period
from hub.core.tariff import local_midnight

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")


def test_a_day_is_24_hours_from_local_midnight_with_its_neighbours():
    period = energy_period("day", dt.date(2026, 6, 9), LONDON)
    assert (period.first_day, period.end_day) == (dt.date(2026, 6, 9), dt.date(2026, 6, 10))
    assert (period.previous, period.next) == (dt.date(2026, 6, 8), dt.date(2026, 6, 10))
    assert period.start == dt.datetime(2026, 6, 8, 23, tzinfo=dt.UTC).timestamp()  # BST
    assert len(period.buckets) == 24
    assert [b.label for b in period.buckets[:2]] == ["00:00", "01:00"]
    assert all(b.end - b.start == 3600 for b in period.buckets)
    assert period.end - period.start == 86400
    assert period.edges == [b.start for b in period.buckets] + [period.end]


def test_the_day_the_clocks_go_forward_has_23_hours():
    period = energy_period("day", dt.date(2026, 3, 29), LONDON)
    labels = [b.label for b in period.buckets]
    assert len(labels) == 23
    assert labels[:3] == ["00:00", "02:00", "03:00"]  # 01:00 to 02:00 never happens
    assert period.end - period.start == 23 * 3600


def test_the_day_the_clocks_go_back_has_25_hours_and_tells_the_two_1am_apart():
    period = energy_period("day", dt.date(2026, 10, 25), LONDON)
    labels = [b.label for b in period.buckets]
    assert len(labels) == 25
    assert labels[:4] == ["00:00", "01:00 BST", "01:00 GMT", "02:00"]
    assert len(set(labels)) == 25
    assert period.end - period.start == 25 * 3600


def test_a_week_starts_on_monday_and_may_cross_a_month():
    period = energy_period("week", dt.date(2026, 7, 2), LONDON)  # a Thursday
    assert (period.first_day, period.end_day) == (dt.date(2026, 6, 29), dt.date(2026, 7, 6))
    assert (period.previous, period.next) == (dt.date(2026, 6, 22), dt.date(2026, 7, 6))
    assert [b.label for b in period.buckets] == [
        "2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04",
        "2026-07-05",
    ]  # fmt: skip
    assert energy_period("week", dt.date(2026, 6, 29), LONDON) == period


def test_a_week_with_a_clock_change_has_one_short_day():
    period = energy_period("week", dt.date(2026, 3, 29), LONDON)
    lengths = [(b.end - b.start) / 3600 for b in period.buckets]
    assert lengths == [24] * 6 + [23]


def test_a_month_has_its_days_and_its_neighbours_across_a_year():
    period = energy_period("month", dt.date(2026, 12, 15), LONDON)
    assert (period.first_day, period.end_day) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert (period.previous, period.next) == (dt.date(2026, 11, 1), dt.date(2027, 1, 1))
    assert len(period.buckets) == 31
    assert len(energy_period("month", dt.date(2028, 2, 3), LONDON).buckets) == 29  # leap year
    january = energy_period("month", dt.date(2027, 1, 31), LONDON)
    assert january.previous == dt.date(2026, 12, 1)


def test_a_year_has_twelve_months_from_local_new_year():
    period = energy_period("year", dt.date(2026, 6, 9), LONDON)
    assert (period.first_day, period.end_day) == (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert (period.previous, period.next) == (dt.date(2025, 1, 1), dt.date(2027, 1, 1))
    assert [b.label for b in period.buckets] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert period.start == local_midnight(dt.date(2026, 1, 1), LONDON)
    assert period.end - period.start == 365 * 86400
    assert period.buckets[2].end - period.buckets[2].start == 31 * 86400 - 3600  # March


def test_local_days_follow_the_zone():
    period = energy_period("day", dt.date(2026, 6, 9), KOLKATA)
    assert period.start == dt.datetime(2026, 6, 8, 18, 30, tzinfo=dt.UTC).timestamp()
    assert dt.datetime.fromtimestamp(period.start, KOLKATA).date() == dt.date(2026, 6, 9)
    assert dt.datetime.fromtimestamp(period.start - 1, KOLKATA).date() == dt.date(2026, 6, 8)


def test_days_begun_counts_the_standing_charge_days_so_far():
    period = energy_period("month", dt.date(2026, 6, 9), LONDON)
    assert period.days_begun(dt.date(2026, 6, 9)) == 9
    assert period.days_begun(dt.date(2026, 5, 31)) == 0
    assert period.days_begun(dt.date(2027, 1, 1)) == 30


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="period must be one of day, week, month, year"):
        energy_period("hour", dt.date(2026, 1, 1), LONDON)
