"""The price series: what a kWh costs to import, earns exported and emits, at any instant.

The rest of the hub asks one thing whatever the tariff: `slot_at(t)` and
`slots(t0, t1)`. Fixed time-of-use periods are one case (a slot is a stretch
of one period within one local day, priced with `export_rate` and
`carbon_g_per_kwh`), a file of slots another (the periods apply before and
after the file's span), the agile-like generator a third (`hub.core.agile`).

Pure: time is passed in, and a file was read when the config was loaded, so
`price_series(config.tariff, zone)` is all the simulator needs.

Every slot boundary falls on a whole minute (periods are on the minute, the
file's starts are checked, the generator's slots are half hours), so each
minute the ledger prices lies inside one slot.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePath
from zoneinfo import ZoneInfo

from hub.core.agile import SLOT_S, AgileModel
from hub.core.settings import AGILE_LIKE, AgileLike, PriceFile, PriceRow, TariffConfig
from hub.core.tariff import Tariff
from protocol import PriceSlot

__all__ = [
    "AgileLikePrices",
    "FixedPrices",
    "PriceSeries",
    "PriceSlot",
    "TablePrices",
    "price_series",
]


class PriceSeries:
    """Prices and carbon over time; subclasses say `slot_at`."""

    name = "prices"
    """What the summary calls the tariff in force (a period's name, or the series')."""

    def slot_at(self, t: float) -> PriceSlot:
        """The slot holding instant `t`: start <= t < end."""
        raise NotImplementedError

    def name_at(self, t: float) -> str:
        return self.name

    def slots(self, t0: float, t1: float) -> list[PriceSlot]:
        """The whole slots that overlap [t0, t1), in order (the first may start before t0,
        the last end after t1); empty when t0 == t1, `ValueError` when t1 < t0."""
        if not t1 >= t0:
            raise ValueError(f"slots need t0 <= t1, got t0={t0!r}, t1={t1!r}")
        result: list[PriceSlot] = []
        t = t0
        while t < t1:
            slot = self.slot_at(t)
            result.append(slot)
            t = slot.end
        return result


class FixedPrices(PriceSeries):
    """Time-of-use periods: the import rate of the period, the tariff's one export rate and
    carbon intensity. A slot is cut at local midnight too, as the tariff's stretches are."""

    def __init__(self, tariff: Tariff):
        self.tariff = tariff
        config = tariff.config
        self._export, self._co2 = config.export_rate, config.carbon_g_per_kwh
        self._cached: PriceSlot | None = None

    def slot_at(self, t: float) -> PriceSlot:
        cached = self._cached
        if cached is not None and cached.start <= t < cached.end:
            return cached
        lo, hi, period = self.tariff.span_at(t)
        self._cached = slot = PriceSlot(
            start=lo,
            end=hi,
            import_price=period.rate,
            export_price=self._export,
            co2_g_per_kwh=self._co2,
        )
        return slot

    def name_at(self, t: float) -> str:
        return self.tariff.period_at(t).name


class TablePrices(PriceSeries):
    """A file's slots; before and after its span, `outside` (the fixed periods) applies."""

    def __init__(self, slots: Sequence[PriceSlot], outside: PriceSeries, name: str):
        if not slots:
            raise ValueError("a price table needs at least one slot")
        self._slots = tuple(slots)
        self._starts = [slot.start for slot in self._slots]
        self._first, self._end = self._slots[0].start, self._slots[-1].end
        self.outside = outside
        self.name = name

    @property
    def span(self) -> tuple[float, float]:
        """[start, end) of the file's slots."""
        return self._first, self._end

    def slot_at(self, t: float) -> PriceSlot:
        if self._first <= t < self._end:
            return self._slots[bisect_right(self._starts, t) - 1]
        slot = self.outside.slot_at(t)
        if t < self._first and slot.end > self._first:
            return replace(slot, end=self._first)
        if t >= self._end and slot.start < self._end:
            return replace(slot, start=self._end)
        return slot

    def name_at(self, t: float) -> str:
        return self.name if self._first <= t < self._end else self.outside.name_at(t)


def table_slots(rows: Sequence[PriceRow], carbon_g_per_kwh: float) -> list[PriceSlot]:
    """A file's rows as slots; a row without carbon takes the tariff's `carbon_g_per_kwh`."""
    return [
        PriceSlot(
            start=start,
            end=end,
            import_price=imported,
            export_price=exported,
            co2_g_per_kwh=carbon_g_per_kwh if co2 is None else co2,
        )
        for start, end, imported, exported, co2 in rows
    ]


def price_series(config: TariffConfig, zone: ZoneInfo, tariff: Tariff | None = None) -> PriceSeries:
    """The series of a tariff in the home's zone; `tariff`, when given, is the same config's
    `Tariff` (so its cache serves both). No I/O: a file's rows are in the config."""
    fixed = FixedPrices(tariff if tariff is not None else Tariff(config, zone))
    prices = config.prices
    if isinstance(prices, PriceFile):
        slots = table_slots(prices.rows, config.carbon_g_per_kwh)
        return TablePrices(slots, fixed, PurePath(prices.path).name)
    if isinstance(prices, AgileLike):
        return AgileLikePrices(prices.seed, zone)
    return fixed


class AgileLikePrices(PriceSeries):
    """The agile-like generator (`hub.core.agile`): half-hour slots from the Unix epoch,
    each computed when first asked for and kept while it is among the latest few hundred."""

    name = AGILE_LIKE
    KEEP = 512  # over ten days of slots: a day ahead and the minutes being priced

    def __init__(self, seed: int, zone: ZoneInfo):
        self.model = AgileModel(seed, zone)
        self._slots: dict[int, PriceSlot] = {}
        self._last: PriceSlot | None = None

    def slot_at(self, t: float) -> PriceSlot:
        last = self._last
        if last is not None and last.start <= t < last.end:
            return last
        n = math.floor(t / SLOT_S)
        slot = self._slots.get(n)
        if slot is None:
            if len(self._slots) >= self.KEEP:
                self._slots.clear()
            slot = self._slots[n] = self.model.slot(n)
        self._last = slot
        return slot
