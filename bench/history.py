"""history: /api/history for 24 h x 100 devices at 1-minute resolution from a pre-filled log.

The log is filled through `hub.store.database.Store.write` (144,000 device rollups and
1,440 home rollups for the 24 hours up to now) before the hub starts on it.
The API caps an explicit device list at 20 (`MAX_HISTORY_DEVICES`) but gives
every device when none is named, so the headline figure is one request with
no `device=`, as the page's chart asks it: with `points=` twice the plot's
width in pixels (`--points`, a list; the first is the headline: 2,526 for the
1,263-px plot of a 1,400-px window, then 580 for a phone's). The same request
at full resolution (every minute: `points=` at its most) is timed in the same
run, the requests taking turns, and so are the first request split into
requests of 20 named devices. `--days 7 --devices 20` asks for a week, where
the chart's buckets are wider. Times are wall-clock from sending the request
to having read the whole body.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request

from bench.harness import Result, Row, at_most, session, start_broker, start_hub
from hub.api import SERIES_POINTS_RANGE
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.store.database import Store, db_path
from hub.store.schema import Batch, minute_of

NAME = "history"
KEYS = ("ms", "rows")
HELP = "/api/history, 24 h x 100 devices at 1-minute resolution, from a pre-filled log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument(
        "--days", type=int, default=1, help="the span asked for, e.g. 7 with --devices 20"
    )
    parser.add_argument("--repeat", type=int, help="timed requests (quick 5, full 20)")
    parser.add_argument(
        "--points",
        type=lambda text: [int(p) for p in text.split(",")],
        default=[2526, 580],
        help="points= of the chart's requests, comma-separated (default 2526,580)",
    )


def prefill(data_dir, devices: int, end_minute: int, days: int = 1) -> float:
    """Write the rollups of the `days` up to `end_minute`; return the seconds it took."""
    started = time.monotonic()
    store = Store.open(db_path(data_dir))
    try:
        ids = [f"bench-{i:03d}" for i in range(devices)]
        first = end_minute - days * 86400
        for hour in range(24 * days):
            batch = Batch()
            for m in range(hour * 60, hour * 60 + 60):
                minute = first + m * 60
                total = 0.0
                for index, device in enumerate(ids):
                    power = 50.0 + (index * 37 + m * 11) % 900
                    wh = power / 60.0
                    total += wh
                    batch.device_rollups.append(
                        DeviceMinute(minute, device, wh, wh * 0.000245, power * 1.2)
                    )
                batch.home_rollups.append(
                    HomeMinute(minute, total, 0.0, total, 0.0, total * 0.000245, total * 0.2)
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
    start_ts = end_minute - args.days * 86400
    with session() as (directory, procs):
        fill_s = prefill(directory / "hub-data", args.devices, end_minute, args.days)
        port = start_broker(procs, "mosquitto")
        hub = start_hub(procs, directory, port)
        query = {"from": f"{start_ts}", "to": f"{end_minute}", "resolution": "1m"}
        base = f"{hub.url}/api/history?{urllib.parse.urlencode(query)}"
        # full: every minute (a day is whole by default, a longer span at the most points)
        urls = {p: f"{base}&points={p}" for p in [SERIES_POINTS_RANGE[1], *args.points]}
        bodies = {p: timed_get(url)[1] for p, url in urls.items()}  # warm up
        answers = {p: json.loads(body) for p, body in bodies.items()}
        times: dict[int, list[float]] = {p: [] for p in urls}
        for _ in range(repeat):  # taking turns, so every request sees the same machine
            for p, url in urls.items():
                times[p].append(timed_get(url)[0])
        headline = args.points[0]
        ids = sorted(answers[headline]["devices"])
        chunked_ms = []
        for _ in range(max(1, repeat // 2)):
            total = 0.0
            for part in range(0, len(ids), 20):
                devices = [("device", d) for d in ids[part : part + 20]]
                total += timed_get(f"{urls[headline]}&{urllib.parse.urlencode(devices)}")[0]
            chunked_ms.append(total)
    ms = {p: statistics.median(t) for p, t in times.items()}
    rows = {p: sum(len(s["t"]) for s in a["devices"].values()) for p, a in answers.items()}
    full = SERIES_POINTS_RANGE[1]
    answer = answers[headline]
    data = {
        "ms": round(ms[headline], 1),
        "rows": rows[headline],
        "points": headline,
        "days": args.days,
        "devices": len(answer["devices"]),
        "home_points": len(answer["home"]["t"]),
        "ms_min": round(min(times[headline]), 1),
        "ms_max": round(max(times[headline]), 1),
        "ms_full": round(ms[full], 1),
        "rows_full": rows[full],
        "bytes": len(bodies[headline]),
        "by_points": {
            p: {"ms": round(ms[p], 1), "rows": rows[p], "bytes": len(bodies[p])} for p in urls
        },
        "ms_5x20_devices": round(statistics.median(chunked_ms), 1),
        "prefill_s": round(fill_s, 1),
        "repeat": repeat,
    }
    span = f"{args.days * 24} h x {len(answer['devices'])} devices"
    result = Result(NAME, data)
    result.rows.append(at_most(f"{span}, points={headline}", ms[headline], "ms", 300))
    for p in urls:
        label = "every minute" if p == full else f"points={p}"
        result.rows += [
            Row(f"{label}: median", ms[p], "ms", "(info)", None, ms[p] / ms[full]),
            Row(f"{label}: rows, MB", rows[p], f"{len(bodies[p]) / 1e6:.2f} MB"),
        ]
    result.rows.append(
        Row(
            f"{-(-len(ids) // 20)} request(s) of <= 20 named devices",
            statistics.median(chunked_ms),
            "ms",
            "(info)",
        )
    )
    result.notes.append(
        f"medians of {repeat} (points={headline}: min {min(times[headline]):.0f}, max "
        f"{max(times[headline]):.0f} ms); ratio column: against every minute; no device= "
        "means every device, so the 20-device cap does not apply"
    )
    return result
