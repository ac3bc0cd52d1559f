"""The car: evcc's `pv` from the surplus, and its plan when the target needs the grid.

The charger already follows the surplus itself (devices/kinds/_surplus.py, evcc's one-
minute start and three-minute stop delays), on every summary, knowing its own draw and
its minimum current. So the rules set its mode and leave the current to it rather than
compute a `level` here: a second follower in the hub would see the same summaries later,
send a command every few seconds and fight the first one.

What the charger cannot know is the price ahead. As evcc's planner does (core/planner:
"a lowest-cost plan for charging a required duration until target time", the plan
active when now is in one of its slots), the rules work out how long the car needs at
full power to reach `target_soc` from `soc_pct`, pick the cheapest pieces of time before
`departure` that cover it (the later of equal prices first, so the sun gets its chance),
and set `now` while the present piece is one of them, the surplus mode otherwise, or
`off` while the export price is at least the plan's dearest piece (a feed-in above the
night rate makes the sun dearer for the car than the grid; evcc takes it regardless). The
need is worked out afresh each tick from the car's own SoC, so what the sun charged is
not bought again. Once the car charges by a plan, the plan is kept (evcc's locked plan,
`planLocked` in core/loadpoint.go) for as long as its pieces still ahead cover the need
and the departure stays: the need falls a little faster than time while charging (the
margin), and a plan chosen afresh each tick would pause the car for a piece whenever the
later pieces alone came to suffice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hub.core.actions import Action
from hub.core.rules import reasons
from hub.core.rules.observation import DeviceView
from hub.core.rules.sent import SentCommands
from hub.core.rules.settings import RulesSettings
from hub.core.rules.windows import Piece, cheapest_pieces, pieces, slot_at
from protocol import PriceSlot


@dataclass(frozen=True)
class _Plan:
    """The pieces a car charges in at full power, chosen for `departure`."""

    departure: float
    pieces: tuple[Piece, ...]

    def left_s(self, t: float) -> float:
        return sum(piece.end - max(piece.start, t) for piece in self.pieces if piece.end > t)

    def piece_at(self, t: float) -> Piece | None:
        return next((piece for piece in self.pieces if piece.start <= t < piece.end), None)


class EvRule:
    def __init__(self, settings: RulesSettings, sent: SentCommands):
        self.settings, self._sent = settings, sent
        self._locked: dict[str, _Plan] = {}
        """The plan each car is charging by."""

    def decide(self, ev: DeviceView, t: float, prices: Sequence[PriceSlot]) -> Action | None:
        state, device_id = ev.state, ev.device_id
        if not state.plugged or state.soc_pct is None or state.target_soc is None:
            self._locked.pop(device_id, None)
            return None
        if state.soc_pct >= state.target_soc:
            self._locked.pop(device_id, None)
            return None
        mode, why = self._mode(ev, t, prices)
        if not self._sent.due(device_id, "mode", mode, state.mode):
            return None
        return Action(device=device_id, at=t, command={"mode": mode}, why=why)

    def need_s(self, ev: DeviceView) -> float:
        """How long the car needs at full power to reach its target, with the margin."""
        state, settings = ev.state, self.settings
        assert state.soc_pct is not None and state.target_soc is not None
        capacity_wh = ev.meta.capacity_wh or settings.ev_capacity_wh
        drawn_wh = (state.target_soc - state.soc_pct) / 100 * capacity_wh
        drawn_wh /= settings.ev_charge_efficiency
        return drawn_wh / ev.meta.rated_w * 3600 * (1 + settings.ev_plan_margin)

    def forget(self, keep: set[str]) -> None:
        for device_id in [d for d in self._locked if d not in keep]:
            del self._locked[device_id]

    def _mode(self, ev: DeviceView, t: float, prices: Sequence[PriceSlot]) -> tuple[str, str]:
        settings, state = self.settings, ev.state
        surplus_mode = settings.ev_surplus_mode
        departure = state.departure
        if departure is None or departure <= t or ev.meta.rated_w <= 0:
            self._locked.pop(ev.device_id, None)
            return surplus_mode, "no departure known: solar surplus only"
        need_s = self.need_s(ev)
        by = reasons.clock(departure, settings.zone)
        plan = self._locked.get(ev.device_id)
        if plan is None or plan.departure != departure or plan.left_s(t) < need_s:
            self._locked.pop(ev.device_id, None)
            ahead = pieces(prices, t, departure, settings.piece_s)
            plan = _Plan(departure, tuple(cheapest_pieces(ahead, need_s)))
        piece = plan.piece_at(t)
        if piece is not None:
            self._locked[ev.device_id] = plan
            left_s = departure - t
            if left_s < need_s:
                why = (
                    f"{state.target_soc:.0f} % by {by} needs {reasons.duration(need_s)}, "
                    f"{reasons.duration(left_s)} left: full power"
                )
            else:
                price = reasons.price(piece.price)
                why = f"cheapest {reasons.duration(need_s)} before {by} ({price})"
            return "now", why
        upcoming = next((piece for piece in plan.pieces if piece.start > t), None)
        if upcoming is None:
            return surplus_mode, f"solar surplus only: no price known before {by}"
        from_ = reasons.clock(upcoming.start, settings.zone)
        slot = slot_at(prices, t)
        export = slot.export_price if slot is not None else None
        dearest = max(piece.price for piece in plan.pieces)
        if export is not None and export >= dearest:
            # the sun the car would take is worth more exported than the grid's energy
            # it replaces in the plan's dearest piece: it waits (a feed-in above the night)
            return "off", (
                f"waits for the cheapest {reasons.duration(need_s)} before {by}, from "
                f"{from_}: the sun exports at {reasons.price(export)}"
            )
        return surplus_mode, (
            f"solar surplus until the cheapest {reasons.duration(need_s)} before {by}, from {from_}"
        )
