"""Where the sun is, and how much of it a clear sky lets through: for panels and for dusk.

The low-precision solar position of the Astronomical Almanac (good to about
0.01 degree between 1950 and 2050): elevation, azimuth and the Earth-sun
distance, and from them the Ineichen-Perez clear-sky irradiance (Ineichen and
Perez 2002, the model pvlib's `Location.get_clearsky` uses by default), which
tests/devices/test_pvlib_reference.py checks against pvlib. An earlier version used
Haurwitz (1945), which runs ~15 % above Ineichen and made clear days too bright.

Plain `math`, no numpy: device processes must stay small.
"""

import math
from typing import NamedTuple

_J2000_UNIX_DAYS = 10957.5  # 2000-01-01T12:00Z as days since the Unix epoch
SOLAR_CONSTANT_W_M2 = 1366.1
"""Irradiance at the mean Earth-sun distance (the value pvlib uses)."""


class SunPosition(NamedTuple):
    elevation: float
    """Degrees above the horizon (geometric: no refraction)."""
    azimuth: float
    """Degrees clockwise from north: 90 east, 180 south, 270 west."""
    distance_au: float
    """Earth-sun distance in astronomical units (~0.983 in January, ~1.017 in July)."""


def position(t: float, lat_deg: float, lon_deg: float) -> SunPosition:
    """The sun seen from (`lat_deg`, `lon_deg`) at Unix time `t`."""
    n = t / 86400.0 - _J2000_UNIX_DAYS
    mean_longitude = math.radians((280.460 + 0.9856474 * n) % 360)
    mean_anomaly = math.radians((357.528 + 0.9856003 * n) % 360)
    ecliptic_longitude = (
        mean_longitude
        + math.radians(1.915) * math.sin(mean_anomaly)
        + math.radians(0.020) * math.sin(2 * mean_anomaly)
    )
    obliquity = math.radians(23.439 - 0.0000004 * n)
    declination = math.asin(math.sin(obliquity) * math.sin(ecliptic_longitude))
    right_ascension = math.atan2(
        math.cos(obliquity) * math.sin(ecliptic_longitude), math.cos(ecliptic_longitude)
    )
    sidereal_deg = (280.46061837 + 360.98564736629 * n + lon_deg) % 360
    hour_angle = math.radians(sidereal_deg) - right_ascension
    lat = math.radians(lat_deg)
    sin_elevation = math.sin(lat) * math.sin(declination) + math.cos(lat) * math.cos(
        declination
    ) * math.cos(hour_angle)
    elevation = math.degrees(math.asin(max(-1.0, min(1.0, sin_elevation))))
    # azimuth from south, westwards positive, turned to the usual from-north convention
    from_south = math.atan2(
        math.sin(hour_angle),
        math.cos(hour_angle) * math.sin(lat) - math.tan(declination) * math.cos(lat),
    )
    azimuth = (math.degrees(from_south) + 180.0) % 360
    distance = 1.00014 - 0.01671 * math.cos(mean_anomaly) - 0.00014 * math.cos(2 * mean_anomaly)
    return SunPosition(elevation, azimuth, distance)


def elevation_deg(t: float, lat_deg: float, lon_deg: float) -> float:
    """The sun's elevation above the horizon, in degrees, at Unix time `t`."""
    return position(t, lat_deg, lon_deg).elevation


def extraterrestrial_w_m2(sun: SunPosition) -> float:
    """Irradiance at the top of the atmosphere on a plane facing the sun."""
    return SOLAR_CONSTANT_W_M2 / sun.distance_au**2


def air_mass(elevation: float) -> float:
    """Relative optical air mass (Kasten and Young 1989): 1 overhead, ~38 at the horizon."""
    zenith = 90.0 - elevation
    return 1.0 / (math.cos(math.radians(zenith)) + 0.50572 * (96.07995 - zenith) ** -1.6364)


def clear_sky_ghi(sun: SunPosition, linke_turbidity: float) -> float:
    """Global horizontal irradiance under a clear sky at sea level, W/m2 (Ineichen-Perez).

    `linke_turbidity` is how hazy the clear sky is (2 very clean, 3-5 typical of
    London through the year); devices/weather.py gives its climatology.
    """
    if sun.elevation <= 0:
        return 0.0
    cos_zenith = math.sin(math.radians(sun.elevation))
    # at sea level the altitude terms of the model are fh1 = fh2 = 1, cg1 = 0.868, cg2 = 0.0387
    attenuation = math.exp(-0.0387 * air_mass(sun.elevation) * linke_turbidity)
    return 0.868 * extraterrestrial_w_m2(sun) * cos_zenith * attenuation
