"""Authentication for the launched home, topic injection through ids, config mistakes."""

from __future__ import annotations

import json
import signal
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from reliability_support import write_config

from testkit import configs
from testkit.brokers import start_embedded_broker
from testkit.hub import Hub
from testkit.launcher import start_home
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for
from testkit.programs import ROOT, python_module, run_module

pytestmark = pytest.mark.reliability

HOME_WITH_DEVICES = configs.home_toml(
    "Locked home", configs.device("lamp", "light", 0.5), configs.device("kettle", "kettle", 0.5)
)


def test_home_up_with_auth_works_and_keeps_strangers_out(procs, tmp_path, mqtt_probe):
    config = write_config(tmp_path, HOME_WITH_DEVICES)
    data_dir = tmp_path / "data"
    home = start_home(procs, data_dir, "--auth", "--config", str(config))
    launcher, hub = home.process, home.hub

    def online() -> int:
        assert launcher.alive(), launcher.output()
        try:
            return hub.get("/api/summary")["devices_online"]
        except OSError:
            return 0

    wait_for(lambda: online() == 2, 60, "both devices online with auth on")
    credentials = json.loads((data_dir / "mqtt-credentials.json").read_text())
    assert set(credentials) == {"hub", "lamp", "kettle"}
    assert (data_dir / "mqtt-credentials.json").stat().st_mode & 0o077 == 0
    # passwords travel in the environment, never on a command line
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            assert not any(p.encode() in cmdline for p in credentials.values())

    broker = home.broker
    anonymous = MqttProbe(broker)
    try:
        assert anonymous.connect().is_failure
    finally:
        anonymous.close()
    wrong = mqtt_probe(broker, username="lamp", password="guess")
    assert wrong.connect().is_failure

    watcher = mqtt_probe(broker, username="hub", password=credentials["hub"]).connected()
    watcher.subscribe("home/#")
    lamp = mqtt_probe(broker, username="lamp", password=credentials["lamp"]).connected()
    for topic in ("home/hub/clock", "home/kettle/state", "home/kettle/set", "home/hub/summary"):
        lamp.publish(topic, b"forged")
    # the hub's credentials work: a command through the API reaches the device
    status, answer = hub.request("POST", "/api/devices/lamp/command", b'{"on": true}')
    assert status == 200 and answer["ok"], answer
    marker = json.dumps({"level": 40}).encode()
    watcher.publish("home/lamp/set", marker)
    watcher.wait_message("home/lamp/result", lambda m: b"40" in m.payload)
    assert [m.topic for m in watcher.received() if m.payload == b"forged"] == []
    assert launcher.stop(signal.SIGINT, timeout=40) == 0


@pytest.mark.parametrize("bad_id", ["a/b", "a+b", "a#b", "../hub", "hub/clock"])
def test_ids_that_could_inject_topics_are_refused_by_the_cli(bad_id):
    result = run_module("devices", "--kind", "light", "--id", bad_id, "--check")
    assert result.returncode == 2, result.stdout
    assert "id" in result.stderr and "Traceback" not in result.stderr


def test_ids_that_could_inject_topics_are_refused_by_the_web_api_and_the_hub(
    procs, tmp_path, mqtt_probe
):
    broker = start_embedded_broker(procs)
    hub = Hub(procs, broker, tmp_path / "data", write_config(tmp_path))
    watcher = mqtt_probe(broker).connected()
    watcher.subscribe("home/#")
    for bad_id in ["a/b", "a+b", "a#b", "+", "#", "A", "x" * 49]:
        quoted = urllib.parse.quote(bad_id, safe="")
        status, answer = hub.request("GET", f"/api/devices/{quoted}")
        assert status in (400, 404) and "error" in answer, (bad_id, status, answer)
        status, answer = hub.request("POST", f"/api/devices/{quoted}/command", b'{"on": true}')
        assert status in (400, 404) and "error" in answer, (bad_id, status, answer)
    # a meta naming a bad id adds nothing; a topic one level deeper is not even subscribed
    meta = {
        "protocol": 1,
        "id": "a/b",
        "name": "x",
        "kind": "light",
        "role": "consumer",
        "rated_w": 10,
        "standby_w": 0,
        "dimmable": False,
        "interval_s": 1,
        "priority": 3,
        "sw": "t",
    }
    watcher.publish("home/a/b/meta", json.dumps(meta).encode())
    watcher.publish("home/a/meta", json.dumps(meta).encode())
    hub.process.wait_output("rejected a message from a (bad meta): meta.id", 10)
    assert hub.get("/api/devices") == []
    # nothing was ever published under a topic built from a bad id
    ours = {"home/a/b/meta", "home/a/meta"}
    assert not [
        m.topic for m in watcher.received() if m.topic.count("/") != 2 and m.topic not in ours
    ]


GOOD = configs.home_toml("Config home", configs.device("lamp", "light"))
CONFIG_MISTAKES = {
    "wrong type": (GOOD.replace("rate = 0.25", 'rate = "cheap"'), "rate"),
    "unknown key": (GOOD.replace('name = "Config home"', 'name = "x"\ncolour = "red"'), "colour"),
    "bad time": (GOOD.replace('start = "00:00"', 'start = "25:61"'), "start"),
    "time as number": (GOOD.replace('end = "00:00"', "end = 1200"), "end"),
    "unknown device key": (GOOD + "wattage = 5\n", "wattage"),
    "device id injection": (GOOD.replace('id = "lamp"', 'id = "lamp/+"'), "id"),
    "threshold wrong type": (
        GOOD + '[[thresholds]]\nrule = "total-power"\nabove_w = "lots"\n',
        "above_w",
    ),
}


# The hub does not run devices, so a device's model parameters are the launcher's to check.
LAUNCHER_ONLY = {"unknown device key"}


@pytest.mark.parametrize(
    ("program", "mistake"),
    [
        (program, mistake)
        for mistake in sorted(CONFIG_MISTAKES)
        for program in ("hub", "home")
        if program == "home" or mistake not in LAUNCHER_ONLY
    ],
)
def test_config_mistakes_are_one_clear_line_naming_the_key(program, mistake, tmp_path):
    text, key = CONFIG_MISTAKES[mistake]
    path = write_config(tmp_path, text)
    argv = ["--config", str(path), "--check"]
    command = (
        python_module("hub", *argv) if program == "hub" else python_module("home", "up", *argv)
    )
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert key in result.stderr and "home.toml" in result.stderr, result.stderr
