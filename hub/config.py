"""The hub's configuration: `home.toml`, read once at the process root into frozen values.

Promises:

- `load_config` / `parse_config` return a `HubConfig` that is entirely valid
  or raise `ConfigError`; nothing half-loaded escapes. Every mistake a person
  can make in the file (TOML syntax, an unknown or misspelt key, a wrong type,
  a value out of range, tariff periods with a gap or an overlap) is reported
  with the file, the line when it can be found, the key path and the rule;
- an absent key takes the default shown on its dataclass, and an empty file
  gives `DEFAULT_CONFIG` (flat tariff, no thresholds, shedding off);
- the web API edits thresholds and the tariff at run time through
  `thresholds_from_dicts` / `tariff_from_dict` (the same checks), and
  `threshold_to_dict` / `tariff_to_dict` give back the TOML-shaped dicts, so
  settings persisted as JSON round-trip to equal values.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from hub.config_checks import Checker, ConfigError, Section, toml_syntax_error
from hub.core.tariff import DAY_NAMES, coverage_problem

__all__ = [
    "DEFAULT_CONFIG",
    "THRESHOLD_LEVELS",
    "THRESHOLD_RULES",
    "ConfigError",
    "DeviceEntry",
    "HomeConfig",
    "HubConfig",
    "Period",
    "SheddingConfig",
    "TariffConfig",
    "ThresholdConfig",
    "load_config",
    "parse_config",
    "tariff_from_dict",
    "tariff_to_dict",
    "threshold_to_dict",
    "thresholds_from_dicts",
]

DEFAULT_TIMEZONE = ZoneInfo("Europe/London")
ALL_DAYS = frozenset(range(7))
THRESHOLD_LEVELS = ("warning", "critical")
# Each rule reads its limits from keys in its own unit: W, kWh or money.
_LIMIT_KEYS = {
    "total-power": ("above_w", "clear_below_w"),
    "device-power": ("above_w", "clear_below_w"),
    "daily-energy": ("above_kwh", "clear_below_kwh"),
    "daily-cost": ("above", "clear_below"),
}
THRESHOLD_RULES = tuple(_LIMIT_KEYS)
_DEFAULT_CLEAR_FRACTION = 0.95
_DEVICE_KEYS = ("id", "kind", "name", "interval_s")


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


@dataclass(frozen=True)
class TariffConfig:
    standing_charge_per_day: float = 0.0
    export_rate: float = 0.0  # money paid per kWh exported
    carbon_g_per_kwh: float = 0.0
    periods: tuple[Period, ...] = (Period("flat", dt.time(0), dt.time(0), 0.245),)


@dataclass(frozen=True)
class ThresholdConfig:
    """An alert rule; `above` and `clear_below` are in the rule's unit (W, kWh or money)."""

    rule: str  # one of THRESHOLD_RULES
    above: float
    clear_below: float  # hysteresis: the alert clears only below this
    for_s: float = 10.0  # the condition must hold this long before it raises
    level: str = "warning"
    device: str | None = None  # only for "device-power"


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


DEFAULT_CONFIG = HubConfig()


def load_config(path: Path) -> HubConfig:
    """Read and check a `home.toml`; a missing or unreadable file is a `ConfigError` too."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # tolerate an editor's BOM
    except FileNotFoundError:
        raise ConfigError(source, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(source, f"not UTF-8 text (bad byte at offset {exc.start})") from None
    except OSError as exc:
        raise ConfigError(source, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_config(text, source)


def parse_config(text: str, source: str = "home.toml") -> HubConfig:
    """Check the TOML `text` of a configuration; `source` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(source, exc) from None
    root = Section(Checker(source, text), (), data)
    root.only(("home", "tariff", "thresholds", "shedding", "devices", "storage"))
    storage = root.table("storage")
    storage.only(("retention_days",))
    return HubConfig(
        home=_home(root.table("home")),
        tariff=_tariff(root.table("tariff")),
        thresholds=_thresholds(root.tables("thresholds")),
        shedding=_shedding(root.table("shedding")),
        devices=_devices(root.tables("devices")),
        retention_days=storage.integer("retention_days", 30, 1, 3650),
    )


def thresholds_from_dicts(items: list[dict], source: str) -> tuple[ThresholdConfig, ...]:
    """Check threshold rules given as TOML-shaped dicts (e.g. from the web API's JSON)."""
    return _thresholds(Section(Checker(source), (), {"thresholds": items}).tables("thresholds"))


def tariff_from_dict(data: dict, source: str) -> TariffConfig:
    """Check a tariff given as a TOML-shaped dict (the ``[tariff]`` table)."""
    return _tariff(Section(Checker(source), ("tariff",), data))


def threshold_to_dict(threshold: ThresholdConfig) -> dict[str, Any]:
    """The TOML-shaped dict `thresholds_from_dicts` reads back to an equal rule."""
    above_key, clear_key = _LIMIT_KEYS[threshold.rule]
    data: dict[str, Any] = {"rule": threshold.rule}
    if threshold.device is not None:
        data["device"] = threshold.device
    data.update({above_key: threshold.above, clear_key: threshold.clear_below})
    data.update({"for_s": threshold.for_s, "level": threshold.level})
    return data


def tariff_to_dict(tariff: TariffConfig) -> dict[str, Any]:
    """The TOML-shaped dict `tariff_from_dict` reads back to an equal tariff."""
    return {
        "standing_charge_per_day": tariff.standing_charge_per_day,
        "export_rate": tariff.export_rate,
        "carbon_g_per_kwh": tariff.carbon_g_per_kwh,
        "periods": [
            {
                "name": p.name,
                "start": p.start.strftime("%H:%M"),
                "end": p.end.strftime("%H:%M"),
                "rate": p.rate,
                "days": [DAY_NAMES[d] for d in sorted(p.days)],
            }
            for p in tariff.periods
        ],
    }


def _home(sec: Section) -> HomeConfig:
    sec.only(("name", "timezone", "currency"))
    currency_rule = 'three upper-case letters (ISO 4217, e.g. "GBP")'
    return HomeConfig(
        name=sec.string("name", HomeConfig.name),
        timezone=sec.timezone("timezone", DEFAULT_TIMEZONE),
        currency=sec.string("currency", "GBP", pattern=r"[A-Z]{3}", rule=currency_rule),
    )


def _tariff(sec: Section) -> TariffConfig:
    sec.only(("standing_charge_per_day", "export_rate", "carbon_g_per_kwh", "periods"))
    defaults = TariffConfig()
    periods = tuple(_period(p) for p in sec.tables("periods")) or defaults.periods
    if "periods" in sec.data and not sec.data["periods"]:
        sec.fail("periods", 'expected at least one period (a flat tariff is one "00:00"-"00:00")')
    problem = coverage_problem(periods)
    if problem is not None:
        index, message = problem
        at = (*sec.path, "periods") if index is None else (*sec.path, "periods", index)
        sec.checker.fail((*sec.path, "periods"), message, at=at)
    return TariffConfig(
        standing_charge_per_day=sec.number("standing_charge_per_day", 0.0),
        export_rate=sec.number("export_rate", 0.0),
        carbon_g_per_kwh=sec.number("carbon_g_per_kwh", 0.0),
        periods=periods,
    )


def _period(sec: Section) -> Period:
    sec.only(("name", "start", "end", "rate", "days"))
    return Period(
        name=sec.string("name"),
        start=sec.clock_time("start"),
        end=sec.clock_time("end"),
        rate=sec.number("rate"),
        days=sec.days("days", ALL_DAYS),
    )


def _thresholds(sections: list[Section]) -> tuple[ThresholdConfig, ...]:
    rules, seen = [], set()
    for sec in sections:
        rule = _threshold(sec)
        identity = (rule.rule, rule.device)
        if identity in seen:
            what = f"{rule.rule} rule" + (f" for {rule.device!r}" if rule.device else "")
            sec.fail("rule", f"a second {what}: each rule may appear once (per device)")
        seen.add(identity)
        rules.append(rule)
    return tuple(rules)


def _threshold(sec: Section) -> ThresholdConfig:
    every_key = {"rule", "device", "for_s", "level"}.union(*_LIMIT_KEYS.values())
    sec.only(every_key)  # typos first, before the rule decides which keys apply
    rule = sec.choice("rule", THRESHOLD_RULES)
    above_key, clear_key = _LIMIT_KEYS[rule]
    own_keys = {"rule", "for_s", "level", above_key, clear_key}
    own_keys |= {"device"} if rule == "device-power" else set()
    for key in sec.data:
        if key not in own_keys:
            sec.fail(
                key, f"does not apply to rule {rule!r} (it takes {', '.join(sorted(own_keys))})"
            )
    above = sec.number(above_key, strict=True)
    clear_below = sec.number(clear_key, above * _DEFAULT_CLEAR_FRACTION)
    if clear_below >= above:
        sec.fail(clear_key, f"must be below {above_key} ({above:g}), got {clear_below:g}")
    return ThresholdConfig(
        rule=rule,
        above=above,
        clear_below=clear_below,
        for_s=sec.number("for_s", 10.0),
        level=sec.choice("level", THRESHOLD_LEVELS, "warning"),
        device=sec.device_id("device") if rule == "device-power" else None,
    )


def _shedding(sec: Section) -> SheddingConfig:
    sec.only(("enabled", "limit_w", "for_s", "restore_below_w"))
    defaults = SheddingConfig()
    limit_w = sec.number("limit_w", defaults.limit_w, strict=True)
    restore_below_w = sec.number("restore_below_w", defaults.restore_below_w)
    if restore_below_w >= limit_w:
        given = "" if "restore_below_w" in sec.data else " (the default)"
        problem = f"must be below limit_w ({limit_w:g}), got {restore_below_w:g}{given}"
        sec.fail("restore_below_w", problem)
    return SheddingConfig(
        enabled=sec.boolean("enabled", defaults.enabled),
        limit_w=limit_w,
        for_s=sec.number("for_s", defaults.for_s),
        restore_below_w=restore_below_w,
    )


def _devices(sections: list[Section]) -> tuple[DeviceEntry, ...]:
    first_index: dict[str, int] = {}
    devices = []
    for index, sec in enumerate(sections):
        device_id = sec.device_id("id")
        if device_id in first_index:
            sec.fail("id", f"{device_id!r} is already used by devices[{first_index[device_id]}]")
        first_index[device_id] = index
        params = {key: value for key, value in sec.data.items() if key not in _DEVICE_KEYS}
        devices.append(
            DeviceEntry(
                id=device_id,
                kind=sec.string("kind"),
                name=sec.string("name", None),
                interval_s=sec.number("interval_s", None, strict=True),
                params=MappingProxyType(params),
            )
        )
    return tuple(devices)
