"""500 fleet devices at 1 Hz for 2 minutes, through Mosquitto, at one hub."""

from __future__ import annotations

import json
import signal
import time
from collections import defaultdict

import pytest
from reliability_support import no_traceback, write_config

from hub.store.database import Store, db_path
from testkit.devices import start_fleet
from testkit.hub import Hub
from testkit.ports import wait_for
from testkit.proc_stats import rss_kib

pytestmark = [pytest.mark.reliability, pytest.mark.long]

COUNT = 500
RUN_S = 120  # the two minutes issue 8 asks of CI; longer runs are bench/soak
RSS_GROWTH_LIMIT_KIB = 30 * 1024


@pytest.mark.timeout(RUN_S + 150)
def test_five_hundred_devices_at_1_hz(procs, mosquitto_broker, tmp_path, mqtt_probe):
    hub = Hub(procs, mosquitto_broker, tmp_path / "data", write_config(tmp_path))
    bare = mqtt_probe(mosquitto_broker).connected()
    bare.subscribe("home/+/state")
    # one process for all 500: its connections share one epoll loop (devices/network.py)
    fleet = start_fleet(procs, mosquitto_broker, COUNT, 1)
    started = time.monotonic()
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == COUNT, 60, "500 devices")
    wait_for(lambda: time.monotonic() - started >= 30, 40, "30 s of load", interval=0.5)
    rss_early = rss_kib(hub.process.pid)
    wait_for(lambda: time.monotonic() - started >= RUN_S, RUN_S, "the run", interval=1)
    assert hub.get("/api/summary")["devices_online"] == COUNT
    rss_late = rss_kib(hub.process.pid)
    assert fleet.stop() == 0
    wait_for(lambda: hub.health()["queue_depth"] == 0, 30, "the hub to drain its queue")
    assert hub.process.stop(signal.SIGTERM, timeout=30) == 0  # flushes the log

    seen: dict[str, set[int]] = defaultdict(set)
    for message in bare.received():
        device_id = message.topic.split("/")[1]
        seen[device_id].add(json.loads(message.payload)["seq"])
    store = Store.open(db_path(tmp_path / "data"), read_only=True)
    try:
        logged: dict[str, set[int]] = defaultdict(set)
        for row in store.readings(0, time.time() + 3600):
            logged[row.device].add(row.seq)
    finally:
        store.close()

    assert len(seen) == COUNT
    total_seen = sum(len(s) for s in seen.values())
    assert total_seen >= COUNT * (RUN_S - 40)  # the load really ran at about 1 Hz each
    # every reading the broker delivered to a bare subscriber is in the hub's log
    missing = {d: sorted(seen[d] - logged[d]) for d in seen if seen[d] - logged[d]}
    assert missing == {}, f"{sum(map(len, missing.values()))} readings missing: {missing}"
    # and seq gaps in the log are no bigger than what the broker dropped for everyone
    for device_id, seqs in seen.items():
        span = set(range(min(seqs), max(seqs) + 1))
        assert (span - logged[device_id]) <= (span - seqs), device_id
    output = hub.process.output()
    assert " ERROR " not in output and "Traceback" not in output, output[-3000:]
    no_traceback(hub.process)
    assert rss_late - rss_early < RSS_GROWTH_LIMIT_KIB, (rss_early, rss_late)
    print(f"hub RSS {rss_early} KiB at 30 s, {rss_late} KiB at {RUN_S} s; {total_seen} readings")
