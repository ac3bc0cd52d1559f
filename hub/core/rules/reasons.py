"""The words of the reasons a person reads beside each action: "surplus 1.8 kW",
"cheapest 2 h before 07:00"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def power(w: float) -> str:
    """1834 -> "1.8 kW"; under a kilowatt in watts."""
    return f"{w / 1000:.1f} kW" if abs(w) >= 1000 else f"{w:.0f} W"


def duration(s: float) -> str:
    """7200 -> "2 h", 5400 -> "1.5 h", 2700 -> "45 min"."""
    if s < 3600:
        return f"{max(1, round(s / 60))} min"
    return f"{s / 3600:.1f}".removesuffix(".0") + " h"


def clock(ts: float, zone: ZoneInfo) -> str:
    """The local time of day, "07:30"."""
    return dt.datetime.fromtimestamp(ts, zone).strftime("%H:%M")


def price(p: float) -> str:
    """A price per kWh in the home's currency, "0.075/kWh"."""
    return f"{p:.3f}/kWh"
