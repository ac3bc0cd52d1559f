"""The rules' knobs, with evcc's defaults where evcc has one.

Checked when made, so a bad value is refused with its name before any rule runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.core.rules.surplus_switch import DISABLE_DELAY_S, ENABLE_DELAY_S
from hub.core.settings import DEFAULT_TIMEZONE

EV_SURPLUS_MODES = ("pv", "minpv")


@dataclass(frozen=True)
class RulesSettings:
    enable_delay_s: float = ENABLE_DELAY_S
    """How long a surplus must last before a boost starts (evcc's `enable.delay`)."""
    disable_delay_s: float = DISABLE_DELAY_S
    """How long a surplus must be gone before a boost stops (evcc's `disable.delay`)."""
    boost_keep_share: float = 0.5
    """A boost started on surplus keeps running while the surplus covers this share of
    its draw: the band in watts an on/off load needs beside the delays."""
    boost_cheapest_h: float = 2.0
    """Boost in the slot that is among the cheapest this many hours of the day ahead (and
    below its median price); 0 boosts on surplus only."""
    boost_horizon_h: float = 24.0
    ev_surplus_mode: str = "pv"
    """The car's mode outside its cheap slots: `pv` (surplus only) or `minpv`."""
    ev_capacity_wh: float = 60000.0
    """The car's battery when the charger's meta does not say (`capacity_wh`)."""
    ev_charge_efficiency: float = 0.9
    """What reaches the car's battery of the energy drawn."""
    ev_plan_margin: float = 0.1
    """Extra charging time planned beyond the need at full power (the car tapers when
    nearly full)."""
    piece_s: float = 1800.0
    """The grid the car's cheap time is chosen on, within each price slot."""
    program_lead_s: float = 60.0
    """A program's best start closer than this is started at once (a start_at in the past
    by the time it arrives would be refused)."""
    battery_cycle_cost: float = 0.03
    """Money per kWh a battery delivers, for its wear: grid charging must beat it."""
    import_limit_w: float = math.inf
    """The import a battery charging from the grid leaves the home under (the manager's
    planning limit: the fuse less a kettle), so the shedder need not cut the car off."""
    zone: ZoneInfo = DEFAULT_TIMEZONE
    """Where the clock times in the reasons are reckoned."""

    def __post_init__(self) -> None:
        positive = ("piece_s", "boost_horizon_h", "ev_capacity_wh", "import_limit_w")
        non_negative = ("enable_delay_s", "disable_delay_s", "boost_cheapest_h")
        non_negative += ("ev_plan_margin", "program_lead_s")
        for name in positive:
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        for name in non_negative:
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        for name in ("boost_keep_share", "ev_charge_efficiency"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)!r}")
        if self.ev_surplus_mode not in EV_SURPLUS_MODES:
            raise ValueError(
                f"ev_surplus_mode {self.ev_surplus_mode!r}: expected one of "
                f"{', '.join(EV_SURPLUS_MODES)}"
            )
