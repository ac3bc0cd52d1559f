"""Sample `home.toml` texts for tests: a named home on a flat tariff, plus what a test adds.

One builder, so that a test's config says only what it is about (its threshold, its
devices) and every home shares the same flat 0.25 tariff.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import time
from pathlib import Path

from hub.core.settings import Period, TariffConfig

FLAT_RATE = 0.25
"""Per kWh, all day: the flat tariff of every sample home."""


def _value(value: str | float) -> str:
    return json.dumps(value) if isinstance(value, str) else f"{value:g}"


def _table(header: str, **keys: str | float | None) -> str:
    lines = [header, *(f"{key} = {_value(v)}" for key, v in keys.items() if v is not None)]
    return "\n".join(lines) + "\n"


ECONOMY_7 = """[[tariff.periods]]
name = "night"
start = "00:30"
end = "07:30"
rate = 0.09
[[tariff.periods]]
name = "day"
start = "07:30"
end = "00:30"
rate = 0.28
"""
"""UK Economy 7 as home.toml has it: seven cheap night hours, the day rate the rest."""
ECONOMY_7_TARIFF = TariffConfig(
    standing_charge_per_day=0.60,
    export_rate=0.15,
    carbon_g_per_kwh=149,
    periods=(
        Period("night", time(0, 30), time(7, 30), 0.09),
        Period("day", time(7, 30), time(0, 30), 0.30),
    ),
)
"""The same tariff as a value, for the core's tests (a day rate of 0.30)."""
ECONOMY_7_LOW_FEED_IN = replace(ECONOMY_7_TARIFF, export_rate=0.05)
"""Economy 7 with a feed-in below its night rate: the sun is worth more to a car than
exported (at 0.15 the rules let it wait for the night instead)."""


def home_toml(
    name: str,
    *sections: str,
    currency: str | None = None,
    standing_charge_per_day: float | None = None,
    prices: str | None = None,
    timezone: str | None = None,
) -> str:
    """[home] named `name` (in `timezone`, an IANA name; default Europe/London), the flat
    tariff (with `prices`, a price series: "agile-like" or a CSV file's path), then
    `sections` (`threshold`, `device`...)."""
    text = _table("[home]", name=name, timezone=timezone, currency=currency)
    if standing_charge_per_day is not None or prices is not None:
        text += _table("[tariff]", standing_charge_per_day=standing_charge_per_day, prices=prices)
    flat = _table("[[tariff.periods]]", name="flat", start="00:00", end="00:00", rate=FLAT_RATE)
    return text + flat + "".join(sections)


def threshold(above_w: float, clear_below_w: float | None = None, for_s: float = 1) -> str:
    """A total-power alert: above `above_w` for `for_s` seconds, clear below `clear_below_w`."""
    keys = {"above_w": above_w, "clear_below_w": clear_below_w, "for_s": for_s}
    return _table("[[thresholds]]", rule="total-power", **keys)


def device(device_id: str, kind: str, interval_s: float | None = None) -> str:
    """A device the launcher runs (the hub itself runs none)."""
    return _table("[[devices]]", id=device_id, kind=kind, interval_s=interval_s)


def write_config(directory: Path, text: str) -> Path:
    """`text` as `directory/home.toml`; its path."""
    path = directory / "home.toml"
    path.write_text(text)
    return path
