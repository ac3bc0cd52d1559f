"""The default home meets the issue's targets over many seeded household days.

Eight homes (seeds 0-7: their own people, days away and weather), a week from each of
mid-January, April, July and October, every consumer but the car, built as the launcher
builds them and run in memory (home/realism.py). `python -m bench realism` measures the
same figures over longer runs for docs/realism.md; the solar targets are held by
tests/devices/kinds/test_solar.py.
"""

import pytest

from home import realism
from hub.config.load import load_config
from testkit.programs import ROOT

SEEDS = range(8)
DAYS = 7


@pytest.fixture(scope="module")
def home() -> realism.Household:
    return realism.measure_household(
        load_config(ROOT / "home.toml"), SEEDS, DAYS, step_s=realism.FLOOR_WINDOW_S
    )


def test_the_always_on_floor_is_a_uk_homes(home):
    """UK homes' always-on load is 50-150 W: router, boiler controls, standby, the fridges."""
    assert 50 <= home.floor_w <= 150


def test_the_evening_peak_comes_between_17_and_20(home):
    assert 17 <= home.peak_hour < 20
    assert home.peak_w > 2 * home.floor_w


def test_a_year_without_the_car_is_a_typical_uk_homes(home):
    """Ofgem's typical UK home uses 2,700 kWh a year (low 1,800, high 4,100)."""
    assert 2400 <= home.year_kwh <= 3000
    assert home.year_kwh == pytest.approx(sum(home.daily_kwh.values()) / 4 * 365)


def test_winter_days_use_a_fifth_more_than_summer_days(home):
    """UK homes use noticeably more in winter; the BDEW H0 profile's January / July is 1.46."""
    assert home.winter_summer >= 1.2
    assert home.winter_summer == pytest.approx(home.daily_kwh["january"] / home.daily_kwh["july"])
    assert home.daily_kwh["january"] > home.daily_kwh["april"] > home.daily_kwh["july"]


@pytest.mark.parametrize("season", ["january", "july"])
def test_the_mean_days_shape_is_the_standard_households(home, season):
    """Pearson's r of the hourly shares against BDEW's 2025 household profile H25."""
    pytest.importorskip("demandlib")
    from home import bdew

    reference = bdew.hourly_shape("h25", realism.SEASONS[season], DAYS)
    assert realism.pearson(home.shapes[season], reference) >= 0.85
