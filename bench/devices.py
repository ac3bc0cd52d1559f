"""devices: RSS of one device process; CPU of fleet mode at 500 devices x 1 Hz.

The device is a fridge (`python -m devices --kind fridge`), measured (VmRSS)
once it has connected and published for a few seconds. The fleet's CPU is
(utime + stime) from /proc/<pid>/stat over a window after all devices are up,
as a share of one core (100 % = one core busy), summed over the fleet processes
(one, unless `bench.harness.MAX_PER_FLEET` is lowered).
A bare Mosquitto is the broker; no hub runs, so nothing else competes for the CPU.
"""

from __future__ import annotations

import argparse
import time

import paho.mqtt.client as mqtt

from bench.harness import (
    MAX_PER_FLEET,
    BenchError,
    Result,
    at_most,
    session,
    start_broker,
    start_fleet,
    wait_devices,
    wait_for,
)
from testkit.proc_stats import cpu_seconds, rss_mb
from testkit.programs import python_module

NAME = "devices"
KEYS = ("device_rss_mb", "fleet_cpu_pct")
HELP = "RSS of one device process; CPU of a 500-device fleet at 1 Hz"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--window", type=float, help="CPU window, seconds (quick 10, full 60)")


class StateCounter:
    def __init__(self, port: int):
        self.seen: set[str] = set()
        self.count = 0
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-devices")
        self.client.on_connect = lambda c, *a: c.subscribe("home/+/state", qos=0)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()

    def _on_message(self, client, userdata, message) -> None:
        self.count += 1
        self.seen.add(message.topic)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def run(args: argparse.Namespace) -> Result:
    window = args.window or (10.0 if args.quick else 60.0)
    with session() as (_, procs):
        port = start_broker(procs, "mosquitto")
        counter = StateCounter(port)
        try:
            broker = f"mqtt://127.0.0.1:{port}"
            device = procs.start(
                "device",
                python_module(
                    "devices", "--kind", "fridge", "--id", "bench-fridge", "--broker", broker
                ),
            )
            wait_for(lambda: counter.seen or not device.alive(), 20, "the fridge's first state")
            if not device.alive():
                raise BenchError(f"device exited:\n{device.output()}")
            time.sleep(3.0)
            device_rss = rss_mb(device.pid)
            device.stop()
            counter.seen.clear()
            fleets = start_fleet(procs, port, args.count, 1.0)
            wait_devices(fleets, lambda: len(counter.seen), args.count, 60)
            time.sleep(2.0)
            pids = [fleet.pid for fleet in fleets]
            cpu0, t0, n0 = sum(map(cpu_seconds, pids)), time.monotonic(), counter.count
            time.sleep(window)
            cpu1, t1, n1 = sum(map(cpu_seconds, pids)), time.monotonic(), counter.count
            fleet_rss = sum(map(rss_mb, pids))
        finally:
            counter.close()
    cpu_pct = (cpu1 - cpu0) / (t1 - t0) * 100.0
    rate = (n1 - n0) / (t1 - t0)
    data = {
        "device_rss_mb": round(device_rss, 1),
        "fleet_cpu_pct": round(cpu_pct, 1),
        "fleet_count": args.count,
        "fleet_processes": len(pids),
        "fleet_rss_mb": round(fleet_rss, 1),
        "fleet_states_per_s": round(rate, 1),
        "window_s": window,
    }
    result = Result(NAME, data)
    result.rows += [
        at_most("one device RSS", device_rss, "MB", 35),
        at_most(f"fleet {args.count} x 1 Hz CPU", cpu_pct, "%", 100),
    ]
    result.notes.append(
        f"fleet published {rate:,.0f} states/s (RSS {fleet_rss:.0f} MB) over {window:g} s "
        f"in {len(pids)} processes of <= {MAX_PER_FLEET} devices (see bench.harness.MAX_PER_FLEET)"
    )
    return result
