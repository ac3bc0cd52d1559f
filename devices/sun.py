"""Where the sun is: enough astronomy for solar panels and for lights that follow dusk.

The low-precision solar position of the Astronomical Almanac (good to about
0.01 degree between 1950 and 2050) and the Haurwitz clear-sky model that
appliances.md calibrates solar output against.
"""

import math

_J2000_UNIX_DAYS = 10957.5  # 2000-01-01T12:00Z as days since the Unix epoch


def elevation_deg(t: float, lat_deg: float, lon_deg: float) -> float:
    """The sun's elevation above the horizon, in degrees, at Unix time `t`."""
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
    return math.degrees(math.asin(max(-1.0, min(1.0, sin_elevation))))


def clear_sky_ghi(elevation: float) -> float:
    """Global horizontal irradiance under a clear sky, W/m2 (Haurwitz 1945)."""
    if elevation <= 0:
        return 0.0
    cos_zenith = math.sin(math.radians(elevation))
    return 1098.0 * cos_zenith * math.exp(-0.059 / cos_zenith)
