"""Outdoor weather for a UK-like climate: temperature and cloudiness as pure functions of time.

The heat pump needs the outdoor temperature and the solar panels need the
cloud cover. Both are pure functions of (seed, time): no state, no clock, so
any model can ask about any instant in any order, and two models given the
same seed live under the same sky (models get their device's own seed, so
today each device has its own sky).

Temperature = seasonal mean + day-to-day offset + diurnal swing:

- the seasonal mean follows a cosine from ~5 C in mid-January to ~17 C in
  mid-July (Met Office 1991-2020 means for southern England: 5-6 C and
  17-18 C);
- each date draws a random offset (sd ~3 C in winter, ~2 C in summer, lightly
  averaged with its neighbours so warm and cold spells last a few days); the
  offsets are interpolated smoothly between middays, so there is no jump at
  midnight;
- the diurnal swing has its minimum at 05:00 and its maximum at 15:00 local
  time, a half-range of ~2 C in winter and ~4 C in summer, damped on cloudy
  days (clouds keep nights warm and days cool).

Cloudiness is 0 (clear) .. 1 (overcast); `irradiance_w_m2` turns it into
sunlight for solar panels and for the sun through a house's windows. Each
date is a clear, mixed or overcast day (clear days are commoner in summer,
overcast ones in winter, as in UK sunshine records); on top of the day's
level, passing clouds move smoothly through knots 20 minutes apart. The
year's mean cover is ~0.7 (the UK's ~5.5-6 oktas). The clear sky is
Ineichen's (devices/sun.py) with pvlib's Linke turbidity climatology for
London; a Kasten-Czeplak-style cloud factor cuts it to ~10 % under a full
overcast, and London gets ~1050 kWh/m2 a year on the horizontal (measured
and PVGIS: ~1000-1100).

`indoor_c` is the temperature of a kitchen in the house: heated to ~18.5 C
when it is cold out, free-running some degrees above the outdoor day mean in
summer. Fridges work harder in a warm kitchen.

All draws come from `random.Random(f"weather:{seed}:{date}")`, one generator
per UTC date. The "weather:" prefix keeps them apart from the occupant's
draws, which use `f"{seed}:{date}"`: otherwise a cold day would also be, say,
a day the occupant boils the kettle early.
"""

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

from devices.sun import SunPosition, clear_sky_ghi, position

MEAN_C = 11.0
SEASONAL_C = 6.0
"""Half the difference between the mid-July and mid-January means."""
COLDEST_DAY = 15
"""Day of the year of the lowest seasonal mean (mid-January)."""
DAY_SD_C = (3.0, 2.0)
"""Standard deviation of the day-to-day offset, (mid-winter, mid-summer): winters vary more."""
DIURNAL_C = (2.0, 4.0)
"""Half-range of the diurnal swing under a clear sky, (mid-winter, mid-summer)."""
COLDEST_HOUR, WARMEST_HOUR = 5.0, 15.0
KNOT_S = 1200
"""Passing clouds: one random knot every 20 minutes, interpolated smoothly."""
KNOTS_PER_DAY = 86400 // KNOT_S
_EPOCH = date(1970, 1, 1)
LINKE_TURBIDITY = (3.15, 3.35, 4.35, 3.95, 3.65, 4.6, 4.95, 4.4, 4.3, 3.85, 3.45, 3.1)
"""Mid-month Linke turbidity, January to December: pvlib's climatology (Meteotest) at London."""
OVERCAST_TRANSMITS = 0.10
"""Share of the clear-sky light a full overcast lets through (UK overcast days: 10-30 %)."""
CLOUD_EXPONENT = 7.0
"""How late in the cover the light goes: thin and broken cloud cuts little, thick cloud a lot.
Kasten and Czeplak fitted 3.4 to hourly oktas; with this model's cover (a day's level plus
passing clouds) and the 10 % overcast floor, 7 gives London's measured year, ~1050 kWh/m2
on the horizontal, and PVGIS's month by month (January ~25, June-July ~155 kWh/m2)."""
HEATED_C = 18.5
"""A heated kitchen in winter (UK homes: ~18-19 C in the kitchen)."""
FREE_RUNNING_GAIN_C = 6.0
"""How far an unheated house sits above the outdoor day mean (sun through windows, cooking,
people): July's ~17 C mean gives a ~23 C kitchen, a 20 C spell a 26 C one."""
_DAY_KINDS = {
    # kind: (lowest level, highest level, passing-cloud amplitude)
    "clear": (0.0, 0.25, 0.15),
    "mixed": (0.55, 0.9, 0.35),
    "overcast": (0.85, 1.0, 0.10),
}


@dataclass(frozen=True)
class _Day:
    """What one date drew: a temperature offset (sd 1), its cloud level and amplitude, knots."""

    offset: float
    cloud: float
    swing: float
    knots: tuple[float, ...]


def summerness(day: date) -> float:
    """0 in mid-January, 1 in mid-July: how far the season is towards summer."""
    angle = 2 * math.pi * (day.timetuple().tm_yday - COLDEST_DAY) / 365.25
    return (1 - math.cos(angle)) / 2


@lru_cache(maxsize=128)
def _day(seed: int, day: date) -> _Day:
    rng = random.Random(f"weather:{seed}:{day.isoformat()}")
    offset = rng.gauss(0.0, 1.0)
    kind_draw, level_draw = rng.random(), rng.random()
    knots = tuple(rng.uniform(-1.0, 1.0) for _ in range(KNOTS_PER_DAY))
    s = summerness(day)
    p_clear, p_overcast = 0.10 + 0.15 * s, 0.55 - 0.20 * s
    if kind_draw < p_clear:
        low, high, swing = _DAY_KINDS["clear"]
    elif kind_draw < p_clear + p_overcast:
        low, high, swing = _DAY_KINDS["overcast"]
    else:
        low, high, swing = _DAY_KINDS["mixed"]
    return _Day(offset, low + level_draw * (high - low), swing, knots)


def _smooth(a: float, b: float, x: float) -> float:
    """From `a` at x=0 to `b` at x=1 with zero slope at both ends."""
    return a + (b - a) * (1 - math.cos(math.pi * x)) / 2


def _utc_date(t: float) -> date:
    return _EPOCH + timedelta(days=math.floor(t / 86400))


def _midday_blend(t: float) -> tuple[date, date, float]:
    """The two UTC dates whose middays bracket `t`, and how far `t` is between them."""
    before = _utc_date(t - 43200)
    return before, before + timedelta(days=1), (t - 43200) / 86400 % 1.0


@lru_cache(maxsize=128)
def _daily(seed: int, day: date) -> tuple[float, float, float]:
    """A date's (seasonal mean, temperature offset, summerness) at its midday.

    The offset is averaged 1-2-1 with the neighbouring dates' (keeping the sd of DAY_SD_C),
    so warm and cold spells last a few days.
    """
    one = timedelta(days=1)
    total = _day(seed, day - one).offset + 2 * _day(seed, day).offset + _day(seed, day + one).offset
    s = summerness(day)
    sd = DAY_SD_C[0] + (DAY_SD_C[1] - DAY_SD_C[0]) * s
    return seasonal_mean_c(day), sd * total / math.sqrt(6), s


def _day_cloud(seed: int, t: float) -> tuple[float, float]:
    """The day-level cloud and passing-cloud amplitude at `t`, blended between middays."""
    before, after, x = _midday_blend(t)
    a, b = _day(seed, before), _day(seed, after)
    return _smooth(a.cloud, b.cloud, x), _smooth(a.swing, b.swing, x)


def cloudiness(t: float, seed: int) -> float:
    """Cloud cover at Unix time `t`, 0 (clear) to 1 (overcast)."""
    level, swing = _day_cloud(seed, t)
    k = math.floor(t / KNOT_S)
    x = t / KNOT_S - k
    this_day, next_day = _utc_date(k * KNOT_S), _utc_date((k + 1) * KNOT_S)
    k0 = _day(seed, this_day).knots[k % KNOTS_PER_DAY]
    k1 = _day(seed, next_day).knots[(k + 1) % KNOTS_PER_DAY]
    return min(1.0, max(0.0, level + swing * _smooth(k0, k1, x)))


def _diurnal_shape(hour: float) -> float:
    """-1 at COLDEST_HOUR, +1 at WARMEST_HOUR: a faster rise in the morning, slow evening fall."""
    rise = WARMEST_HOUR - COLDEST_HOUR
    since_min = (hour - COLDEST_HOUR) % 24
    if since_min < rise:
        return -math.cos(math.pi * since_min / rise)
    return math.cos(math.pi * (since_min - rise) / (24 - rise))


def seasonal_mean_c(day: date) -> float:
    """The climatological mean temperature of a date."""
    return MEAN_C + SEASONAL_C * (2 * summerness(day) - 1)


def temperature_c(t: float, seed: int, tz: tzinfo = UTC) -> float:
    """Outdoor air temperature at Unix time `t`; `tz` places the diurnal swing in local time."""
    before, after, x = _midday_blend(t)
    mean = outdoor_day_mean_c(t, seed)
    s = _smooth(_daily(seed, before)[2], _daily(seed, after)[2], x)
    level = _smooth(_day(seed, before).cloud, _day(seed, after).cloud, x)
    half_range = (DIURNAL_C[0] + (DIURNAL_C[1] - DIURNAL_C[0]) * s) * (1 - 0.5 * level)
    local = datetime.fromtimestamp(t, tz)
    hour = local.hour + local.minute / 60 + local.second / 3600
    return mean + half_range * _diurnal_shape(hour)


def outdoor_day_mean_c(t: float, seed: int) -> float:
    """The outdoor temperature without its diurnal swing: the day's level, smooth across days."""
    before, after, x = _midday_blend(t)
    (mean_a, offset_a, _), (mean_b, offset_b, _) = _daily(seed, before), _daily(seed, after)
    return _smooth(mean_a + offset_a, mean_b + offset_b, x)


def indoor_c(t: float, seed: int) -> float:
    """A kitchen's temperature: the heating's floor, or a free-running house in warm weather.

    It follows the outdoor day mean, not the hour: walls and contents damp the diurnal swing.
    """
    return max(HEATED_C, outdoor_day_mean_c(t, seed) + FREE_RUNNING_GAIN_C)


def linke_turbidity(t: float) -> float:
    """The clear sky's haze at Unix time `t`: LINKE_TURBIDITY interpolated between mid-months."""
    months = (t / 86400.0 - 10957.5) / (365.2425 / 12) - 0.5  # 0 at mid-January 2000
    k = math.floor(months)
    x = months - k
    return (1 - x) * LINKE_TURBIDITY[k % 12] + x * LINKE_TURBIDITY[(k + 1) % 12]


def cloud_factor(cloud: float) -> float:
    """The share of clear-sky light that gets through a cover of `cloud` (0..1).

    Kasten and Czeplak's (1980) form 1 - a c^b, with a full overcast letting
    through OVERCAST_TRANSMITS (their a = 0.75 leaves a quarter, brighter than
    the dull UK winter days in measured records): the dullest days get ~15 %
    of a clear day, a tenth of them under a third, the median two thirds.
    """
    return 1 - (1 - OVERCAST_TRANSMITS) * cloud**CLOUD_EXPONENT


class Sunlight(NamedTuple):
    """Where the sun is and the light it gives on the ground under the weather's clouds."""

    sun: SunPosition
    ghi: float
    """Global horizontal irradiance, W/m2."""


@lru_cache(maxsize=16)
def sunlight(t: float, seed: int, lat: float, lon: float) -> Sunlight:
    """The Ineichen clear-sky light at Unix time `t` cut by `cloud_factor`. Kept for the
    last few times asked: the panels and every light of a home ask for the same minute."""
    sun = position(t, lat, lon)
    clear = clear_sky_ghi(sun, linke_turbidity(t))
    return Sunlight(sun, clear * cloud_factor(cloudiness(t, seed)) if clear > 0 else 0.0)


def irradiance_w_m2(t: float, seed: int, lat: float, lon: float) -> float:
    """Global horizontal irradiance under the weather's clouds at Unix time `t`, W/m2."""
    return sunlight(t, seed, lat, lon).ghi
