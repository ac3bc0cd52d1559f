"""The hub's public API: everything the web layer may ask of the hub, and nothing more.

Calls run on the core thread (through the service), so the web's request
threads never touch hub state directly.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from hub.commands import CommandTracker
from hub.core.hub_core import CommandRefused, HubCore, Now
from hub.core.registry import DeviceRecord
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

    def summary(self) -> dict[str, Any]:
        """The live summary (as on MQTT) plus today's and this month's details."""
        return self.service.query(_summary)

    def devices(self) -> list[dict[str, Any]]:
        return self.service.query(
            lambda core, now: [
                _device(core, record, now) for record in core.registry.devices.values()
            ]
        )

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


def _summary(core: HubCore, now: Now) -> dict[str, Any]:
    computed = core.summary(now)
    today, month = core.today(now), core.month(now)
    standing = core.tariff.standing_charge_per_day
    return {
        **computed.summary.to_dict(),
        "carbon_today_g": round(today.carbon_g, 1),
        "production_today_wh": round(today.production_wh, 3),
        "import_today_wh": round(today.import_wh, 3),
        "export_today_wh": round(today.export_wh, 3),
        "energy_month_wh": round(month.consumption_wh, 3),
        "cost_month": round(month.cost + standing * core.days_this_month(now), 4),
        "standing_charge_per_day": standing,
    }


def _device(core: HubCore, record: DeviceRecord, now: Now) -> dict[str, Any]:
    today = core.today(now)
    return {
        "id": record.device_id,
        "status": record.status,
        "meta": record.meta.to_dict() if record.meta else None,
        "state": record.state.to_dict() if record.state else None,
        "energy_today_wh": round(today.device_wh.get(record.device_id, 0.0), 3),
        "cost_today": round(today.device_cost.get(record.device_id, 0.0), 4),
    }
