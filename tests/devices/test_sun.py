"""Solar position and clear-sky irradiance against known values (pvlib: test_pvlib_reference.py)."""

from datetime import UTC, datetime

import pytest

from devices.sun import SunPosition, air_mass, clear_sky_ghi, elevation_deg, position

LONDON = (51.5, -0.13)


def at(*args) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def test_noon_elevation_at_the_solstices_in_london():
    # 90 - latitude +/- the obliquity of the ecliptic
    assert elevation_deg(at(2026, 6, 21, 12, 0), *LONDON) == pytest.approx(61.9, abs=0.3)
    assert elevation_deg(at(2026, 12, 21, 12, 0), *LONDON) == pytest.approx(15.1, abs=0.3)


def test_night_is_below_the_horizon():
    assert elevation_deg(at(2026, 6, 21, 0, 0), *LONDON) < -10
    assert elevation_deg(at(2026, 12, 21, 18, 0), *LONDON) < -15


def test_azimuth_east_in_the_morning_south_at_noon_west_in_the_evening():
    # at the equinox the sun rises due east and sets due west
    assert position(at(2026, 3, 20, 6, 5), *LONDON).azimuth == pytest.approx(90, abs=3)
    assert position(at(2026, 3, 20, 12, 8), *LONDON).azimuth == pytest.approx(180, abs=1)
    assert position(at(2026, 3, 20, 18, 10), *LONDON).azimuth == pytest.approx(270, abs=3)
    # a midsummer sun rises in the north-east
    assert 40 < position(at(2026, 6, 21, 4, 0), *LONDON).azimuth < 60


def test_the_earth_is_nearest_the_sun_in_january():
    assert position(at(2026, 1, 3), *LONDON).distance_au == pytest.approx(0.983, abs=0.001)
    assert position(at(2026, 7, 5), *LONDON).distance_au == pytest.approx(1.017, abs=0.001)


def test_ineichen_clear_sky():
    overhead = SunPosition(90.0, 180.0, 1.0)
    assert air_mass(90) == pytest.approx(1.0, abs=1e-3)
    assert 35 < air_mass(0) < 40
    assert clear_sky_ghi(SunPosition(-5.0, 180.0, 1.0), 3.0) == 0
    # overhead, TL 3: 0.868 x 1366.1 x exp(-0.0387 x 3) ~ 1056 W/m2
    assert clear_sky_ghi(overhead, 3.0) == pytest.approx(1056, abs=2)
    assert clear_sky_ghi(overhead, 4.0) < clear_sky_ghi(overhead, 3.0)  # hazier, darker
    low, high = SunPosition(30.0, 180.0, 1.0), SunPosition(60.0, 180.0, 1.0)
    assert clear_sky_ghi(low, 3.0) < clear_sky_ghi(high, 3.0)
    # London, midsummer noon: ~850-900 W/m2 (Haurwitz, the model before, said ~960)
    assert 820 < clear_sky_ghi(position(at(2026, 6, 21, 12), *LONDON), 3.7) < 920
