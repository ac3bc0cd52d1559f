"""Agile-like prices and carbon: a seeded half-hourly series shaped like the GB market's.

Shapes and figures are those of ../shared/appliances.md ("Dynamic tariffs",
"Grid carbon intensity"): a day-ahead wholesale price per half hour; import at
about 2.2x wholesale plus 12 p/kWh from 16:00 to 19:00, capped at 100 p/kWh
(and negative when wholesale is); export following wholesale, roughly 4-25
p/kWh; carbon from ~40-80 g/kWh on windy nights to ~250-300 on still winter
evenings, ~150 on average.

One driver makes both, so they agree the way the grid does: the demand left
after wind and sun (the "residual"). Demand follows the clock (a night trough,
an evening peak, more in winter, less at weekends); wind is weather, smooth
over hours and days and windier in winter; sun follows the day length and the
clouds. A windy night has a low residual, so it is cheap and clean; a still
winter evening is dear and dirty.

Deterministic and lazy: every random number is a hash of (seed, stream, knot
index), so any slot of any date is computed on its own, in microseconds, and
is the same on every run and machine.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from protocol import PriceSlot

SLOT_S = 1800
PEAK_HOURS = (16, 19)  # local clock: the agile uplift
PEAK_UPLIFT_P = 12.0
IMPORT_MULTIPLIER = 2.2
IMPORT_CAP_P = 100.0
_MASK = (1 << 64) - 1

# Demand over the local day, as a fraction of a winter weekday's evening peak
_DEMAND = (
    0.62, 0.58, 0.55, 0.54, 0.54, 0.57, 0.66, 0.78, 0.86, 0.88, 0.88, 0.87,
    0.87, 0.86, 0.85, 0.86, 0.92, 1.00, 1.00, 0.95, 0.88, 0.80, 0.72, 0.66,
)  # fmt: skip
_WIND, _GUST, _CLOUD, _JITTER = 1, 2, 3, 4  # independent streams of random numbers
_WIND_KNOT_S, _GUST_KNOT_S, _CLOUD_KNOT_S = 30 * 3600, 7 * 3600, 10 * 3600


def _unit(seed: int, stream: int, index: int) -> float:
    """A uniform number in [0, 1) from (seed, stream, index): splitmix64's finaliser."""
    z = (seed * 0x9E3779B97F4A7C15 + stream * 0xBF58476D1CE4E5B9 + index) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((z ^ (z >> 31)) >> 11) / float(1 << 53)


class AgileModel:
    """The generator for one seed and zone; `slot(n)` is the half hour from n * 1800 s."""

    def __init__(self, seed: int, zone: ZoneInfo):
        self.seed = seed
        self.zone = zone
        self._knots: dict[tuple[int, int], float] = {}  # a knot serves many slots

    def _knot(self, stream: int, index: int) -> float:
        key = (stream, index)
        value = self._knots.get(key)
        if value is None:
            if len(self._knots) > 4096:
                self._knots.clear()
            value = self._knots[key] = _unit(self.seed, stream, index)
        return value

    def _smooth(self, stream: int, t: float, knot_s: float) -> float:
        """Value noise in [0, 1): random knots every `knot_s`, eased between (no kinks)."""
        position = t / knot_s
        index = math.floor(position)
        a, b = self._knot(stream, index), self._knot(stream, index + 1)
        f = position - index
        f = f * f * (3 - 2 * f)
        return a + (b - a) * f

    def wind(self, t: float, winter: float) -> float:
        """0 (still) .. 1 (a gale everywhere): weather systems over days, gusts over hours."""
        systems = self._smooth(_WIND, t, _WIND_KNOT_S) ** 1.3
        gusts = self._smooth(_GUST, t, _GUST_KNOT_S)
        return min(1.0, max(0.0, 0.8 * systems + 0.2 * gusts + 0.12 * winter))

    def sun(self, t: float, solar_hour: float, day_of_year: int) -> float:
        """0 .. ~0.9: the share of demand the country's panels could meet, at best."""
        season = math.sin(2 * math.pi * (day_of_year - 80) / 365.25)  # +1 at midsummer
        daylight = 12.0 + 4.3 * season
        from_noon = abs(solar_hour - 12.0)
        if from_noon >= daylight / 2:
            return 0.0
        height = math.cos(math.pi * from_noon / daylight)
        clouds = self._smooth(_CLOUD, t, _CLOUD_KNOT_S)
        return height * (0.55 + 0.3 * season) * (1.0 - 0.7 * clouds)

    def slot(self, n: int) -> PriceSlot:
        start = n * SLOT_S
        middle = start + SLOT_S / 2
        local = dt.datetime.fromtimestamp(start, self.zone)
        shift = local.dst() or dt.timedelta(0)
        day_of_year = local.timetuple().tm_yday
        winter = math.cos(2 * math.pi * (day_of_year - 15) / 365.25)  # +1 mid-January
        hour = local.hour + local.minute / 60 + 0.25  # the middle of the slot
        solar_hour = hour - shift.total_seconds() / 3600
        low, high = math.floor(hour) % 24, math.ceil(hour) % 24
        f = hour - math.floor(hour)
        demand = _DEMAND[low] + (_DEMAND[high] - _DEMAND[low]) * f
        demand *= (1.0 + 0.12 * winter) * (0.93 if local.weekday() >= 5 else 1.0)
        wind = self.wind(middle, winter)
        residual = demand - 0.7 * wind - 0.45 * self.sun(middle, solar_hour, day_of_year)
        jitter = (_unit(self.seed, _JITTER, n) - 0.5) * 2.0  # -1 .. 1
        wholesale_p = 1.5 + 14.0 * residual + 10.0 * max(0.0, residual - 0.85) ** 2 + jitter
        peak = PEAK_HOURS[0] <= local.hour < PEAK_HOURS[1]
        import_p = IMPORT_MULTIPLIER * wholesale_p + (PEAK_UPLIFT_P if peak else 0.0)
        export_p = max(0.0, 0.95 * wholesale_p + 2.5 + (4.0 if peak else 0.0))
        co2 = 45.0 + 238.0 * min(1.1, max(0.0, residual + 0.05)) + 4.0 * jitter
        # finite floats with start < end by construction: the payload's checks need not run
        return PriceSlot._checked(
            start=float(start),
            end=float(start + SLOT_S),
            import_price=round(min(IMPORT_CAP_P, import_p) / 100.0, 4),
            export_price=round(export_p / 100.0, 4),
            co2_g_per_kwh=round(max(0.0, co2), 1),
        )
