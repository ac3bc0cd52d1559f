"""The durable log as a hub feature: events in, rows handed to the store's writer thread."""

from __future__ import annotations

from dataclasses import asdict

from hub.config.load import tariff_to_dict, threshold_to_dict
from hub.controller import Feature
from hub.core.events import (
    AlertChanged,
    Event,
    LedgerChanged,
    ReadingTaken,
    SettingChanged,
)
from hub.features.commands import Audit
from hub.store.schema import (
    AuditRow,
    Batch,
    CounterRow,
    DeviceRollup,
    HomeRollup,
    ReadingRow,
)
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
                    device_rollups=[
                        DeviceRollup(
                            m.minute, m.device, m.energy_wh, m.cost, m.power_avg_w, m.power_max_w
                        )
                        for m in event.devices
                    ],
                    home_rollups=[HomeRollup(**asdict(m)) for m in event.homes],
                    counters=[
                        CounterRow(c.device_id, c.t, c.energy_wh, c.seq)
                        for c in event.counters
                        if c.energy_wh is not None
                    ],
                    meters=event.meters,
                )
            )
        elif isinstance(event, AlertChanged):
            self.writer.submit(Batch(alerts=[event.alert]))
        elif isinstance(event, SettingChanged):
            self.writer.submit(Batch(settings={event.key: setting_json(event.key, event.value)}))

    def audit(self, entry: Audit) -> None:
        self.writer.submit(
            Batch(
                audit=[
                    AuditRow(
                        entry.ts,
                        entry.actor,
                        entry.device_id,
                        entry.request,
                        entry.ok,
                        entry.detail,
                    )
                ]
            )
        )


def setting_json(key: str, value: object) -> object:
    """A run-time setting as the JSON the store keeps (the same shape as home.toml)."""
    if key == "thresholds":
        return [threshold_to_dict(rule) for rule in value]  # type: ignore[attr-defined]
    if key == "tariff":
        return tariff_to_dict(value)  # type: ignore[arg-type]
    return asdict(value)  # type: ignore[call-overload]
