"""Live updates for the web, as plain data: the hub's events translated at its edge.

A hub feature (it runs on the core thread, so it only copies and appends);
listeners must be quick and thread-safe, like the web's relay, which batches
what it gets for Socket.IO.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hub.core.events import AlertChanged, DeviceChanged, Event, ReadingTaken, SummaryComputed

Listener = Callable[[str, dict], None]
"""listener(kind, data): kind is "reading", "alert", "device" or "summary"."""

log = logging.getLogger("hub")


class LiveFeed:
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
            self._tell("summary", {"ts": event.summary.ts})

    def _tell(self, kind: str, data: dict) -> None:
        for listener in self._listeners:
            listener(kind, data)
