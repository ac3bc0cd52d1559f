"""The price series ahead on MQTT: ``home/hub/prices`` (retained, QoS 1) as a hub feature.

Republished when it changes: when the slot in force passes, and when the
tariff is edited. Each message runs from the slot in force to at least
`horizon_s` after that slot's end, so until the next one (due when that slot
ends) a reader always holds at least the next `horizon_s`.

The feature keeps its own series, built from the tariff it is told of (at the
start and in every `SettingChanged`): the same pure `price_series` the core
builds from the same config, so the two agree without it reading the core.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from hub.controller import Feature
from hub.core.events import Event, SettingChanged, SummaryComputed
from hub.core.prices import price_series
from hub.core.settings import TariffConfig
from protocol import Prices

DAY_S = 86400.0


class PriceBoard(Feature):
    """Publishes `protocol.Prices` through `publish(payload)` (the MQTT adapter's retained
    publisher) on the first summary, whenever the summary's time reaches the end of the
    first slot published, and after a tariff change."""

    def __init__(
        self,
        tariff: TariffConfig,
        zone: ZoneInfo,
        currency: str,
        publish: Callable[[bytes], None],
        horizon_s: float = DAY_S,
    ):
        self.zone, self.currency, self.publish, self.horizon_s = zone, currency, publish, horizon_s
        self.series = price_series(tariff, zone)
        self.due: float | None = None  # sim time of the next publication; None: at once
        self.last: Prices | None = None

    def handle(self, event: Event) -> None:
        if isinstance(event, SettingChanged) and event.key == "tariff":
            assert isinstance(event.value, TariffConfig)
            self.series = price_series(event.value, self.zone)
            self.due = None
        elif isinstance(event, SummaryComputed):
            now = event.summary.ts
            if self.due is None or now >= self.due:
                self._publish(now)

    def prices_at(self, now: float) -> Prices:
        first = self.series.slot_at(now)
        slots = self.series.slots(first.start, first.end + self.horizon_s)
        return Prices(currency=self.currency, slots=tuple(slots))

    def _publish(self, now: float) -> None:
        prices = self.prices_at(now)
        self.due = prices.slots[0].end
        if prices != self.last:
            self.last = prices
            self.publish(prices.to_payload())
