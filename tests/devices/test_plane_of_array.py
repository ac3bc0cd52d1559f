"""Sunlight on a tilted panel: flat panels see the ground's light, south roofs more in winter,
clouds make the light diffuse (pvlib's versions: test_pvlib_reference.py)."""

from datetime import UTC, datetime

import pytest

from devices.plane_of_array import cos_incidence, erbs, poa_global
from devices.sun import clear_sky_ghi, extraterrestrial_w_m2, position
from devices.weather import cloud_factor, linke_turbidity

LONDON = (51.5, -0.13)


def at(*args) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def clear_day(month: int, day: int, tilt: float, azimuth: float, cloud: float = 0.0):
    """(horizontal, plane of array) kWh/m2 over a day, every 10 minutes."""
    flat = tilted = 0.0
    for i in range(144):
        t = at(2026, month, day) + 300 + 600 * i
        sun = position(t, *LONDON)
        ghi = clear_sky_ghi(sun, linke_turbidity(t)) * cloud_factor(cloud)
        flat += ghi / 6000
        tilted += poa_global(ghi, *erbs(ghi, sun), sun, tilt, azimuth) / 6000
    return flat, tilted


def test_a_flat_panel_sees_the_horizontal_irradiance():
    for hour in (6, 8, 10, 12, 15, 18):
        t = at(2026, 4, 10, hour)
        sun = position(t, *LONDON)
        for cloud in (0.0, 0.8, 0.95, 1.0):
            ghi = clear_sky_ghi(sun, linke_turbidity(t)) * cloud_factor(cloud)
            assert poa_global(ghi, *erbs(ghi, sun), sun, 0.0, 180.0) == pytest.approx(ghi)


def test_a_south_roof_gets_over_twice_the_ground_on_a_clear_january_day():
    flat, south = clear_day(1, 15, 35, 180)
    # appliances.md: ~2.3 with a clear-sky split; Erbs's all-sky split makes it ~1.9
    assert 1.8 <= south / flat <= 2.6
    _, north = clear_day(1, 15, 35, 0)
    assert north < 0.6 * flat
    # in June the gain is small: the sun is high anyway
    flat, south = clear_day(6, 21, 35, 180)
    assert 1.0 <= south / flat <= 1.25
    # east and west roofs mirror each other around solar noon
    _, east = clear_day(3, 20, 35, 90)
    _, west = clear_day(3, 20, 35, 270)
    assert east == pytest.approx(west, rel=0.05)


def test_under_clouds_the_light_is_diffuse_and_the_tilt_gains_little():
    t = at(2026, 1, 15, 12)
    sun = position(t, *LONDON)
    clear = clear_sky_ghi(sun, linke_turbidity(t))
    dni, dhi = erbs(clear, sun)
    assert 0.3 <= dhi / clear <= 0.55  # low winter sun: a hazy beam, much of it diffuse
    assert dni * max(cos_incidence(sun, 0, 180), 0) + dhi == pytest.approx(clear)
    overcast = clear * cloud_factor(1.0)
    dni, dhi = erbs(overcast, sun)
    assert dni == 0 or dni < 0.05 * extraterrestrial_w_m2(sun)
    assert dhi / overcast > 0.9
    flat, south = clear_day(1, 15, 35, 180, cloud=1.0)
    assert south / flat < 1.0  # the sky behind a tilted panel is lost, the ground adds little


def test_no_light_at_night_and_none_from_behind():
    night = position(at(2026, 1, 15, 0), *LONDON)
    assert poa_global(0.0, 0.0, 0.0, night, 35, 180) == 0
    assert erbs(0.0, night) == (0.0, 0.0)
    noon = position(at(2026, 6, 21, 12), *LONDON)
    assert cos_incidence(noon, 90, 0) < 0  # a north wall at noon faces away from the sun
    assert poa_global(800.0, *erbs(800.0, noon), noon, 90, 0) < 0.3 * 800
