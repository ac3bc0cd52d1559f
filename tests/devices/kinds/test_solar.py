"""Solar PV calibrated to appliances.md and PVGIS for London: 4 kWp at 35 degrees south make
850-1,000 kWh per kWp a year and 0.8-1.1 kWh/kWp on an average January day; zero at night,
peaking near solar noon."""

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


def test_annual_yield_is_850_to_1000_kwh_per_kwp():
    year = simulate(YearlySolar, 24 * 365, params={"kwp": 4}, seed=4, start="2026-01-01T00:00")
    per_kwp = year.energy_wh / 1000 / 4
    assert 850 <= per_kwp <= 1000
    months = defaultdict(float)
    for s in year.samples:
        months[datetime.fromtimestamp(s.t, year.model.tz).month] += s.power_w * 0.25 / 1000
    # PVGIS, London at 35 degrees south: June makes ~4-6 times what December does
    assert months[6] > 3.5 * months[12]
    assert max(months, key=months.get) in (5, 6, 7, 8)


def test_an_average_january_day_makes_about_0_9_kwh_per_kwp():
    days = [
        simulate(YearlySolar, 24 * 31, params={"kwp": 4}, seed=seed, start="2026-01-01T00:00")
        for seed in (1, 2, 3, 4)
    ]
    per_kwp_day = [trace.energy_wh / 1000 / 4 / 31 for trace in days]
    assert 0.8 <= sum(per_kwp_day) / len(per_kwp_day) <= 1.1
    assert all(0.6 <= day <= 1.3 for day in per_kwp_day)  # one January differs from the next


def test_a_south_roof_beats_a_flat_one_in_winter_and_an_east_one_all_year():
    def kwh(**params):
        start = params.pop("start")
        return simulate(YearlySolar, 24 * 7, params=params, seed=4, start=start).energy_wh

    december = {"start": "2026-12-10T00:00"}
    assert kwh(**december) > 1.3 * kwh(tilt=0, **december)
    for start in ("2026-03-10T00:00", "2026-06-10T00:00", "2026-12-10T00:00"):
        assert kwh(start=start) > kwh(azimuth=90, start=start)
        assert kwh(azimuth=90, start=start) > kwh(azimuth=0, start=start)


def test_zero_at_night_and_generating_by_day(june):
    model = june.model
    for s in june.samples:
        elevation = elevation_deg(s.t, 51.5, -0.13)
        if elevation <= 0:
            assert (s.power_w, s.phase) == (0, "night")
        elif elevation > 1:  # in the first minutes after sunrise the clear sky is ~0
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
    assert max(winter) < 10  # a clear December day on a 35 degree south roof: ~8-9 kWh


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
