"""The hub's public API: everything the web layer may ask of the hub, and nothing more.

Calls run on the core thread (through the service), so the web's request
threads never touch hub state directly.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from hub.commands import CommandTracker
from hub.core.hub_core import CommandRefused
from hub.service import HubService
from hub.store_writer import StoreWriter
from protocol import Command, CommandResult

__all__ = ["CommandRefused", "CommandTimeout", "HubApi"]


class CommandTimeout(Exception):
    """The device did not answer in time (offline, or too busy)."""


class HubApi:
    def __init__(
        self,
        service: HubService,
        tracker: CommandTracker,
        writer: StoreWriter,
        mqtt_connected: Callable[[], bool],
    ):
        self.service = service
        self.tracker = tracker
        self.writer = writer
        self.mqtt_connected = mqtt_connected

    def health(self) -> dict[str, Any]:
        """Whether the hub can do its job: broker connection, log writer, queue."""
        online, total = self.service.query(lambda core, now: core.registry.counts())
        mqtt_ok, store_ok = self.mqtt_connected(), self.writer.healthy
        return {
            "status": "ok" if mqtt_ok and store_ok else "degraded",
            "mqtt_connected": mqtt_ok,
            "store": {"healthy": store_ok, "error": self.writer.last_error},
            "queue_depth": self.service.queue_depth,
            "devices_online": online,
            "devices_total": total,
        }

    def command(
        self, device_id: str, command: Command, actor: str = "web", timeout: float = 5.0
    ) -> CommandResult:
        """Send a command and wait for the device's reply.

        Raises CommandRefused (unknown device, offline, not dimmable) before
        anything is sent, or CommandTimeout when no reply comes in time.
        """
        token, reply = self.tracker.new_request()
        try:
            self.service.act(lambda core, now: core.command(device_id, command, actor, now, token))
        except CommandRefused:
            self.tracker.abandon(token, device_id, "refused")
            raise
        try:
            return reply.result(timeout)
        except FutureTimeout:
            self.tracker.abandon(token, device_id, f"no reply within {timeout:g} s")
            raise CommandTimeout(
                f"{device_id} did not answer within {timeout:g} s (is it running?)"
            ) from None
