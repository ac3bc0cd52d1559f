"""Hypothesis fuzzing through a real broker: a real hub and a real device take the abuse."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import no_traceback, write_config

from protocol import Clock, Command, CommandResult, Meta, ProtocolError, State
from protocol.device_payloads import parse_availability
from testkit.devices import start_device
from testkit.hub import Hub
from testkit.ports import wait_for

pytestmark = pytest.mark.reliability

FUZZ_SETTINGS = settings(
    max_examples=220,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ids = st.sampled_from(["fz", "ghost", "Fz", "fz ", "a.b", "ü", "x" * 80, "", "hub"])
channels = st.sampled_from(["meta", "state", "availability", "result", "set", "x", "state/extra"])
topics = st.one_of(
    st.builds(lambda i, c: f"home/{i}/{c}", ids, channels),
    st.sampled_from(["home/hub/clock", "home/hub/summary", "home/fz", "home//state"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
near_states = st.fixed_dictionaries(
    {
        "ts": st.one_of(st.floats(), st.text(max_size=3), st.none(), st.just(time.time())),
        "seq": st.one_of(st.integers(), st.floats(), st.booleans()),
        "on": st.one_of(st.booleans(), st.integers()),
        "power_w": st.floats(allow_nan=True, allow_infinity=True),
        "energy_wh": st.floats(max_value=-1e-9) | st.text(max_size=3) | st.just(1e308),
        "level": st.one_of(st.none(), st.floats(min_value=101)),
        "phase": st.text(max_size=40),
    }
)
near_metas = st.fixed_dictionaries(
    {
        "protocol": st.one_of(st.integers(-1, 3), st.text(max_size=2)),
        "id": st.sampled_from(["fz", "ghost", "Bad Id", "a/b", ""]),
        "name": st.text(max_size=120),
        "kind": st.sampled_from(["light", "Light", "", "9x"]),
        "role": st.sampled_from(["consumer", "producer", "thief"]),
        "rated_w": st.floats(allow_nan=True),
        "standby_w": st.floats(allow_nan=True),
        "dimmable": st.one_of(st.booleans(), st.integers()),
        "interval_s": st.floats(allow_nan=True),
        "priority": st.one_of(st.integers(-5, 9), st.floats()),
        "sw": st.text(max_size=10),
    }
)
payloads = st.one_of(
    st.binary(min_size=1, max_size=200),
    st.sampled_from([b"online", b"offline", b"ON", b"null", b"{", b"\xff", b"x" * 70000]),
    json_values.map(lambda v: json.dumps(v).encode()),
    near_states.map(lambda v: json.dumps(v).encode()),
    near_metas.map(lambda v: json.dumps(v).encode()),
)


def acceptable(topic: str, payload: bytes) -> bool:
    """Whether the hub may legitimately act on this message (then it is not sent)."""
    parsers = {
        "state": State.from_payload,
        "meta": Meta.from_payload,
        "availability": parse_availability,
        "result": CommandResult.from_payload,
        "clock": Clock.from_payload,
    }
    parse = parsers.get(topic.rsplit("/", 1)[-1])
    if parse is None:
        return False
    try:
        parse(payload)
    except (ProtocolError, ValueError, TypeError):
        return False
    return True


META = {
    "protocol": 1,
    "id": "fz",
    "name": "Fuzzed lamp",
    "kind": "light",
    "role": "consumer",
    "rated_w": 1000,
    "standby_w": 0,
    "dimmable": False,
    "interval_s": 60,
    "priority": 3,
    "sw": "test",
}


def test_ten_thousand_bad_messages_leave_the_hub_up_and_its_figures_exact(
    procs, mosquitto_broker, tmp_path, mqtt_probe
):
    hub = Hub(procs, mosquitto_broker, tmp_path / "data", write_config(tmp_path))
    sender = mqtt_probe(mosquitto_broker).connected()
    sender.publish("home/fz/meta", json.dumps(META).encode(), retain=True)
    sender.publish("home/fz/availability", b"online", retain=True)
    started = time.time()
    valid = {"seq": 0, "energy": 0.0, "sent": 0}

    def publish_valid() -> None:
        now = time.time()
        valid["energy"] = 500 * (now - started) / 3600  # a plausible 500 W average
        reading = {"ts": now, "seq": valid["seq"], "on": True, "power_w": 500.0}
        reading |= {"energy_wh": valid["energy"], "level": None, "phase": "on"}
        sender.publish("home/fz/state", json.dumps(reading).encode())
        valid["seq"] += 1

    def synced_reading() -> float:
        """Send a valid reading until the hub shows it (Mosquitto may drop QoS 1 messages
        queued for a busy subscriber; a counter loses nothing by that); its counter."""
        for _ in range(10):
            wait_for(lambda: hub.health()["queue_depth"] == 0, 30, "the hub to catch up")
            publish_valid()
            try:
                wait_for(lambda: hub.get("/api/devices/fz")["energy_wh"] == valid["energy"], 3)
                return valid["energy"]
            except AssertionError:
                continue
        raise AssertionError("the hub never showed the last valid reading")

    publish_valid()
    wait_for(lambda: hub.get("/api/summary")["devices_online"] == 1, 10, "the fuzzed lamp")
    # the hub's first reading of a device is only its baseline (and seq 0 may even arrive
    # before the hub knows the device): count from a reading the hub is known to have
    baseline = synced_reading()
    counted_before = hub.device_energy("fz")

    @FUZZ_SETTINGS
    @given(st.lists(st.tuples(topics, payloads), min_size=45, max_size=60))
    def flood(messages):
        infos = []
        for topic, payload in messages:
            if not acceptable(topic, payload):
                infos.append(sender.client.publish(topic, payload, qos=1))
                valid["sent"] += 1
        for info in infos:
            info.wait_for_publish(10)
        publish_valid()

    flood()
    assert valid["sent"] >= 10_000
    final = synced_reading()
    expected = counted_before + final - baseline
    got = hub.device_energy("fz")
    # the API rounds to 1 mWh; one rejected message that counted would move it far more
    assert got == pytest.approx(expected, abs=0.0011), hub.get("/api/devices/fz")
    assert hub.get("/api/devices/fz")["energy_wh"] == final
    summary = hub.get("/api/summary")
    assert summary["energy_today_wh"] == pytest.approx(expected, abs=0.0011)
    assert (summary["devices_total"], summary["power_w"]) == (1, 500.0)
    assert hub.get("/api/devices/fz")["name"] == "Fuzzed lamp"
    assert hub.healthy()
    no_traceback(hub.process)


commands = st.one_of(
    st.binary(min_size=1, max_size=100),
    st.text(max_size=20).map(str.encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "on": st.one_of(st.booleans(), st.integers(), st.text(max_size=3)),
            "level": st.one_of(st.floats(allow_nan=True), st.text(max_size=3)),
            "interval_s": st.one_of(st.floats(allow_nan=True), st.integers()),
            "toggle": st.booleans(),
            "colour": st.text(max_size=3),
        },
    ).map(lambda v: json.dumps(v).encode()),
)


def is_valid_command(payload: bytes) -> bool:
    try:
        Command.from_payload(payload)
    except (ProtocolError, ValueError, TypeError):
        return False
    return True


def test_two_thousand_bad_commands_leave_a_device_up_and_answering(
    procs, mosquitto_broker, tmp_path, mqtt_probe
):
    lamp = start_device(procs, mosquitto_broker, "light", "lamp")
    sender = mqtt_probe(mosquitto_broker).connected()
    sender.subscribe("home/lamp/result")
    sender.subscribe("home/lamp/availability")
    sender.wait_message("home/lamp/availability", lambda m: m.payload == b"online")
    sent: list[bytes] = []

    @FUZZ_SETTINGS
    @given(st.lists(commands, min_size=10, max_size=12))
    def flood(batch):
        for payload in batch:
            sender.client.publish("home/lamp/set", payload, qos=1).wait_for_publish(10)
            sent.append(payload)

    flood()
    assert len(sent) >= 2000
    invalid = sum(not is_valid_command(p) for p in sent)
    assert invalid >= 1000
    wait_for(lambda: len(sender.received("home/lamp/result")) >= len(sent), 60, "every reply")
    replies = [CommandResult.from_payload(m.payload) for m in sender.received("home/lamp/result")]
    assert len(replies) == len(sent)
    for payload, reply in zip(sent, replies, strict=True):
        if not is_valid_command(payload):
            assert reply.ok is False and reply.error, (payload, reply)
    assert any(r.ok for r in replies)  # the valid ones still work
    assert lamp.alive()
    no_traceback(lamp)
    before = len(replies)
    sender.publish("home/lamp/set", b"ON")
    wait_for(lambda: len(sender.received("home/lamp/result")) > before, 5, "a reply to ON")
    last = CommandResult.from_payload(sender.received("home/lamp/result")[before].payload)
    assert last.ok and last.state.on
