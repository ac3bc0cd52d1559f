"""soak: the hub's RSS and inbound queue depth over time, 500 devices at 1 Hz.

Samples VmRSS of the hub (/proc/<pid>/status; the hub process plus its
readings receiver process) and `queue_depth` of /api/health every `--every`
seconds. RSS is compared from the end of a warm-up
(devices discovered, caches filled) to the end; the growth target (10 MB over
10 minutes) is scaled to the run's length for short runs, which is indicative
only: allocator and SQLite page-cache growth is front-loaded.
"""

from __future__ import annotations

import argparse
import time

from bench.harness import (
    Result,
    Row,
    at_most,
    session,
    start_home,
)
from testkit.proc_stats import rss_mb, with_children

NAME = "soak"
KEYS = ("rss_start_mb", "rss_end_mb", "max_queue")
HELP = "hub RSS and queue depth over time, 500 devices at 1 Hz"
TARGET_GROWTH_MB_PER_10_MIN = 10.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--minutes", type=float, help="measuring time (quick 0.5, full 10)")
    parser.add_argument(
        "--warmup", type=float, help="seconds before the first sample (quick 0, full 10)"
    )
    parser.add_argument("--every", type=float, default=2.0, help="sampling period, seconds")


def run(args: argparse.Namespace) -> Result:
    minutes = args.minutes or (0.5 if args.quick else 10.0)
    samples: list[tuple[float, float, int]] = []  # (t, rss MB, queue depth)
    with session() as (directory, procs):
        hub = start_home(procs, directory, args.devices, timeout=60)
        time.sleep(args.warmup if args.warmup is not None else (0.0 if args.quick else 10.0))
        start = time.monotonic()
        end = start + minutes * 60.0
        while True:
            depth = hub.health()["queue_depth"]
            rss = sum(map(rss_mb, with_children(hub.process.pid)))
            samples.append((time.monotonic() - start, rss, depth))
            if time.monotonic() >= end:
                break
            time.sleep(min(args.every, max(0.0, end - time.monotonic())))
        readings = _logged(hub.data_dir / "hub.db")
    rss_start, rss_end = samples[0][1], samples[-1][1]
    rss_max = max(s[1] for s in samples)
    max_queue = max(s[2] for s in samples)
    half = len(samples) // 2
    first_half_q = max(s[2] for s in samples[: max(half, 1)])
    second_half_q = max(s[2] for s in samples[half:])
    allowed = TARGET_GROWTH_MB_PER_10_MIN * minutes / 10.0
    growth = rss_end - rss_start
    data = {
        "rss_start_mb": round(rss_start, 1),
        "rss_end_mb": round(rss_end, 1),
        "max_queue": max_queue,
        "rss_max_mb": round(rss_max, 1),
        "growth_mb": round(growth, 1),
        "allowed_growth_mb": round(allowed, 2),
        "queue_end": samples[-1][2],
        "devices": args.devices,
        "minutes": minutes,
        "readings_logged": readings,
        "samples": [[round(t, 1), round(r, 1), q] for t, r, q in samples],
    }
    result = Result(NAME, data)
    growing = second_half_q > max(first_half_q, 100) * 2
    result.rows += [
        Row("RSS start", rss_start, "MB"),
        Row("RSS end", rss_end, "MB"),
        at_most(f"RSS growth ({minutes:g} min)", growth, "MB", allowed),
        Row("max queue depth", max_queue, "", "no growth", not growing),
    ]
    result.notes.append(
        f"{len(samples)} samples; queue max first half {first_half_q}, second half "
        f"{second_half_q}; {readings} readings logged"
    )
    return result


def _logged(db_file) -> int:
    import sqlite3

    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return db.execute("SELECT coalesce(max(rowid), 0) FROM readings").fetchone()[0]
    finally:
        db.close()
