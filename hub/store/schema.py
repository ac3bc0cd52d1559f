"""What the hub's durable log holds: its row types, the write batch and the SQL schema.

The log writes and reads the core's own types where the core has one (minutes,
counters, meters, alerts); the rows here are what only the log keeps.

Times are simulation-time Unix seconds; a rollup's ``minute`` is the Unix time
of the start of its minute, ``int(ts // 60) * 60``. Rows that describe "the
latest value" (rollups of a still-open minute, counters, alerts, settings) are
upserted: writing a key again replaces the row, it never adds to it.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from hub.core.energy_rows import DeviceMinute, HomeMeters, HomeMinute
from hub.core.events import CounterPosition
from hub.store import hourly
from protocol import Alert, State

SCHEMA_VERSION = 4
DB_FILENAME = "hub.db"


class StoreError(Exception):
    """The log cannot be opened, read or written; the message names the file and why."""


class BadBatchError(StoreError):
    """A batch holds a value SQLite cannot store; retrying the same batch cannot help."""


class BadQueryError(ValueError):
    """A read the log will not answer as asked (a span too long, too many points, a bad
    date...); the message names the parameter and the rule. Asking again the same way
    cannot help, unlike a `StoreError`."""


def minute_of(ts: float) -> int:
    """The start (Unix seconds) of the minute that contains `ts`."""
    return int(ts // 60) * 60


@dataclass(frozen=True, slots=True)
class ReadingRow:
    """One device reading as logged; `ts` is the device's own reading time."""

    ts: float
    device: str
    seq: int
    on: bool
    power_w: float
    energy_wh: float
    level: float | None
    phase: str

    @classmethod
    def from_state(cls, device: str, state: State) -> ReadingRow:
        """The row for a validated `State` payload of `device`."""
        s = state
        return cls(s.ts, device, s.seq, s.on, s.power_w, s.energy_wh, s.level, s.phase)


@dataclass(frozen=True, slots=True)
class DeviceTotals:
    """One device's energy and cost summed over some span."""

    energy_wh: float = 0.0
    cost: float = 0.0


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One command: who asked (``web``, ``shedding``, ``mqtt``...), what, and the result."""

    ts: float
    actor: str
    device: str
    request: str
    ok: bool
    detail: str


@dataclass
class Batch:
    """Rows to write in one transaction; lists keep submission order, so later rows win.

    `settings` maps a key to any JSON-encodable value (thresholds, tariff...);
    `meters` are the home's lifetime meters as of the batch's rollups.
    """

    readings: list[ReadingRow] = field(default_factory=list)
    device_rollups: list[DeviceMinute] = field(default_factory=list)
    home_rollups: list[HomeMinute] = field(default_factory=list)
    counters: list[CounterPosition] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)
    meters: HomeMeters | None = None

    def extend(self, later: Batch) -> None:
        """Append `later`'s rows after this batch's own (its upserts then win)."""
        for name in STATEMENTS:
            getattr(self, name).extend(getattr(later, name))
        self.settings.update(later.settings)
        self.meters = later.meters or self.meters

    def __len__(self) -> int:
        rows = sum(len(getattr(self, name)) for name in STATEMENTS) + len(self.settings)
        return rows + (self.meters is not None)


TABLES_V2 = """
CREATE TABLE IF NOT EXISTS readings (
    ts REAL NOT NULL, device TEXT NOT NULL, seq INTEGER, on_ INTEGER,
    power_w REAL, energy_wh REAL, level REAL, phase TEXT);
CREATE INDEX IF NOT EXISTS readings_ts ON readings (ts);
CREATE INDEX IF NOT EXISTS readings_device_ts ON readings (device, ts);
CREATE TABLE IF NOT EXISTS rollups (
    minute INTEGER NOT NULL, device TEXT NOT NULL, energy_wh REAL, cost REAL,
    power_avg_w REAL, power_max_w REAL, PRIMARY KEY (device, minute));
CREATE INDEX IF NOT EXISTS rollups_minute ON rollups (minute);
CREATE TABLE IF NOT EXISTS home_rollups (
    minute INTEGER PRIMARY KEY, consumption_wh REAL, production_wh REAL,
    import_wh REAL, export_wh REAL, cost REAL, carbon_g REAL);
CREATE TABLE IF NOT EXISTS counters (
    device TEXT PRIMARY KEY, ts REAL, energy_wh REAL, seq INTEGER);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, ts REAL, rule TEXT, device TEXT, level TEXT, state TEXT,
    value REAL, threshold REAL, message TEXT, raised_ts REAL, updated_ts REAL);
CREATE INDEX IF NOT EXISTS alerts_state ON alerts (state);
CREATE TABLE IF NOT EXISTS audit (
    ts REAL NOT NULL, actor TEXT, device TEXT, request TEXT, ok INTEGER, detail TEXT);
CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS home_meters (name TEXT PRIMARY KEY, wh REAL NOT NULL);
"""
"""Every table but the hourly ones, as schema 2 had them."""
SCHEMA = TABLES_V2 + hourly.TABLES + hourly.BATTERY_COLUMNS + hourly.SELF_CONSUMED_COLUMN

METERS = ("import", "export", "generation", "battery_in", "battery_out")
"""The rows of `home_meters`, one per lifetime meter (`HomeMeters` fields without `_wh`)."""

# Each step takes a log from the version before to its key; a new log gets SCHEMA whole.
MIGRATIONS = {
    # lifetime meters, started from the history a version-1 log still holds
    2: "CREATE TABLE home_meters (name TEXT PRIMARY KEY, wh REAL NOT NULL);"
    + "".join(
        f"INSERT INTO home_meters SELECT '{name}', COALESCE(SUM({column}), 0) FROM home_rollups;"
        for name, column in (
            ("import", "import_wh"),
            ("export", "export_wh"),
            ("generation", "production_wh"),
        )
    )
    # hourly rollups (filled by the last step, which rebuilds every hour)
    + hourly.TABLES,
    # storage: the home's battery flows per minute and per hour (zero before)
    3: hourly.BATTERY_COLUMNS,
    # the solar used at home per hour; every hour rebuilt with the battery's share
    4: hourly.SELF_CONSUMED_COLUMN + hourly.REBUILD_ALL,
}


def _finite(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {number!r}")
    return number


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__} {value!r:.60}")
    return value


def _optional(check: Callable[[Any], object]) -> Callable[[Any], object]:
    return lambda value: None if value is None else check(value)


_CHECKS = {"time": _finite, "text": _text, "int": int, "real": float}
_CHECKS |= {"text?": _optional(_text), "real?": _optional(float)}

# Per list field of `Batch`: the table, its upsert clause, and per column in table
# order "attribute:check" (the row attribute that fills it and how it is converted).
# Upserts replace every value column; an alert keeps the time its id was first seen
# (its raised_ts and updated_ts both start at the event's ts).
_TABLES = {
    "readings": (
        "readings",
        "",
        "ts:time device:text seq:int on:int power_w:real energy_wh:real level:real? phase:text",
    ),
    "device_rollups": (
        "rollups",
        "ON CONFLICT (device, minute) DO UPDATE SET energy_wh = excluded.energy_wh,"
        " cost = excluded.cost, power_avg_w = excluded.power_avg_w,"
        " power_max_w = excluded.power_max_w",
        "minute:int device:text energy_wh:real cost:real power_avg_w:real power_max_w:real",
    ),
    "home_rollups": (
        "home_rollups",
        "ON CONFLICT (minute) DO UPDATE SET consumption_wh = excluded.consumption_wh,"
        " production_wh = excluded.production_wh, import_wh = excluded.import_wh,"
        " export_wh = excluded.export_wh, cost = excluded.cost, carbon_g = excluded.carbon_g,"
        " battery_in_wh = excluded.battery_in_wh, battery_out_wh = excluded.battery_out_wh",
        "minute:int consumption_wh:real production_wh:real import_wh:real export_wh:real"
        " cost:real carbon_g:real battery_in_wh:real battery_out_wh:real",
    ),
    "counters": (
        "counters",
        "ON CONFLICT (device) DO UPDATE SET ts = excluded.ts, energy_wh = excluded.energy_wh,"
        " seq = excluded.seq",
        "device_id:text t:time energy_wh:real seq:int",
    ),
    "alerts": (
        "alerts",
        "ON CONFLICT (id) DO UPDATE SET ts = excluded.ts, rule = excluded.rule,"
        " device = excluded.device, level = excluded.level, state = excluded.state,"
        " value = excluded.value, threshold = excluded.threshold, message = excluded.message,"
        " updated_ts = max(alerts.updated_ts, excluded.updated_ts)",
        "id:text ts:time rule:text device:text? level:text state:text value:real?"
        " threshold:real? message:text ts:time ts:time",
    ),
    "audit": (
        "audit",
        "",
        "ts:time actor:text device:text request:text ok:int detail:text",
    ),
}
SETTINGS_UPSERT = "INSERT OR REPLACE INTO settings VALUES (?, ?)"
METERS_UPSERT = "INSERT OR REPLACE INTO home_meters VALUES (?, ?)"


def _statement(table: str, upsert: str, spec: str) -> tuple[str, Callable[[Any], tuple]]:
    """The prepared statement for a table and the function that turns a row into its values."""
    columns = [column.split(":") for column in spec.split()]
    get = attrgetter(*(attribute for attribute, _ in columns))
    checks = [_CHECKS[check] for _, check in columns]
    sql = f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))}) {upsert}".strip()
    return sql, lambda row: tuple([check(v) for check, v in zip(checks, get(row), strict=True)])


STATEMENTS = {field: _statement(*table) for field, table in _TABLES.items()}


def batch_parameters(batch: Batch) -> list[tuple[str, list[tuple[object, ...]]]]:
    """(statement, parameter rows) per non-empty table of `batch`, in table order.

    Every value is checked and converted before any SQL runs, so a value of the
    wrong type, a NaN time or an unencodable setting raises `BadBatchError`
    with nothing written, instead of failing the same transaction forever.
    """
    statements = []
    try:
        for field_name, (sql, values_of) in STATEMENTS.items():
            rows = getattr(batch, field_name)
            if rows:
                statements.append((sql, [values_of(row) for row in rows]))
        if batch.settings:
            items = batch.settings.items()
            encoded = [(_text(key), json.dumps(value, allow_nan=False)) for key, value in items]
            statements.append((SETTINGS_UPSERT, encoded))
        if batch.meters is not None:
            meters = batch.meters
            values = [getattr(meters, f"{name}_wh") for name in METERS]
            statements.append((METERS_UPSERT, list(zip(METERS, map(_finite, values), strict=True))))
    except (AttributeError, TypeError, ValueError) as exc:
        raise BadBatchError(f"a batch holds a row that cannot be stored: {exc}") from exc
    return statements


def create_schema(conn: sqlite3.Connection, where: str) -> None:
    """Create the tables of an empty log, upgrade an older one, or check that it is ours.

    An upgrade runs in one transaction: it completes, or the log stays as it was.
    Raises `StoreError` for a log written by a newer version of the hub.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where} was written by a newer hub (log schema {version}, this hub reads "
            f"up to {SCHEMA_VERSION}); upgrade the hub or use another --data-dir"
        )
    if version == SCHEMA_VERSION:
        return
    if version == 0:
        steps = [SCHEMA]
    else:
        steps = [MIGRATIONS[step] for step in range(version + 1, SCHEMA_VERSION + 1)]
    script = f"BEGIN; {''.join(steps)} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    try:
        conn.executescript(script)
    except sqlite3.Error:
        if conn.in_transaction:  # a step failed: the log stays as it was
            conn.execute("ROLLBACK")
        raise
