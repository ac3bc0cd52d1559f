"""The 'Add your own device' guide: its example kind is real code that works."""

import importlib.util
from datetime import UTC
from pathlib import Path

from devices.agent import DeviceAgent, Identity
from devices.simulate import simulate
from devices.state_file import SavedState
from protocol import Topics

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
