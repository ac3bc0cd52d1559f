"""Energy and money by minute, by local day and by month, netted at the home level.

Every energy delta (a device's counter difference over [start, end)) is
spread uniformly over its interval and cut at tariff-period boundaries, local
midnights and minute boundaries, so each piece has one price and one day.
Each minute is priced at its slot of the price series (`hub.core.prices`):
within a minute the home nets consumption against production, and what it
drew beyond its own generation was imported at the slot's import price (and
emitted at its carbon intensity), the surplus exported at its export price.
Day totals are kept up to date as minutes change, so figures are always
current and need no settling step.

A storage device (a battery) is both: what it draws to charge is consumption
(`battery_in_wh`, a part of `consumption_wh`), what it delivers is a source
beside production (`battery_out_wh`), netted the same way. So every minute, day
and meter balances: production + import + battery_out = consumption + export,
where consumption includes battery_in.

Its rows (a minute of a device, of the home, sums, meters) are in
`hub.core.energy_rows`.

Minutes older than `keep_minutes` are let go; energy that arrives for them
later (a device back after two days away) still counts in full for its day,
but is taken as imported, since the production it coincided with is gone.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from hub.core.energy_rows import DeviceMinute, Flow, HomeMeters, HomeMinute, Totals
from hub.core.meters import Delta
from hub.core.prices import FixedPrices, PriceSeries, PriceSlot
from hub.core.tariff import Tariff


@dataclass
class _Bucket:
    minute: int
    day: date
    price: PriceSlot  # the slot the minute lies in
    prices: PriceSeries  # the series `day` and `price` come from
    consumption_wh: float = 0.0
    production_wh: float = 0.0
    battery_in_wh: float = 0.0
    battery_out_wh: float = 0.0
    device_wh: dict[str, float] = field(default_factory=dict)
    device_cost: dict[str, float] = field(default_factory=dict)
    device_max_w: dict[str, float] = field(default_factory=dict)


class EnergyLedger:
    """`tariff` says the local days; `prices` (by default the tariff's periods) the price
    of each minute. Change both together with `set_tariff`. `device_minutes`: whether
    each device's energy and cost are kept minute by minute too, for the log's rows (a
    core that keeps no log, as the simulator's, needs only the home's minutes)."""

    def __init__(
        self,
        tariff: Tariff,
        keep_minutes: int = 2 * 1440,
        prices: PriceSeries | None = None,
        device_minutes: bool = True,
    ):
        self.device_minutes = device_minutes
        self.tariff = tariff
        self.prices = prices if prices is not None else FixedPrices(tariff)
        self.keep_minutes = keep_minutes
        self.days: dict[date, Totals] = {}
        self.meters = HomeMeters()
        self._flows = HomeMeters()  # the running sums behind `meters`, which may dip
        self._buckets: dict[int, _Bucket] = {}
        self._newest_minute = 0  # of the buckets: kept so no reading pays for max(buckets)
        self._bucket_minutes: list[int] = []
        """The buckets' minutes as a heap, so forgetting old ones need not look at all."""
        self._dirty: set[int] = set()

    def set_tariff(self, tariff: Tariff, prices: PriceSeries) -> None:
        """Prices from now on; minutes already begun keep the price they had."""
        self.tariff, self.prices = tariff, prices

    # ---- input ------------------------------------------------------------------------

    def add(self, device: str, flow: Flow, delta: Delta) -> None:
        """Account for a device's energy over [delta.start, delta.end)."""
        minute = _minute_of(delta.start)
        bucket = self._buckets.get(minute)
        if bucket is not None and bucket.prices is self.prices and delta.end <= minute + 60.0:
            # Nearly every reading: inside one minute we already hold. Price slots
            # and local days change only on whole minutes, so the bucket's day and
            # price hold for all of it and the series need not be asked again.
            self._book(device, flow, bucket.day, ((minute, delta.energy_wh),))
            return
        length = delta.end - delta.start
        if length <= 0:
            day = self.tariff.day_of(delta.start)
            self._book(device, flow, day, ((minute, delta.energy_wh),))
            return
        per_second = delta.energy_wh / length
        for segment in self.tariff.segments(delta.start, delta.end):
            self._book(device, flow, segment.day, _minutes(segment.start, segment.end, per_second))

    def note_power(self, device: str, t: float, power_w: float) -> None:
        """Remember the highest power a device reported in the minute of `t`."""
        bucket = self._bucket(_minute_of(t), t)
        if power_w > bucket.device_max_w.get(device, 0.0):
            bucket.device_max_w[device] = power_w
            self._dirty.add(bucket.minute)

    # ---- output -----------------------------------------------------------------------

    def day(self, day: date) -> Totals:
        return self.days.get(day) or Totals()

    def month(self, day: date) -> Totals:
        totals = Totals()
        for other, part in self.days.items():
            if (other.year, other.month) == (day.year, day.month):
                totals = totals.merged(part)
        return totals

    def take_changes(self) -> tuple[list[DeviceMinute], list[HomeMinute]]:
        """The minutes that changed since the last call, for the durable log (without
        `device_minutes`, only the home's)."""
        devices, homes = [], []
        for minute in sorted(self._dirty):
            bucket = self._buckets.get(minute)
            if bucket is None:
                continue
            homes.append(self._home_minute(bucket))
            if not self.device_minutes:
                continue
            for device in bucket.device_wh.keys() | bucket.device_max_w.keys():
                energy = bucket.device_wh.get(device, 0.0)
                # at high speed a minute may see energy but no reading: its peak is
                # then at least its average
                peak = max(bucket.device_max_w.get(device, 0.0), energy * 60.0)
                devices.append(
                    DeviceMinute(minute, device, energy, bucket.device_cost.get(device, 0.0), peak)
                )
        self._dirty.clear()
        return devices, homes

    def forget_before(self, t: float) -> None:
        """Drop minutes and days that can no longer change anything shown."""
        oldest = _minute_of(t) - self.keep_minutes * 60
        minutes = self._bucket_minutes  # a heap: only what is dropped is looked at
        while minutes and minutes[0] < oldest:
            del self._buckets[heapq.heappop(minutes)]
        month_start = self.tariff.day_of(self.tariff.month_start(t))
        for day in [d for d in self.days if d < month_start]:
            del self.days[day]

    # ---- restart ----------------------------------------------------------------------

    def restore_meters(self, meters: HomeMeters) -> None:
        self.meters, self._flows = meters.copy(), meters.copy()

    def restore_day(self, day: date, totals: Totals) -> None:
        self.days[day] = totals

    def restore_minute(self, home: HomeMinute, devices: list[DeviceMinute]) -> None:
        """Re-create a recent minute from the log (without touching the day totals)."""
        t = float(home.minute)
        bucket = self._bucket(home.minute, t)
        bucket.consumption_wh, bucket.production_wh = home.consumption_wh, home.production_wh
        bucket.battery_in_wh, bucket.battery_out_wh = home.battery_in_wh, home.battery_out_wh
        for row in devices:
            bucket.device_wh[row.device] = row.energy_wh
            bucket.device_cost[row.device] = row.cost
            bucket.device_max_w[row.device] = row.power_max_w

    # ---- internals --------------------------------------------------------------------

    def _book(
        self, device: str, flow: Flow, day: date, pieces: Iterable[tuple[int, float]]
    ) -> None:
        """Book a device's energy in one flow over minutes of one local day, `pieces` of
        (minute, Wh): each minute's netting changes by what its piece changes in it, and
        the day's figures, the device's and the meters take the sums of those changes
        once. So a stretch at one power over many minutes (a device heard from after a
        while, the simulator's carried-forward readings) pays per minute only for the
        netting; one piece is booked exactly as it always was. One flow moves each
        meter one way only, so the meters' running highs need no look in between."""
        totals = self.days.setdefault(day, Totals())
        buckets, prices, dirty = self._buckets, self.prices, self._dirty
        generation, discharge = flow == "generation", flow == "discharge"
        charge = flow == "charge"
        sign = -1.0 if generation or discharge else 1.0
        energy_sum = device_energy_sum = device_cost_sum = 0.0
        more_import = more_export = more_self_consumed = more_cost = more_carbon = 0.0
        for minute, energy in pieces:
            bucket = buckets.get(minute)
            if bucket is not None and bucket.prices is prices:
                price = bucket.price
            else:
                price = prices.slot_at(minute)
            rate = price.export_price if generation else price.import_price
            device_cost = sign * (energy * rate / 1000.0)
            # a storage device's energy is what it drew; what it delivers is its credit
            device_energy = 0.0 if discharge else energy
            device_cost_sum += device_cost
            device_energy_sum += device_energy
            if bucket is None:
                if minute < self._oldest_kept():
                    self._late(flow, minute, price, energy, totals)
                    continue
                bucket = self._new_bucket(minute, day, price)
            energy_sum += energy
            consumption, production = bucket.consumption_wh, bucket.production_wh
            # _net and min written out: this runs for every device's every minute
            before = consumption - (production + bucket.battery_out_wh)
            solar_used = consumption if consumption < production else production
            if generation:
                bucket.production_wh = production = production + energy
            elif discharge:
                bucket.battery_out_wh += energy
            else:
                bucket.consumption_wh = consumption = consumption + energy
                if charge:
                    bucket.battery_in_wh += energy
            after = consumption - (production + bucket.battery_out_wh)
            imported = (after if after > 0 else 0.0) - (before if before > 0 else 0.0)
            exported = (-after if after < 0 else 0.0) - (-before if before < 0 else 0.0)
            more_import += imported
            more_export += exported
            solar = consumption if consumption < production else production
            more_self_consumed += solar - solar_used
            home = bucket.price
            more_cost += (imported * home.import_price - exported * home.export_price) / 1e3
            more_carbon += imported * home.co2_g_per_kwh / 1000.0
            if self.device_minutes:
                bucket.device_wh[device] = bucket.device_wh.get(device, 0.0) + device_energy
                bucket.device_cost[device] = bucket.device_cost.get(device, 0.0) + device_cost
            dirty.add(minute)
        totals.add_device(device, device_energy_sum, device_cost_sum)
        used = 0.0 if generation or discharge else energy_sum
        made = energy_sum if generation else 0.0
        charged = energy_sum if charge else 0.0
        delivered = energy_sum if discharge else 0.0
        totals.consumption_wh += used
        totals.production_wh += made
        totals.battery_in_wh += charged
        totals.battery_out_wh += delivered
        totals.import_wh += more_import
        totals.export_wh += more_export
        totals.self_consumed_wh += more_self_consumed
        self._meter(more_import, more_export, made, charged, delivered)
        totals.cost += more_cost
        totals.carbon_g += more_carbon

    def _late(
        self, flow: Flow, minute: int, price: PriceSlot, energy: float, totals: Totals
    ) -> None:
        """Energy for a minute already let go: too late to net against production, it
        counts as imported (or exported)."""
        used = energy if flow in ("load", "charge") else 0.0
        made = energy if flow == "generation" else 0.0
        charged = energy if flow == "charge" else 0.0
        delivered = energy if flow == "discharge" else 0.0
        late = self._netted(minute, price, used, made, charged, delivered)
        totals.add_home(late)
        self._meter(late.import_wh, late.export_wh, made, charged, delivered)

    def _meter(
        self, imported: float, exported: float, generated: float, charged: float, delivered: float
    ) -> None:
        flows = self._flows
        flows.import_wh += imported
        flows.export_wh += exported
        flows.generation_wh += generated
        flows.battery_in_wh += charged
        flows.battery_out_wh += delivered
        self.meters.at_least(flows)

    def _oldest_kept(self) -> int:
        return self._newest_minute - self.keep_minutes * 60

    def _bucket(self, minute: int, t: float) -> _Bucket:
        return self._buckets.get(minute) or self._new_bucket(
            minute, self.tariff.day_of(t), self.prices.slot_at(minute)
        )

    def _new_bucket(self, minute: int, day: date, price: PriceSlot) -> _Bucket:
        bucket = self._buckets[minute] = _Bucket(minute, day, price, self.prices)
        heapq.heappush(self._bucket_minutes, minute)
        self._newest_minute = max(self._newest_minute, minute)
        return bucket

    def _home_minute(self, bucket: _Bucket) -> HomeMinute:
        b = bucket
        return self._netted(
            b.minute, b.price, b.consumption_wh, b.production_wh, b.battery_in_wh, b.battery_out_wh
        )

    def _netted(
        self,
        minute: int,
        price: PriceSlot,
        consumption: float,
        production: float,
        charged: float = 0.0,
        delivered: float = 0.0,
    ) -> HomeMinute:
        imported, exported = _net(consumption, production + delivered)
        cost = (imported * price.import_price - exported * price.export_price) / 1000.0
        carbon = imported * price.co2_g_per_kwh / 1000.0
        return HomeMinute(
            minute, consumption, production, imported, exported, cost, carbon, charged, delivered
        )


def _net(consumption: float, production: float) -> tuple[float, float]:
    """(imported, exported) of a minute: what consumption and production (with storage's
    discharge) leave over."""
    return max(0.0, consumption - production), max(0.0, production - consumption)


def _minutes(start: float, end: float, per_second: float) -> Iterator[tuple[int, float]]:
    """[start, end), at `per_second` Wh a second, cut at the minutes: (minute, Wh) each."""
    while start < end:
        minute = _minute_of(start)
        stop = min(end, minute + 60.0)
        yield minute, per_second * (stop - start)
        start = stop


def _minute_of(t: float) -> int:
    return math.floor(t / 60.0) * 60
