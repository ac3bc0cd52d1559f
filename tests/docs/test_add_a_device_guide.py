"""The 'Add your own device' guide: its example kind is real code that works."""

import importlib.util
import re
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

from devices.agent import DeviceAgent, Identity
from devices.appliance import Storage
from devices.kinds._deferrable import DeferrableAppliance
from devices.simulate import simulate
from devices.state_file import SavedState
from protocol import Topics
from protocol.device_payloads import Meta, State

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "examples" / "aquarium.py"


def load_example():
    spec = importlib.util.spec_from_file_location("aquarium_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Aquarium


def test_the_guide_shows_the_example_exactly():
    assert EXAMPLE.read_text() in (DOCS / "add-a-device.md").read_text()


def test_the_example_kind_simulates_a_plausible_day():
    trace = simulate(load_example(), 48)
    powers = {round(s.power_w) for s in trace.samples}
    assert powers == {10, 110}  # pump alone, pump plus heater
    assert 0.3 < trace.energy_wh / 2 / 1000 < 2.0  # kWh a day
    assert 3 <= len(trace.runs(lambda s: s.phase == "heating")) <= 40  # thermostat cycles


def test_the_example_kind_obeys_commands_through_the_agent():
    aquarium = load_example().create({}, seed=1, start=1.78e9, tz=UTC)
    sent = []
    agent = DeviceAgent(
        Identity("fish-tank", "Fish tank"),
        aquarium,
        Topics(),
        2.0,
        lambda *message: sent.append(message),
        SavedState("fish-tank", "aquarium"),
    )
    assert agent.command(b"OFF", 1.78e9 + 60, 100.0).state.power_w == 0
    assert not agent.command(b'{"level": 5}', 1.78e9 + 61, 101.0).ok


# mosquitto_pub records what it would send; sleep lets the loop run three times
FAKE_TOOLS = """
mosquitto_pub() { printf '%s\\0' "$@" >> "$SENT"; printf '\\n\\0' >> "$SENT"; }
sleep() { runs=$((runs + 1)); [ "$runs" -le 3 ]; }
"""


def test_the_shell_device_sends_what_the_protocol_accepts(tmp_path):
    if shutil.which("awk") is None:
        pytest.skip("the shell device uses awk")
    guide = (DOCS / "add-a-device.md").read_text()
    section = guide[guide.index("## 2. Any program") :]
    script = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    sent = tmp_path / "sent"
    subprocess.run(
        ["bash", "-c", FAKE_TOOLS + script],
        env={"SENT": str(sent), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=10,
    )
    calls = [c.split("\0")[:-1] for c in sent.read_text().split("\n\0") if c]
    payloads = {args[args.index("-t") + 1].split("/")[-1]: [] for args in calls}
    for args in calls:
        payloads[args[args.index("-t") + 1].split("/")[-1]].append(args[args.index("-m") + 1])
    assert Meta.from_payload(payloads["meta"][0]).id == "garden-pump"
    assert payloads["availability"] == ["online"]
    states = [State.from_payload(text) for text in payloads["state"]]
    assert [s.seq for s in states] == [1, 2, 3]
    assert [s.energy_wh for s in states] == pytest.approx([0.5556, 1.1112, 1.6668], abs=1e-3)


def test_the_storage_and_deferrable_sections_name_what_the_kit_has():
    """A renamed hook or parameter fails here, not in a reader's kind."""
    guide = (DOCS / "add-a-device.md").read_text()
    storage = guide.split("### A storage kind", 1)[1].split("###", 1)[0]
    hooks = (
        *("discharge_w", "soc_pct", "energy_out_wh", "capacity_wh", "max_charge_w"),
        *("max_discharge_w", "mode", "check_mode", "set_mode", "follows_grid"),
        *("follow_grid", "resume_soc"),
    )
    for name in hooks:  # `mode` is declared, not defined, by Storage
        assert f"`{name}" in storage, name
        assert hasattr(Storage, name) or name in Storage.__annotations__, name
    deferrable = guide.split("### A deferrable kind", 1)[1].split("## 2.", 1)[0]
    params = DeferrableAppliance.declared_params()
    assert "`finish_within_h` (10)" in deferrable and params["finish_within_h"].default == 10
    assert "`smart_start`" in deferrable and params["smart_start"].default is False
    assert DeferrableAppliance.deferrable and "start_at" in DeferrableAppliance.extra_commands
    for hook in ("program", "check_extra", "apply_extra", "state_fields"):
        assert f"`{hook}" in deferrable and hasattr(DeferrableAppliance, hook), hook
