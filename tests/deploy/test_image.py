"""The image and the compose home for real: build, up, the dashboard, MQTT, a restart.

Opt-in, as a cold build takes minutes: it runs only with SMARTHOME_CONTAINER_TESTS=1 and a
usable engine, `docker compose` (Docker) or `podman-compose` (Podman), else it skips and
says which is missing. SMARTHOME_COMPOSE names another compose command. The home runs as
its own project on free ports beside anything else, and is removed with its volumes:

    SMARTHOME_CONTAINER_TESTS=1 .venv/bin/python -m pytest -m container

On a machine without Docker or a registry, ../shared/tools/compose-try sets up podman,
podman-compose and stand-in base images first (see README, "With Docker").
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from hub.config.load import load_config
from testkit.brokers import BrokerEndpoint
from testkit.mqtt_probe import MqttProbe
from testkit.ports import free_port, wait_for
from testkit.programs import ROOT

pytestmark = [pytest.mark.container, pytest.mark.timeout(1200)]
OPT_IN = "SMARTHOME_CONTAINER_TESTS"
DEVICES = {device.id for device in load_config(ROOT / "home.toml").devices}


def works(*command: str) -> bool:
    if shutil.which(command[0]) is None:
        return False
    return subprocess.run(command, capture_output=True, timeout=60).returncode == 0


def compose_command() -> list[str]:
    """The compose program to use, or skip saying why there is none."""
    if os.environ.get(OPT_IN) != "1":
        pytest.skip(
            f"container tests are opt-in (a cold image build takes minutes): set {OPT_IN}=1 "
            "where docker compose or podman-compose works"
        )
    if os.environ.get("SMARTHOME_COMPOSE"):
        return shlex.split(os.environ["SMARTHOME_COMPOSE"])
    if works("docker", "info"):
        return ["docker", "compose"]
    if works("podman", "info") and shutil.which("podman-compose"):
        return ["podman-compose"]
    pytest.skip(
        f"{OPT_IN}=1 but no container engine: neither 'docker info' works nor podman with "
        "podman-compose on PATH (or set SMARTHOME_COMPOSE)"
    )


class ComposeHome:
    """The compose home of this checkout as a project of its own, on free ports."""

    def __init__(self, compose: list[str]):
        self.http_port, self.mqtt_port = free_port(), free_port()
        self.compose = [*compose, "-p", f"smarthome-test-{self.http_port}"]
        self.env = {
            **os.environ,
            "HTTP_PORT": str(self.http_port),
            "MQTT_PORT": str(self.mqtt_port),
            "BIND": "",
            "SPEED": "",
        }

    def run(self, *args: str, check: bool = True, timeout: float = 900) -> str:
        result = subprocess.run(
            [*self.compose, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result.stdout

    def get(self, path: str):
        url = f"http://127.0.0.1:{self.http_port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())

    def healthy(self) -> bool:
        try:
            return self.get("/api/health")["status"] == "ok"
        except (OSError, ValueError):  # not listening yet, or a 503 while it connects
            return False

    def wait_healthy(self) -> None:
        wait_for(self.healthy, 240, "the compose hub's /api/health", interval=1)


@pytest.fixture(scope="module")
def home():
    home = ComposeHome(compose_command())
    home.run("build")
    try:
        home.run("up", "-d")
        home.wait_healthy()
        yield home
    finally:
        home.run("down", "-v", check=False)


def test_every_device_of_home_toml_reports(home):
    def online() -> set[str]:
        devices = home.get("/api/devices")
        return {
            d["id"] for d in devices if d["status"] == "online" and d.get("power_w") is not None
        }

    wait_for(lambda: len(online()) == len(DEVICES), 120, f"{len(DEVICES)} devices online")
    assert online() == DEVICES


def test_the_hub_runs_unprivileged_with_its_receiver_and_is_healthy(home):
    probe = (
        "import os, pathlib; print(os.getuid(), any(b'hub.mqtt.receiver' in p.read_bytes() "
        "for p in pathlib.Path('/proc').glob('[0-9]*/cmdline')))"
    )
    assert home.run("exec", "-T", "hub", "python", "-c", probe).split() == ["10001", "True"]
    home.run("exec", "-T", "hub", "python", "/app/scripts/healthcheck.py")  # exit 0


def test_the_kettle_switches_on_over_mqtt(home):
    probe = MqttProbe(BrokerEndpoint("127.0.0.1", home.mqtt_port)).connected()
    try:
        probe.subscribe("home/kitchen-kettle/result")
        probe.publish("home/kitchen-kettle/set", "ON")
        answer = json.loads(probe.wait_message("home/kitchen-kettle/result").payload)
    finally:
        probe.close()
    assert answer["ok"] is True and answer["state"]["on"] is True

    def kettle() -> dict:
        return home.get("/api/devices/kitchen-kettle")

    assert wait_for(lambda: kettle()["power_w"] > 1000, 30, "the kettle's power at the hub")


def test_down_and_up_keep_todays_energy(home):
    before = wait_for(lambda: home.get("/api/summary")["energy_today_wh"], 60, "some energy")
    home.run("down")
    home.run("up", "-d")
    home.wait_healthy()
    assert home.get("/api/summary")["energy_today_wh"] >= before
