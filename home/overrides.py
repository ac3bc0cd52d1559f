"""`--set DEVICE.PARAM=VALUE`: what-ifs on a home.toml without editing it.

`DEVICE` is a device of the config, named by its id (`driveway-ev`), by its
kind when the home has one device of that kind (`ev_charger`), or by one word
of its id that no other device shares (`ev`, or `battery` for `home-battery`).
`PARAM` is one of that kind's parameters (`python -m devices --kind K
--list-params`), checked as the device process would check it. `tariff.KEY`
sets a scalar of the `[tariff]` table, checked as home.toml's is.

Every mistake is one `OverrideError` naming what is known instead; a config is
returned only when every override applies.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from types import MappingProxyType

from devices.kinds import get_kind
from devices.params import ModelError
from hub.config.load import ConfigError, tariff_from_dict, tariff_to_dict
from hub.core.settings import DeviceEntry, HubConfig

TARIFF = "tariff"


class OverrideError(ValueError):
    """An override that names nothing in the config, or a value its target refuses."""


def apply_overrides(config: HubConfig, items: list[str]) -> HubConfig:
    """`config` with every `--set` item applied in order."""
    for item in items:
        config = apply_override(config, item)
    return config


def apply_override(config: HubConfig, item: str) -> HubConfig:
    target, key, value = _split(item)
    entry = _find_device(config, target, item)
    if entry is None:
        return _set_tariff(config, key, value, item)
    declared = get_kind(entry.kind).declared_params()
    if key not in declared:
        raise OverrideError(
            f"--set {item}: {entry.id} (a {entry.kind}) has no parameter {key!r}; "
            f"its parameters: {', '.join(sorted(declared))}"
        )
    try:
        declared[key].parse(key, value)
    except ModelError as exc:
        raise OverrideError(f"--set {item}: {entry.id}: {exc}") from None
    params = MappingProxyType({**entry.params, key: value})
    devices = tuple(replace(e, params=params) if e is entry else e for e in config.devices)
    return replace(config, devices=devices)


def _split(item: str) -> tuple[str, str, str]:
    name, sep, value = item.partition("=")
    target, dot, key = name.strip().partition(".")
    if not sep or not dot or not target or not key.strip() or not value.strip():
        raise OverrideError(
            f"--set {item!r}: expected DEVICE.PARAM=VALUE, e.g. driveway-ev.battery_kwh=60"
        )
    return target, key.strip(), value.strip()


def _find_device(config: HubConfig, target: str, item: str) -> DeviceEntry | None:
    """The device `target` names; None for the tariff; an error for anything else."""
    entries = config.devices
    for rule in (
        lambda e: e.id == target,
        lambda e: e.kind == target,
        lambda e: target in e.id.replace("_", "-").split("-"),
    ):
        found = [e for e in entries if rule(e)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            ids = ", ".join(e.id for e in found)
            raise OverrideError(f"--set {item}: {target!r} could be any of {ids}: use the id")
    if target == TARIFF:
        return None
    known = ", ".join(e.id for e in entries) or "none"
    raise OverrideError(
        f"--set {item}: no device {target!r} in the config; devices: {known} (or tariff.KEY)"
    )


def _set_tariff(config: HubConfig, key: str, value: str, item: str) -> HubConfig:
    data = tariff_to_dict(config.tariff)
    data[key] = _toml_value(value)
    try:
        tariff = tariff_from_dict(data, "--set")
    except ConfigError as exc:
        raise OverrideError(f"--set {item}: {exc.path or 'tariff'}: {exc.problem}") from None
    return replace(config, tariff=tariff)


def _toml_value(text: str) -> object:
    """A number or true/false as TOML reads it; anything else as text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
