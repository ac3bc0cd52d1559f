"""`python -m home up`: the whole home starts, takes a new device, restarts a crashed one,
and stops with nothing left behind."""

import os
import signal
import subprocess
from pathlib import Path

import pytest

from home.supervisor import BACKOFF_FIRST_S, BACKOFF_MAX_S, STABLE_AFTER_S, next_backoff
from testkit.launcher import start_home
from testkit.mqtt_probe import MqttProbe
from testkit.ports import wait_for
from testkit.programs import ROOT, python_module, run_module


def test_backoff_doubles_up_to_a_cap_and_resets_after_a_good_run():
    assert next_backoff(None, 0.1) == BACKOFF_FIRST_S
    assert next_backoff(1.0, 0.1) == 2.0
    assert next_backoff(16.0, 0.1) == BACKOFF_MAX_S
    assert next_backoff(BACKOFF_MAX_S, 0.1) == BACKOFF_MAX_S
    assert next_backoff(BACKOFF_MAX_S, STABLE_AFTER_S) == BACKOFF_FIRST_S


def test_check_validates_the_default_household():
    result = subprocess.run(
        python_module("home", "up", "--check"), capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "18 devices" in result.stdout


def test_a_bad_device_in_the_config_is_named(tmp_path):
    config = tmp_path / "home.toml"
    config.write_text('[[devices]]\nid = "toaster"\nkind = "toaster"\n')
    result = run_module("home", "up", "--config", str(config), "--check", timeout=60)
    assert result.returncode == 2
    assert "device 'toaster': unknown kind 'toaster'" in result.stderr


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


@pytest.mark.integration
def test_the_whole_home_comes_up_grows_heals_and_goes_down_cleanly(procs, tmp_path):
    data_dir = tmp_path / "data"
    home = start_home(procs, data_dir, "--speed", "60")
    launcher, mqtt_port = home.process, home.mqtt_port

    def devices() -> list[dict]:
        try:
            return home.hub.get("/api/devices")
        except OSError:
            assert launcher.alive(), launcher.output()
            return []

    wait_for(
        lambda: len([d for d in devices() if d["status"] == "online"]) >= 12,
        90,
        "twelve devices online",
    )
    broker = home.broker
    probe = MqttProbe(broker).connected()
    probe.subscribe("home/+/availability")
    # a device added by hand appears without any configuration
    procs.start(
        "garage-kettle",
        python_module(
            "devices", "--kind", "kettle", "--id", "garage-kettle", "--broker", broker.url
        ),
    )
    wait_for(lambda: "garage-kettle" in {d["id"] for d in devices()}, 20, "the new kettle")
    # a crashed device is restarted by the launcher
    victim = processes_mentioning(f"{data_dir}/devices/kitchen-kettle.json")
    assert len(victim) == 1
    os.kill(victim[0], signal.SIGKILL)
    launcher.wait_output("restarting kitchen-kettle", 30)
    wait_for(
        lambda: len(processes_mentioning(f"{data_dir}/devices/kitchen-kettle.json")) == 1,
        20,
        "the kettle to run again",
    )
    configured = {d["id"] for d in devices()} - {"garage-kettle"}
    assert launcher.stop(signal.SIGINT, timeout=60) == 0
    probe.close()
    said_offline = {m.topic.split("/")[1] for m in probe.received() if m.payload == b"offline"}
    assert configured <= said_offline
    assert processes_mentioning(str(data_dir)) == []
    assert processes_mentioning(f"--port {mqtt_port}") == []
