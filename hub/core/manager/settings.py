"""The energy manager's knobs, checked when made: a bad value is refused with its name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

STRATEGIES = ("off", "rules", "plan")
"""What the live hub can run; the simulator adds `oracle` (home/sim_oracle.py)."""
MANAGER_ACTOR = "manager"
"""Whose commands the manager's are, in the audit log and for the people's holds."""


@dataclass(frozen=True)
class ManagerSettings:
    strategy: str = "off"
    replan_s: float = 900.0
    """The plan is made again this often (and whenever a device's needs or the prices change)."""
    horizon_h: float = 36.0
    slot_s: float = 1800.0
    """The plan's grain: price slots longer than this (a fixed tariff's periods) are cut."""
    co2_weight: float = 0.0
    """Money per g of CO2 imported, added to the plan's cost (0: money only)."""
    program_duty: float = 0.3
    """A program's mean draw as a share of its rated power, until one of its runs is seen
    (a 2.2 kW washer's 2 h cycle uses ~1.3 kWh: appliances.md)."""
    car_capacity_wh: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Each car's battery by charger id (the contract's meta does not carry it)."""
    default_car_capacity_wh: float = 60000.0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy {self.strategy!r}: expected one of {', '.join(STRATEGIES)}")
        for name in ("replan_s", "horizon_h", "slot_s", "default_car_capacity_wh"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        if not self.co2_weight >= 0:
            raise ValueError(f"co2_weight must be >= 0, got {self.co2_weight!r}")
        if not 0 < self.program_duty <= 1:
            raise ValueError(f"program_duty must be in (0, 1], got {self.program_duty!r}")
