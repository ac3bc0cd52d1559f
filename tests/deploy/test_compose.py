"""What can be checked of docker compose without a Docker engine."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hub.config.load import load_config
from scripts.healthcheck import hub_port
from testkit.brokers import BrokerEndpoint
from testkit.mqtt_probe import MqttProbe
from testkit.ports import free_port, port_open, wait_for
from testkit.programs import ROOT

from harness import require_binary

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
# the hub and the devices: the programs of our image that run for good
OUR_SERVICES = [
    name
    for name, s in SERVICES.items()
    if s.get("command", [""])[:2] == ["python", "-m"] and name != "secrets"
]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_the_compose_file_has_the_broker_the_hub_and_the_household():
    assert SERVICES["broker"]["image"].startswith("eclipse-mosquitto:2.")
    hub = SERVICES["hub"]
    assert hub["build"] == "."
    assert "--server" in hub["command"] and "gunicorn" in hub["command"]
    # the same check as the image's HEALTHCHECK (podman's OCI images drop that one)
    healthcheck = DOCKERFILE.split("HEALTHCHECK ", 1)[1].split("CMD ", 1)[1].splitlines()[0]
    assert hub["healthcheck"]["test"] == ["CMD", *json.loads(healthcheck)]
    configured = {d.id: d.kind for d in load_config(ROOT / "home.toml").devices}
    in_compose = {}
    for name in OUR_SERVICES:
        command = SERVICES[name]["command"]
        if command[2] == "devices":
            in_compose[command[command.index("--id") + 1]] = command[command.index("--kind") + 1]
    assert in_compose == configured
    long_running = [s for name, s in SERVICES.items() if name != "secrets"]
    assert all(s.get("restart") == "unless-stopped" for s in long_running)


@pytest.mark.parametrize("service", OUR_SERVICES)
def test_every_service_command_is_a_valid_invocation(service):
    # the image's `python` is this test's interpreter and its /app this checkout;
    # SPEED as in `SPEED=60 docker compose up`
    command = [arg.replace("/app/", f"{ROOT}/") for arg in SERVICES[service]["command"]]
    result = subprocess.run(
        [sys.executable, *command[1:], "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "SPEED": "60"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_the_image_is_slim_pinned_and_unprivileged():
    base = next(line for line in DOCKERFILE.splitlines() if line.startswith("FROM "))
    assert "-slim" in base and ":latest" not in base
    assert "\nUSER home" in DOCKERFILE
    assert "pip install --require-hashes -r requirements/runtime.txt" in DOCKERFILE
    assert "pip install --no-deps --no-build-isolation ." in DOCKERFILE


def test_the_build_context_is_what_the_dockerfile_copies():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    ignore = [line for line in ignore if line and not line.startswith("#")]
    assert ignore[0] == "*"  # everything out (.venv, data/, .git, *.db ...), then named in
    copies = [line.split()[1:-1] for line in DOCKERFILE.splitlines() if line.startswith("COPY ")]
    copied = [source for sources in copies for source in sources]
    allowed = [line[1:] for line in ignore if line.startswith("!")]
    assert sorted(copied) == sorted(allowed)
    assert {"**/__pycache__", "**/*.db"} <= set(ignore)


def test_published_on_this_machine_only_unless_bind_and_then_with_logins():
    for service in ("broker", "hub"):
        (port,) = SERVICES[service]["ports"]
        assert port.startswith("${BIND:-127.0.0.1}:")
    broker = SERVICES["broker"]
    assert broker["command"][-1] == "/mosquitto/config/mosquitto${BIND:+-secure}.conf"
    assert "./broker/mosquitto.acl:/mosquitto/config/mosquitto.acl:ro" in broker["volumes"]
    secure = (ROOT / "broker" / "mosquitto-secure.conf").read_text()
    assert "allow_anonymous false" in secure
    assert "password_file /secrets/mosquitto-passwd" in secure
    assert SERVICES["secrets"]["command"][:4] == ["python", "-m", "home.compose_secrets", "init"]
    for name in ["broker", *OUR_SERVICES]:
        waits = SERVICES[name]["depends_on"]["secrets"]["condition"]
        assert waits == "service_completed_successfully"
    for name in OUR_SERVICES:
        assert SERVICES[name]["entrypoint"][:4] == ["python", "-m", "home.compose_secrets", "exec"]
        assert SERVICES[name]["environment"]["BIND"] == "${BIND:-}"
        assert "home-secrets:/secrets:ro" in SERVICES[name]["volumes"]


@pytest.mark.integration
def test_mosquitto_2_starts_with_the_shipped_config(procs, tmp_path):
    binary = require_binary("mosquitto", "mosquitto")
    port = free_port()
    shipped = (ROOT / "broker" / "mosquitto.conf").read_text()
    assert "listener 1883" in shipped
    config = tmp_path / "mosquitto.conf"
    config.write_text(shipped.replace("listener 1883 0.0.0.0", f"listener {port} 127.0.0.1"))
    broker = procs.start("mosquitto", [binary, "-c", str(config)])
    wait_for(lambda: port_open(port) or not broker.alive(), 10, "mosquitto")
    assert broker.alive(), broker.output()
    probe = MqttProbe(BrokerEndpoint("127.0.0.1", port)).connected()
    probe.subscribe("home/#")
    probe.publish("home/x/state", b"hello")
    assert probe.wait_message("home/x/state").payload == b"hello"
    probe.close()
    assert broker.stop(signal.SIGTERM) == 0
    assert Path(config).exists()


def test_the_health_check_asks_the_hub_on_its_port_and_passes_other_programs():
    hub = SERVICES["hub"]["command"]
    assert hub_port(hub) == hub[hub.index("--http-port") + 1]
    assert hub_port(["python", "-m", "hub", "--broker", "mqtt://broker:1883"]) == "8000"
    assert hub_port(SERVICES["kitchen-kettle"]["command"]) is None
