"""Helpers shared by the reliability tests: a hub, devices and brokers that can be killed."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
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


class Hub:
    """A hub process and its HTTP API."""

    def __init__(
        self,
        procs: Processes,
        broker: BrokerEndpoint,
        data_dir: Path,
        config: Path,
        *args: str,
        http_port: int | None = None,
        argv_prefix: list[str] | None = None,
    ):
        self.http_port = http_port or free_port()
        argv = python_module(
            "hub",
            "--broker",
            broker.url,
            "--data-dir",
            str(data_dir),
            "--http-port",
            str(self.http_port),
            "--config",
            str(config),
            *args,
        )
        if argv_prefix is not None:
            argv = [*argv_prefix, " ".join(argv) + " 2>&1 | cat"]
        self.data_dir = data_dir
        self.process = procs.start("hub", argv)
        wait_for(self.healthy, 30, "the hub's health endpoint")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.loads(response.read())

    def request(self, method: str, path: str, body: bytes | None = None, timeout: float = 15):
        """(status, parsed JSON or raw text) for any answer, errors included."""
        request = urllib.request.Request(
            self.url + path, data=body, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, raw, kind = exc.code, exc.read(), exc.headers
        if "json" in (kind.get("Content-Type") or ""):
            return status, json.loads(raw)
        return status, raw

    def health(self) -> dict:
        """The health document, also when it comes with a 503 (degraded)."""
        return self.request("GET", "/api/health", timeout=5)[1]

    def healthy(self) -> bool:
        if not self.process.alive():
            raise AssertionError(f"hub exited:\n{self.process.output()}")
        try:
            return self.get("/api/health")["status"] == "ok"
        except OSError:
            return False

    def device_energy(self, device_id: str) -> float:
        return next(d for d in self.get("/api/devices") if d["id"] == device_id)["energy_today_wh"]


def device(
    procs: Processes, broker: BrokerEndpoint, kind: str, device_id: str, *args: str
) -> ManagedProcess:
    return procs.start(
        device_id,
        python_module(
            "devices",
            "--kind",
            kind,
            "--id",
            device_id,
            "--broker",
            broker.url,
            "--interval",
            "0.5",
            "--param",
            "auto=false",
            *args,
        ),
    )


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
