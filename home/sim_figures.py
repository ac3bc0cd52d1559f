"""The simulator's figures: the hub's minutes summed into half hours, local days and a run.

The hub's ledger nets every minute (home/simulator.py feeds it); what it hands
out in `LedgerChanged` is what this book adds up, so the figures are the live
hub's own. A minute is only counted once it is complete (every device has
reported past its end); until then the ledger may hand it out again, fuller.

Every figure keeps the balance of the contract's power flows, in every half
hour, every day and the whole run:
generation + import + battery_out = load + export + battery_in.
Pure: no clock, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from hub.core.energy_rows import HomeMinute, Totals
from hub.core.prices import PriceSeries
from hub.core.tariff import Tariff

SLOT_S = 1800
"""The rows of `--series`: half hours, the settlement period of UK tariffs."""


@dataclass
class Flows:
    """Energy by flow (Wh); `load_wh` is every consumer but storage charging."""

    load_wh: float = 0.0
    generation_wh: float = 0.0
    import_wh: float = 0.0
    export_wh: float = 0.0
    battery_in_wh: float = 0.0
    battery_out_wh: float = 0.0
    self_consumed_wh: float = 0.0
    """Generation used at home (appliances or the battery), summed minute by minute
    (`HomeMinute.self_consumed_wh`): not a flow of the balance, so not in `FLOW_NAMES`."""

    def add(self, other: Flows) -> None:
        mine, theirs = vars(self), vars(other)  # twice a minute: no attribute look-ups
        for name in _SUMMED:
            mine[name] += theirs[name]

    @property
    def imbalance_wh(self) -> float:
        """What the balance misses by: 0 but for rounding."""
        return (
            self.generation_wh
            + self.import_wh
            + self.battery_out_wh
            - self.load_wh
            - self.export_wh
            - self.battery_in_wh
        )


_SUMMED = tuple(f.name for f in fields(Flows))
FLOW_NAMES = tuple(name for name in _SUMMED if name != "self_consumed_wh")
"""The flows of the balance: the columns of `--series`."""


def minute_flows(home: HomeMinute) -> Flows:
    """One minute of the home by flow: the ledger's consumption includes storage charging,
    so the load is the consumption less it."""
    return Flows(
        load_wh=home.consumption_wh - home.battery_in_wh,
        generation_wh=home.production_wh,
        import_wh=home.import_wh,
        export_wh=home.export_wh,
        battery_in_wh=home.battery_in_wh,
        battery_out_wh=home.battery_out_wh,
        self_consumed_wh=home.self_consumed_wh,
    )


@dataclass
class Slot:
    """One row of `--series`: a half hour's flows and the prices at its start."""

    start: float
    import_price: float
    export_price: float
    co2_g_per_kwh: float
    flows: Flows = field(default_factory=Flows)


@dataclass
class Period:
    """A local day, or the whole run: flows, money, carbon, the highest import."""

    flows: Flows = field(default_factory=Flows)
    cost: float = 0.0
    """Energy cost plus the standing charge of each day touched, as the live hub's
    `cost_today` shows it (in the home's currency)."""
    co2_g: float = 0.0
    peak_import_w: float = 0.0
    """The highest one-minute mean import power."""
    device_wh: dict[str, float] = field(default_factory=dict)
    device_cost: dict[str, float] = field(default_factory=dict)

    def add(self, other: Period) -> None:
        self.flows.add(other.flows)
        self.cost += other.cost
        self.co2_g += other.co2_g
        self.peak_import_w = max(self.peak_import_w, other.peak_import_w)
        for device, energy in other.device_wh.items():
            self.device_wh[device] = self.device_wh.get(device, 0.0) + energy
            self.device_cost[device] = self.device_cost.get(device, 0.0) + other.device_cost[device]

    def as_dict(self) -> dict[str, Any]:
        """The keys of `--json`'s `totals` and of each of its `per_day`."""
        flows, generated, load = self.flows, self.flows.generation_wh, self.flows.load_wh
        return {
            "load_wh": _r(flows.load_wh),
            "generation_wh": _r(generated),
            "import_wh": _r(flows.import_wh),
            "export_wh": _r(flows.export_wh),
            "self_consumed_wh": _r(flows.self_consumed_wh),
            "battery_in_wh": _r(flows.battery_in_wh),
            "battery_out_wh": _r(flows.battery_out_wh),
            "cost": round(self.cost, 4),
            "co2_g": _r(self.co2_g),
            "peak_import_w": _r(self.peak_import_w),
            "self_consumption_pct": _pct(flows.self_consumed_wh, generated),
            "self_sufficiency_pct": _pct(load - flows.import_wh, load),
        }


def _r(value: float) -> float:
    return round(value, 3) + 0.0  # + 0.0: no -0.0


def _pct(part: float, whole: float) -> float | None:
    """`part` of `whole` in percent, None when there is no whole to share."""
    return round(100.0 * max(0.0, part) / whole, 2) if whole > 0 else None


class Book:
    """Adds up the ledger's complete minutes as the run goes."""

    def __init__(self, tariff: Tariff, prices: PriceSeries):
        self.tariff, self.prices = tariff, prices
        self.slots: list[Slot] = []
        self.days: dict[date, Period] = {}
        self._pending: dict[int, HomeMinute] = {}
        self._counted_before = -math.inf
        self._earliest = math.inf  # the earliest pending minute

    def minutes(self, homes: list[HomeMinute]) -> None:
        """Minutes the ledger says changed (the latest figures of each win)."""
        for home in homes:
            if home.minute < self._counted_before:
                raise RuntimeError(f"minute {home.minute} changed after it was counted")
            self._pending[home.minute] = home
            self._earliest = min(self._earliest, home.minute)

    def complete_until(self, t: float) -> None:
        """Count every pending minute that ends by `t`."""
        if t < self._earliest + 60:  # nothing due: the common case, checked cheaply
            return
        for minute in sorted(m for m in self._pending if m + 60 <= t):
            self._count(self._pending.pop(minute))
        self._counted_before = max(self._counted_before, math.floor(t / 60.0) * 60)
        self._earliest = min(self._pending, default=math.inf)

    def close_day(self, day: date, totals: Totals) -> None:
        """The ledger's money, carbon and devices of a local day, as far as it has got
        (again for the same day: the newer figures replace the older)."""
        period = self.days.setdefault(day, Period())
        period.cost = totals.cost + self.tariff.standing_charge_per_day
        period.co2_g = totals.carbon_g
        period.device_wh = dict(totals.device_wh)
        period.device_cost = dict(totals.device_cost)

    def total(self) -> Period:
        result = Period()
        for period in self.days.values():
            result.add(period)
        return result

    def _count(self, home: HomeMinute) -> None:
        flows = minute_flows(home)
        day = self.days.setdefault(self.tariff.day_of(home.minute), Period())
        day.flows.add(flows)
        day.peak_import_w = max(day.peak_import_w, home.import_wh * 60.0)
        slot_start = home.minute // SLOT_S * SLOT_S
        if not self.slots or self.slots[-1].start != slot_start:
            self.slots.append(Slot(slot_start, *slot_prices(self.prices, slot_start)))
        self.slots[-1].flows.add(flows)


def slot_prices(prices: PriceSeries, t: float) -> tuple[float, float, float]:
    """(import, export, g CO2 per kWh) at `t`: the core's price series, fixed or dynamic."""
    slot = prices.slot_at(t)
    return slot.import_price, slot.export_price, slot.co2_g_per_kwh
