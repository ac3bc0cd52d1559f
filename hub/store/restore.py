"""Reading back what a previous run of the hub logged, so a restart loses nothing.

Settings edited at run time are the config's to read (`hub.config.saved`): the
store hands them over as the JSON it keeps. This rebuilds the core's figures.

The figures of today and of this month come from the minute rollups, the
counters from the last ones accounted for: they were written in the same
transactions, so the first reading after the restart continues each counter
exactly where the restored figures stop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.hub_core import Snapshot
from hub.core.tariff import Tariff
from hub.store.database import Store
from hub.store.schema import minute_of


def load_snapshot(store: Store, tariff: Tariff, now_sim: float, keep_minutes: int) -> Snapshot:
    """The core's state as the log left it at `now_sim`: this month's days, the last
    `keep_minutes` minutes, the counters, the open alerts and the lifetime meters."""
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


def recent_minutes(
    store: Store, now_sim: float, seconds: float, devices: Iterable[str]
) -> tuple[list[HomeMinute], list[DeviceMinute]]:
    """The home's minutes of the last `seconds` and those of `devices`, as the ledger
    handed them out: what the energy manager's forecasts learn from, so a restarted hub
    plans on the weeks it logged, not on a flat guess until a day has passed."""
    since = minute_of(now_sim - seconds)
    wanted = sorted(devices)
    rows = store.device_rollups(since, devices=wanted) if wanted else []
    return store.home_rollups(since), rows
