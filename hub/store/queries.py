"""The read side of the hub's log: every query the restore, the web's history and export use.

All reads run on the calling thread's own connection and stream their rows, so
a long export holds no more than one row in memory and never waits for the
writer (WAL readers see the last commit). A rollup belongs to a span by the
start of its minute: ``since <= minute < until``.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

from hub.core.energy_rows import DeviceMinute, HomeMeters, HomeMinute, HomeTotals, Totals
from hub.core.events import CounterPosition
from hub.store import hourly
from hub.store.bucket_sql import device_buckets_sql, home_buckets_sql
from hub.store.buckets import Buckets
from hub.store.energy import EnergyQueries
from hub.store.schema import (
    METERS,
    AuditRow,
    DeviceTotals,
    ReadingRow,
    StoreError,
)
from protocol import Alert, ProtocolError

log = logging.getLogger(__name__)

_ALERT_COLUMNS = "id, ts, rule, device, level, state, value, threshold, message"
_HOME_SUMS = ", ".join(
    f"total({hourly.SELF_CONSUMED if name == 'self_consumed_wh' else name})"
    for name in HomeTotals.__dataclass_fields__
)
"""Sums of the home's minute rows as `HomeTotals`: the solar used at home is per minute."""


class StoreQueries(EnergyQueries):
    """Queries of `hub.store.database.Store`, which provides the connection of the calling thread.

    The energy view's sums of hourly rollups come from `EnergyQueries`.
    """

    path: Path

    def _conn(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple]:
        """Stream the rows of a query on this thread's connection."""
        try:
            cursor = self._conn().execute(sql, params)
            try:
                yield from cursor
            finally:
                cursor.close()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the log {self.path}: {exc}") from exc

    def _series_rows(self, sql: str, params: Sequence[object]) -> Iterator[tuple]:
        """`_rows` for SQL built with `_json_numbers`, which calls back into Python."""
        self._conn().create_function(_EXACT_ROUND, 2, _exact_round, deterministic=True)
        return self._rows(sql, params)

    def last_counters(self) -> dict[str, CounterPosition]:
        """The last counter the core accounted for, per device (it resumes from these)."""
        rows = self._rows("SELECT device, ts, energy_wh, seq FROM counters")
        return {row[0]: CounterPosition(*row) for row in rows}

    def iter_device_rollups(
        self,
        since_minute: float,
        until_minute: float | None = None,
        devices: Sequence[str] | None = None,
    ) -> Iterator[DeviceMinute]:
        """Device rollups with `since_minute` <= minute < `until_minute`, by minute then device
        (the stored power_avg_w was written from energy_wh, which gives it back)."""
        where, params = _span("minute", since_minute, until_minute, devices)
        columns = "minute, device, energy_wh, cost, power_max_w"
        sql = f"SELECT {columns} FROM rollups WHERE {where} ORDER BY minute, device"
        return (DeviceMinute(*row) for row in self._rows(sql, params))

    def device_rollups(
        self,
        since_minute: int,
        until_minute: int | None = None,
        devices: Sequence[str] | None = None,
    ) -> list[DeviceMinute]:
        """`iter_device_rollups` as a list."""
        return list(self.iter_device_rollups(since_minute, until_minute, devices))

    def home_rollups(self, since_minute: int, until_minute: int | None = None) -> list[HomeMinute]:
        """Home rollups with `since_minute` <= minute < `until_minute`, by minute."""
        where, params = _span("minute", since_minute, until_minute)
        sql = f"SELECT * FROM home_rollups WHERE {where} ORDER BY minute"
        return [HomeMinute(*row) for row in self._rows(sql, params)]

    def count_device_rollups(
        self, since_minute: float, until_minute: float, devices: Sequence[str] | None = None
    ) -> int:
        """How many rows `iter_device_rollups` would give (from an index, without reading them)."""
        where, params = _span("minute", since_minute, until_minute, devices)
        (row,) = self._rows(f"SELECT count(*) FROM rollups WHERE {where}", params)
        return row[0]

    def device_rollup_series(
        self, since_minute: float, until_minute: float, devices: Sequence[str] | None = None
    ) -> Iterator[tuple[str, str, str, str]]:
        """Per device with rollups in the span, by device: (device, minutes, power_avg_w,
        energy_wh), each series a JSON array in minute order; see `_json_numbers`.

        Built in SQL because 144,000 rows (24 h of 100 devices) cost far more as
        Python objects than as text. SQLite 3.40 has no ORDER BY inside an
        aggregate: the aggregates take the rows in the order the GROUP BY sort
        hands them over, which within a device is the order of the subquery
        (the sort is stable; tests check it), and the subquery is in minute
        order straight from the index, so there is only that one sort.
        """
        where, params = _span("minute", since_minute, until_minute, devices)
        series = [_json_numbers("power_avg_w", 3), _json_numbers("energy_wh", 4)]
        columns = ", ".join([_json_integers("minute"), *series])
        inner = (
            f"SELECT device, minute, power_avg_w, energy_wh FROM rollups WHERE {where}"
            " ORDER BY minute"
        )
        sql = f"SELECT device, {columns} FROM ({inner}) GROUP BY device ORDER BY device"
        return self._series_rows(sql, params)

    def home_rollup_series(self, since_minute: float, until_minute: float) -> tuple[str, str, str]:
        """The home's (minutes, consumption W, production W) as JSON arrays in minute order.

        Watts are the minute's Wh times 60, to 3 decimals; see `device_rollup_series`.
        """
        where, params = _span("minute", since_minute, until_minute)
        columns = ", ".join(
            [
                _json_integers("minute"),
                _json_numbers("consumption_wh * 60.0", 3),
                _json_numbers("production_wh * 60.0", 3),
            ]
        )
        inner = (
            "SELECT minute, consumption_wh, production_wh FROM home_rollups"
            f" WHERE {where} ORDER BY minute"
        )
        (row,) = self._series_rows(f"SELECT {columns} FROM ({inner})", params)
        return row

    def device_rollup_buckets(
        self, buckets: Buckets, until_minute: float, devices: Sequence[str] | None = None
    ) -> Iterator[tuple[str, int, str, str, str]]:
        """Per device with rollups in the span, by device: (device, buckets with rows,
        minutes, power W, energy Wh), each bucket its lowest and highest minute in time
        order, as JSON arrays; see `hub.store.buckets` and `hub.store.bucket_sql`."""
        where, params = _span("minute", buckets.first_minute, until_minute, devices)
        return self._rows(device_buckets_sql(buckets, where), params)

    def home_rollup_buckets(
        self, buckets: Buckets, until_minute: float
    ) -> tuple[int, str, str, str]:
        """The home's (buckets with rows, minutes, consumption W, production W) as
        `device_rollup_buckets` gives a device's, each bucket picked by consumption."""
        where, params = _span("minute", buckets.first_minute, until_minute)
        (row,) = self._rows(home_buckets_sql(buckets, where), params)
        return row

    def count_readings(
        self, from_ts: float, to_ts: float, devices: Sequence[str] | None = None
    ) -> int:
        """How many rows `iter_readings` would give (from an index, without reading them)."""
        where, params = _span("ts", from_ts, to_ts, devices)
        (row,) = self._rows(f"SELECT count(*) FROM readings WHERE {where}", params)
        return row[0]

    def iter_readings(
        self, from_ts: float, to_ts: float, devices: Sequence[str] | None = None
    ) -> Iterator[ReadingRow]:
        """Readings with `from_ts` <= ts < `to_ts`, oldest first, streamed."""
        where, params = _span("ts", from_ts, to_ts, devices)
        sql = f"SELECT * FROM readings WHERE {where} ORDER BY ts, rowid"
        for ts, device, seq, on, *rest in self._rows(sql, params):
            yield ReadingRow(ts, device, seq, bool(on), *rest)

    def readings(
        self,
        from_ts: float,
        to_ts: float,
        devices: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[ReadingRow]:
        """`iter_readings` as a list of at most `limit` rows (the oldest)."""
        rows = self.iter_readings(from_ts, to_ts, devices)
        return list(rows if limit is None else itertools.islice(rows, limit))

    def open_alerts(self) -> list[Alert]:
        """Alerts raised or acknowledged and not cleared, oldest raise first."""
        sql = f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE state != 'cleared' ORDER BY raised_ts, id"
        return self._alerts(sql, ())

    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest state of the `limit` most recently updated alerts, newest first."""
        sql = f"SELECT {_ALERT_COLUMNS} FROM alerts ORDER BY ts DESC, id LIMIT ?"
        return self._alerts(sql, (limit,))

    def _alerts(self, sql: str, params: Sequence[object]) -> list[Alert]:
        names = _ALERT_COLUMNS.split(", ")
        alerts = []
        for row in self._rows(sql, params):
            try:
                alerts.append(Alert(**dict(zip(names, row, strict=True))))
            except ProtocolError as exc:  # written by hand or by an older hub: skip, say so
                log.warning("%s: skipping a stored alert that is not valid: %s", self.path, exc)
        return alerts

    def audit(self, limit: int = 100) -> list[AuditRow]:
        """The `limit` most recent commands, newest first."""
        sql = "SELECT * FROM audit ORDER BY ts DESC, rowid DESC LIMIT ?"
        return [
            AuditRow(ts, a, d, r, bool(ok), x) for ts, a, d, r, ok, x in self._rows(sql, (limit,))
        ]

    def home_meters(self) -> HomeMeters:
        """The home's lifetime meters as last written (zeros for a new log)."""
        values = dict(self._rows("SELECT name, wh FROM home_meters"))
        return HomeMeters(*(values.get(name, 0.0) for name in METERS))

    def get_setting(self, key: str) -> object | None:
        """The JSON value last written for `key` (through `Batch.settings`), or None."""
        for (value,) in self._rows("SELECT value FROM settings WHERE key = ?", (key,)):
            return json.loads(value)
        return None

    def settings(self) -> dict[str, object]:
        """Every setting as last written, key -> its JSON value (for `hub.config.saved`)."""
        rows = self._rows("SELECT key, value FROM settings")
        return {key: json.loads(value) for key, value in rows}

    def device_totals(
        self, since_ts: float, until_ts: float | None = None
    ) -> dict[str, DeviceTotals]:
        """Energy and cost per device, summed over the rollups whose minute starts in the span."""
        where, params = _span("minute", since_ts, until_ts)
        sums = "device, total(energy_wh), total(cost)"
        sql = f"SELECT {sums} FROM rollups WHERE {where} GROUP BY device"
        return {device: DeviceTotals(wh, cost) for device, wh, cost in self._rows(sql, params)}

    def energy_totals(self, since_ts: float, until_ts: float | None = None) -> dict[str, float]:
        """Energy (Wh) per device since `since_ts`; see `device_totals`."""
        return {d: t.energy_wh for d, t in self.device_totals(since_ts, until_ts).items()}

    def totals(self, since_ts: float, until_ts: float | None = None) -> Totals:
        """The home's and each device's rollups summed over the minutes that start in the
        span (zeros if none): a day's figures as the core keeps them."""
        where, params = _span("minute", since_ts, until_ts)
        (home,) = self._rows(f"SELECT {_HOME_SUMS} FROM home_rollups WHERE {where}", params)
        devices = self.device_totals(since_ts, until_ts)
        return Totals(
            *home,
            device_wh={device: sums.energy_wh for device, sums in devices.items()},
            device_cost={device: sums.cost for device, sums in devices.items()},
        )


def _json_integers(column: str) -> str:
    """SQL for the JSON array of `column`'s values (integers) in row order."""
    return f"coalesce('[' || group_concat({column}) || ']', '[]')"


def _json_numbers(column: str, digits: int) -> str:
    """SQL for the JSON array of Python's ``round(column, digits)`` in row order.

    Each number is written as an integer count of 10**-digits with an exponent
    (833.333 as ``833333e-3``): JSON readers parse that to the very float
    Python's round() gives, while SQLite 3.40 prints a REAL several times
    slower than an integer and its round() takes ties away from zero where
    Python's rounds the exact binary value. SQLite's round(column * 10**digits)
    is kept only where it must agree with Python's: a product under 1e9 in
    magnitude is within 1.2e-7 of the exact one, so a result more than 1e-5
    from a half is the same; near halves, larger values, negative values that
    round to -0 (and NULL, which fails) go to `_exact_round`.
    """
    scaled = f"({column}) * {10**digits}"
    fast = (
        f"abs({scaled}) < 1e9 AND abs({scaled} - round({scaled})) < 0.49999"
        f" AND ({scaled} >= 0 OR {scaled} <= -0.5)"
    )
    number = (
        f"CASE WHEN {fast} THEN CAST(round({scaled}) AS INTEGER)"
        f" ELSE {_EXACT_ROUND}({column}, {digits}) END"
    )
    return f"coalesce('[' || group_concat({number}, 'e-{digits},') || 'e-{digits}]', '[]')"


_EXACT_ROUND = "history_exact_round"


def _exact_round(value: float, digits: int) -> str:
    """round(value, digits) * 10**digits as an integer's digits: Python's rounding, exactly."""
    scaled = round(Fraction(value) * 10**digits)
    return "-0" if scaled == 0 and value < 0 else str(scaled)


def _span(
    column: str, since: float, until: float | None, devices: Sequence[str] | None = None
) -> tuple[str, list[object]]:
    """A WHERE clause (and its parameters) for since <= column < until and the device filter."""
    clauses, params = [f"{column} >= ?"], [since]
    if until is not None:
        clauses.append(f"{column} < ?")
        params.append(until)
    if devices is not None:
        devices = list(devices)
        clauses.append(f"device IN ({', '.join('?' * len(devices))})")
        params.extend(devices)
    return " AND ".join(clauses), params
