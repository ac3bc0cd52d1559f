"""Live updates for the web, as plain data: the hub's events translated at its edge.

A hub feature (it runs on the core thread, so it only copies and appends);
listeners must be quick and thread-safe, like the web's relay, which batches
what it gets for Socket.IO.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hub.controller import Feature
from hub.core.events import AlertChanged, DeviceChanged, Event, ReadingTaken, SummaryComputed

Listener = Callable[[str, dict], None]
"""listener(kind, data): kind is "reading", "alert", "device" or "summary" (a frame)."""

log = logging.getLogger("hub")


class LiveFeed(Feature):
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def handle(self, event: Event) -> None:
        if isinstance(event, ReadingTaken):
            state = event.state
            self._tell(
                "reading",
                {
                    "id": event.device_id,
                    "ts": state.ts,
                    "power_w": state.power_w,
                    "on": state.on,
                    "phase": state.phase,
                    "level": state.level,
                    "energy_wh": state.energy_wh,
                },
            )
        elif isinstance(event, AlertChanged):
            self._tell("alert", event.alert.to_dict())
        elif isinstance(event, DeviceChanged):
            self._tell("device", {"id": event.device_id, "change": event.change})
        elif isinstance(event, SummaryComputed):
            self._tell("summary", _frame(event))

    def _tell(self, kind: str, data: dict) -> None:
        for listener in self._listeners:
            listener(kind, data)


def _frame(event: SummaryComputed) -> dict:
    """One instant of the home: the net, its parts, and every device's power they add up from.

    The live chart draws these frames, so its net line is its stack's sum at
    every point (per-device readings come at their own moments and would not be).
    """
    summary = event.summary
    return {
        "ts": summary.ts,
        "power_w": summary.power_w,
        "load_w": summary.load_w,
        "generation_w": summary.generation_w,
        "device_power_w": event.device_power_w,  # a fresh dict per summary, never changed
    }
