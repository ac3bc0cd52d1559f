"""Oven calibrated to appliances.md: 2-2.4 kW, thermostat cycling once hot, ~1 kWh a use."""

from datetime import datetime
from statistics import mean

import pytest

from devices.simulate import simulate

DAYS = 14


START = "2026-04-13T00:00"
"""Mid-season: as many dinners as in the year's mean (more in winter, fewer in summer)."""


@pytest.fixture(scope="module")
def fortnight():
    return simulate("oven", 24 * DAYS, seed=7, start=START)


def cooking(sample):
    return sample.on


def heating(sample):
    return sample.power_w > 100


def use_energy_kwh(trace, start, duration):
    return sum(s.power_w for s in trace.samples if start <= s.t < start + duration) * 5 / 3.6e6


def test_power_levels_match_the_published_figures(fortnight):
    assert {s.power_w for s in fortnight.samples} == {2200.0, 3.0}
    assert all(s.on for s in fortnight.samples if heating(s))
    assert {s.phase for s in fortnight.samples} == {"preheat", "baking", "off"}


def test_uses_last_half_an_hour_to_an_hour_and_take_about_1_kwh(fortnight):
    uses = fortnight.runs(cooking)
    assert 0.4 <= len(uses) / DAYS <= 1.1
    assert all(30 * 60 <= d <= 90 * 60 for _, d in uses)
    per_use = [use_energy_kwh(fortnight, start, d) for start, d in uses]
    assert 0.8 <= mean(per_use) <= 1.2  # ~1 kWh a use
    assert all(0.6 <= e <= 1.6 for e in per_use)


def test_preheat_runs_at_full_power_for_about_ten_minutes(fortnight):
    preheats = fortnight.runs(lambda s: s.phase == "preheat")
    assert all(8 * 60 <= d <= 12 * 60 for _, d in preheats)
    assert all(s.power_w == 2200 for s in fortnight.samples if s.phase == "preheat")


def test_thermostat_cycles_the_element_once_hot(fortnight):
    baking = [s for s in fortnight.samples if s.phase == "baking"]
    assert 0.3 <= sum(map(heating, baking)) / len(baking) <= 0.6
    bursts = fortnight.runs(lambda s: s.phase == "baking" and heating(s))
    pauses = fortnight.runs(lambda s: s.phase == "baking" and not heating(s))
    cycle_min = (mean(d for _, d in bursts) + mean(d for _, d in pauses)) / 60
    assert 2 <= cycle_min <= 6  # cycles of a few minutes
    assert len(bursts) / len(fortnight.runs(cooking)) >= 5


def test_used_around_dinner_and_weekend_lunch(fortnight):
    tz = fortnight.model.tz
    starts = [datetime.fromtimestamp(start, tz) for start, _ in fortnight.runs(cooking)]
    dinner = [w for w in starts if 16 <= w.hour < 20]
    lunch = [w for w in starts if 11 <= w.hour < 14]
    assert len(dinner) / len(starts) >= 0.55
    assert len(dinner) + len(lunch) == len(starts)


def test_on_cooks_for_the_default_time_then_switches_itself_off():
    model = simulate("oven", 0.1, params={"auto": "false"}).model
    assert (model.on, model.phase, model.power_w) == (False, "off", 3.0)
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "preheat", 2200.0)
    model.advance_to(model.now + 20 * 60)
    assert model.phase == "baking"
    model.advance_to(model.now + 24 * 60)
    assert model.on
    model.advance_to(model.now + 2 * 60)
    assert (model.on, model.phase, model.power_w) == (False, "off", 3.0)


def test_off_stops_a_use_at_once():
    model = simulate("oven", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    model.advance_to(model.now + 120)
    model.switch(False, model.now)
    assert (model.on, model.phase, model.power_w) == (False, "off", 3.0)
    model.advance_to(model.now + 3600)
    assert model.power_w == 3.0


def test_a_warm_oven_preheats_faster():
    model = simulate("oven", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    cold_start = model.now
    while model.phase == "preheat":
        model.advance_to(model.now + 5)
    cold = model.now - cold_start
    model.switch(False, model.now)
    model.advance_to(model.now + 60)
    model.switch(True, model.now)
    warm_start = model.now
    while model.phase == "preheat" and model.now - warm_start < cold:
        model.advance_to(model.now + 5)
    assert model.now - warm_start < 0.75 * cold  # even if this dish wants it hotter


def test_without_auto_nothing_happens_by_itself():
    trace = simulate("oven", 24, params={"auto": "false"})
    assert trace.energy_wh == pytest.approx(24 * 3.0)  # the clock only
