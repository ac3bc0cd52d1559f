"""Solar PV calibrated to appliances.md: a Haurwitz clear-sky bell cut by clouds, zero at
night, peaking near solar noon; UK ~850 kWh per kWp per year."""

from collections import defaultdict
from datetime import datetime

import pytest

from devices.kinds.solar import PERFORMANCE_RATIO, Solar
from devices.simulate import simulate
from devices.sun import elevation_deg

DAYS = 7


@pytest.fixture(scope="module")
def june():
    return simulate("solar", 24 * DAYS, seed=4, start="2026-06-15T00:00")


@pytest.fixture(scope="module")
def december():
    return simulate("solar", 24 * DAYS, seed=4, start="2026-12-15T00:00")


class YearlySolar(Solar):
    """The same model on a 15 min grid: a whole year in a fraction of a second."""

    tick_s = 900.0


def test_annual_yield_is_about_850_kwh_per_kwp():
    year = simulate(YearlySolar, 24 * 365, params={"kwp": 4}, seed=4, start="2026-01-01T00:00")
    per_kwp = year.energy_wh / 1000 / 4
    assert 750 <= per_kwp <= 1000
    months = defaultdict(float)
    for s in year.samples:
        months[datetime.fromtimestamp(s.t, year.model.tz).month] += s.power_w * 0.25 / 1000
    # UK: the summer months make ~5-10 times what December does
    assert months[6] > 4 * months[12]
    assert max(months, key=months.get) in (5, 6, 7, 8)


def test_zero_at_night_and_generating_by_day(june):
    model = june.model
    for s in june.samples:
        elevation = elevation_deg(s.t, 51.5, -0.13)
        if elevation <= 0:
            assert (s.power_w, s.phase) == (0, "night")
        elif elevation > 1:  # in the first minutes the Haurwitz formula is ~0
            assert s.power_w > 0 and s.phase == "generating"
    assert all(s.power_w <= 4000 * PERFORMANCE_RATIO for s in june.samples)
    assert model.role == "producer" and model.rated_w == 4000


def test_the_bell_peaks_near_solar_noon(june):
    by_hour = defaultdict(list)
    for s in june.samples:
        by_hour[datetime.fromtimestamp(s.t, june.model.tz).hour].append(s.power_w)
    mean = {hour: sum(p) / len(p) for hour, p in by_hour.items()}
    # solar noon in London in summer time is ~13:00 local
    assert max(mean, key=mean.get) in (12, 13)
    assert mean[13] > 2 * mean[7] and mean[13] > 2 * mean[19]


def test_clouds_cut_some_days_and_summer_beats_winter(june, december):
    def daily_kwh(trace):
        days = defaultdict(float)
        for s in trace.samples:
            days[datetime.fromtimestamp(s.t, trace.model.tz).day] += s.power_w / 60 / 1000
        return list(days.values())

    summer, winter = daily_kwh(june), daily_kwh(december)
    # a clear June day makes ~25 kWh from 4 kWp, an overcast one a third of that or less
    assert 18 <= max(summer) <= 30
    assert min(summer) < 0.5 * max(summer)
    assert sum(summer) > 4 * sum(winter)
    assert max(winter) < 8


def test_power_scales_with_kwp():
    small = simulate("solar", 24, params={"kwp": 2}, seed=4, start="2026-06-15T00:00")
    big = simulate("solar", 24, params={"kwp": 4}, seed=4, start="2026-06-15T00:00")
    assert small.energy_wh == pytest.approx(big.energy_wh / 2)


def test_off_stops_generation_at_once_and_on_resumes():
    model = simulate("solar", 12.5, seed=4, start="2026-06-15T00:00").model
    assert model.phase == "generating" and model.power_w > 0
    model.switch(False, model.now + 10)
    assert (model.on, model.phase, model.power_w) == (False, "off", 0)
    model.advance_to(model.now + 1800)
    assert model.power_w == 0
    model.switch(True, model.now)
    assert model.phase == "generating" and model.power_w > 0


def test_lower_latitudes_get_more_winter_sun():
    london = simulate("solar", 24, seed=4, start="2026-12-21T00:00")
    seville = simulate(
        "solar", 24, params={"lat": 37.4, "lon": -6.0}, seed=4, start="2026-12-21T00:00"
    )
    assert seville.energy_wh > 1.5 * london.energy_wh
