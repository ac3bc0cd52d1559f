"""Kettle calibrated to appliances.md: 2-3 kW, ~3 min boils, ~4 a day, ~0.1 kWh each."""

from datetime import date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest

from devices.kinds.kettle import Kettle
from devices.simulate import simulate

DAYS = 14
LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 3, 2, tzinfo=LONDON).timestamp()


@pytest.fixture(scope="module")
def fortnight():
    return simulate("kettle", 24 * DAYS, seed=7)


def boiling(sample):
    return sample.power_w > 0


def test_boils_match_the_published_figures(fortnight):
    boils = fortnight.runs(boiling)
    assert 3 <= len(boils) / DAYS <= 6  # one home: someone is at home all day in this one
    assert all(90 <= duration <= 240 for _, duration in boils)
    assert all(2000 <= s.power_w <= 3000 for s in fortnight.samples if boiling(s))
    per_use_kwh = fortnight.energy_wh / len(boils) / 1000
    assert 0.07 <= per_use_kwh <= 0.15


def test_about_four_boils_a_day_in_the_average_home():
    counts = []
    for home in range(1, 13):
        model = Kettle.create({}, seed=home * 31, start=T0, tz=LONDON, weather_seed=home)
        counts += [
            len(model.schedule.uses_on(date(2026, 3, 2) + timedelta(days=n))) for n in range(28)
        ]
    assert 3.5 <= mean(counts) <= 4.5
    assert min(counts) == 0  # days away


def test_boils_happen_mostly_in_the_morning_and_evening(fortnight):
    hours = [datetime.fromtimestamp(t, fortnight.model.tz).hour for t, _ in fortnight.runs(boiling)]
    morning_or_evening = [h for h in hours if 6 <= h < 10 or 17 <= h < 23]
    assert len(morning_or_evening) / len(hours) >= 0.5
    assert not [h for h in hours if 1 <= h < 5]  # asleep


def test_on_boils_then_switches_itself_off():
    model = simulate("kettle", 0.1, params={"auto": "false"}).model
    assert model.power_w == 0
    model.switch(True, model.now)
    assert model.phase == "boiling"
    assert model.advance_to(model.now + 30) == pytest.approx(2800)
    model.advance_to(model.now + 600)
    assert (model.on, model.power_w, model.phase) == (False, 0, "off")


def test_off_stops_a_boil_at_once():
    model = simulate("kettle", 0.1, params={"auto": "false"}).model
    model.switch(True, model.now)
    model.advance_to(model.now + 10)
    model.switch(False, model.now)
    assert (model.power_w, model.phase) == (0, "off")


def test_without_auto_nothing_happens_by_itself():
    assert simulate("kettle", 24, params={"auto": "false"}).energy_wh == 0
