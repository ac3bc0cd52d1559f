"""energy: /api/energy for a year of 20 devices (and a day, week, month), from a pre-filled log.

The log covers the whole of last year and this year up to now. The last
`--minute-days` days are minute rollups written through `hub.store.database.Store.write`,
so their hours are built by the same rebuild the hub's writer runs; every
older hour is inserted straight into the hourly tables (a year of minute rows
for 20 devices is about 10 million rows, which would take far longer to write
than the benchmark runs). The hourly rows are what the view reads, so both
halves are read the same way. The headline is the year view of last year
(twelve full months: 175,200 device-hours); times are wall-clock from sending
the request to having read the whole body, median of `--repeat`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sqlite3
import statistics
import time
import urllib.request

from bench.harness import Result, Row, at_most, session, start_broker, start_hub
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.store.database import Store, db_path
from hub.store.hourly import hour_of
from hub.store.schema import Batch

NAME = "energy"
KEYS = ("year_ms", "day_ms", "week_ms", "month_ms", "device_hours")
HELP = "/api/energy, a year of 20 devices from hourly rollups (and a day, week, month)"
RATE, CARBON = 0.245, 200.0  # per kWh imported


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--repeat", type=int, help="timed requests per view (quick 5, full 20)")
    parser.add_argument("--minute-days", type=int, help="days of minute rows (quick 1, full 3)")


def _powers(devices: int, t: float) -> tuple[list[float], float]:
    """Consumers' powers (W) at `t`, and the producers' total: a sun over the day."""
    consumers = [50.0 + (i * 37 + int(t // 60) * 11) % 900 for i in range(devices - 2)]
    sun = max(0.0, math.sin(math.pi * ((t % 86400) / 3600.0 - 6.0) / 12.0))
    return consumers, 2 * 1500.0 * sun


def _home(start: int, used: float, made: float, cost: float) -> tuple:
    imported, exported = max(0.0, used - made), max(0.0, made - used)
    return (start, used, made, imported, exported, cost, imported * CARBON / 1000.0)


def _fill_hours(path, ids: list[str], first_hour: int, end_hour: int) -> int:
    """Hourly rows for [first_hour, end_hour), inserted directly; returns device-hours."""
    devices, homes = [], []
    for hour in range(first_hour, end_hour, 3600):
        consumers, made = _powers(len(ids), hour + 1800)
        used = sum(consumers)
        share = min(used, made) / used
        for device, power in zip(ids, consumers, strict=False):
            devices.append((hour, device, power, power * RATE / 1000, power * share, 0.0))
        for device in ids[-2:]:
            devices.append((hour, device, made / 2, -made / 2 * 0.1 / 1000, 0.0, 0.0))
        cost = max(0.0, used - made) * RATE / 1000 - max(0.0, made - used) * 0.1 / 1000
        homes.append(_home(hour, used, made, cost))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO hourly_rollups VALUES (?, ?, ?, ?, ?, ?)", devices)
        conn.executemany("INSERT INTO home_hourly_rollups VALUES (?, ?, ?, ?, ?, ?, ?)", homes)
    conn.close()
    return len(devices)


def _fill_minutes(store: Store, ids: list[str], first_hour: int, end_minute: int) -> int:
    """Minute rollups for [first_hour, end_minute), an hour per write; returns device-minutes."""
    rows = 0
    for hour in range(first_hour, end_minute, 3600):
        batch = Batch()
        for minute in range(hour, min(hour + 3600, end_minute), 60):
            consumers, made = _powers(len(ids), minute)
            wh = [power / 60.0 for power in consumers] + [made / 120.0] * 2
            for device, energy in zip(ids, wh, strict=True):
                cost = energy * (RATE if device not in ids[-2:] else -0.1) / 1000
                batch.device_rollups.append(DeviceMinute(minute, device, energy, cost, energy * 60))
            used, made_wh = sum(wh[:-2]), made / 60.0
            home = _home(minute, used, made_wh, 0.0)
            cost = (home[3] * RATE - home[4] * 0.1) / 1000
            batch.home_rollups.append(HomeMinute(*home[:5], cost, home[6]))
        rows += len(batch.device_rollups)
        store.write(batch)
    return rows


def prefill(data_dir, devices: int, minute_days: int, now: float) -> tuple[int, int, float]:
    """Last year and this year up to `now`; (device-hours, device-minutes, seconds taken)."""
    started = time.monotonic()
    ids = [f"bench-{i:02d}" for i in range(devices)]
    first = int(dt.datetime(dt.date.fromtimestamp(now).year - 1, 1, 1).timestamp())
    first = hour_of(first - 86400)  # a day early: every local zone's new year is covered
    minutes_from = hour_of(now - minute_days * 86400)
    path = db_path(data_dir)
    store = Store.open(path)
    try:
        minute_rows = _fill_minutes(store, ids, minutes_from, int(now // 60) * 60)
    finally:
        store.close()
    hour_rows = _fill_hours(path, ids, first, minutes_from)
    return hour_rows, minute_rows, time.monotonic() - started


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000.0


def run(args: argparse.Namespace) -> Result:
    repeat = args.repeat or (5 if args.quick else 20)
    minute_days = args.minute_days or (1 if args.quick else 3)
    now = time.time()
    last_year = f"{dt.date.fromtimestamp(now).year - 1}-06-15"
    views = {
        "year": f"period=year&date={last_year}",
        "day": "period=day",
        "week": "period=week",
        "month": "period=month",
    }
    medians = {}
    with session() as (directory, procs):
        hour_rows, minute_rows, fill_s = prefill(
            directory / "hub-data", args.devices, minute_days, now
        )
        port = start_broker(procs, "mosquitto")
        hub = start_hub(procs, directory, port)
        for view, query in views.items():
            url = f"{hub.url}/api/energy?{query}&compare=1"
            timed_get(url)  # warm: page cache, Flask's first request
            medians[view] = statistics.median(timed_get(url) for _ in range(repeat))
        answer = hub.get(f"/api/energy?{views['year']}")
    year_kwh = answer["totals"]["consumption_wh"] / 1000
    data = {f"{view}_ms": round(ms, 1) for view, ms in medians.items()}
    data |= {
        "device_hours": hour_rows,
        "device_minutes": minute_rows,
        "devices": args.devices,
        "year_consumption_kwh": round(year_kwh, 1),
        "prefill_s": round(fill_s, 1),
        "repeat": repeat,
    }
    result = Result(NAME, data)
    result.rows += [
        at_most(f"year of {args.devices} devices, median", medians["year"], "ms", 300),
        *(Row(f"{view}, median", medians[view], "ms", "(info)") for view in ("month", "week")),
        Row("day, median", medians["day"], "ms", "(info)"),
        Row("device-hours in the log", hour_rows, ""),
    ]
    result.notes.append(
        f"median of {repeat} per view, each with compare=1; the last {minute_days} day(s) "
        "as minute rows rebuilt into hours, older hours inserted directly"
    )
    return result
