"""The hub's configuration: `home.toml`, read once at the process root into frozen values.

The values are `hub.core.settings`'s types; this module only reads and checks
the file (and the web API's TOML-shaped dicts) into them.

Promises:

- `load_config` / `parse_config` return a `HubConfig` that is entirely valid
  or raise `ConfigError`; nothing half-loaded escapes. Every mistake a person
  can make in the file (TOML syntax, an unknown or misspelt key, a wrong type,
  a value out of range, tariff periods with a gap or an overlap, a bad price
  file) is reported with the file, the line when it can be found, the key path
  and the rule (a price file's mistakes name the price file and its line);
- an absent key takes the default shown on its dataclass, and an empty file
  gives `hub.core.settings.DEFAULT_CONFIG` (flat tariff, no thresholds, shedding off);
- the web API edits thresholds and the tariff at run time through
  `thresholds_from_dicts` / `tariff_from_dict` (the same checks), and
  `threshold_to_dict` / `tariff_to_dict` give back the TOML-shaped dicts, so
  settings persisted as JSON round-trip to equal values.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hub.config.checks import Checker, ConfigError, Section, toml_syntax_error
from hub.config.price_file import read_price_file
from hub.core.settings import (
    AGILE_LIKE,
    ALL_DAYS,
    DEFAULT_CLEAR_FRACTION,
    DEFAULT_PRICES_SEED,
    DEFAULT_TIMEZONE,
    STRATEGIES,
    THRESHOLD_LEVELS,
    THRESHOLD_RULES,
    AgileLike,
    DeviceEntry,
    HomeConfig,
    HubConfig,
    ManagerSettings,
    Period,
    PriceFile,
    SheddingConfig,
    TariffConfig,
    ThresholdConfig,
)
from hub.core.tariff import DAY_NAMES, coverage_problem

__all__ = [
    "ConfigError",
    "load_config",
    "parse_config",
    "tariff_from_dict",
    "tariff_to_dict",
    "threshold_to_dict",
    "thresholds_from_dicts",
]

_DEVICE_KEYS = ("id", "kind", "name", "interval_s")
# Every key some rule reads its limits from: any other key is a typo whatever the rule.
_LIMIT_KEYS = {key for rule in THRESHOLD_RULES.values() for key in (rule.above_key, rule.clear_key)}


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


def parse_config(text: str, source: str = "home.toml", base_dir: Path | None = None) -> HubConfig:
    """Check the TOML `text` of a configuration; `source` names it in errors, and a price
    file's path is relative to `base_dir` (default: the folder of `source`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(source, exc) from None
    root = Section(Checker(source, text), (), data)
    root.only(("home", "tariff", "thresholds", "shedding", "devices", "storage", "manager"))
    storage = root.table("storage")
    storage.only(("retention_days",))
    devices = _devices(root.tables("devices"))
    return HubConfig(
        home=_home(root.table("home")),
        tariff=_tariff(root.table("tariff"), Path(source).parent if base_dir is None else base_dir),
        thresholds=_thresholds(root.tables("thresholds")),
        shedding=_shedding(root.table("shedding")),
        devices=devices,
        retention_days=storage.integer("retention_days", 30, 1, 3650),
        manager=_manager(root.table("manager"), devices),
    )


def thresholds_from_dicts(items: list[dict], source: str) -> tuple[ThresholdConfig, ...]:
    """Check threshold rules given as TOML-shaped dicts (e.g. from the web API's JSON)."""
    return _thresholds(Section(Checker(source), (), {"thresholds": items}).tables("thresholds"))


def tariff_from_dict(data: dict, source: str) -> TariffConfig:
    """Check a tariff given as a TOML-shaped dict (the ``[tariff]`` table); a price file is
    read again from its path (`tariff_to_dict` gives it absolute)."""
    return _tariff(Section(Checker(source), ("tariff",), data), Path.cwd())


def threshold_to_dict(threshold: ThresholdConfig) -> dict[str, Any]:
    """The TOML-shaped dict `thresholds_from_dicts` reads back to an equal rule."""
    rule = THRESHOLD_RULES[threshold.rule]
    data: dict[str, Any] = {"rule": threshold.rule}
    if threshold.device is not None:
        data["device"] = threshold.device
    data.update({rule.above_key: threshold.above, rule.clear_key: threshold.clear_below})
    data.update({"for_s": threshold.for_s, "level": threshold.level})
    return data


def tariff_to_dict(tariff: TariffConfig) -> dict[str, Any]:
    """The TOML-shaped dict `tariff_from_dict` reads back to an equal tariff (a price file's
    as it reads now)."""
    data: dict[str, Any] = {
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
    if isinstance(tariff.prices, PriceFile):
        data["prices"] = tariff.prices.path
    elif isinstance(tariff.prices, AgileLike):
        data.update(prices=AGILE_LIKE, prices_seed=tariff.prices.seed)
    return data


def _home(sec: Section) -> HomeConfig:
    sec.only(("name", "timezone", "currency"))
    currency_rule = 'three upper-case letters (ISO 4217, e.g. "GBP")'
    return HomeConfig(
        name=sec.string("name", HomeConfig.name),
        timezone=sec.timezone("timezone", DEFAULT_TIMEZONE),
        currency=sec.string("currency", "GBP", pattern=r"[A-Z]{3}", rule=currency_rule),
    )


def _tariff(sec: Section, base_dir: Path) -> TariffConfig:
    keys = ("standing_charge_per_day", "export_rate", "carbon_g_per_kwh", "periods")
    sec.only((*keys, "prices", "prices_seed"))
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
        prices=_prices(sec, base_dir),
    )


def _prices(sec: Section, base_dir: Path) -> PriceFile | AgileLike | None:
    """``prices``: a CSV file (relative to `base_dir`) or the agile-like generator."""
    name = sec.string("prices", None, rule=f'a CSV file\'s path or "{AGILE_LIKE}"')
    if name == AGILE_LIKE:
        return AgileLike(sec.integer("prices_seed", DEFAULT_PRICES_SEED, 0, 2**31 - 1))
    if "prices_seed" in sec.data:
        sec.fail("prices_seed", f'applies only with prices = "{AGILE_LIKE}"')
    if name is None:
        return None
    path = (base_dir / name).resolve()
    if not path.is_file():
        hint = "relative to the config file's folder" if not Path(name).is_absolute() else ""
        where = f" ({hint})" if hint else ""
        sec.fail("prices", f'no price file {str(path)!r}{where}; or use "{AGILE_LIKE}"')
    return read_price_file(path)


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
    sec.only({"rule", "device", "for_s", "level"} | _LIMIT_KEYS)  # typos first, before the rule
    spec = THRESHOLD_RULES[sec.choice("rule", tuple(THRESHOLD_RULES))]
    above_key, clear_key = spec.above_key, spec.clear_key
    own_keys = {"rule", "for_s", "level", above_key, clear_key}
    own_keys |= {"device"} if spec.takes_device else set()
    for key in sec.data:
        if key not in own_keys:
            sec.fail(
                key,
                f"does not apply to rule {spec.name!r} (it takes {', '.join(sorted(own_keys))})",
            )
    above = sec.number(above_key, strict=True)
    clear_below = sec.number(clear_key, above * DEFAULT_CLEAR_FRACTION)
    if clear_below >= above:
        sec.fail(clear_key, f"must be below {above_key} ({above:g}), got {clear_below:g}")
    return ThresholdConfig(
        rule=spec.name,
        above=above,
        clear_below=clear_below,
        for_s=sec.number("for_s", ThresholdConfig.for_s),
        level=sec.choice("level", THRESHOLD_LEVELS, ThresholdConfig.level),
        device=sec.device_id("device") if spec.takes_device else None,
    )


def _manager(sec: Section, devices: tuple[DeviceEntry, ...]) -> ManagerSettings:
    """`[manager]`: the strategy and the plan's knobs; each car's battery from its charger's
    `battery_kwh` (the charger's meta does not carry it)."""
    sec.only(("strategy", "replan_min", "horizon_h", "co2_weight", "battery_cycle_cost"))
    defaults = ManagerSettings()
    cars = {
        entry.id: float(entry.params["battery_kwh"]) * 1000.0  # type: ignore[arg-type]
        for entry in devices
        if entry.kind == "ev_charger" and isinstance(entry.params.get("battery_kwh"), int | float)
    }
    return ManagerSettings(
        strategy=sec.choice("strategy", STRATEGIES, defaults.strategy),
        replan_s=sec.number("replan_min", defaults.replan_s / 60, strict=True) * 60,
        horizon_h=sec.number("horizon_h", defaults.horizon_h, minimum=1),
        co2_weight=sec.number("co2_weight", defaults.co2_weight),
        battery_cycle_cost=sec.number("battery_cycle_cost", defaults.battery_cycle_cost),
        car_capacity_wh=MappingProxyType(cars),
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
        for_s=sec.number("for_s", ThresholdConfig.for_s),
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
