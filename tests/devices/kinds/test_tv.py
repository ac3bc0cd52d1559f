"""TV calibrated to appliances.md: 100-200 W on, 0.5-3 W standby, ~73 min sessions, evenings."""

from datetime import datetime
from itertools import pairwise
from statistics import mean

import pytest

from devices.simulate import simulate

DAYS = 14


START = "2026-04-13T00:00"
"""Mid-season: as many sessions as in the year's mean (more in winter, fewer in summer)."""


@pytest.fixture(scope="module")
def fortnight():
    return simulate("tv", 24 * DAYS, seed=7, start=START)


def watching(sample):
    return sample.on


def test_power_levels_match_the_published_figures(fortnight):
    on = [s.power_w for s in fortnight.samples if s.on]
    assert all(100 <= p <= 200 for p in on)
    assert 115 <= mean(on) <= 125  # wanders +/- 10 % around the default 120 W
    assert {s.power_w for s in fortnight.samples if not s.on} == {1.0}
    assert {s.phase for s in fortnight.samples} == {"on", "standby"}


def test_picture_power_changes_at_most_once_a_minute(fortnight):
    changes = [
        b.t for a, b in pairwise(fortnight.samples) if a.on and b.on and a.power_w != b.power_w
    ]
    assert len(changes) > 10 * DAYS
    assert all(later - earlier >= 60 for earlier, later in pairwise(changes))


def test_sessions_last_about_73_minutes(fortnight):
    sessions = fortnight.runs(watching)
    assert 1 <= len(sessions) / DAYS <= 3
    assert 55 <= mean(d for _, d in sessions) / 60 <= 95
    assert all(10 * 60 <= d <= 4 * 3600 for _, d in sessions)


def test_watched_mostly_in_the_evening(fortnight):
    tz = fortnight.model.tz
    on = [s for s in fortnight.samples if s.on]
    hours = [datetime.fromtimestamp(s.t, tz).hour for s in on]
    # someone in this home is at home in the day, and watches some afternoons too
    assert sum(17 <= h < 24 for h in hours) / len(hours) >= 0.6
    assert not any(1 <= h < 6 for h in hours)


def test_watched_more_at_weekends(fortnight):
    tz = fortnight.model.tz
    days = [datetime.fromtimestamp(s.t, tz).weekday() for s in fortnight.samples if s.on]
    weekend_share = sum(day >= 5 for day in days) / len(days)
    assert weekend_share > 2 / 7  # more viewing per weekend day than per weekday


def test_daily_energy_is_plausible(fortnight):
    # ~1.8 sessions of ~73 min at 120 W plus 1 W standby: about 0.3 kWh a day
    assert 0.15 <= fortnight.energy_wh / DAYS / 1000 <= 0.45


def test_off_goes_to_standby_at_once_and_on_lasts_until_auto_standby():
    model = simulate("tv", 0.1, params={"auto": "false"}).model
    assert (model.on, model.phase, model.power_w) == (False, "standby", 1.0)
    model.switch(True, model.now)
    assert model.phase == "on" and 108 <= model.power_w <= 132
    assert model.advance_to(model.now + 3 * 3600) > 100  # still watching three hours later
    model.switch(False, model.now)
    assert (model.on, model.phase, model.power_w) == (False, "standby", 1.0)
    model.switch(True, model.now)
    model.advance_to(model.now + 4 * 3600 + 10)
    assert (model.on, model.power_w) == (False, 1.0)  # EU ecodesign auto-standby after 4 h


def test_off_ends_a_scheduled_session_until_the_next_one():
    model = simulate("tv", 0.1, seed=7).model
    use, following = list(model.schedule.uses_between(model.now, model.now + 2 * 86400))[:2]
    model.advance_to(use.start + 60)
    assert model.on
    model.switch(False, model.now)
    model.advance_to(min(use.start + use.duration_s, following.start) - 5)
    assert not model.on


def test_seeds_give_different_days(fortnight):
    first_day = [s.power_w for s in fortnight.samples[: 24 * 720]]
    assert [s.power_w for s in simulate("tv", 24, seed=7, start=START).samples] == first_day
    assert [s.power_w for s in simulate("tv", 24, seed=8, start=START).samples] != first_day


def test_without_auto_nothing_happens_by_itself():
    trace = simulate("tv", 24, params={"auto": "false"})
    assert trace.energy_wh == pytest.approx(24 * 1.0)  # standby only
    assert not any(s.on for s in trace.samples)
