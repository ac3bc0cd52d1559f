"""Device readings received in a process of their own and handed to the core in batches.

Why a process: at thousands of readings a second one hub process was bound
by its single GIL. paho's network loop (a select and several small reads per
packet, and Python for every packet) cost as much CPU as the core's own work,
and all of it shared one core. The receiver has its own interpreter: it
subscribes to ``<root>/+/state`` on a connection of its own and every few
milliseconds sends the (topic, payload) pairs it got as one pickled list
over a pipe. It does nothing else, so it keeps up with the broker as well as
a bare subscriber does. In the hub, each batch is one inbox item for the
core thread, which checks and handles its messages as it does any other.

Everything else (meta, availability, results, the clock) still arrives on
the hub's own connection, so a device's state and meta no longer share one
ordered stream: the core already takes a reading from a device whose meta it
has not seen.

The receiver is ``python -m hub.mqtt.receiver FD``, started by the hub with one end
of a socket pair as FD; the hub sends the connection settings as the first
message (so a password never shows in the process list). It has no last
will, as it does not speak for the hub's availability, and it ignores
SIGINT and SIGTERM: it lives exactly as long as the hub keeps its end of the
pipe open, so Ctrl-C or a signal to the whole group cannot make the hub see
it die. If it dies anyway, the hub logs that and starts another. Asked to
stop, it disconnects and sends what it still holds, so a clean stop of the
hub loses no reading the receiver had taken off the broker.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import paho.mqtt.client as mqtt

from common.mqtt import MqttSettings, connect_in_background, new_client
from protocol import Topics

FLUSH_S = 0.02
"""How long a reading may wait in the receiver: a bound on the latency it adds."""
READ_SIZE = 65536
RESTART_DELAYS_S = (1.0, 2.0, 5.0, 10.0)
STOP_TIMEOUT_S = 5.0
HEALTHY_RUN_S = 60.0

Messages = list[tuple[str, bytes]]
"""One batch: (topic, payload) in arrival order. The receiver also sends a bool on the
pipe: whether it is subscribed."""

log = logging.getLogger("hub")


class _BufferedSocket:
    """A connected TCP socket that reads up to 64 KiB at a time and serves paho's reads
    from memory.

    paho reads a packet in three or four small ``recv`` calls and waits in
    ``select`` before each packet; at thousands of small packets a second those
    system calls were a third of the receiver's time. paho asks a socket with
    ``pending()`` (it expects one from TLS sockets) how much it holds already
    and then reads without waiting.
    """

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self._data = memoryview(b"")

    def recv(self, size: int) -> bytes:
        if not self._data:
            received = self._sock.recv(READ_SIZE)  # BlockingIOError and EOF go to paho as they are
            if not received:
                return received
            self._data = memoryview(received)
        chunk, self._data = self._data[:size], self._data[size:]
        return bytes(chunk)

    def pending(self) -> int:
        return len(self._data)

    def __getattr__(self, name: str) -> object:  # send, fileno, close, setblocking...
        return getattr(self._sock, name)


class _BufferedClient(mqtt.Client):
    """A paho client on a `_BufferedSocket` (plain TCP only: the hub offers nothing else)."""

    def _create_socket(self):  # paho 2.2's hook; pinned in pyproject.toml
        return _BufferedSocket(super()._create_socket())


def receive(pipe: Connection) -> None:
    """The receiver process: runs until the hub sends anything more on `pipe` or goes away."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    settings, root = pipe.recv()
    topics = Topics(root)
    received: Messages = []
    lock = threading.Lock()

    def on_connect(client: mqtt.Client, userdata, flags, reason, properties) -> None:
        if not reason.is_failure:
            client.subscribe(topics.all_state, qos=1)

    def tell(subscribed: bool) -> None:
        with lock, contextlib.suppress(OSError):  # a hub gone is noticed by the main loop
            pipe.send(subscribed)

    def on_message(client: mqtt.Client, userdata, message: mqtt.MQTTMessage) -> None:
        with lock:
            received.append((message.topic, message.payload))

    client = new_client(settings, "hub-readings", None, _BufferedClient)
    client.on_connect = on_connect
    client.on_subscribe = lambda *_: tell(True)
    client.on_disconnect = lambda *_: tell(False)
    client.on_message = on_message
    connect_in_background(client, settings)

    def flush() -> None:
        with lock:
            if received:
                pipe.send(received)
                received.clear()

    try:
        # a message from the hub, or the end of the pipe when the hub died, ends the loop;
        # OSError: the hub went away while we sent
        with contextlib.suppress(OSError):
            while not pipe.poll(FLUSH_S):
                flush()
    finally:
        client.disconnect()
        client.loop_stop()
    with contextlib.suppress(OSError):
        flush()  # what arrived before the hub asked us to stop is still its to handle


class ReadingReceiver:
    """The hub's side of the receiver process: starts it, relays its batches, restarts it."""

    def __init__(self, settings: MqttSettings, topics: Topics, deliver: Callable[[Messages], None]):
        self.settings = settings
        self.topics = topics
        self.deliver = deliver
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-readings", daemon=True)
        self._pipe: Connection | None = None
        self.process: subprocess.Popen | None = None
        """The receiver process now running, if any."""
        self.subscribed = False
        """Whether the receiver is connected and subscribed: readings reach the core."""

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._ask_to_stop(self._pipe)
        self._thread.join(STOP_TIMEOUT_S)

    @staticmethod
    def _ask_to_stop(pipe: Connection | None) -> None:
        if pipe is not None:
            with contextlib.suppress(OSError):  # it has gone already
                pipe.send(None)

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            exit_code = self._serve_one()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > HEALTHY_RUN_S:
                failures = 0  # a crash after a good run is not part of a crash loop
            delay = RESTART_DELAYS_S[min(failures, len(RESTART_DELAYS_S) - 1)]
            log.error(
                "the readings receiver stopped (exit code %s); starting another in %g s",
                exit_code,
                delay,
            )
            failures += 1
            if self._stopping.wait(delay):
                return

    def _serve_one(self) -> int | None:
        """Run one receiver process and relay its batches until it ends; its exit code."""
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "hub.mqtt.receiver", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
            )
        pipe = Connection(ours.detach())
        self._pipe, self.process = pipe, process
        try:
            pipe.send((self.settings, self.topics.root))
            if self._stopping.is_set():  # stop() ran before the pipe was there to tell
                self._ask_to_stop(pipe)
            while True:
                message = pipe.recv()
                if isinstance(message, bool):
                    self.subscribed = message
                else:
                    self.deliver(message)
        except (EOFError, OSError):
            pass
        finally:
            self._pipe, self.subscribed = None, False
            pipe.close()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode


if __name__ == "__main__":
    receive(Connection(int(sys.argv[1])))
