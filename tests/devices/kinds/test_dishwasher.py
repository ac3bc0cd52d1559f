"""Dishwasher calibrated to appliances.md: two heating blocks of ~1800-3100 W (12
and 10 min), pump 80-160 W, drying 600 W, ~80-110 min, 0 W standby, 1.0-1.4 kWh a run."""

import itertools
from datetime import datetime

import pytest

from devices.simulate import simulate

DAYS = 14


@pytest.fixture(scope="module")
def fortnight():
    return simulate("dishwasher", 24 * DAYS, seed=7)


def running(sample):
    return sample.on


def test_runs_most_days_for_80_to_110_minutes(fortnight):
    runs = fortnight.runs(running)
    assert 0.6 <= len(runs) / DAYS <= 1.2
    assert all(80 <= d / 60 <= 110 for _, d in runs)


def test_energy_per_run_and_no_standby(fortnight):
    runs = fortnight.runs(running)
    assert 0.9 <= fortnight.energy_wh / len(runs) / 1000 <= 1.5  # all of it is in the runs
    assert all(s.power_w == 0 and s.phase == "idle" for s in fortnight.samples if not s.on)


def test_each_run_is_the_published_sequence(fortnight):
    phases = [phase for phase, _ in itertools.groupby(s.phase for s in fortnight.samples)]
    runs = len(fortnight.runs(running))
    assert phases == ["idle", *["prewash", "heat", "wash", "rinse", "heat", "dry", "idle"] * runs]


def test_two_heating_blocks_of_12_and_10_minutes(fortnight):
    blocks = [d / 60 for _, d in fortnight.runs(lambda s: s.phase == "heat")]
    assert blocks[0::2] and all(10.5 <= d <= 13.5 for d in blocks[0::2])
    assert blocks[1::2] and all(8.5 <= d <= 11.5 for d in blocks[1::2])
    assert {s.power_w for s in fortnight.samples if s.phase == "heat"} == {2000}


def test_pump_and_drying_power(fortnight):
    pumped = {s.power_w for s in fortnight.samples if s.phase in ("prewash", "wash", "rinse")}
    assert pumped and all(80 <= w <= 160 for w in pumped)
    drying = [s.power_w for s in fortnight.samples if s.phase == "dry"]
    assert set(drying) == {600, 0}  # heated, then the fan stops and the tub cools
    minutes_heated = drying.count(600) * fortnight.step_s / 60 / len(fortnight.runs(running))
    assert 20 <= minutes_heated <= 30


def test_heater_power_is_a_parameter():
    model = simulate("dishwasher", 0.1, params={"auto": "false", "heater_w": 3000}).model
    model.switch(True, model.now)
    assert model.advance_to(model.now + 12 * 60) == 3000


def test_starts_after_dinner_or_after_a_weekend_lunch(fortnight):
    starts = [datetime.fromtimestamp(t, fortnight.model.tz) for t, _ in fortnight.runs(running)]
    evening = [s for s in starts if s.hour >= 18]
    assert len(evening) / len(starts) >= 0.7
    assert all(8 <= s.hour < 16 for s in starts if s not in evening)


def test_on_starts_a_program_that_ends_by_itself():
    model = simulate("dishwasher", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    assert (model.on, model.phase, model.power_w) == (True, "prewash", 120)
    model.advance_to(model.now + 3 * 3600)
    assert (model.on, model.power_w, model.phase) == (False, 0, "idle")


def test_off_stops_a_program_at_once():
    model = simulate("dishwasher", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    model.advance_to(model.now + 12 * 60)
    assert model.phase == "heat"
    model.switch(False, model.now)
    assert (model.on, model.power_w, model.phase) == (False, 0, "idle")
    assert model.advance_to(model.now + 3600) == 0


def test_without_auto_nothing_happens_by_itself():
    assert simulate("dishwasher", 48, params={"auto": "false"}).energy_wh == 0
