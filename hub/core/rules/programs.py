"""Deferrable programs: a loaded machine starts in the cheapest window that still finishes
by the time the occupant wants.

A machine with smart start shows phase `ready`, `finish_by` and `program_s` (protocol
1.1). Its draw over the program is not on the wire, so the program is costed as if it drew
evenly: its energy times the window's mean import price, which ranks windows the same
whatever the energy. One command per load: `start_at` for a later start, `ON` when the
best start is now (a `start_at` of now would be in the past by the time it arrives). A
machine left alone starts itself at the latest time, so a load with no priced window gets
no command at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from hub.core.actions import Action
from hub.core.rules import reasons
from hub.core.rules.observation import DeviceView
from hub.core.rules.settings import RulesSettings
from hub.core.rules.windows import cheapest_start
from protocol import PriceSlot

ROUNDING_S = 1.0
"""Room for the state's rounding of `finish_by` and `program_s`, so the device never finds
the chosen start a hair too late."""


class ProgramRule:
    def __init__(self, settings: RulesSettings):
        self.settings = settings
        self._commanded: dict[str, float] = {}
        """The `finish_by` of the load each machine was last commanded for."""

    def decide(self, machine: DeviceView, t: float, prices: Sequence[PriceSlot]) -> Action | None:
        state, device_id = machine.state, machine.device_id
        finish_by, program_s = state.finish_by, state.program_s
        if state.phase != "ready" or finish_by is None or not program_s:
            self._commanded.pop(device_id, None)  # running, done or unloaded: the next load
            return None
        if self._commanded.get(device_id) == finish_by:
            return None
        best = cheapest_start(prices, t, finish_by - program_s - ROUNDING_S, program_s)
        if best is None:
            return None
        start, mean = best
        self._commanded[device_id] = finish_by
        why = (
            f"cheapest {reasons.duration(program_s)} before "
            f"{reasons.clock(finish_by, self.settings.zone)} ({reasons.price(mean)})"
        )
        if start < t + self.settings.program_lead_s:
            return Action(device=device_id, at=t, command={"on": True}, why=why)
        return Action(device=device_id, at=t, command={"start_at": math.ceil(start)}, why=why)

    def forget(self, keep: set[str]) -> None:
        for device_id in [d for d in self._commanded if d not in keep]:
            del self._commanded[device_id]
