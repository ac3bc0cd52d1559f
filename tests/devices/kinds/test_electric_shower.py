"""Electric shower calibrated to appliances.md: 8.5-10.5 kW, ~8 min a shower,
~1.2 kWh a shower, no standby; mostly in the morning."""

from datetime import datetime

import pytest

from devices.simulate import simulate

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("electric_shower", 24 * DAYS, seed=7)


def showering(sample):
    return sample.on


def test_about_one_shower_a_day_of_5_to_12_minutes_at_9_5_kw(fortnight):
    showers = fortnight.runs(showering)
    assert 0.7 <= len(showers) / DAYS <= 1.6
    assert all(5 * 60 <= d <= 12 * 60 + 5 for _, d in showers)
    assert {s.power_w for s in fortnight.samples if showering(s)} == {9500}
    assert {s.power_w for s in fortnight.samples if not showering(s)} == {0}
    assert 0.8 <= fortnight.energy_wh / len(showers) / 1000 <= 1.9


def test_mostly_in_the_morning(fortnight):
    starts = [datetime.fromtimestamp(t, fortnight.model.tz) for t, _ in fortnight.runs(showering)]
    mornings = [s for s in starts if 6 <= s.hour < 11]
    assert len(mornings) / len(starts) >= 0.55
    assert all(5 <= s.hour < 13 or s.hour >= 17 for s in starts)  # the washing hours


def test_on_runs_a_shower_that_ends_by_itself_and_off_stops_it():
    model = simulate("electric_shower", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "showering", 9500)
    assert model.advance_to(model.now + 7 * 60) == 9500
    assert model.advance_to(model.now + 65) == 0  # the default 8 min
    model.switch(True, model.now)
    model.switch(False, model.now + 30)
    assert (model.on, model.power_w, model.phase) == (False, 0, "off")


def test_without_auto_nothing_happens_by_itself():
    assert simulate("electric_shower", 24, params={"auto": "false"}).energy_wh == 0
