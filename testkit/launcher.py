"""The whole home as `home up` launches it: broker, hub and devices under one launcher."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from testkit.brokers import BrokerEndpoint
from testkit.hub import HubClient
from testkit.ports import HOST, free_port, wait_for
from testkit.processes import ManagedProcess, Processes
from testkit.programs import python_module


@dataclass(frozen=True)
class LaunchedHome:
    process: ManagedProcess
    mqtt_port: int
    http_port: int

    @property
    def hub(self) -> HubClient:
        """The launched hub's HTTP API (it may not answer yet)."""
        return HubClient(self.process, self.http_port)

    @property
    def broker(self) -> BrokerEndpoint:
        return BrokerEndpoint(HOST, self.mqtt_port)

    def wait_answering(self, timeout: float = 60.0) -> None:
        """Until the hub answers on HTTP (the broker is up before it); a launcher that
        died on the way fails with its output."""

        def answers() -> bool:
            try:
                self.hub.get("/api/health")
            except OSError:
                assert self.process.alive(), self.process.output()
                return False
            return True

        wait_for(answers, timeout, "the home's hub")


def start_home(
    procs: Processes, data_dir: Path, *args: str, name: str = "launcher"
) -> LaunchedHome:
    """`home up` on free ports with no browser; `args` add to its command line."""
    mqtt_port, http_port = free_port(), free_port()
    argv = python_module(
        "home",
        "up",
        "--no-browser",
        "--mqtt-port",
        str(mqtt_port),
        "--http-port",
        str(http_port),
        "--data-dir",
        str(data_dir),
        *args,
    )
    return LaunchedHome(procs.start(name, argv), mqtt_port, http_port)
