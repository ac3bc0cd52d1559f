"""Small planning problems to solve by hand: hour slots from a UTC midnight, so the
reasons' clock times read plainly (slot 2 starts at 02:00)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from hub.core.planner import Battery, Car, PlanRequest
from protocol import PriceSlot

T0 = 1_780_012_800.0  # a UTC midnight
HOUR = 3600.0
UTC = ZoneInfo("UTC")


def slots(
    prices: Sequence[float], export: float | Sequence[float] = 0.0, minutes: float = 60
) -> tuple[PriceSlot, ...]:
    exports = [export] * len(prices) if isinstance(export, (int, float)) else list(export)
    length = minutes * 60
    return tuple(
        PriceSlot(
            start=T0 + i * length,
            end=T0 + (i + 1) * length,
            import_price=price,
            export_price=exports[i],
            co2_g_per_kwh=200.0,
        )
        for i, price in enumerate(prices)
    )


def request(
    prices: Sequence[float],
    load: Sequence[float] | None = None,
    pv: Sequence[float] | None = None,
    export: float | Sequence[float] = 0.0,
    import_limit_w: float = 20_000.0,
    **devices,
) -> PlanRequest:
    n = len(prices)
    return PlanRequest(
        made=T0,
        slots=slots(prices, export),
        base_load_w=tuple(load if load is not None else [0.0] * n),
        pv_w=tuple(pv if pv is not None else [0.0] * n),
        zone=UTC,
        import_limit_w=import_limit_w,
        **devices,
    )


BATTERY = Battery(
    "battery",
    capacity_wh=2000.0,
    max_charge_w=1000.0,
    max_discharge_w=1000.0,
    soc_pct=0.0,
    efficiency=0.81,  # 0.9 each way: the hand sums stay short
    min_soc_pct=0.0,
)


def battery(**changes) -> Battery:
    return replace(BATTERY, **changes)


CAR = Car(
    "car",
    plugged=True,
    soc_pct=50.0,
    capacity_wh=40_000.0,
    target_soc_pct=80.0,
    departure=T0 + 6 * HOUR,
    max_w=7000.0,
    min_w=1400.0,
    charge_efficiency=0.9,
)


def car(**changes) -> Car:
    return replace(CAR, **changes)
