"""The solar chain checked against pvlib, the reference implementation of each step.

pvlib (with numpy and pandas) is a dev dependency only: the device process uses
the plain-`math` versions in devices/sun.py, devices/weather.py and
devices/plane_of_array.py, and these tests hold them to pvlib:

- the sun's position against pvlib's NREL SPA (`solarposition.get_solarposition`),
  hourly over a year in London: elevation and azimuth within 0.02 and 0.03 degree;
- the clear sky against `Location.get_clearsky(model="ineichen")` at sea level:
  with the same Linke turbidity within 2 % whenever the sun is 10 degrees up (below
  that the geometric vs refracted elevation matters), and with pvlib's own
  turbidity climatology for London within 2.5 % on the 15th of every month;
- Erbs's split against `irradiance.erbs` within 1 % (the extraterrestrial
  irradiance comes from the Almanac's Earth-sun distance here, Spencer's series
  there);
- the Hay-Davies transposition against `irradiance.get_total_irradiance(...,
  model="haydavies")` with the same inputs, within 0.1 %, on five roofs.
"""

import pytest

pvlib = pytest.importorskip("pvlib", reason="pvlib is a dev dependency: make install")
pd = pytest.importorskip("pandas")

from devices.plane_of_array import ALBEDO, erbs, poa_global  # noqa: E402
from devices.sun import clear_sky_ghi, extraterrestrial_w_m2, position  # noqa: E402
from devices.weather import irradiance_w_m2, linke_turbidity  # noqa: E402

LAT, LON = 51.5, -0.13
# pvlib 0.16 still asks pandas for `dayofyear`; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:DatetimeIndex.dayofyear is deprecated")
ROOFS = ((35, 180), (0, 180), (20, 90), (60, 270), (90, 180))


def year_hours(step_h: int = 1) -> pd.DatetimeIndex:
    return pd.date_range("2026-01-01", "2026-12-31 23:00", freq=f"{step_h}h", tz="UTC")


def clear_at(t: float) -> float:
    return clear_sky_ghi(position(t, LAT, LON), linke_turbidity(t))


@pytest.fixture(scope="module")
def ours():
    """Our position, clear sky and turbidity hourly over 2026 (a pandas frame for comparison)."""
    times = year_hours()
    rows = []
    for stamp in times:
        t = stamp.timestamp()
        sun = position(t, LAT, LON)
        tl = linke_turbidity(t)
        rows.append((sun.elevation, sun.azimuth, tl, clear_sky_ghi(sun, tl)))
    return pd.DataFrame(rows, index=times, columns=["elevation", "azimuth", "tl", "ghi"])


def test_sun_position_matches_pvlib_spa(ours):
    spa = pvlib.solarposition.get_solarposition(ours.index, LAT, LON, altitude=0)
    assert (ours.elevation - spa.elevation).abs().max() < 0.02
    up = ours.elevation > 0
    azimuth_error = ((ours.azimuth - spa.azimuth + 180) % 360 - 180)[up].abs()
    assert azimuth_error.max() < 0.03


def test_clear_sky_matches_pvlib_ineichen(ours):
    site = pvlib.location.Location(LAT, LON, tz="UTC", altitude=0)
    same_tl = site.get_clearsky(ours.index, model="ineichen", linke_turbidity=ours.tl)
    high = ours.elevation > 10
    assert high.sum() > 2000
    relative = (ours.ghi[high] - same_tl.ghi[high]).abs() / same_tl.ghi[high]
    assert relative.max() < 0.02
    # pvlib's own climatology: the daily totals of the 15th of each month
    quarters = pd.date_range("2026-01-01", periods=365 * 96, freq="15min", tz="UTC")
    days = quarters[quarters.day == 15]
    theirs = site.get_clearsky(days, model="ineichen").ghi.groupby(days.month).sum()
    mine = pd.Series([clear_at(d.timestamp()) for d in days], index=days)
    mine = mine.groupby(days.month).sum()
    assert ((mine - theirs).abs() / theirs).max() < 0.025


@pytest.fixture(scope="module")
def all_sky():
    """Cloudy and clear hours of a year with our sun and our split, for pvlib to redo."""
    times = year_hours(step_h=3) + pd.Timedelta(minutes=17)
    rows = []
    for stamp in times:
        t = stamp.timestamp()
        sun = position(t, LAT, LON)
        ghi = irradiance_w_m2(t, 4, LAT, LON)
        if ghi <= 0:
            continue
        extra = extraterrestrial_w_m2(sun)
        rows.append((stamp, 90 - sun.elevation, sun.azimuth, extra, ghi, *erbs(ghi, sun)))
    frame = pd.DataFrame(rows, columns=["t", "zenith", "azimuth", "extra", "ghi", "dni", "dhi"])
    return frame.set_index("t")


def test_erbs_split_matches_pvlib(all_sky):
    assert len(all_sky) > 1000
    theirs = pvlib.irradiance.erbs(all_sky.ghi, all_sky.zenith, all_sky.index)
    for part in ("dni", "dhi"):
        error = (all_sky[part] - theirs[part]).abs()
        assert (error <= 0.01 * theirs[part] + 1.0).all(), part


@pytest.mark.parametrize(("tilt", "azimuth"), ROOFS)
def test_hay_davies_transposition_matches_pvlib(all_sky, tilt, azimuth):
    theirs = pvlib.irradiance.get_total_irradiance(
        tilt,
        azimuth,
        all_sky.zenith,
        all_sky.azimuth,
        all_sky.dni,
        all_sky.ghi,
        all_sky.dhi,
        dni_extra=all_sky.extra,
        albedo=ALBEDO,
        model="haydavies",
    ).poa_global
    mine = pd.Series(
        [
            poa_global(row.ghi, row.dni, row.dhi, position(t.timestamp(), LAT, LON), tilt, azimuth)
            for t, row in all_sky.iterrows()
        ],
        index=all_sky.index,
    )
    assert ((mine - theirs).abs() <= 0.001 * theirs + 0.01).all()
