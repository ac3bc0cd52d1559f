"""Helpers shared by the reliability tests: a hub, devices and brokers that can be killed."""

from __future__ import annotations

import os
from pathlib import Path

from harness import (
    BrokerEndpoint,
    ManagedProcess,
    Processes,
    free_port,
    mosquitto_config,
    port_open,
    python_module,
    require_binary,
    wait_for,
)

CONFIG = """
[home]
name = "Reliability home"
[[tariff.periods]]
name = "flat"
start = "00:00"
end = "00:00"
rate = 0.25
[[thresholds]]
rule = "total-power"
above_w = 1500
clear_below_w = 1000
for_s = 1
"""


def write_config(directory: Path, text: str = CONFIG) -> Path:
    path = directory / "home.toml"
    path.write_text(text)
    return path


class Broker:
    """A broker on a fixed port that can be killed and started again on that port."""

    def __init__(self, procs: Processes, kind: str, directory: Path):
        self.procs, self.kind, self.directory = procs, kind, directory
        self.endpoint = BrokerEndpoint("127.0.0.1", free_port())
        self.process: ManagedProcess | None = None
        self.start()

    def start(self) -> None:
        port = self.endpoint.port
        if self.kind == "mosquitto":
            config = self.directory / "mosquitto.conf"
            config.write_text(mosquitto_config(port, "allow_anonymous true"))
            argv = [require_binary("mosquitto", "mosquitto"), "-c", str(config)]
        else:
            argv = python_module("broker", "--port", str(port))
        self.process = self.procs.start(f"broker-{self.kind}", argv)
        process = self.process
        wait_for(lambda: port_open(port) or not process.alive(), 20, f"{self.kind} on {port}")
        assert process.alive(), process.output()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(9)
        self.process.wait_exit()
        wait_for(lambda: not port_open(self.endpoint.port), 5, "the port to close")


def child_pids(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(c) for c in text]
    return children


def vm_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def no_traceback(process: ManagedProcess) -> None:
    output = process.output()
    assert "Traceback" not in output, output[-4000:]


def is_root() -> bool:
    return os.geteuid() == 0
