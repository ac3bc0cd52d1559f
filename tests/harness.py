"""Test harness: real processes, real brokers, and waiting on conditions instead of sleeping.

Everything a test starts goes through `Processes`, which puts each child in its
own process group and kills whatever is left at teardown, so a failing test
never leaves a broker or device running behind it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import paho.mqtt.client as mqtt
import pytest

from cli.mqtt import BrokerAddress

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    condition: Callable[[], T], timeout: float = 10.0, what: str = "condition", interval=0.02
) -> T:
    """Poll `condition` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def require_binary(name: str, package: str) -> str:
    """The path of a system program, or skip the test naming the package to install."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: install the Debian package '{package}' (make test does)")
    return path


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


@dataclass
class ManagedProcess:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send `signum` to the process group and wait; kill it if it lingers."""
        self.send_signal(signum)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send_signal(signal.SIGKILL)
            self.popen.wait(5)
            raise AssertionError(f"{self.name} ignored signal {signum}:\n{self.output()}") from None

    def wait_exit(self, timeout: float = 10.0) -> int:
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} did not exit:\n{self.output()}") from None

    def wait_output(self, text: str, timeout: float = 10.0) -> None:
        wait_for(lambda: text in self.output(), timeout, f"{text!r} in {self.name}'s output")


class Processes:
    """Starts project programs as subprocesses and always reaps them."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[ManagedProcess] = []

    def start(
        self, name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
    ) -> ManagedProcess:
        log_path = self.log_dir / f"{name}-{len(self.started)}.log"
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=full_env,
                cwd=cwd,
                start_new_session=True,
            )
        process = ManagedProcess(name, popen, log_path)
        self.started.append(process)
        return process

    def cleanup(self) -> None:
        for process in self.started:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            # the group, not just the leader: children of children go too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGKILL)
            if process.popen.poll() is None:
                process.popen.wait(5)


# the programs' own notion of "where the broker is"
BrokerEndpoint = BrokerAddress


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool
    qos: int


class MqttProbe:
    """A paho client for tests: records what it receives and waits for it."""

    def __init__(
        self,
        broker: BrokerEndpoint,
        username: str | None = None,
        password: str | None = None,
        will: tuple[str, bytes] | None = None,
        client_id: str = "",
    ):
        self.broker = broker
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        self._connack: mqtt.ReasonCode | None = None
        self._acks: dict[int, list] = {}
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if username is not None:
            self.client.username_pw_set(username, password)
        if will is not None:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        self._connack = reason_code

    def _on_message(self, client, userdata, message) -> None:
        with self._lock:
            self.messages.append(
                Received(message.topic, message.payload, bool(message.retain), message.qos)
            )

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        self._acks[mid] = reason_codes

    def connect(self, timeout: float = 10.0) -> mqtt.ReasonCode:
        """Connect and return the broker's answer (success or the refusal)."""
        self.client.connect(self.broker.host, self.broker.port, keepalive=10)
        self.client.loop_start()
        return wait_for(lambda: self._connack, timeout, "CONNACK")

    def connected(self, timeout: float = 10.0) -> MqttProbe:
        reason = self.connect(timeout)
        assert not reason.is_failure, f"connection refused: {reason}"
        return self

    def subscribe(self, topic_filter: str, qos: int = 1) -> list:
        result, mid = self.client.subscribe(topic_filter, qos)
        assert result == mqtt.MQTT_ERR_SUCCESS
        return wait_for(lambda: self._acks.get(mid), 10, f"SUBACK for {topic_filter}")

    def publish(self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False) -> None:
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        info.wait_for_publish(10)

    def received(self, topic: str | None = None) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if topic is None or m.topic == topic]

    def wait_message(
        self, topic: str, predicate: Callable[[Received], bool] = lambda m: True, timeout=10.0
    ) -> Received:
        def find() -> Received | None:
            return next((m for m in self.received(topic) if predicate(m)), None)

        return wait_for(find, timeout, f"a message on {topic}")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def mosquitto_config(port: int, *extra_lines: str) -> str:
    # As root, Mosquitto drops to user 'mosquitto', which cannot read pytest's private
    # temporary directories; staying root is harmless for a test broker on loopback.
    user = ["user root"] if os.geteuid() == 0 else []
    lines = [f"listener {port} 127.0.0.1", "persistence false", *user, *extra_lines]
    return "\n".join(lines) + "\n"


def start_embedded_broker(processes: Processes, *args: str) -> BrokerEndpoint:
    port = free_port()
    process = processes.start("broker", python_module("broker", "--port", str(port), *args))
    wait_for(lambda: port_open(port) or not process.alive(), 20, "the embedded broker's port")
    assert process.alive(), f"broker exited:\n{process.output()}"
    return BrokerEndpoint("127.0.0.1", port)


def start_mosquitto(processes: Processes, directory: Path, *config_lines: str) -> BrokerEndpoint:
    binary = require_binary("mosquitto", "mosquitto")
    port = free_port()
    config = directory / f"mosquitto-{port}.conf"
    config.write_text(mosquitto_config(port, *config_lines))
    process = processes.start("mosquitto", [binary, "-c", str(config)])
    wait_for(lambda: port_open(port) or not process.alive(), 10, "mosquitto's port")
    assert process.alive(), f"mosquitto exited:\n{process.output()}"
    return BrokerEndpoint("127.0.0.1", port)


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


def start_device(
    procs: Processes, broker: BrokerEndpoint, kind: str, device_id: str, *args: str
) -> ManagedProcess:
    """A device for hub tests: fast reports, no occupant (it only does what it is told)."""
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
