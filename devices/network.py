"""Every MQTT connection of a device process, driven by one thread with epoll.

paho's `loop_start()` gives each client a thread whose `select()` cannot watch
descriptors past 1024, so a fleet of more than ~340 devices silently failed to
connect. Here one selector watches every client's socket through paho's
external-loop callbacks, on the thread that also owns the models, so callbacks
and publishes never race. Reconnecting, with back-off, is ours to do.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import time
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from common.mqtt import KEEPALIVE_S, RECONNECT_MAX_S, RECONNECT_MIN_S, MqttSettings

MISC_EVERY_S = 1.0
"""How often keepalive pings and timeouts are looked after."""
READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


@dataclass
class _Link:
    client: mqtt.Client
    retry_at: float = 0.0
    backoff: float = 0.0


class NetworkLoop:
    def __init__(self, settings: MqttSettings):
        self.settings = settings
        self.selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.selector.register(self._wake_r, READ, None)
        self._links: list[_Link] = []
        self._next_misc = 0.0

    def add(self, client: mqtt.Client) -> None:
        """Take charge of `client`'s I/O; it connects on the next `run_once`."""
        link = _Link(client)
        client.on_socket_open = lambda c, u, sock: self.selector.register(sock, READ, link)
        client.on_socket_close = lambda c, u, sock: self._unregister(sock)
        client.on_socket_register_write = lambda c, u, sock: self._watch(sock, READ | WRITE)
        client.on_socket_unregister_write = lambda c, u, sock: self._watch(sock, READ)
        broker = self.settings.broker
        client.connect_async(broker.host, broker.port, keepalive=KEEPALIVE_S)
        self._links.append(link)

    def wake(self) -> None:
        """Make a waiting `run_once` return now; safe from a signal handler."""
        with contextlib.suppress(OSError):  # already full of wake-ups
            self._wake_w.send(b"\0")

    def run_once(self, timeout: float) -> None:
        """Connect what is due, move the bytes that are ready, keep connections alive."""
        now = time.monotonic()
        for link in self._links:
            if link.client.socket() is None and now >= link.retry_at:
                self._connect(link, now)
        for key, mask in self.selector.select(max(0.0, timeout)):
            if key.data is None:
                self._drain_wake()
                continue
            client = key.data.client
            if mask & READ:
                client.loop_read()
            if mask & WRITE and client.socket() is not None:
                client.loop_write()
        if now >= self._next_misc:
            self._next_misc = now + MISC_EVERY_S
            for link in self._links:
                if link.client.socket() is not None:
                    link.client.loop_misc()
                if link.client.is_connected():
                    link.backoff = 0.0

    def close(self) -> None:
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def _connect(self, link: _Link, now: float) -> None:
        link.backoff = min(RECONNECT_MAX_S, max(RECONNECT_MIN_S, link.backoff * 2))
        link.retry_at = now + link.backoff
        with contextlib.suppress(OSError):  # the broker is away: try again after the back-off
            link.client.reconnect()

    def _watch(self, sock: socket.socket, events: int) -> None:
        try:
            key = self.selector.get_key(sock)
        except (KeyError, ValueError):
            return
        self.selector.modify(sock, events, key.data)

    def _unregister(self, sock: socket.socket) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(sock)

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass
