"""The device agent in memory: what it publishes, and commands applied all-or-nothing."""

import json
from datetime import UTC

import pytest

from devices import state_file
from devices.agent import DeviceAgent, Identity
from devices.kinds.kettle import Kettle
from devices.simulate import simulate
from protocol import CommandResult, Meta, State, Topics

T0 = 1_780_000_000.0
TOPICS = Topics("home")


class Wire:
    """Collects what the agent publishes, as the broker would see it."""

    def __init__(self):
        self.sent: list[tuple[str, bytes, int, bool]] = []

    def __call__(self, topic, payload, qos, retain):
        self.sent.append((topic, payload, qos, retain))

    def on(self, topic):
        return [(payload, qos, retain) for t, payload, qos, retain in self.sent if t == topic]

    def last(self, topic):
        return self.on(topic)[-1][0]


def make_agent(kind=Kettle, tmp_path=None, saved=None, **params):
    wire = Wire()
    model = kind.create({"auto": "false", **params}, seed=1, start=T0, tz=UTC)
    agent = DeviceAgent(
        Identity("k1", "Kitchen kettle"),
        model,
        TOPICS,
        2.0,
        wire,
        saved or state_file.SavedState("k1", model.kind),
        state_path=tmp_path / "k1.json" if tmp_path else None,
    )
    return agent, wire


def test_connect_announces_meta_availability_and_state():
    agent, wire = make_agent()
    agent.connected(T0, 100.0)
    meta_payload, qos, retain = wire.on("home/k1/meta")[0]
    assert (qos, retain) == (1, True)
    meta = Meta.from_payload(meta_payload)
    assert (meta.id, meta.name, meta.kind, meta.rated_w, meta.priority) == (
        "k1",
        "Kitchen kettle",
        "kettle",
        2800.0,
        4,
    )
    assert wire.on("home/k1/availability") == [(b"online", 1, True)]
    state_payload, qos, retain = wire.on("home/k1/state")[0]
    assert (qos, retain) == (0, True)
    assert State.from_payload(state_payload).seq == 1


def test_states_follow_the_interval_and_changes():
    agent, wire = make_agent()
    agent.connected(T0, 100.0)
    agent.tick(T0 + 1, 101.0)
    assert len(wire.on("home/k1/state")) == 1  # interval not up, nothing changed
    agent.tick(T0 + 2, 102.0)
    assert len(wire.on("home/k1/state")) == 2
    agent.model.switch(True, T0 + 2.5)  # the model changes by itself (as a schedule would)
    agent.tick(T0 + 2.6, 102.6)
    states = [State.from_payload(p) for p, _, _ in wire.on("home/k1/state")]
    assert [s.seq for s in states] == [1, 2, 3]
    assert states[-1].on and states[-1].phase == "boiling"


@pytest.mark.parametrize(
    ("payload", "on"),
    [(b"ON", True), (b"on", True), (b" Toggle ", True), (b'{"on": true}', True), (b"OFF", False)],
)
def test_switch_commands(payload, on):
    agent, wire = make_agent()
    result = agent.command(payload, T0, 100.0)
    assert result.ok
    assert agent.model.on is on
    reply = CommandResult.from_payload(wire.last("home/k1/result"))
    assert reply.ok and reply.state.on is on
    assert State.from_payload(wire.last("home/k1/state")).on is on


def test_empty_command_asks_for_a_state():
    agent, wire = make_agent()
    result = agent.command(b"", T0, 100.0)
    assert result.ok and result.request == {}
    assert len(wire.on("home/k1/state")) == 1


def test_interval_command_changes_the_period_and_the_meta():
    agent, wire = make_agent()
    agent.command(b'{"interval_s": 0.5}', T0, 100.0)
    assert agent.interval_s == 0.5
    assert Meta.from_payload(wire.last("home/k1/meta")).interval_s == 0.5


@pytest.mark.parametrize(
    ("payload", "complaint", "code"),
    [
        (b"BOIL", "command must be", "bad_payload"),
        (b"{not json", "JSON", "bad_payload"),
        (b"[1]", "JSON object", "bad_payload"),
        (b"{}", "empty", "bad_payload"),
        (b'{"on": "yes"}', "on", "bad_value"),
        (b'{"interval_s": 0}', "interval_s", "bad_value"),
        (b'{"level": 50}', "not dimmable", "not_dimmable"),
        (b'{"on": true, "level": 50}', "not dimmable", "not_dimmable"),
        (b'{"colour": "red"}', "unknown key", "unknown_key"),
        (b"\xff\xfe", "UTF-8", "bad_payload"),
    ],
)
def test_bad_commands_are_answered_with_a_code_and_change_nothing(payload, complaint, code):
    agent, wire = make_agent()
    before = (agent.model.on, agent.interval_s, agent.seq)
    result = agent.command(payload, T0, 100.0)
    assert not result.ok
    assert complaint in result.error and result.code == code
    assert (agent.model.on, agent.interval_s, agent.seq) == before
    reply = json.loads(wire.last("home/k1/result"))
    assert reply["ok"] is False and isinstance(reply["request"], str)
    assert reply["code"] == code
    assert wire.on("home/k1/state") == []


def test_level_on_a_dimmable_device():
    from devices.kinds.light import Light

    agent, wire = make_agent(Light)
    assert agent.command(b'{"on": true, "level": 40}', T0, 100.0).ok
    state = State.from_payload(wire.last("home/k1/state"))
    assert state.level == 40
    assert state.power_w == pytest.approx(agent.model.rated_w * 0.4, rel=0.05)


def test_counter_continues_from_the_state_file(tmp_path):
    saved = state_file.SavedState("k1", "kettle", energy_wh=1000.0, seq=41)
    agent, wire = make_agent(tmp_path=tmp_path, saved=saved)
    agent.command(b"ON", T0, 100.0)
    agent.tick(T0 + 60, 160.0)
    state = State.from_payload(wire.last("home/k1/state"))
    assert state.seq == 43
    assert state.energy_wh == pytest.approx(1000 + 2800 * 60 / 3600, rel=1e-6)
    reloaded = state_file.load(tmp_path / "k1.json", "k1", "kettle")
    assert (reloaded.energy_wh, reloaded.seq) == (state.energy_wh, 43)


def test_state_file_of_another_device_is_refused(tmp_path):
    path = tmp_path / "s.json"
    state_file.save(path, state_file.SavedState("tv", "tv", 5.0, 3))
    with pytest.raises(state_file.StateFileError, match="belongs to tv 'tv'"):
        state_file.load(path, "k1", "kettle")
    path.write_text("{garbage")
    with pytest.raises(state_file.StateFileError, match="cannot read"):
        state_file.load(path, "k1", "kettle")


def test_energy_published_is_the_models_integral():
    trace = simulate("kettle", 24, seed=3)
    assert trace.energy_wh == pytest.approx(
        sum(s.power_w for s in trace.samples) * trace.step_s / 3600, rel=1e-9
    )
