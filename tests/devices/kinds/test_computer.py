"""Desktop PC calibrated to appliances.md: 100-140 W in use, 5 W asleep, long sessions."""

from datetime import datetime
from statistics import mean

import pytest

from devices.params import ModelError
from devices.simulate import simulate

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("computer", 24 * DAYS, seed=7)


def in_use(sample):
    return sample.on


def test_power_levels_match_the_published_figures(fortnight):
    by_phase = {}
    for s in fortnight.samples:
        by_phase.setdefault(s.phase, set()).add(s.power_w)
    assert by_phase == {"active": {120.0}, "idle": {60.0}, "sleep": {5.0}}
    assert all(100 <= s.power_w <= 140 for s in fortnight.samples if s.phase == "active")
    assert all(s.on == (s.phase != "sleep") for s in fortnight.samples)


def test_sessions_are_long(fortnight):
    sessions = [d / 60 for _, d in fortnight.runs(in_use)]
    assert 0.5 <= len(sessions) / DAYS <= 1.5
    assert 200 <= mean(sessions) <= 360  # CREST mean 300 min
    assert min(sessions) >= 60


def test_sessions_alternate_active_and_idle(fortnight):
    on = [s for s in fortnight.samples if s.on]
    assert 0.6 <= sum(s.phase == "active" for s in on) / len(on) <= 0.8
    active = [d / 60 for _, d in fortnight.runs(lambda s: s.phase == "active")]
    idle = [d / 60 for _, d in fortnight.runs(lambda s: s.phase == "idle")]
    assert 4 <= mean(active) <= 10 and 1.5 <= mean(idle) <= 5  # spells of several minutes


def test_sessions_start_in_the_day_or_the_evening(fortnight):
    tz = fortnight.model.tz
    hours = [datetime.fromtimestamp(start, tz).hour for start, _ in fortnight.runs(in_use)]
    assert all(8 <= hour <= 22 for hour in hours)
    mornings = [h for h in hours if h < 12]
    evenings = [h for h in hours if h >= 18]
    assert mornings and evenings


def test_daily_energy_is_plausible(fortnight):
    # ~4 h at ~100 W average in a session plus 5 W asleep the rest of the day
    assert 0.3 <= fortnight.energy_wh / DAYS / 1000 <= 0.7


def test_on_starts_a_default_session_and_off_sleeps_at_once():
    model = simulate("computer", 0.1, params={"auto": "false", "session_min": 60}).model
    assert (model.on, model.phase, model.power_w) == (False, "sleep", 5.0)
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "active", 120.0)
    model.advance_to(model.now + 59 * 60)
    assert model.on
    model.advance_to(model.now + 2 * 60)
    assert (model.on, model.phase, model.power_w) == (False, "sleep", 5.0)
    model.switch(True, model.now)
    model.advance_to(model.now + 600)
    model.switch(False, model.now)
    assert (model.on, model.phase, model.power_w) == (False, "sleep", 5.0)


def test_a_laptop_is_a_parameter_set_away():
    params = {"active_w": 55, "idle_w": 30, "sleep_w": 1.5}
    powers = {s.power_w for s in simulate("computer", 24, params=params, seed=7).samples}
    assert powers == {55.0, 30.0, 1.5}


def test_idle_above_active_is_rejected():
    with pytest.raises(ModelError, match="idle_w"):
        simulate("computer", 0.1, params={"idle_w": 150})


def test_without_auto_nothing_happens_by_itself():
    trace = simulate("computer", 24, params={"auto": "false"})
    assert trace.energy_wh == pytest.approx(24 * 5.0)  # asleep all day
    assert not any(s.on for s in trace.samples)
