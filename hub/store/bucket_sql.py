"""The SQL of bucketed history series (`hub.store.buckets`): no Python per row.

One sort of the rows by device and bucket, a second of the buckets by device.

A minute's key is its average power (in mW) shifted over its minute index in
the span, so min() and max() of the keys over a bucket pick its lowest and
highest minutes and carry their powers; decoding a key gives the minute back.
A device's energy is drawn from its power, as the ledger defines a minute's
average power: its energy times 60 (`hub.core.energy_rows.DeviceMinute.power_avg_w`).
Numbers are written as integers with an exponent, as `hub.store.queries`
writes them, rounded by SQLite (halves away from zero): chart values.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.store.buckets import MINUTE_BITS, Buckets

_MASK = (1 << MINUTE_BITS) - 1
Key = Callable[[str], str]  # SQL of a key column's name -> SQL of a value it carries


def device_buckets_sql(buckets: Buckets, where: str) -> str:
    """Per device, by device: (device, buckets with rows, minutes, power W, energy Wh)."""
    grouped = _grouped(buckets, "rollups", "power_avg_w", where, "device")
    columns = [_times(buckets), _numbers(_milli, "e-3"), _numbers(_energy_from_power, "e-4")]
    return f"SELECT device, count(*), {', '.join(columns)} FROM ({grouped}) GROUP BY device"


def home_buckets_sql(buckets: Buckets, where: str) -> str:
    """The home: (buckets with rows, minutes, consumption W, production W), each bucket
    picked by consumption, production read at the same minutes (by primary key)."""
    grouped = _grouped(buckets, "home_rollups", "consumption_wh * 60.0", where)

    def production(key: str) -> str:
        return (
            "(SELECT CAST(round(production_wh * 60000.0) AS INTEGER) FROM home_rollups"
            f" WHERE minute = {_minute(buckets)(key)})"
        )

    columns = [_times(buckets), _numbers(_milli, "e-3"), _numbers(production, "e-3")]
    return f"SELECT count(*), {', '.join(columns)} FROM ({grouped})"


def _grouped(buckets: Buckets, table: str, watts: str, where: str, *by: str) -> str:
    """Per bucket (with rows), in order: the keys of its earlier minute (`a`) and of its
    later one (`z`, NULL when both hold the same power)."""
    index = f"((minute - {buckets.first_minute}) / 60)"
    key = f"(CAST(round(({watts}) * 1000.0) AS INTEGER) << {MINUTE_BITS}) + {index}"
    bucket = f"{index} / {buckets.width}"
    lo_first = f"(min(k) & {_MASK}) <= (max(k) & {_MASK})"
    a = f"CASE WHEN {lo_first} THEN min(k) ELSE max(k) END AS a"
    same = f"min(k) >> {MINUTE_BITS} = max(k) >> {MINUTE_BITS}"
    z = f"CASE WHEN {same} THEN NULL WHEN {lo_first} THEN max(k) ELSE min(k) END AS z"
    group = ", ".join([*by, "b"])
    rows = f"SELECT {', '.join([*by, 'minute'])}, {bucket} AS b, {key} AS k FROM {table}"
    return (
        f"SELECT {', '.join([*by, a, z])} FROM ({rows} WHERE {where} AND ({watts}) IS NOT NULL)"
        f" GROUP BY {group} ORDER BY {group}"
    )


def _minute(buckets: Buckets) -> Key:
    """The minute (Unix seconds) a key stands for."""
    return lambda key: f"({buckets.first_minute} + 60 * ({key} & {_MASK}))"


def _milli(key: str) -> str:
    """The power a key carries, in mW."""
    return f"({key} >> {MINUTE_BITS})"


def _energy_from_power(key: str) -> str:
    """The energy of the minute a key stands for, in 1e-4 Wh (mW / 6)."""
    return f"CAST(round(({key} >> {MINUTE_BITS}) / 6.0) AS INTEGER)"


def _items(value: Key, separator: str) -> str:
    """A bucket's one or two items: `value` of key a, then of key z if there is one."""
    return f"({value('a')}) || coalesce('{separator}' || ({value('z')}), '')"


def _times(buckets: Buckets) -> str:
    """The JSON array of the points' minutes."""
    return f"coalesce('[' || group_concat({_items(_minute(buckets), ',')}) || ']', '[]')"


def _numbers(value: Key, exponent: str) -> str:
    """The JSON array of `value`, integers written with `exponent` (``8333e-4``)."""
    items = _items(value, f"{exponent},")
    return f"coalesce('[' || group_concat({items}, '{exponent},') || '{exponent}]', '[]')"
