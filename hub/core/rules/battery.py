"""The battery's rule: self-consumption, and evcc's grid charging in the cheap hours.

evcc charges a home battery from the grid while the price is below a limit
(`batteryGridChargeLimit`); here the limit is found, not set: the battery charges at
full power (less what would take the home over its import limit) in the cheapest
pieces before the dearest of the next `BATTERY_HORIZON_S` that its empty part needs (of
equal prices the later, as evcc's planner), when that dearest hour, less the round
trip's loss, is still worth more than the charge plus the battery's wear. While that
dearer hour is ahead, the sun gives no surplus and the grid's energy now is cheaper than
buying the charge again before that hour would be, it holds its charge (not spent on the
night's cheap energy, a car charging among it); otherwise it is in `auto`, following the
meter (so tonight's peak is not skipped for tomorrow's dearer one: the night between
refills it).
"""

from __future__ import annotations

import math
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
FULL_PCT = 99.0
"""Full enough: grid charging stops here (and holds, not `auto`, which would spend the
top at once and charge it again a minute later)."""
STEP_W = 500.0
"""Grid charging's power is cut to the room under the import limit in these steps (not
to the watt, which would send a new setpoint each time the home's load moves)."""
SURPLUS_W = 100.0
"""An export beyond this, the battery left holding, is a surplus to store."""


class BatteryRule:
    def __init__(self, settings: RulesSettings, sent: SentCommands):
        self.settings, self._sent = settings, sent

    def decide(
        self, battery: DeviceView, t: float, prices: Sequence[PriceSlot], net_w: float
    ) -> Action | None:
        """`net_w`: the home's net grid power now (the summary's; negative exporting)."""
        command, why = self._wanted(battery, t, prices, _home_w(battery, net_w))
        state = battery.state
        shown = {"mode": state.mode}
        if command["mode"] == "charge" and state.mode == "charge":
            shown = command  # already charging at full: nothing to say
        if not self._sent.due(battery.device_id, "battery", command, shown):
            return None
        return Action(battery.device_id, t, command, why)

    def _wanted(
        self, battery: DeviceView, t: float, prices: Sequence[PriceSlot], home_w: float
    ) -> tuple[dict, str]:
        meta, soc = battery.meta, battery.state.soc_pct
        max_w = meta.max_charge_w or meta.rated_w
        if soc is None or not meta.capacity_wh or max_w <= 0:
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
        room_w = self.settings.import_limit_w - max(0.0, home_w)
        power_w = max_w if room_w >= max_w else math.floor(room_w / STEP_W) * STEP_W
        filling = soc < FULL_PCT and any(piece.start <= t < piece.end for piece in cheap)
        if worth and power_w > 0 and filling:
            why = f"cheapest hours to fill: {now.price:.2f}/kWh against {dearest:.2f} later"
            return {"mode": "charge", "power_w": power_w}, why
        # spent now, what it holds is bought again at the cheapest price before the
        # dearest hour: held only if that costs more, with the round trip and the wear,
        # than the grid's energy now (else tomorrow's peak would lock it all night)
        refill = min(piece.price for piece in before) if before else now.price
        cheaper_now = now.price < refill / ROUND_TRIP + self.settings.battery_cycle_cost
        if worth and cheaper_now and home_w > -SURPLUS_W:
            # evcc's discharge lock, by price: what it holds is worth more at the dearer
            # hours ahead than the grid's energy now; a surplus it still stores (auto)
            why = f"keeps its charge for {dearest:.2f}/kWh later: the grid is {now.price:.2f} now"
            return {"mode": "hold"}, why
        return {"mode": "auto"}, AUTO_WHY


def _home_w(battery: DeviceView, net_w: float) -> float:
    """The home's net power without the battery's own flow: what `auto` would answer
    (so a battery storing a surplus does not hide it and flap back to hold)."""
    state = battery.state
    return net_w - (state.power_w - (state.discharge_w or 0.0))
