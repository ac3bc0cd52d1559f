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


@dataclass(frozen=True)
class HubConfig:
    home: HomeConfig = field(default_factory=HomeConfig)
    tariff: TariffConfig = field(default_factory=TariffConfig)
    thresholds: tuple[ThresholdConfig, ...] = ()
    shedding: SheddingConfig = field(default_factory=SheddingConfig)
    devices: tuple[DeviceEntry, ...] = ()
    retention_days: int = 30


DEFAULT_CONFIG = HubConfig()  # what an empty home.toml gives: flat tariff, no thresholds
