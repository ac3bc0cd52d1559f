"""Sunlight on a tilted panel from the light on the ground: what a roof array actually sees.

Panels face the sun far better than the ground does in a UK winter: a 35 degree
south roof gets ~2-2.5 times the horizontal irradiance on a clear January day.
Two standard steps, the same as pvlib's (tests/devices/test_pvlib_reference.py
checks both against it):

1. Split the global horizontal irradiance (GHI) into the direct beam (DNI,
   on a plane facing the sun) and the diffuse sky (DHI) with Erbs, Klein and
   Duffie (1982): the diffuse fraction follows the clearness index kt = GHI /
   (extraterrestrial on the horizontal), ~0.17 under a clear high sun, all of
   the light under thick cloud. Erbs is an all-sky fit: under a clear, low
   winter sun it makes ~half the light diffuse where a clear-sky model says a
   third, so a clear January day gains ~1.9x (a clear-sky split says 2.3-2.6x),
   but a London January of mostly cloudy days gains ~1.6x, as PVGIS has it.
2. Transpose to the plane with the Hay and Davies (1980) sky: the diffuse is
   part circumsolar (it comes from the sun's direction, in proportion to how
   much of the beam gets through) and part isotropic (the share of the sky dome
   the panel sees), plus light reflected from the ground (albedo 0.2, grass and
   roofs).

Plain `math`, no numpy: device processes must stay small.
"""

import math

from devices.sun import SunPosition, extraterrestrial_w_m2

ALBEDO = 0.2
MIN_COS_ZENITH = 0.065
"""Erbs: below ~3.7 degrees of elevation kt is taken against this, not the vanishing sine."""
MAX_BEAM_ZENITH = 87.0
"""Erbs: no beam is split off nearer the horizon than this (all of the light is diffuse)."""
MIN_COS_ZENITH_HAY = 0.01745
"""Hay-Davies: the beam's tilt factor is bounded as pvlib bounds it, at 89 degrees."""


def erbs(ghi: float, sun: SunPosition) -> tuple[float, float]:
    """(DNI, DHI) in W/m2 from `ghi` with the sun at `sun`."""
    cos_zenith = math.sin(math.radians(sun.elevation))
    if ghi <= 0:
        return 0.0, max(ghi, 0.0)
    kt = ghi / (extraterrestrial_w_m2(sun) * max(cos_zenith, MIN_COS_ZENITH))
    kt = min(kt, 1.0)
    if kt <= 0.22:
        diffuse_fraction = 1 - 0.09 * kt
    elif kt <= 0.8:
        diffuse_fraction = 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    else:
        diffuse_fraction = 0.165
    dhi = diffuse_fraction * ghi
    if 90.0 - sun.elevation > MAX_BEAM_ZENITH:
        return 0.0, ghi
    return (ghi - dhi) / cos_zenith, dhi


def cos_incidence(sun: SunPosition, tilt: float, azimuth: float) -> float:
    """Cosine of the angle between the sun and the panel's normal (negative: sun behind it)."""
    zenith, tilt_r = math.radians(90.0 - sun.elevation), math.radians(tilt)
    projection = math.cos(zenith) * math.cos(tilt_r) + math.sin(zenith) * math.sin(
        tilt_r
    ) * math.cos(math.radians(sun.azimuth - azimuth))
    return max(-1.0, min(1.0, projection))


def poa_global(
    ghi: float, dni: float, dhi: float, sun: SunPosition, tilt: float, azimuth: float
) -> float:
    """Irradiance on a panel tilted `tilt` degrees facing `azimuth` (180 south), W/m2,
    from the horizontal light `ghi` and its parts `dni` and `dhi` (`erbs`)."""
    if ghi <= 0:
        return 0.0
    cos_aoi = max(cos_incidence(sun, tilt, azimuth), 0.0)
    beam = dni * cos_aoi
    anisotropy = dni / extraterrestrial_w_m2(sun)
    cos_zenith = math.sin(math.radians(sun.elevation))
    circumsolar = dhi * anisotropy * cos_aoi / max(cos_zenith, MIN_COS_ZENITH_HAY)
    cos_tilt = math.cos(math.radians(tilt))
    isotropic = dhi * (1 - anisotropy) * (1 + cos_tilt) / 2
    ground = ghi * ALBEDO * (1 - cos_tilt) / 2
    return beam + max(circumsolar, 0.0) + max(isotropic, 0.0) + ground
