"""The household's figures (home/realism.py) on loads whose answers are known; the default
home's figures against the issue's targets are in test_realism_targets.py."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from devices.assembly import DeviceSpec, build_model
from home import realism
from home.realism import Load
from hub.config.load import load_config
from testkit.programs import ROOT

LONDON = ZoneInfo("Europe/London")
CONFIG = load_config(ROOT / "home.toml")
JANUARY, JULY = date(2026, 1, 12), date(2026, 7, 13)


def day_load(watts_at_minute, first: date = JANUARY, days: int = 1) -> Load:
    """A load read once a minute from local midnight of `first`."""
    start = realism.midnight(first, LONDON)
    return Load(start, 60.0, [watts_at_minute(i % 1440) for i in range(1440 * days)], LONDON)


def test_a_constant_home_has_its_power_as_floor_and_a_flat_day():
    load = day_load(lambda minute: 100.0, days=2)
    assert realism.floor_w([load]) == pytest.approx(100.0)
    assert realism.hourly_shape([load]) == pytest.approx([1 / 24] * 24)
    assert realism.daily_kwh([load]) == pytest.approx(2.4)
    assert load.days == 2 and load.energy_kwh == pytest.approx(4.8)


def test_the_floor_is_a_low_percentile_of_five_minute_means():
    # 100 W always, a 2 kW appliance a third of the day: the floor is still 100 W
    spiky = day_load(lambda minute: 100.0 + (2000.0 if minute < 480 else 0.0))
    assert realism.floor_w([spiky]) == pytest.approx(100.0)
    # a compressor that cycles every minute counts at its five-minute mean, not at zero
    cycling = day_load(lambda minute: 200.0 if minute % 2 else 0.0)
    assert realism.floor_w([cycling]) == pytest.approx(80.0)
    assert realism.floor_w([cycling], window_s=60) == 0.0
    with pytest.raises(ValueError):
        realism.floor_w([cycling], window_s=90)


@pytest.mark.parametrize("first", [JANUARY, JULY])
def test_the_peak_is_found_at_its_local_hour_in_winter_and_summer_time(first):
    evening = day_load(lambda minute: 1000.0 if minute // 60 == 18 else 50.0, first, days=3)
    assert realism.peak_hour([evening]) == (18, pytest.approx(1000.0))
    shape = realism.hourly_shape([evening])
    assert max(range(24), key=shape.__getitem__) == 18
    assert sum(shape) == pytest.approx(1.0)


def test_the_peak_of_several_loads_is_that_of_their_mean_day():
    early = day_load(lambda minute: 900.0 if minute // 60 == 7 else 0.0)
    late = day_load(lambda minute: 600.0 if minute // 60 in (7, 19) else 0.0)
    assert realism.peak_hour([early, late]) == (7, pytest.approx(750.0))


def test_pearson_is_one_for_a_shape_with_itself_and_minus_one_for_its_mirror():
    shape = [1.0, 3.0, 2.0, 5.0, 4.0]
    assert realism.pearson(shape, shape) == pytest.approx(1.0)
    assert realism.pearson(shape, [2 * x + 7 for x in shape]) == pytest.approx(1.0)
    assert realism.pearson(shape, [-x for x in shape]) == pytest.approx(-1.0)
    assert abs(realism.pearson([1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, -1.0])) < 1e-12
    for bad in ([1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 2.0]):
        with pytest.raises(ValueError):
            realism.pearson(shape, bad)


def test_the_home_is_split_into_consumers_with_or_without_the_car_and_producers():
    consumers = {entry.kind for entry in realism.consumers(CONFIG)}
    assert "baseload" in consumers and "ev_charger" not in consumers and "solar" not in consumers
    assert "ev_charger" in {entry.kind for entry in realism.consumers(CONFIG, with_ev=True)}
    assert [entry.kind for entry in realism.producers(CONFIG)] == ["solar"]
    assert realism.installed_kwp(CONFIG) == 4


def test_a_simulated_load_is_the_exact_integral_of_the_models_built_as_the_launcher_does():
    kettle = next(entry for entry in CONFIG.devices if entry.kind == "kettle")
    load = realism.simulate_load([kettle], LONDON, 3, JANUARY, 1, step_s=60)
    start = realism.midnight(JANUARY, LONDON)
    model = build_model(
        DeviceSpec(kettle.id, kettle.kind, "kettle", kettle.params), 3, start, LONDON
    )
    model.advance_to(start + 86400)
    assert load.energy_kwh == pytest.approx(model.energy_wh / 1000, rel=1e-9)
    assert model.energy_wh > 0 and len(load.watts) == 1440


def test_the_bdew_profiles_have_a_households_evening_peak_and_winter():
    pytest.importorskip("demandlib")
    from home import bdew

    for profile in bdew.PROFILES:
        shape = bdew.hourly_shape(profile, JANUARY, 14)
        assert sum(shape) == pytest.approx(1.0)
        assert 17 <= max(range(24), key=shape.__getitem__) <= 20
    winter_summer = bdew.daily_energy("h0", JANUARY, 14) / bdew.daily_energy("h0", JULY, 14)
    assert 1.3 < winter_summer < 1.6  # the BDEW dynamisation: ~1.46
    with pytest.raises(ValueError):
        bdew.hourly_shape("h0", date(2026, 12, 25), 14)
