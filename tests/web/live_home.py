"""A live home for web tests: broker, hub and device processes, all real."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness import (
    BrokerEndpoint,
    Hub,
    ManagedProcess,
    Processes,
    start_device,
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
    hub: Hub
    procs: Processes

    @property
    def url(self) -> str:
        return self.hub.url

    def get(self, path: str) -> object:
        return self.hub.get(path)

    def device(self, kind: str, device_id: str, *args: str) -> ManagedProcess:
        return start_device(self.procs, self.broker, kind, device_id, *args)

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
    return LiveHome(broker, Hub(procs, broker, tmp_path / "data", config, *hub_args), procs)
