"""Hourly rollups: each hour's sums of its minute rollups, so a year reads 8,760 rows, not 525,600.

Why rebuilt rather than added to: a minute's rollup is rewritten many times
while the minute fills (and again when late energy arrives for it), so an
hour cannot take deltas. Each write that touches minute rollups rebuilds, in
the same transaction, every hour those minutes belong to from its minute rows
(`rebuild_hours`); the result is the same however often a minute was
written. An hour is a UTC hour, ``hour = minute - minute % 3600``: in a zone
whose offset is not a whole number of hours (India, Nepal, parts of
Australia) local days therefore split on the UTC hour before local midnight.

Per device per hour: energy and cost (each minute already at the price in
force in it), and the energy it took from solar and from the battery: per
minute the device's energy times the share of the home's consumption that
each covered. Solar serves the home first (`hub.core.energy_rows`): its share is
``min(production, consumption) / consumption``; the battery covers what solar
leaves, ``min(battery_out, consumption - solar used) / consumption``; the grid
the rest. Those shares mean something only for consumers; readers use a
producer's energy and cost alone. The home's hours add up the solar used at
home minute by minute (`self_consumed_wh`), which their other sums cannot give.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the schema module builds its tables from this one's
    from hub.store.schema import Batch

HOUR_S = 3600

TABLES = """
CREATE TABLE IF NOT EXISTS hourly_rollups (
    hour INTEGER NOT NULL, device TEXT NOT NULL, energy_wh REAL, cost REAL,
    from_solar_wh REAL, from_battery_wh REAL, PRIMARY KEY (device, hour));
CREATE INDEX IF NOT EXISTS hourly_rollups_hour ON hourly_rollups (hour);
CREATE TABLE IF NOT EXISTS home_hourly_rollups (
    hour INTEGER PRIMARY KEY, consumption_wh REAL, production_wh REAL,
    import_wh REAL, export_wh REAL, cost REAL, carbon_g REAL);
"""

SELF_CONSUMED = "min(production_wh, consumption_wh)"
"""SQL of a home minute's solar used at home (`HomeMinute.self_consumed_wh`)."""

# {where} selects the minute rows to roll up (a span of minutes, or all of them).
_DEVICE_HOURS = """
INSERT OR REPLACE INTO hourly_rollups
SELECT r.minute - r.minute % 3600, r.device, total(r.energy_wh), total(r.cost),
       total(CASE WHEN h.consumption_wh > 0
             THEN r.energy_wh * min(h.production_wh, h.consumption_wh) / h.consumption_wh
             ELSE 0 END),
       total(CASE WHEN h.consumption_wh > 0
             THEN r.energy_wh * min(h.battery_out_wh,
                  h.consumption_wh - min(h.production_wh, h.consumption_wh)) / h.consumption_wh
             ELSE 0 END)
FROM rollups AS r LEFT JOIN home_rollups AS h ON h.minute = r.minute
WHERE {where} GROUP BY 1, r.device;
"""
_HOME_HOURS = f"""
INSERT OR REPLACE INTO home_hourly_rollups
SELECT minute - minute % 3600, total(consumption_wh), total(production_wh), total(import_wh),
       total(export_wh), total(cost), total(carbon_g), total(battery_in_wh), total(battery_out_wh),
       total({SELF_CONSUMED})
FROM home_rollups AS r WHERE {{where}} GROUP BY 1;
"""
BATTERY_COLUMNS = "".join(
    f"ALTER TABLE {table} ADD COLUMN {column} REAL NOT NULL DEFAULT 0;"
    for table in ("home_rollups", "home_hourly_rollups")
    for column in ("battery_in_wh", "battery_out_wh")
)
"""Log schema 3: storage's flows beside the home's others (`TABLES` is schema 2's shape)."""
SELF_CONSUMED_COLUMN = (
    "ALTER TABLE home_hourly_rollups ADD COLUMN self_consumed_wh REAL NOT NULL DEFAULT 0;"
)
"""Log schema 4: the home's hours keep the solar used at home."""
_IN_SPAN = "r.minute >= ? AND r.minute < ?"
REBUILD_STATEMENTS = (
    _DEVICE_HOURS.format(where=_IN_SPAN),
    _HOME_HOURS.format(where=_IN_SPAN),
)
REBUILD_ALL = (
    "UPDATE home_hourly_rollups SET self_consumed_wh = max(0, production_wh - export_wh);"
    + _DEVICE_HOURS.format(where="1")
    + _HOME_HOURS.format(where="1")
)
"""SQL that rolls up every minute there is into its hour: how an older log gets hours
of the newest shape (each step of its migration only changes the tables). An hour
whose minutes are pruned keeps its sums, its solar used taken as production less
export: exact while no battery exported, which no log before schema 3 holds."""


def hour_of(ts: float) -> int:
    """The start (Unix seconds) of the UTC hour that contains `ts`."""
    return int(ts // HOUR_S) * HOUR_S


def touched_hours(batch: Batch) -> list[int]:
    """The hours whose minute rollups `batch` writes, in order (call after checking the batch)."""
    minutes = {row.minute for row in batch.device_rollups}
    minutes.update(row.minute for row in batch.home_rollups)
    return sorted({hour_of(int(minute)) for minute in minutes})


def rebuild_hours(conn: sqlite3.Connection, hours: Iterable[int]) -> None:
    """Rebuild the rows of `hours` from their minute rows, in the caller's transaction."""
    spans = [(hour, hour + HOUR_S) for hour in hours]
    if spans:
        for sql in REBUILD_STATEMENTS:
            conn.executemany(sql, spans)


def prune_statements(history_before_ts: float) -> dict[str, tuple[str, float]]:
    """`Store.prune`'s deletes of hourly history: hours that end by the history cutoff.

    The hour holding the cutoff keeps its row while some of its minutes remain.
    """
    cutoff = hour_of(history_before_ts)
    return {
        table: (f"DELETE FROM {table} WHERE hour < ?", cutoff)
        for table in ("hourly_rollups", "home_hourly_rollups")
    }
