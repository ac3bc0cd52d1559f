"""The hub's settings: the frozen values `home.toml` is parsed into, and their defaults.

They live in the core, not beside the parser (`hub.config.load`), so the core reads
its settings without depending on how they were read: the parser imports
these types, never the other way round.

The threshold rules' vocabulary is defined here once: each rule's name, the
keys its limits are written under (in its own unit) and the default "clear
below" (`DEFAULT_CLEAR_FRACTION` of "above"). The parser checks with it, the
API's schema is derived from it and the dashboard's rule editor is sent it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = ZoneInfo("Europe/London")
ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class ThresholdRule:
    """One kind of alert rule: the keys its limits are written under, in its `unit`."""

    name: str
    above_key: str
    clear_key: str
    unit: str  # "W", "kWh" or "money" (the home's currency)
    takes_device: bool = False  # the rule watches one device, named by "device"


TOTAL_POWER = "total-power"
DEVICE_POWER = "device-power"
DAILY_ENERGY = "daily-energy"
DAILY_COST = "daily-cost"
THRESHOLD_RULES: Mapping[str, ThresholdRule] = MappingProxyType(
    {
        rule.name: rule
        for rule in (
            ThresholdRule(TOTAL_POWER, "above_w", "clear_below_w", "W"),
            ThresholdRule(DEVICE_POWER, "above_w", "clear_below_w", "W", takes_device=True),
            ThresholdRule(DAILY_ENERGY, "above_kwh", "clear_below_kwh", "kWh"),
            ThresholdRule(DAILY_COST, "above", "clear_below", "money"),
        )
    }
)
THRESHOLD_LEVELS = ("warning", "critical")
# An absent "clear below" is this fraction of "above": the hysteresis that stops flapping.
DEFAULT_CLEAR_FRACTION = 0.95


@dataclass(frozen=True)
class HomeConfig:
    name: str = "My home"
    timezone: ZoneInfo = DEFAULT_TIMEZONE  # where "today" and tariff times are reckoned
    currency: str = "GBP"  # ISO 4217 code


@dataclass(frozen=True)
class Period:
    """One time-of-use rate from `start` to `end` local time on `days` (0 = Monday).

    ``start == end`` is the whole day; ``end < start`` crosses midnight and the
    period belongs to the day it starts on (Friday 22:00-08:30 runs into Saturday).
    """

    name: str
    start: dt.time
    end: dt.time
    rate: float  # money per kWh imported
    days: frozenset[int] = ALL_DAYS


AGILE_LIKE = "agile-like"  # `prices = "agile-like"`: the built-in generator
DEFAULT_PRICES_SEED = 1  # the launcher's default `--seed`

PriceRow = tuple[float, float, float, float, float | None]
"""(start, end, import, export, co2_g_per_kwh or None for the tariff's `carbon_g_per_kwh`)."""


@dataclass(frozen=True)
class PriceFile:
    """``prices = "prices.csv"``: the file's slots, read once when the config is loaded, so
    whoever builds the series from a `HubConfig` (the hub, the simulator) does no I/O."""

    path: str  # absolute: the config's relative path resolved against the config's folder
    rows: tuple[PriceRow, ...]


@dataclass(frozen=True)
class AgileLike:
    """``prices = "agile-like"``: generated prices and carbon, the same for the same seed.

    The seed is the tariff's own (`prices_seed`), not the household's `--seed`, so a
    what-if run with another household sees the same prices.
    """

    seed: int = DEFAULT_PRICES_SEED


@dataclass(frozen=True)
class TariffConfig:
    standing_charge_per_day: float = 0.0
    export_rate: float = 0.0  # money paid per kWh exported
    carbon_g_per_kwh: float = 0.0
    periods: tuple[Period, ...] = (Period("flat", dt.time(0), dt.time(0), 0.245),)
    # None: the periods, export_rate and carbon_g_per_kwh are the whole series; a file's
    # slots take over where it has them, the generator everywhere
    prices: PriceFile | AgileLike | None = None


@dataclass(frozen=True)
class ThresholdConfig:
    """An alert rule; `above` and `clear_below` are in the rule's unit (W, kWh or money)."""

    rule: str  # a key of THRESHOLD_RULES
    above: float
    clear_below: float  # hysteresis: the alert clears only below this
    for_s: float = 10.0  # the condition must hold this long before it raises
    level: str = "warning"  # one of THRESHOLD_LEVELS
    device: str | None = None  # only for a rule that takes a device ("device-power")


@dataclass(frozen=True)
class SheddingConfig:
    enabled: bool = False
    limit_w: float = 9000.0
    for_s: float = 10.0
    restore_below_w: float = 7500.0


@dataclass(frozen=True)
class DeviceEntry:
    """A ``[[devices]]`` entry for the launcher; keys beyond the four named go to `params`."""

    id: str
    kind: str
    name: str | None = None
    interval_s: float | None = None
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


STRATEGIES = ("off", "rules", "plan")
"""What the live hub can run; the simulator adds `oracle` (home/sim_oracle.py)."""
MANAGER_ACTOR = "manager"
"""Whose commands the manager's are, in the audit log and for the people's holds."""


@dataclass(frozen=True)
class ManagerSettings:
    """`[manager]` of home.toml: the energy manager's strategy and the plan's knobs
    (hub/core/manager), checked when made: a bad value is refused with its name."""

    strategy: str = "off"
    replan_s: float = 900.0
    """The plan is made again this often (and whenever a device's needs or the prices change)."""
    horizon_h: float = 36.0
    slot_s: float = 1800.0
    """The plan's grain: price slots longer than this (a fixed tariff's periods) are cut."""
    co2_weight: float = 0.0
    """Money per g of CO2 imported, added to the plan's cost (0: money only)."""
    battery_cycle_cost: float = 0.03
    """Money per kWh a battery delivers, for its wear, in the plan's cost: a ~5 kWh home
    battery of ~3,000 good for ~6,000 cycles wears ~0.10 per kWh; 0.03 keeps the plan from
    cycling it for a spread thinner than that (and from a command every half hour)."""
    program_duty: float = 0.3
    """A program's mean draw as a share of its rated power, until one of its runs is seen
    (a 2.2 kW washer's 2 h cycle uses ~1.3 kWh: appliances.md)."""
    car_capacity_wh: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Each car's battery by charger id (the contract's meta does not carry it)."""
    default_car_capacity_wh: float = 60000.0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy {self.strategy!r}: expected one of {', '.join(STRATEGIES)}")
        for name in ("replan_s", "horizon_h", "slot_s", "default_car_capacity_wh"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        if not self.battery_cycle_cost >= 0:
            raise ValueError(f"battery_cycle_cost must be >= 0, got {self.battery_cycle_cost!r}")
        if not self.co2_weight >= 0:
            raise ValueError(f"co2_weight must be >= 0, got {self.co2_weight!r}")
        if not 0 < self.program_duty <= 1:
            raise ValueError(f"program_duty must be in (0, 1], got {self.program_duty!r}")


@dataclass(frozen=True)
class HubConfig:
    home: HomeConfig = field(default_factory=HomeConfig)
    tariff: TariffConfig = field(default_factory=TariffConfig)
    thresholds: tuple[ThresholdConfig, ...] = ()
    shedding: SheddingConfig = field(default_factory=SheddingConfig)
    devices: tuple[DeviceEntry, ...] = ()
    retention_days: int = 30
    manager: ManagerSettings = field(default_factory=ManagerSettings)


DEFAULT_CONFIG = HubConfig()  # what an empty home.toml gives: flat tariff, no thresholds
