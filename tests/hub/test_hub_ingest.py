"""The readings receiver (hub.mqtt.receiver): its buffered socket, its process, its batches."""

from __future__ import annotations

import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from common.mqtt import BrokerAddress, MqttSettings
from hub.controller import DRAIN_MAX, Feature, HubController
from hub.core.events import Event, ReadingTaken
from hub.core.hub_core import HubCore
from hub.core.settings import HubConfig
from hub.mqtt.receiver import ReadingReceiver, _BufferedSocket
from protocol import SimClock, State, Topics
from testkit.hub import Hub
from testkit.ports import wait_for


def reading(seq: int) -> bytes:
    state = State(ts=1.0e9 + seq, seq=seq, on=True, power_w=10.0, energy_wh=seq, phase="on")
    return state.to_payload()


# ---- the buffered socket --------------------------------------------------------------


def test_small_reads_are_served_from_one_large_read():
    mine, theirs = socket.socketpair()
    with mine, theirs:
        buffered = _BufferedSocket(mine)
        theirs.sendall(b"\x30\x05hello\x30\x02hi")
        assert buffered.recv(1) == b"\x30"
        assert buffered.pending() == 10  # the whole stream was read at once
        assert [buffered.recv(1), buffered.recv(5), buffered.recv(100)] == [
            b"\x05",
            b"hello",
            b"\x30\x02hi",
        ]
        assert buffered.pending() == 0
        buffered.setblocking(False)  # everything else is the socket's own
        with pytest.raises(BlockingIOError):
            buffered.recv(1)
        theirs.shutdown(socket.SHUT_WR)
        assert buffered.recv(1) == b""  # the end of the stream reaches paho as it is


# ---- the core's side: batches through the controller ---------------------------------


class Recorder(Feature):
    def __init__(self, expected: int):
        self.seqs: list[int] = []
        self.drains = 0
        self.expected = expected
        self.done = threading.Event()

    def handle(self, event: Event) -> None:
        if isinstance(event, ReadingTaken):
            self.seqs.append(event.state.seq)
            if len(self.seqs) == self.expected:
                self.done.set()

    def drained(self) -> None:
        self.drains += 1


def test_the_core_handles_every_message_of_every_batch_in_order():
    """More than a drain's worth waits before the core starts: none may be dropped."""
    batches, size = 7, 400
    assert batches * size > 2 * DRAIN_MAX
    recorder = Recorder(batches * size)
    service = HubController(HubCore(HubConfig(), Topics()), SimClock(1.0, time.time()), [recorder])
    seqs = iter(range(1, batches * size + 1))
    for _ in range(batches):
        batch = [("home/meter/state", reading(next(seqs))) for _ in range(size)]
        service.inbox.submit_messages(batch)
    bad = [("home/meter/state", b"{not json"), ("home/a b/state", reading(1))]
    service.inbox.submit_messages(bad)
    thread = threading.Thread(target=service.run)
    thread.start()
    try:
        assert recorder.done.wait(10), f"handled {len(recorder.seqs)} of {batches * size}"
    finally:
        service.stop()
        thread.join(10)
    assert recorder.seqs == list(range(1, batches * size + 1))
    assert 1 < recorder.drains < batches * size  # the log hears once per drain, not per reading
    rejected = service.core.rejections.by_source()
    assert rejected == {"meter": {"bad state": 1}, "home/a b/state": {"bad topic": 1}}


# ---- the receiver process ---------------------------------------------------------------


@pytest.fixture
def receiver(embedded_broker):
    got: list[tuple[str, bytes]] = []
    settings = MqttSettings(BrokerAddress(embedded_broker.host, embedded_broker.port))
    receiver = ReadingReceiver(settings, Topics("ingest-test"), got.extend)
    receiver.got = got  # type: ignore[attr-defined]
    receiver.start()
    try:
        wait_for(lambda: receiver.subscribed, 20, "the receiver's subscription")
        yield receiver
    finally:
        receiver.stop()


def test_the_receiver_relays_states_in_order_and_nothing_else(
    receiver, embedded_broker, mqtt_probe
):
    probe = mqtt_probe(embedded_broker).connected()
    sent = [("ingest-test/fridge/state", reading(seq)) for seq in range(1, 6)]
    sent.append(("ingest-test/fridge/state", b"garbage is the core's to refuse"))
    probe.publish("ingest-test/fridge/meta", b"{}")  # not a state: not the receiver's
    for topic, payload in sent:
        probe.publish(topic, payload, qos=0)
    wait_for(lambda: len(receiver.got) >= len(sent), 10, "the states")
    assert receiver.got == sent


def test_a_dead_receiver_is_replaced_and_a_stopped_one_exits(receiver, embedded_broker, mqtt_probe):
    first = receiver.process
    first.send_signal(signal.SIGKILL)
    wait_for(lambda: receiver.process is not first and receiver.subscribed, 20, "a new receiver")
    probe = mqtt_probe(embedded_broker).connected()
    probe.publish("ingest-test/kettle/state", reading(1), qos=0)
    wait_for(lambda: receiver.got, 10, "a state through the new receiver")
    second = receiver.process
    receiver.stop()
    assert second.wait(5) == 0  # asked to stop, it left on its own


def test_the_receiver_goes_with_a_killed_hub(procs, embedded_broker, tmp_path: Path):
    config = tmp_path / "home.toml"
    config.write_text('[home]\nname = "Kill test"\n')
    hub = Hub(procs, embedded_broker, tmp_path / "data", config)
    # each thread lists the children it started; the receiver's is the relay thread
    children = Path(f"/proc/{hub.process.pid}/task").glob("*/children")
    receivers = [
        pid
        for pid in " ".join(path.read_text() for path in children).split()
        if b"hub.mqtt.receiver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(receivers) == 1
    hub.process.send_signal(signal.SIGKILL)
    wait_for(lambda: not Path(f"/proc/{receivers[0]}").exists(), 10, "the receiver to exit")


def test_what_was_submitted_before_a_stop_is_handled_before_the_last_tick():
    """The hub stops its receiver first, so the receiver's last batch is in the inbox
    ahead of the stop: it must reach the core (and so the log), not be dropped."""
    total = 3 * DRAIN_MAX
    recorder = Recorder(total)
    service = HubController(HubCore(HubConfig(), Topics()), SimClock(1.0, time.time()), [recorder])
    batch = [("home/meter/state", reading(seq)) for seq in range(1, total + 1)]
    service.inbox.submit_messages(batch)
    service.stop()
    service.run()  # returns at once: stopped before it began
    assert recorder.seqs == list(range(1, total + 1))
