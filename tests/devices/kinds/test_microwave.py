"""Microwave calibrated to appliances.md: 1.0-1.5 kW drawn, 1-3 W standby, uses of
1-6 min, several a day, ~0.1-0.2 kWh a day."""

from datetime import datetime

import pytest

from devices.simulate import simulate

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("microwave", 24 * DAYS, seed=7)


def heating(sample):
    return sample.on


def test_several_short_uses_a_day_at_1_2_kw(fortnight):
    uses = fortnight.runs(heating)
    assert 1.5 <= len(uses) / DAYS <= 3.5
    assert all(55 <= d <= 5 * 60 + 5 for _, d in uses)  # 1-5 min, on the 5 s tick grid
    assert {s.power_w for s in fortnight.samples if heating(s)} == {1200}


def test_standby_and_daily_energy(fortnight):
    assert {(s.power_w, s.phase) for s in fortnight.samples if not heating(s)} == {(1.5, "standby")}
    assert 0.1 <= fortnight.energy_wh / DAYS / 1000 <= 0.2


def test_used_around_meals(fortnight):
    hours = [datetime.fromtimestamp(t, fortnight.model.tz).hour for t, _ in fortnight.runs(heating)]
    assert all(6 <= h < 22 for h in hours)  # while someone of the home cooks: never at night
    assert sum(11 <= h < 14 or 16 <= h < 21 for h in hours) / len(hours) >= 0.5  # meal times


def test_on_runs_the_timer_then_stops_and_off_stops_at_once():
    model = simulate("microwave", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "heating", 1200)
    assert model.advance_to(model.now + 110) == 1200
    assert model.advance_to(model.now + 15) == 1.5  # the 2 min default timer ran out
    model.switch(True, model.now)
    model.switch(False, model.now + 20)
    assert (model.on, model.power_w, model.phase) == (False, 1.5, "standby")


def test_without_auto_only_standby_is_drawn():
    assert simulate("microwave", 24, params={"auto": "false"}).energy_wh == pytest.approx(36)
