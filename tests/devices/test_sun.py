"""Solar position and clear-sky irradiance against known values."""

from datetime import UTC, datetime

import pytest

from devices.sun import clear_sky_ghi, elevation_deg

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


def test_haurwitz_clear_sky():
    assert clear_sky_ghi(-5) == 0
    assert clear_sky_ghi(90) == pytest.approx(1098 * 2.718281828**-0.059, rel=1e-6)
    assert clear_sky_ghi(30) < clear_sky_ghi(60)
