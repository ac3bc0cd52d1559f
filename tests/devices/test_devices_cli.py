"""`python -m devices` from a person's side: listing, validation, fleet mode."""

import signal
import subprocess

import pytest

from devices.kinds import KIND_NAMES
from protocol import Meta
from testkit.devices import start_fleet
from testkit.ports import wait_for
from testkit.programs import ROOT, python_module


def run(*args, timeout=30):
    return subprocess.run(
        python_module("devices", *args), capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )


def test_list_kinds_names_every_kind_with_its_role():
    result = run("--list-kinds")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(KIND_NAMES)
    assert len(KIND_NAMES) >= 14
    roles = {line.split()[0]: line.split()[1] for line in lines}
    assert roles["solar"] == "producer" and roles["fridge"] == "consumer"


def test_list_params_of_a_kind():
    result = run("--kind", "ev_charger", "--list-params")
    assert result.returncode == 0
    assert "battery_kwh" in result.stdout and "priority" in result.stdout


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--kind", "toaster", "--id", "t1"], "unknown kind 'toaster'"),
        (["--kind", "kettle", "--id", "Kitchen/Kettle"], "must match"),
        (["--kind", "kettle", "--id", "hub"], "reserved"),
        (["--kind", "kettle", "--id", "k", "--param", "rated_w=9999"], "between"),
        (["--kind", "kettle", "--id", "k", "--param", "colour=red"], "unknown parameter"),
        (["--kind", "kettle", "--id", "k", "--param", "rated_w"], "KEY=VALUE"),
        (["--kind", "kettle", "--id", "k", "--interval", "0"], "outside 0.1..3600"),
        (["--kind", "kettle", "--id", "k", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (["--kind", "kettle", "--id", "k", "--broker", "http://x"], "only mqtt://"),
        (["--kind", "kettle", "--id", "k", "--topic-root", "a/#"], "root"),
        (["--kind", "kettle"], "--id are required"),
        (["--kind", "replay", "--id", "r"], "file"),
    ],
)
def test_mistakes_are_one_clear_line(args, complaint):
    result = run(*args, "--check")
    assert result.returncode == 2
    assert complaint in result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_state_file_is_refused(tmp_path):
    state = tmp_path / "s.json"
    state.write_text('{"version": 1, "device_id": "tv", "kind": "tv", "energy_wh": 1, "seq": 1}')
    result = run("--kind", "kettle", "--id", "k", "--state-file", str(state), "--check")
    assert result.returncode == 2
    assert "belongs to tv 'tv'" in result.stderr


def test_check_accepts_a_good_invocation():
    result = run("--kind", "solar", "--id", "roof", "--param", "kwp=4", "--check")
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stdout


@pytest.mark.integration
def test_fleet_runs_many_devices_each_with_its_own_connection(procs, embedded_broker, mqtt_probe):
    probe = mqtt_probe(embedded_broker).connected()
    probe.subscribe("fleet/#")
    fleet = start_fleet(
        procs, embedded_broker, 6, 0.5, "--kinds", "kettle,fridge", "--topic-root", "fleet"
    )
    ids = {"kettle-1", "kettle-2", "kettle-3", "fridge-1", "fridge-2", "fridge-3"}

    def metas() -> set[str]:
        return {
            Meta.from_payload(m.payload).id for m in probe.received() if m.topic.endswith("/meta")
        }

    wait_for(lambda: metas() == ids, 20, "six devices")
    assert fleet.stop(signal.SIGTERM) == 0
    offline = {m.topic.split("/")[1] for m in probe.received() if m.payload == b"offline"}
    assert offline == ids
