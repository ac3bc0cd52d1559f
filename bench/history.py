"""history: /api/history for 24 h x 100 devices at 1-minute resolution from a pre-filled log.

The log is filled through `hub.store.Store.write` (144,000 device rollups and
1,440 home rollups for the 24 hours up to now) before the hub starts on it.
The API caps an explicit device list at 20 (`MAX_HISTORY_DEVICES`) but gives
every device when none is named, so the headline figure is one request with
no `device=`, as the page's chart asks: with `points=` its width in pixels
(`--points`, 1,400 by default: a wide screen). The same request at full
resolution (no `points=`, every minute of the day) is timed in the same run,
alternating with it, and so are five requests of 20 named devices each.
Times are wall-clock from sending the request to having read the whole body.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request

from bench.harness import Result, Row, at_most, session, start_broker, start_hub
from hub.store import Batch, DeviceRollup, HomeRollup, Store, db_path, minute_of

NAME = "history"
KEYS = ("ms", "rows")
HELP = "/api/history, 24 h x 100 devices at 1-minute resolution, from a pre-filled log"
MINUTES = 24 * 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--repeat", type=int, help="timed requests (quick 5, full 20)")
    parser.add_argument(
        "--points", type=int, default=1400, help="points= of the chart's request (its width)"
    )


def prefill(data_dir, devices: int, end_minute: int) -> float:
    """Write the rollups; return the seconds it took."""
    started = time.monotonic()
    store = Store.open(db_path(data_dir))
    try:
        ids = [f"bench-{i:03d}" for i in range(devices)]
        first = end_minute - MINUTES * 60
        for hour in range(24):
            batch = Batch()
            for m in range(hour * 60, hour * 60 + 60):
                minute = first + m * 60
                total = 0.0
                for index, device in enumerate(ids):
                    power = 50.0 + (index * 37 + m * 11) % 900
                    wh = power / 60.0
                    total += wh
                    batch.device_rollups.append(
                        DeviceRollup(minute, device, wh, wh * 0.000245, power, power * 1.2)
                    )
                batch.home_rollups.append(
                    HomeRollup(minute, total, 0.0, total, 0.0, total * 0.000245, total * 0.2)
                )
            store.write(batch)
    finally:
        store.close()
    return time.monotonic() - started


def timed_get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000.0, body


def run(args: argparse.Namespace) -> Result:
    import json

    repeat = args.repeat or (5 if args.quick else 20)
    end_minute = minute_of(time.time())
    start_ts = end_minute - MINUTES * 60
    with session() as (directory, procs):
        fill_s = prefill(directory / "hub-data", args.devices, end_minute)
        port = start_broker(procs, directory, "mosquitto")
        hub = start_hub(procs, directory, port)
        query = {"from": f"{start_ts}", "to": f"{end_minute}", "resolution": "1m"}
        full_url = f"{hub.url}/api/history?{urllib.parse.urlencode(query)}"
        url = f"{full_url}&points={args.points}"
        answers = {u: json.loads(timed_get(u)[1]) for u in (full_url, url)}  # warm up
        full_ms, all_ms = [], []
        for _ in range(repeat):  # alternating, so both see the same machine
            full_ms.append(timed_get(full_url)[0])
            ms, body = timed_get(url)
            all_ms.append(ms)
        ids = sorted(answers[url]["devices"])
        chunked_ms = []
        for _ in range(max(1, repeat // 2)):
            total = 0.0
            for part in range(0, len(ids), 20):
                devices = [("device", d) for d in ids[part : part + 20]]
                total += timed_get(f"{url}&{urllib.parse.urlencode(devices)}")[0]
            chunked_ms.append(total)
    answer = answers[url]
    rows = sum(len(series["t"]) for series in answer["devices"].values())
    full_rows = sum(len(series["t"]) for series in answers[full_url]["devices"].values())
    ms, full = statistics.median(all_ms), statistics.median(full_ms)
    chunked = statistics.median(chunked_ms)
    data = {
        "ms": round(ms, 1),
        "rows": rows,
        "points": args.points,
        "devices": len(answer["devices"]),
        "home_points": len(answer["home"]["t"]),
        "bytes": len(body),
        "ms_min": round(min(all_ms), 1),
        "ms_max": round(max(all_ms), 1),
        "ms_full": round(full, 1),
        "rows_full": full_rows,
        "ms_5x20_devices": round(chunked, 1),
        "prefill_s": round(fill_s, 1),
        "repeat": repeat,
    }
    result = Result(NAME, data)
    result.rows += [
        at_most(f"all {len(answer['devices'])} devices, points={args.points}", ms, "ms", 300),
        Row("rows returned", rows, ""),
        Row("same at full resolution", full, "ms", "(info)", None, full / ms),
        Row("rows at full resolution", full_rows, ""),
        Row("5 requests x 20 devices", chunked, "ms", "(info)"),
        Row("response size", len(body) / 1e6, "MB"),
    ]
    result.notes.append(
        f"medians of {repeat} (points={args.points}: min {min(all_ms):.0f}, max "
        f"{max(all_ms):.0f} ms; ratio column of full resolution: full / points); "
        "no device= means every device, so the 20-device cap does not apply"
    )
    return result
