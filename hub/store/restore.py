"""Reading back what a previous run of the hub logged, so a restart loses nothing.

The figures of today and of this month come from the minute rollups, the
counters from the last ones accounted for: they were written in the same
transactions, so the first reading after the restart continues each counter
exactly where the restored figures stop.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, replace
from datetime import timedelta

from hub.config.load import tariff_from_dict, thresholds_from_dicts
from hub.core.hub_core import Snapshot
from hub.core.ledger import DeviceMinute
from hub.core.settings import HubConfig, SheddingConfig
from hub.core.tariff import Tariff
from hub.store.database import Store
from hub.store.schema import minute_of

SETTINGS_SOURCE = "settings saved in the data dir"


def effective_config(config: HubConfig, store: Store) -> tuple[HubConfig, list[str]]:
    """home.toml with the settings a person edited at run time on top; and which ones."""
    changes: dict[str, object] = {}
    thresholds = store.get_setting("thresholds")
    if isinstance(thresholds, list):
        changes["thresholds"] = thresholds_from_dicts(thresholds, SETTINGS_SOURCE)
    tariff = store.get_setting("tariff")
    if isinstance(tariff, dict):
        changes["tariff"] = tariff_from_dict(tariff, SETTINGS_SOURCE)
    shedding = store.get_setting("shedding")
    if isinstance(shedding, dict):
        changes["shedding"] = SheddingConfig(**{**asdict(config.shedding), **shedding})
    return replace(config, **changes), sorted(changes)


def load_snapshot(store: Store, tariff: Tariff, now_sim: float, keep_minutes: int) -> Snapshot:
    days = {}
    day, today = tariff.day_of(tariff.month_start(now_sim)), tariff.day_of(now_sim)
    while day <= today:
        start, end = tariff.day_start(day), tariff.day_start(day + timedelta(days=1))
        totals = store.totals(start, end)
        if totals.device_wh or totals.consumption_wh or totals.production_wh:
            days[day] = totals
        day += timedelta(days=1)
    since = minute_of(now_sim) - keep_minutes * 60
    by_minute: dict[int, list[DeviceMinute]] = defaultdict(list)
    for row in store.iter_device_rollups(since):
        by_minute[row.minute].append(row)
    minutes = [(home, by_minute.get(home.minute, [])) for home in store.home_rollups(since)]
    counters = list(store.last_counters().values())
    return Snapshot(counters, days, minutes, store.open_alerts(), store.home_meters())
