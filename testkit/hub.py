"""A hub process and its HTTP API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testkit.brokers import BrokerEndpoint
from testkit.ports import HOST, free_port, wait_for
from testkit.processes import ManagedProcess, Processes
from testkit.programs import python_module


def status_ok(health: dict[str, Any]) -> bool:
    """Ready for a test: the hub says it is fully up."""
    return health["status"] == "ok"


class HubClient:
    """The HTTP API of a hub process already running (started here or by the launcher)."""

    def __init__(self, process: ManagedProcess, http_port: int, timeout: float = 5.0):
        self.process = process
        self.http_port = http_port
        self.timeout = timeout

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=self.timeout) as response:
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
        return self.request("GET", "/api/health", timeout=self.timeout)[1]

    def device_energy(self, device_id: str) -> float:
        return next(d for d in self.get("/api/devices") if d["id"] == device_id)["energy_today_wh"]


class Hub(HubClient):
    """A hub process started on the broker, ready once `ready(health document)` holds.

    `config` None runs the hub on its defaults (the benchmarks' home); `timeout` bounds
    each HTTP call; `argv_prefix` runs the hub under a shell (`["sh", "-c"]`) with its
    output piped, as a service manager might.
    """

    def __init__(
        self,
        procs: Processes,
        broker: BrokerEndpoint,
        data_dir: Path,
        config: Path | None,
        *args: str,
        http_port: int | None = None,
        argv_prefix: list[str] | None = None,
        ready: Callable[[dict[str, Any]], bool] = status_ok,
        timeout: float = 5.0,
    ):
        http_port = http_port or free_port()
        self.data_dir = data_dir
        config_args = [] if config is None else ["--config", str(config)]
        argv = python_module(
            "hub",
            "--broker",
            broker.url,
            "--data-dir",
            str(data_dir),
            "--http-port",
            str(http_port),
            *config_args,
            *args,
        )
        if argv_prefix is not None:
            argv = [*argv_prefix, " ".join(argv) + " 2>&1 | cat"]
        super().__init__(procs.start("hub", argv), http_port, timeout)
        self._ready = ready
        wait_for(self.healthy, 30, "the hub's health endpoint", error=procs.error)

    def healthy(self) -> bool:
        if not self.process.alive():
            raise self.process.error(f"hub exited:\n{self.process.output()}")
        try:
            return self._ready(self.get("/api/health"))
        except OSError:
            return False
