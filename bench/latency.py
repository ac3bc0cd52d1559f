"""latency: device publish to a Socket.IO client receiving the reading, 200 devices at 1 Hz.

The fleet (`python -m devices fleet`) stamps each state with its simulation
time, which is wall-clock time when no clock is published (the hub runs
without --speed). A python-socketio client on the websocket transport records,
for every reading in a `readings` batch, receipt time minus `ts`. The first
`--warmup` seconds (connections, retained states, snapshots) are not counted.
"""

from __future__ import annotations

import argparse
import threading
import time

import socketio

from bench.harness import (
    BenchError,
    Result,
    Row,
    at_most,
    percentile,
    session,
    start_broker,
    start_fleet,
    start_hub,
    wait_devices,
)

NAME = "latency"
KEYS = ("p50_ms", "p95_ms", "p99_ms", "devices")
HELP = "publish-to-Socket.IO latency of readings, 200 devices at 1 Hz"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--broker", choices=("mosquitto", "embedded"), default="mosquitto")
    parser.add_argument("--seconds", type=float, help="measuring time (quick 15, full 60)")
    parser.add_argument("--warmup", type=float, default=5.0)


class Listener:
    def __init__(self, url: str):
        self.samples: list[float] = []
        self.counting = False
        self.batches = 0
        self._lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("readings", self._readings)
        self.client.connect(url, transports=["websocket"], wait_timeout=15)

    def _readings(self, batch: list[dict]) -> None:
        now = time.time()
        if not self.counting:
            return
        with self._lock:
            self.batches += 1
            self.samples.extend((now - reading["ts"]) * 1000.0 for reading in batch)

    def close(self) -> None:
        self.client.disconnect()


def run(args: argparse.Namespace) -> Result:
    seconds = args.seconds or (15.0 if args.quick else 60.0)
    with session() as (directory, procs):
        port = start_broker(procs, args.broker)
        hub = start_hub(procs, directory, port)
        listener = Listener(hub.url)
        try:
            fleet = start_fleet(procs, port, args.devices, 1.0)
            wait_devices(fleet, lambda: hub.health()["devices_online"], args.devices, 40)
            time.sleep(args.warmup)
            listener.counting = True
            time.sleep(seconds)
            listener.counting = False
            samples = list(listener.samples)
            batches = listener.batches
        finally:
            listener.close()
    if not samples:
        raise BenchError("no readings reached the Socket.IO client")
    p50, p95, p99 = (percentile(samples, q) for q in (50, 95, 99))
    data = {
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "devices": args.devices,
        "max_ms": round(max(samples), 1),
        "readings": len(samples),
        "batches": batches,
        "rate_per_s": round(len(samples) / seconds, 1),
        "seconds": seconds,
    }
    result = Result(NAME, data)
    result.rows += [
        Row("p50", p50, "ms"),
        Row("p95", p95, "ms"),
        at_most("p99", p99, "ms", 250),
        Row("readings/s received", len(samples) / seconds, "", f"~{args.devices}"),
    ]
    result.notes.append(f"{len(samples)} readings in {batches} batches over {seconds:g} s")
    return result
