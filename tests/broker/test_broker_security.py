"""Authentication and the publish ACL, on the embedded broker and on Mosquitto alike."""

import signal
import subprocess
from dataclasses import dataclass

import pytest

from testkit.brokers import BrokerEndpoint, start_embedded_broker, start_mosquitto
from testkit.ports import wait_for
from testkit.programs import ROOT, python_module

from harness import mosquitto_client, require_binary

pytestmark = pytest.mark.integration

USERS = {"hub": "hub-secret", "kitchen-fridge": "fridge-secret", "living-tv": "tv-secret"}


@dataclass
class SecureBroker:
    kind: str
    endpoint: BrokerEndpoint
    process_log: callable


@pytest.fixture(params=["embedded", "mosquitto"])
def secure_broker(request, procs, tmp_path) -> SecureBroker:
    passwd = tmp_path / "passwd"
    if request.param == "embedded":
        for name, password in USERS.items():
            subprocess.run(
                python_module(
                    "broker", "adduser", name, "--password-file", str(passwd), "--password-stdin"
                ),
                input=password + "\n",
                text=True,
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
        endpoint = start_embedded_broker(procs, "--password-file", str(passwd), "--acl")
    else:
        tool = require_binary("mosquitto_passwd", "mosquitto")
        for name, password in USERS.items():
            flags = ["-c"] if not passwd.exists() else []
            subprocess.run([tool, *flags, "-b", str(passwd), name, password], check=True)
        endpoint = start_mosquitto(
            procs,
            tmp_path,
            "allow_anonymous false",
            f"password_file {passwd}",
            f"acl_file {ROOT / 'broker' / 'mosquitto.acl'}",
        )
    return SecureBroker(request.param, endpoint, procs.started[-1].output)


def login(mqtt_probe, broker: SecureBroker, user: str | None, password: str | None = None, **kw):
    if user is not None and password is None:
        password = USERS[user]
    return mqtt_probe(broker.endpoint, username=user, password=password, **kw)


def test_right_password_is_accepted(secure_broker, mqtt_probe):
    reason = login(mqtt_probe, secure_broker, "kitchen-fridge").connect()
    assert not reason.is_failure


def test_wrong_password_is_refused(secure_broker, mqtt_probe):
    reason = login(mqtt_probe, secure_broker, "kitchen-fridge", "guess").connect()
    assert reason.is_failure


def test_anonymous_is_refused(secure_broker, mqtt_probe):
    assert login(mqtt_probe, secure_broker, None).connect().is_failure


def test_device_publishes_only_under_its_own_id(secure_broker, mqtt_probe):
    watcher = login(mqtt_probe, secure_broker, "hub").connected()
    watcher.subscribe("home/#")
    watcher.subscribe("homeassistant/#")
    device = login(mqtt_probe, secure_broker, "kitchen-fridge").connected()
    forbidden = [
        "home/living-tv/state",
        "home/living-tv/availability",
        "home/hub/summary",
        "home/hub/alerts",
        "home/hub/clock",
        "homeassistant/sensor/living-tv/power/config",
        "homeassistant/sensor/hub/import_total_wh/config",
    ]
    for topic in forbidden:
        device.publish(topic, b"forged")
    device.publish("homeassistant/sensor/kitchen-fridge/power/config", b"{}")
    # one client's QoS 1 messages arrive in order: once the marker is here, the rest were dropped
    device.publish("home/kitchen-fridge/state", b"marker")
    watcher.wait_message("home/kitchen-fridge/state")
    assert watcher.received("homeassistant/sensor/kitchen-fridge/power/config")
    assert [m.topic for m in watcher.received() if m.payload == b"forged"] == []


def test_hub_publishes_anywhere_under_the_root_and_its_discovery_configs(secure_broker, mqtt_probe):
    device = login(mqtt_probe, secure_broker, "living-tv").connected()
    device.subscribe("home/#")
    device.subscribe("homeassistant/#")
    hub = login(mqtt_probe, secure_broker, "hub").connected()
    for topic in (
        "home/living-tv/set",
        "home/hub/summary",
        "home/hub/clock",
        "homeassistant/sensor/hub/import_total_wh/config",
    ):
        hub.publish(topic, b"from-hub")
        assert device.wait_message(topic).payload == b"from-hub"


def test_forged_last_will_never_arrives(secure_broker, mqtt_probe, procs):
    watcher = login(mqtt_probe, secure_broker, "hub").connected()
    watcher.subscribe("home/#")
    forger = procs.start(
        "forger",
        mosquitto_client(
            "mosquitto_sub",
            secure_broker.endpoint,
            "-u",
            "kitchen-fridge",
            "-P",
            USERS["kitchen-fridge"],
            "-t",
            "home/kitchen-fridge/set",
            "-i",
            "forger",
            "--will-topic",
            "home/hub/availability",
            "--will-payload",
            "forged",
            "--will-retain",
        ),
    )
    if secure_broker.kind == "embedded":
        # amqtt sends wills without asking the ACL, so we refuse such a client at connect
        assert forger.wait_exit() != 0
        assert "not authori" in forger.output().lower()
    else:
        # Mosquitto accepts the client and drops the will when it would be sent
        wait_for(lambda: "as forger" in secure_broker.process_log(), 10, "the login")
        forger.send_signal(signal.SIGKILL)
        gone = ("Client forger closed its connection", "Client forger disconnected")
        wait_for(lambda: any(line in secure_broker.process_log() for line in gone), 10, "the drop")
    watcher.publish("home/hub/availability", b"marker")
    watcher.wait_message("home/hub/availability")
    assert [m.payload for m in watcher.received("home/hub/availability")] == [b"marker"]
