"""The battery's rule: self-consumption, and evcc's grid charging in the cheap hours.

evcc charges a home battery from the grid while the price is below a limit
(`batteryGridChargeLimit`); here the limit is found, not set: the battery charges at
full power in the cheapest pieces before the dearest of the next `BATTERY_HORIZON_S`
that its empty part needs (of equal prices the later, as evcc's planner), when that
dearest hour, less the round trip's loss, is still worth more
than the charge plus the battery's wear. Otherwise it is in `auto`, following the meter.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.core.actions import Action
from hub.core.rules.observation import DeviceView
from hub.core.rules.sent import SentCommands
from hub.core.rules.settings import RulesSettings
from hub.core.rules.windows import cheapest_pieces, pieces
from protocol import PriceSlot

BATTERY_HORIZON_S = 24 * 3600.0
ROUND_TRIP = 0.9
"""The battery kind's default round trip (the meta does not carry it)."""
AUTO_WHY = "self-consumption: the battery follows the grid meter"


class BatteryRule:
    def __init__(self, settings: RulesSettings, sent: SentCommands):
        self.settings, self._sent = settings, sent

    def decide(self, battery: DeviceView, t: float, prices: Sequence[PriceSlot]) -> Action | None:
        command, why = self._wanted(battery, t, prices)
        state = battery.state
        shown = {"mode": state.mode}
        if command["mode"] == "charge" and state.mode == "charge":
            shown = command  # already charging at full: nothing to say
        if not self._sent.due(battery.device_id, "battery", command, shown):
            return None
        return Action(battery.device_id, t, command, why)

    def _wanted(
        self, battery: DeviceView, t: float, prices: Sequence[PriceSlot]
    ) -> tuple[dict, str]:
        meta, soc = battery.meta, battery.state.soc_pct
        max_w = meta.max_charge_w or meta.rated_w
        if soc is None or not meta.capacity_wh or max_w <= 0 or soc >= 99.0:
            return {"mode": "auto"}, AUTO_WHY
        ahead = pieces(prices, t, t + BATTERY_HORIZON_S, self.settings.piece_s)
        if not ahead or not ahead[0].start <= t < ahead[0].end:
            return {"mode": "auto"}, AUTO_WHY
        need_s = (100.0 - soc) / 100.0 * meta.capacity_wh / max_w * 3600.0
        now = ahead[0]
        dearest = max(piece.price for piece in ahead)
        # the cheapest hours before the dearest comes: what it is filled for
        before = ahead[: next(i for i, piece in enumerate(ahead) if piece.price == dearest)]
        cheap = cheapest_pieces(before, need_s)
        worth = dearest * ROUND_TRIP - now.price > self.settings.battery_cycle_cost
        if worth and any(piece.start <= t < piece.end for piece in cheap):
            why = f"cheapest hours to fill: {now.price:.2f}/kWh against {dearest:.2f} later"
            return {"mode": "charge", "power_w": max_w}, why
        return {"mode": "auto"}, AUTO_WHY
