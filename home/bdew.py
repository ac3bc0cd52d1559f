"""The BDEW standard household load profiles, H0 (1999) and H25 (2025), as hourly shapes.

The German energy industry's standard profile of a household (BDEW) is the most
widely used published mean day of home electricity; demandlib implements both its
1999 H0 (here with the BDEW dynamisation, `h0_dyn`, that makes winter days larger
than summer ones) and its 2025 revision H25. The household's hourly shape is compared
with them (home/realism.py, `python -m bench realism`, docs/realism.md).

demandlib (with pandas) is a dev dependency only: it is imported inside the functions,
so nothing that runs a home imports it. The BDEW profiles are in local clock time,
with weekdays, Saturdays and Sundays apart; a mean day over the same dates as the
model's weighs them alike.
"""

from __future__ import annotations

import functools
import warnings
from datetime import date, timedelta
from unittest import mock

PROFILES = ("h0", "h25")


@functools.lru_cache(maxsize=8)
def _quarter_hours(profile: str, year: int):
    """A year of the profile at its own 15-minute resolution, as a pandas Series."""
    import pandas as pd
    from demandlib import bdew

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
    # demandlib 0.2.2 was written for pandas 2: under pandas 3 it warns about `inplace`
    # (ignored here), and its ElecSlp calls warnings.simplefilter("error") for the whole
    # process, which turns those warnings into errors: that call is neutralised, and
    # the filters are put back afterwards.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if profile == "h25":
            index = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:45", freq="15min")
            return pd.Series(bdew.H25(index))
        with mock.patch("warnings.simplefilter"):
            return bdew.ElecSlp(year).get_profiles("h0_dyn")["h0_dyn"]


def _days(profile: str, first_day: date, days: int):
    series = _quarter_hours(profile, first_day.year)
    last = first_day + timedelta(days - 1)
    chosen = series[f"{first_day} 00:00" : f"{last} 23:45"]
    if len(chosen) != days * 96:
        raise ValueError(f"{days} days from {first_day} are not inside one year")
    return chosen


def daily_energy(profile: str, first_day: date, days: int) -> float:
    """The profile's mean daily energy over the days, in its own units (for ratios)."""
    return float(_days(profile, first_day, days).sum()) / days


def hourly_shape(profile: str, first_day: date, days: int) -> list[float]:
    """The 24 hourly shares of the profile's mean day over `days` from `first_day`."""
    chosen = _days(profile, first_day, days)
    hourly = chosen.groupby(chosen.index.hour).mean()
    values = [float(hourly[h]) for h in range(24)]
    total = sum(values)
    return [v / total for v in values]
