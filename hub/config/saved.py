"""Settings a person edits at run time, as the log keeps them: JSON of home.toml's shape.

The store keeps them as plain JSON and knows nothing of their types; this module
turns the core's values into that JSON and back through home.toml's own checks,
so a restarted hub runs with exactly what was set, and a value saved by hand
that breaks a rule is named as coming from the data dir.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace

from hub.config.load import (
    tariff_from_dict,
    tariff_to_dict,
    threshold_to_dict,
    thresholds_from_dicts,
)
from hub.core.settings import HubConfig, SheddingConfig

SETTINGS_SOURCE = "settings saved in the data dir"


def setting_json(key: str, value: object) -> object:
    """A run-time setting as the JSON the store keeps (the same shape as home.toml)."""
    if key == "thresholds":
        return [threshold_to_dict(rule) for rule in value]  # type: ignore[attr-defined]
    if key == "tariff":
        return tariff_to_dict(value)  # type: ignore[arg-type]
    return asdict(value)  # type: ignore[call-overload]


def effective_config(config: HubConfig, saved: Mapping[str, object]) -> tuple[HubConfig, list[str]]:
    """home.toml with the `saved` settings (the store's JSON) on top; and which ones."""
    changes: dict[str, object] = {}
    thresholds = saved.get("thresholds")
    if isinstance(thresholds, list):
        changes["thresholds"] = thresholds_from_dicts(thresholds, SETTINGS_SOURCE)
    tariff = saved.get("tariff")
    if isinstance(tariff, dict):
        changes["tariff"] = tariff_from_dict(tariff, SETTINGS_SOURCE)
    shedding = saved.get("shedding")
    if isinstance(shedding, dict):
        changes["shedding"] = SheddingConfig(**{**asdict(config.shedding), **shedding})
    return replace(config, **changes), sorted(changes)
