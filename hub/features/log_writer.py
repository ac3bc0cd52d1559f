"""The durable log as a hub feature: events in, rows handed to the store's writer thread."""

from __future__ import annotations

from hub.config.saved import setting_json
from hub.controller import Feature
from hub.core.events import (
    AlertChanged,
    Event,
    LedgerChanged,
    ReadingTaken,
    SettingChanged,
)
from hub.store.schema import AuditRow, Batch, ReadingRow
from hub.store.writer import StoreWriter


class StoreFeed(Feature):
    """Readings are gathered and handed to the writer once per drain of the hub's inbox
    (`drained`), not one by one: one lock and one batch object for hundreds of readings.

    The feed runs the writer's thread: started before the first event, stopped
    (after a final commit) once the core's last tick has been handed on.
    """

    def __init__(self, writer: StoreWriter):
        self.writer = writer
        self._readings: list[ReadingRow] = []

    def start(self) -> None:
        self.writer.start()

    def stop(self) -> None:
        self.writer.stop()

    def drained(self) -> None:
        """The hub's inbox was drained: hand the gathered readings to the writer."""
        if self._readings:
            readings, self._readings = self._readings, []
            self.writer.submit(Batch(readings=readings))

    def handle(self, event: Event) -> None:
        if isinstance(event, ReadingTaken):
            self._readings.append(ReadingRow.from_state(event.device_id, event.state))
        elif isinstance(event, LedgerChanged):
            self.writer.submit(
                Batch(
                    device_rollups=event.devices,
                    home_rollups=event.homes,
                    # a device that never reported a counter has no position to resume from
                    counters=[c for c in event.counters if c.energy_wh is not None],
                    meters=event.meters,
                )
            )
        elif isinstance(event, AlertChanged):
            self.writer.submit(Batch(alerts=[event.alert]))
        elif isinstance(event, SettingChanged):
            self.writer.submit(Batch(settings={event.key: setting_json(event.key, event.value)}))

    def audit(self, entry: AuditRow) -> None:
        self.writer.submit(Batch(audit=[entry]))
