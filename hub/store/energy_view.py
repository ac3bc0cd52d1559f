"""The energy view (Home Assistant's Energy dashboard, for this home), read from hourly rollups.

Every figure the page shows is computed here once: the buckets of the
period by source (from grid = imported, from solar = generation used at home,
from battery = 0 until storage exists) and export, the totals with
self-sufficiency and self-consumption, cost with the standing charge of the
days begun, carbon, and per device its energy, cost and sources, with the
home's consumption no known consumer accounts for as "untracked".

Which devices are consumers comes from the hub's registry now; a device it
no longer knows counts as a consumer, as the summary counts it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from hub.core.energy_period import (
    FIRST_YEAR,
    LAST_YEAR,
    PERIOD_KINDS,
    EnergyPeriod,
    energy_period,
)
from hub.core.energy_rows import HomeTotals
from hub.store.energy import DeviceEnergy
from hub.store.queries import StoreQueries
from hub.store.schema import BadQueryError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FLAGS = {"1": True, "true": True, "0": False, "false": False}


@dataclass(frozen=True)
class EnergyQuery:
    """Which period to show: its kind, a local date in it (None: today), and the comparison."""

    period: str = "day"
    day: dt.date | None = None
    compare: bool = False

    @classmethod
    def parse(cls, period: str | None, day: str | None, compare: str | None) -> EnergyQuery:
        """From the query string's texts; BadQueryError names what is wrong."""
        period = "day" if period is None else period
        if period not in PERIOD_KINDS:
            raise BadQueryError(f"period must be one of {', '.join(PERIOD_KINDS)}, got {period!r}")
        if compare is not None and compare.lower() not in _FLAGS:
            raise BadQueryError(f"compare must be 1 or 0, got {compare!r}")
        flag = _FLAGS[(compare or "0").lower()]
        return cls(period, None if day is None else _parse_day(day), flag)


@dataclass(frozen=True)
class HomeNow:
    """What the core knows that the log does not: today's date (the summary's), the zone,
    the charge, who each device is."""

    today: dt.date
    zone: ZoneInfo
    currency: str
    standing_charge_per_day: float
    devices: dict[str, tuple[str, str]]  # id -> (name, role)


def read_energy(store: StoreQueries, query: EnergyQuery, home: HomeNow) -> dict[str, Any]:
    """The JSON document of ``GET /api/energy`` (see docs/api.md)."""
    today = home.today
    period = energy_period(query.period, query.day or today, home.zone)
    previous = energy_period(query.period, period.previous, home.zone)
    buckets = store.home_buckets(period.edges)
    devices = store.device_energy(period.start, period.end)
    compare = None
    if query.compare:
        (before,) = store.home_buckets([previous.start, previous.end])
        standing = home.standing_charge_per_day * previous.days_begun(today)
        compare = {**_span(previous), "totals": _totals(before, standing)}
    whole = _sum(buckets)
    consumers, untracked = _devices(devices, whole, home.devices)
    return {
        "period": period.kind,
        "date": (query.day or today).isoformat(),
        **_span(period),
        "previous": period.previous.isoformat(),
        "next": period.next.isoformat() if period.next <= today else None,
        "currency": home.currency,
        "buckets": [
            {"label": bucket.label, "start": bucket.start, **_flows(totals)}
            for bucket, totals in zip(period.buckets, buckets, strict=True)
        ],
        "totals": _totals(whole, home.standing_charge_per_day * period.days_begun(today)),
        "devices": consumers,
        "untracked": untracked,
        "compare": compare,
    }


def _parse_day(text: str) -> dt.date:
    day = None
    if _DATE.fullmatch(text):
        with contextlib.suppress(ValueError):  # 2026-02-30 and the like
            day = dt.date.fromisoformat(text)
    if day is None:
        raise BadQueryError(f"date must be a date as YYYY-MM-DD, got {text!r}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadQueryError(f"date must be in the years {FIRST_YEAR} to {LAST_YEAR}, got {text}")
    return day


def _span(period: EnergyPeriod) -> dict[str, Any]:
    """Local dates [start, end) and the same as Unix seconds [from, to)."""
    return {
        "start": period.first_day.isoformat(),
        "end": period.end_day.isoformat(),
        "from": period.start,
        "to": period.end,
    }


def _sum(parts: list[HomeTotals]) -> HomeTotals:
    names = HomeTotals.__dataclass_fields__
    return HomeTotals(*(sum(getattr(part, name) for part in parts) for name in names))


def _wh(value: float) -> float:
    return round(value, 3)


def _flows(totals: HomeTotals) -> dict[str, float]:
    """A bucket's bars: consumption by source, and what went out."""
    return {
        "from_grid_wh": _wh(totals.import_wh),
        "from_solar_wh": _wh(totals.self_consumed_wh),
        "from_battery_wh": _wh(totals.battery_used_wh),
        "export_wh": _wh(totals.export_wh),
        "generation_wh": _wh(totals.production_wh),
        "consumption_wh": _wh(totals.consumption_wh),
    }


def _percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole > 0 else None


def _totals(totals: HomeTotals, standing_charge: float) -> dict[str, Any]:
    self_consumed = totals.self_consumed_wh
    consumption = totals.consumption_wh
    return {
        "consumption_wh": _wh(consumption),
        "import_wh": _wh(totals.import_wh),
        "export_wh": _wh(totals.export_wh),
        "generation_wh": _wh(totals.production_wh),
        "self_consumed_wh": _wh(self_consumed),
        "self_sufficiency_pct": _percent(max(0.0, consumption - totals.import_wh), consumption),
        "self_consumption_pct": _percent(self_consumed, totals.production_wh),
        "energy_cost": round(totals.cost, 4),
        "standing_charge": round(standing_charge, 4),
        "cost": round(totals.cost + standing_charge, 4),
        "co2_g": round(totals.carbon_g, 1),
    }


def _devices(
    energy: dict[str, DeviceEnergy], home: HomeTotals, known: dict[str, tuple[str, str]]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Per device (largest first) its energy, cost and, for consumers, sources; and the rest."""
    rows = []
    used = solar = battery = 0.0  # of the consumers
    for device, sums in energy.items():
        name, role = known.get(device, (device, None))
        row: dict[str, Any] = {
            "id": device,
            "name": name,
            "role": role,
            "energy_wh": _wh(sums.energy_wh),
            "cost": round(sums.cost, 4),
        }
        if role == "producer":
            row |= dict.fromkeys(("from_grid_wh", "from_solar_wh", "from_battery_wh"))
        else:
            row |= _sources(sums.energy_wh, sums.from_solar_wh, sums.from_battery_wh)
            used += sums.energy_wh
            solar += sums.from_solar_wh
            battery += sums.from_battery_wh
        rows.append(row)
    rows.sort(key=lambda row: (-row["energy_wh"], row["id"]))
    rest = max(0.0, home.consumption_wh - used)
    rest_solar = min(rest, max(0.0, home.self_consumed_wh - solar))
    rest_battery = min(rest - rest_solar, max(0.0, home.battery_used_wh - battery))
    return rows, {"energy_wh": _wh(rest), **_sources(rest, rest_solar, rest_battery)}


def _sources(energy_wh: float, solar_wh: float, battery_wh: float) -> dict[str, float]:
    grid = max(0.0, energy_wh - solar_wh - battery_wh)
    return {
        "from_grid_wh": _wh(grid),
        "from_solar_wh": _wh(solar_wh),
        "from_battery_wh": _wh(battery_wh),
    }
