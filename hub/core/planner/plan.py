"""The planner's answer: what each slot is expected to look like, and what to command.

`Plan.to_payload` is the `home/hub/plan` contract (protocol.md, 1.1): `made`,
`strategy`, `horizon_end`, `slots[]`, `actions[]`, `expected_cost`,
`baseline_cost`. A slot's `load_w` is what the home draws besides the battery
(base load, cars, programs, boosts) and `battery_w` is the battery's own flow,
positive charging; so every slot balances as
`import_w - export_w = load_w + battery_w - generation_w`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.core.actions import Action

MONEY_DIGITS = 4
POWER_DIGITS = 1


@dataclass(frozen=True)
class SlotPlan:
    start: float
    end: float
    load_w: float
    generation_w: float
    battery_w: float
    """+ charging, - discharging (0 without a battery)."""
    soc_pct: float | None
    """The battery's state of charge at the slot's end; None without a battery."""
    import_w: float
    export_w: float
    cost: float
    """Money for the slot's import less what its export earns."""

    def to_payload(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "load_w": round(self.load_w, POWER_DIGITS),
            "generation_w": round(self.generation_w, POWER_DIGITS),
            "battery_w": round(self.battery_w, POWER_DIGITS),
            "soc_pct": None if self.soc_pct is None else round(self.soc_pct, 1),
            "import_w": round(self.import_w, POWER_DIGITS),
            "export_w": round(self.export_w, POWER_DIGITS),
            "cost": round(self.cost, MONEY_DIGITS),
        }


@dataclass(frozen=True)
class EnergyPlan:
    """A car's or a boost's draw per slot (average W), and what it still lacks at the end."""

    device: str
    slot_w: tuple[float, ...]
    slot_wh: tuple[float, ...]
    shortfall_wh: float
    """For a car, Wh its battery lacks at departure; for a boost, Wh not worth drawing."""


@dataclass(frozen=True)
class ProgramPlan:
    device: str
    start: float
    end: float
    late: bool
    """True when no start finishes by `finish_by` (or within the horizon): it runs at once."""


@dataclass(frozen=True)
class Plan:
    made: float
    horizon_end: float
    slots: tuple[SlotPlan, ...]
    cars: tuple[EnergyPlan, ...]
    boosts: tuple[EnergyPlan, ...]
    programs: tuple[ProgramPlan, ...]
    actions: tuple[Action, ...]
    expected_cost: float
    """The slots' cost summed, less what the heat the boosts store saves later (doing
    nothing, the store buys that heat itself, inside the base load forecast)."""
    baseline_cost: float
    """The cost of doing nothing (hub/core/planner/baseline.py) on the same forecasts."""
    over_limit_wh: float
    """Import beyond the fuse limit the plan could not avoid (0 when it keeps under)."""
    solve_ms: float
    optimal: bool

    def to_payload(self, strategy: str = "plan") -> dict[str, Any]:
        """The `home/hub/plan` payload; `strategy` is the manager's (`plan`, `oracle`)."""
        return {
            "made": self.made,
            "strategy": strategy,
            "horizon_end": self.horizon_end,
            "slots": [slot.to_payload() for slot in self.slots],
            "actions": [action.to_payload() for action in self.actions],
            "expected_cost": round(self.expected_cost, MONEY_DIGITS),
            "baseline_cost": round(self.baseline_cost, MONEY_DIGITS),
        }
