"""What the planner expects of the home it does not steer: base load and solar per slot.

The base load (everything but the battery, the cars, the programs the manager moves and
the heat stores it boosts) is forecast from the home's own recent past, as the issue and
EMHASS's "naive" method do: the mean of the same weekday and half hour over the last
weeks, else of the same half hour over the last days, else a flat `DEFAULT_BASE_W`.
Solar comes from whatever knows the weather (the simulator: the weather model's forecast
with its error, home/sim_forecast.py); without one, from the same half hour of the last
days (persistence), which is what a hub without a weather service can do.
Pure: fed the minutes the ledger hands out.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.settings import HubConfig
from protocol import PriceSlot

FLEXIBLE_KINDS = ("ev_charger", "washing_machine", "dishwasher")
"""The kinds whose energy the manager moves: not base load. Not storage: what a battery
draws is the home minute's `battery_in_wh`, taken out of the base load already (counted
here too, it was taken out twice, and the base read 0 while a battery charged)."""
GRAIN_S = 1800
DEFAULT_BASE_W = 350.0
"""A typical UK home's always-on and everyday load (appliances.md: 8-10 kWh a day)."""
DAYS = 7
WEEKS = 4
HISTORY_S = (WEEKS * 7 + 1) * 86400.0
"""How far back the forecasts look: a hub starting reads this much of its log."""

PvForecast = Callable[[Sequence[PriceSlot], float], list[float]]
"""pv(slots, made): the mean solar power expected in each slot, made at sim time `made`."""


class HomeHistory:
    """Half-hour sums of the home's base load and solar, by local day and half hour."""

    def __init__(self, zone: ZoneInfo, flexible: Iterable[str] = ()):
        self.zone = zone
        self.flexible = frozenset(flexible)
        """Devices whose energy is not base load: the manager moves it."""
        self._base: dict[tuple[int, int], float] = defaultdict(float)
        self._pv: dict[tuple[int, int], float] = defaultdict(float)
        self._minutes: dict[int, tuple[float, float]] = {}
        self._flexible_wh: dict[int, dict[str, float]] = defaultdict(dict)
        self._days: deque[int] = deque(maxlen=WEEKS * 7 + 2)
        self._partial_day: int | None = None
        """The first day seen, when the home was first seen after its midnight."""

    def add(self, homes: Iterable[HomeMinute], devices: Iterable[DeviceMinute]) -> None:
        """Minutes the ledger handed out (a minute may come again, fuller: it replaces)."""
        for row in devices:  # handed out with their minute's home row
            if row.device in self.flexible:
                self._flexible_wh[row.minute][row.device] = row.energy_wh
        for home in homes:
            flexible = sum(self._flexible_wh.pop(home.minute, {}).values())
            base = max(0.0, home.consumption_wh - home.battery_in_wh - flexible)
            key = self._key(home.minute)
            old_base, old_pv = self._minutes.get(home.minute, (0.0, 0.0))
            self._base[key] += base - old_base
            self._pv[key] += home.production_wh - old_pv
            self._minutes[home.minute] = (base, home.production_wh)
            if not self._days:
                local = datetime.fromtimestamp(home.minute, self.zone)
                self._partial_day = key[0] if (local.hour, local.minute) != (0, 0) else None
            if not self._days or self._days[-1] != key[0]:
                self._days.append(key[0])
        self._forget()

    def base_w(self, slots: Sequence[PriceSlot]) -> list[float]:
        return [self._mean_w(self._base, slot, same_weekday=True, default=DEFAULT_BASE_W)
                for slot in slots]  # fmt: skip

    def pv_w(self, slots: Sequence[PriceSlot], made: float) -> list[float]:
        """Persistence: the same half hour of the last days (0 with no history)."""
        return [self._mean_w(self._pv, slot, same_weekday=False, default=0.0) for slot in slots]

    def _whole_days(self) -> list[int]:
        """The days seen from their first minute to their last: not the first day (the
        hub started in it, unless at midnight) and not the day under way."""
        return [day for day in list(self._days)[:-1] if day != self._partial_day]

    def _mean_w(self, sums, slot: PriceSlot, same_weekday: bool, default: float) -> float:
        day, half = self._key(int(slot.start))
        known = [d for d in self._whole_days() if d < day]
        if same_weekday:
            weekly = [d for d in known if (day - d) % 7 == 0][-WEEKS:]
            if weekly:
                return _mean_w(sums, weekly, half)
        recent = known[-DAYS:]
        return _mean_w(sums, recent, half) if recent else default

    def _key(self, t: int) -> tuple[int, int]:
        local = datetime.fromtimestamp(t, self.zone)
        return local.toordinal(), (local.hour * 3600 + local.minute * 60) // GRAIN_S

    def _forget(self) -> None:
        if len(self._minutes) > 2 * 1440:  # a late minute may still come for two days
            for minute in sorted(self._minutes)[: len(self._minutes) - 2 * 1440]:
                del self._minutes[minute]
        oldest = self._days[0] if self._days else None
        for sums in (self._base, self._pv):
            for key in [k for k in sums if oldest is not None and k[0] < oldest]:
                del sums[key]


def _mean_w(sums: dict[tuple[int, int], float], days: list[int], half: int) -> float:
    """The mean power of half hour `half` over `days` (never below 0: the sums are kept by
    differences, which leave a rounding's -1e-14 where nothing was drawn)."""
    return max(0.0, sum(sums[(day, half)] for day in days) / len(days) * 3600 / GRAIN_S)


def flexible_devices(config: HubConfig) -> frozenset[str]:
    """The devices of `config` whose energy the manager moves (`FLEXIBLE_KINDS`)."""
    return frozenset(entry.id for entry in config.devices if entry.kind in FLEXIBLE_KINDS)
