"""ingest: readings/s the hub accepts and logs, against a bare subscriber on the same stream.

A publisher process (`bench.publisher`) offers `--rate` state messages/s from
`--devices` devices over 4 connections for `--seconds`. In the same run a bare
paho subscriber (this process) counts the stream (the baseline: what the
broker delivers), while the hub parses, meters and logs it; the hub's count
is the number of `readings` rows in its SQLite log (opened read-only). Each
rate is its count over the time from the first publish to its last message
(the hub's: until its log stops growing), so a hub that falls behind and
catches up later is charged for the catching up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import threading
import time

import paho.mqtt.client as mqtt

from bench.harness import (
    BenchError,
    Result,
    at_least,
    session,
    start_broker,
    start_hub,
    wait_for,
)
from testkit.programs import python_module

NAME = "ingest"
KEYS = ("broker", "devices", "hub_rate", "baseline_rate", "ratio")
HELP = "readings/s through the broker into the hub (with logging) vs a bare subscriber"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", choices=("mosquitto", "embedded"), default="mosquitto")
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20000.0, help="offered messages/s")
    parser.add_argument("--seconds", type=float, help="publishing time (quick 8, full 30)")


class Baseline:
    """A paho subscriber that only counts."""

    def __init__(self, port: int):
        self.count = 0
        self.last = 0.0
        self._subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-baseline")
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.on_connect = lambda c, *a: c.subscribe("home/+/state", qos=1)
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            raise BenchError("the baseline subscriber got no SUBACK")

    def _on_message(self, client, userdata, message) -> None:
        self.count += 1
        self.last = time.time()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def logged_readings(db: sqlite3.Connection) -> int:
    # rowid grows by one per insert and nothing is deleted during a run: cheaper than count(*)
    return db.execute("SELECT coalesce(max(rowid), 0) FROM readings").fetchone()[0]


def run(args: argparse.Namespace) -> Result:
    seconds = args.seconds or (8.0 if args.quick else 30.0)
    with session() as (directory, procs):
        port = start_broker(procs, args.broker)
        hub = start_hub(procs, directory, port)
        baseline = Baseline(port)
        db_file = hub.data_dir / "hub.db"
        db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, check_same_thread=False)
        try:
            publisher = procs.start(
                "publisher",
                python_module(
                    "bench.publisher",
                    "--port",
                    str(port),
                    "--devices",
                    str(args.devices),
                    "--rate",
                    f"{args.rate:g}",
                    "--seconds",
                    f"{seconds:g}",
                ),
            )
            # follow the hub's log while the publisher runs and until it stops growing
            hub_count, hub_last, depth_max = 0, time.time(), 0
            quiet_since = time.monotonic()
            give_up = time.monotonic() + seconds + 25
            while time.monotonic() < give_up:
                time.sleep(0.25)
                count = logged_readings(db)
                if count != hub_count:
                    hub_count, hub_last, quiet_since = count, time.time(), time.monotonic()
                elif not publisher.alive() and time.monotonic() - quiet_since > 2.0:
                    break
                with contextlib.suppress(OSError):
                    depth_max = max(depth_max, hub.health()["queue_depth"])
            wait_for(lambda: not publisher.alive(), 15, "the publisher to finish")
            lines = [line for line in publisher.output().splitlines() if line.startswith("{")]
            if not lines:
                raise BenchError(f"publisher failed:\n{publisher.output()}")
            report = json.loads(lines[-1])
        finally:
            baseline.close()
            db.close()
    t0, sent = report["t0"], report["sent"]
    offered = sent / (report["t1"] - t0)
    baseline_rate = baseline.count / max(baseline.last - t0, 1e-9)
    hub_rate = hub_count / max(hub_last - t0, 1e-9)
    ratio = hub_rate / baseline_rate if baseline_rate else 0.0
    data = {
        "broker": args.broker,
        "devices": args.devices,
        "hub_rate": round(hub_rate, 1),
        "baseline_rate": round(baseline_rate, 1),
        "ratio": round(ratio, 3),
        "offered_rate": round(offered, 1),
        "sent": sent,
        "baseline_received": baseline.count,
        "hub_logged": hub_count,
        "max_queue_seen": depth_max,
        "seconds": seconds,
    }
    result = Result(NAME, data)
    result.rows += [
        at_least("hub rate (readings/s)", hub_rate, "", 15000),
        at_least("hub / baseline", ratio, "", 0.8 if args.broker == "mosquitto" else 0.0),
    ]
    result.rows[-1].ratio = None
    result.notes.append(
        f"offered {offered:,.0f}/s ({sent} sent), baseline got {baseline.count} at "
        f"{baseline_rate:,.0f}/s, hub logged {hub_count}; peak hub queue seen {depth_max}"
    )
    return result
