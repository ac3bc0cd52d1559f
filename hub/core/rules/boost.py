"""Boost a water heater or heat pump on the solar surplus, or in the day's cheapest slots.

The surplus a booster may use is the export there would be without it (its own draw minus
the net at the meter), so a boost that runs does not hide the surplus it runs on. A boost
starts once that surplus has covered its rated power for the enable delay and stops once
it has fallen below `boost_keep_share` of it for the disable delay (a `SurplusSwitch`,
evcc's timers). Of several boosters switching on in the same tick, each after the first
sees the surplus less what the ones before it will draw, so two heaters do not jump at
one surplus; later ticks see their draw in the net anyway.

A slot is cheap when it is among the cheapest `boost_cheapest_h` of the day ahead (the
earlier of equal prices first) and below that day's median price, so a flat tariff
never boosts. Whether a slot is cheap is decided once, when it begins, so the day ahead
sliding on cannot switch a boost within a slot.

Commands go out on the edges of "boost wanted" only: `true` when it becomes wanted (and
the device is on and not boosting already), `false` when it stops being wanted while the
device still boosts. A boost that ends by itself (the tank at its boost temperature) is
not started again for the same surplus or slot.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from hub.core.actions import Action
from hub.core.rules import reasons
from hub.core.rules.observation import DeviceView
from hub.core.rules.settings import RulesSettings
from hub.core.rules.surplus_switch import SurplusSwitch
from hub.core.rules.windows import cheapest_pieces, pieces, slot_at
from protocol import PriceSlot


class BoostRule:
    def __init__(self, settings: RulesSettings):
        self.settings = settings
        self._switches: dict[str, SurplusSwitch] = {}
        self._wanted: dict[str, bool] = {}
        self._slot: tuple[float, str | None] | None = None
        """The slot in force when last asked: its start, and why it is cheap (None: not)."""

    def decide(
        self, boosters: Sequence[DeviceView], t: float, net_w: float, prices: Sequence[PriceSlot]
    ) -> list[Action]:
        cheap = self._cheap_now(t, prices)
        actions: list[Action] = []
        claimed_w = 0.0
        for device in boosters:
            surplus_w = device.state.power_w - net_w - claimed_w
            switch = self._switch(device)
            if switch.observe(surplus_w, t) and switch.on:
                claimed_w += device.meta.rated_w
            wanted = switch.on or cheap is not None
            was = self._wanted.get(device.device_id, False)
            self._wanted[device.device_id] = wanted
            if wanted == was:
                continue
            if wanted and device.state.on and not device.boosting:
                why = f"surplus {reasons.power(surplus_w)}" if switch.on or cheap is None else cheap
                actions.append(self._boost(device, t, True, why))
            elif not wanted and device.boosting:
                actions.append(self._boost(device, t, False, "surplus gone, no cheap slot"))
        return actions

    def forget(self, keep: set[str]) -> None:
        for table in (self._switches, self._wanted):
            for device_id in [d for d in table if d not in keep]:
                del table[device_id]

    def _switch(self, device: DeviceView) -> SurplusSwitch:
        rated_w, settings = device.meta.rated_w, self.settings
        switch = self._switches.get(device.device_id)
        if switch is None or switch.enable_w != rated_w:
            switch = self._switches[device.device_id] = SurplusSwitch(
                enable_w=rated_w,
                disable_w=rated_w * settings.boost_keep_share,
                enable_delay_s=settings.enable_delay_s,
                disable_delay_s=settings.disable_delay_s,
            )
        return switch

    def _cheap_now(self, t: float, prices: Sequence[PriceSlot]) -> str | None:
        """Why the slot in force is cheap, or None; decided when the slot is first seen."""
        slot = slot_at(prices, t)
        if slot is None or self.settings.boost_cheapest_h <= 0:
            return None
        if self._slot is None or self._slot[0] != slot.start:
            self._slot = (slot.start, self._judge(slot, t, prices))
        return self._slot[1]

    def _judge(self, slot: PriceSlot, t: float, prices: Sequence[PriceSlot]) -> str | None:
        settings = self.settings
        day = pieces(prices, t, t + settings.boost_horizon_h * 3600, settings.piece_s)
        chosen = cheapest_pieces(day, settings.boost_cheapest_h * 3600, later_first=False)
        if not chosen or chosen[0].start > t:
            return None
        if not slot.import_price < statistics.median(piece.price for piece in day):
            return None
        return (
            f"among the cheapest {reasons.duration(settings.boost_cheapest_h * 3600)} "
            f"of the next {reasons.duration(settings.boost_horizon_h * 3600)} "
            f"({reasons.price(slot.import_price)})"
        )

    @staticmethod
    def _boost(device: DeviceView, t: float, on: bool, why: str) -> Action:
        return Action(device=device.device_id, at=t, command={"boost": on}, why=why)
