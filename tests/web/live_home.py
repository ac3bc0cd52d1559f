"""A live home for web tests: broker, hub and device processes, all real."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from harness import (
    BrokerEndpoint,
    ManagedProcess,
    Processes,
    free_port,
    python_module,
    start_embedded_broker,
    wait_for,
)

CONFIG = """
[home]
name = "Test home"
[[tariff.periods]]
name = "flat"
start = "00:00"
end = "00:00"
rate = 0.25
[[thresholds]]
rule = "total-power"
above_w = 2000
for_s = 1
"""


@dataclass
class LiveHome:
    broker: BrokerEndpoint
    hub: ManagedProcess
    url: str
    procs: Processes

    def get(self, path: str) -> object:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.loads(response.read())

    def device(self, kind: str, device_id: str, *args: str) -> ManagedProcess:
        return self.procs.start(
            device_id,
            python_module(
                "devices",
                "--kind",
                kind,
                "--id",
                device_id,
                "--broker",
                self.broker.url,
                "--interval",
                "0.5",
                "--param",
                "auto=false",
                *args,
            ),
        )

    def wait_devices(self, count: int) -> None:
        wait_for(
            lambda: self.get("/api/summary")["devices_online"] >= count,
            20,
            f"{count} devices online",
        )


def start_live_home(procs: Processes, tmp_path: Path, *hub_args: str) -> LiveHome:
    broker = start_embedded_broker(procs)
    config = tmp_path / "home.toml"
    config.write_text(CONFIG)
    port = free_port()
    hub = procs.start(
        "hub",
        python_module(
            "hub",
            "--broker",
            broker.url,
            "--data-dir",
            str(tmp_path / "data"),
            "--http-port",
            str(port),
            "--config",
            str(config),
            *hub_args,
        ),
    )
    home = LiveHome(broker, hub, f"http://127.0.0.1:{port}", procs)

    def healthy() -> bool:
        if not hub.alive():
            raise AssertionError(f"hub exited:\n{hub.output()}")
        try:
            return home.get("/api/health")["status"] == "ok"
        except OSError:
            return False

    wait_for(healthy, 20, "the hub")
    return home
