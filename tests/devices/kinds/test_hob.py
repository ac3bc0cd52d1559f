"""Electric hob calibrated to appliances.md: 1.2-2.5 kW per ring, cycling, 10-40 min
around meals, ~0.5-1 kWh a day."""

import itertools
from datetime import datetime

import pytest

from devices.simulate import simulate

DAYS = 14
ZONES_W = (1200, 1800, 1800, 2300)


@pytest.fixture(scope="module")
def fortnight():
    return simulate("hob", 24 * DAYS, seed=7)


def cooking(sample):
    return sample.on


def test_sessions_of_10_to_40_minutes_around_meals(fortnight):
    sessions = fortnight.runs(cooking)
    assert 0.7 <= len(sessions) / DAYS <= 1.6
    assert all(10 * 60 <= d <= 40 * 60 + 5 for _, d in sessions)
    hours = [datetime.fromtimestamp(t, fortnight.model.tz).hour for t, _ in sessions]
    assert all(6 <= h < 22 for h in hours)  # while someone of the home cooks: never at night
    assert sum(17 <= h < 20 for h in hours) / len(hours) >= 0.5  # dinner the main one


def test_about_half_a_kwh_to_one_a_day_and_nothing_between_meals(fortnight):
    assert 0.4 <= fortnight.energy_wh / DAYS / 1000 <= 1.0
    assert all(s.power_w == 0 and s.phase == "off" for s in fortnight.samples if not cooking(s))


def test_zones_boil_then_cycle_between_1_and_4_kw(fortnight):
    levels = {s.power_w for s in fortnight.samples if cooking(s)}
    sums = {float(sum(c)) for n in range(4) for c in itertools.combinations(ZONES_W, n)}
    assert levels <= sums  # every reading is a set of zones at full power
    assert max(levels) >= 3000  # two zones on at once
    # the regulator switches zones on and off: many changes per session, not a flat draw
    changes = sum(
        a.power_w != b.power_w for a, b in itertools.pairwise(fortnight.samples) if a.on and b.on
    )
    assert changes / len(fortnight.runs(cooking)) >= 20


def test_on_starts_a_session_that_ends_by_itself_and_off_stops_it():
    model = simulate("hob", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert (model.on, model.phase) == (True, "cooking") and model.power_w > 1000  # on the boil
    model.advance_to(model.now + 24 * 60)
    assert model.on
    assert model.advance_to(model.now + 65) == 0 and model.phase == "off"  # 25 min by default
    model.switch(True, model.now)
    model.switch(False, model.now + 30)
    assert (model.on, model.power_w, model.phase) == (False, 0, "off")


def test_zone_power_is_a_parameter():
    model = simulate("hob", 0.1, params={"auto": "false", "zone_w": 1500}).model
    assert model.rated_w == pytest.approx(1500 * sum(ZONES_W) / 1800)
    model.switch(True, model.now)
    # the first pan, on the boil
    assert any(model.power_w == pytest.approx(w * 1500 / 1800) for w in ZONES_W)


def test_without_auto_nothing_happens_by_itself():
    assert simulate("hob", 24, params={"auto": "false"}).energy_wh == 0
