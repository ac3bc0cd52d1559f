"""The ledger's figures as rows: a device's minute, the home's minute, sums over a span, and
the home's lifetime meters. The log writes and reads these same types, so a figure has one
shape from the core to the disk and back.

Within a minute solar serves the home first (its appliances and the battery's
charging), the battery what solar leaves, and only the rest is exported: so the
solar used at home is min(production, consumption) each minute, summed
(`self_consumed_wh`). Production less export would count a battery's forced
discharge into the grid as solar that was not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Flow = Literal["load", "generation", "charge", "discharge"]
"""How a device's energy enters the home's balance: a consumer's draw, a producer's
generation, a storage device's charging (load too) or its discharge (a source)."""


@dataclass(frozen=True, slots=True)
class DeviceMinute:
    """One device's energy, cost and highest power in one minute: also a row of the log,
    which reads it back as it was written (`minute` is the start of the minute)."""

    minute: int
    device: str
    energy_wh: float
    cost: float
    power_max_w: float

    @property
    def power_avg_w(self) -> float:
        """Derived, never stored apart: the log writes it as a column for its charts."""
        return self.energy_wh * 60.0


@dataclass(frozen=True, slots=True)
class HomeMinute:
    """The whole home in one minute, net of producers: also a row of the log."""

    minute: int
    consumption_wh: float
    production_wh: float
    import_wh: float
    export_wh: float
    cost: float
    carbon_g: float
    battery_in_wh: float = 0.0
    """Storage charging: a part of `consumption_wh`."""
    battery_out_wh: float = 0.0
    """Storage discharging: a source beside `production_wh`."""

    @property
    def self_consumed_wh(self) -> float:
        """Solar used at home (by appliances or to charge the battery): solar goes first."""
        return min(self.production_wh, self.consumption_wh)


@dataclass
class HomeTotals:
    """The whole home's energy flows, cost and carbon over some span (the log sums them too)."""

    consumption_wh: float = 0.0
    production_wh: float = 0.0
    import_wh: float = 0.0
    export_wh: float = 0.0
    cost: float = 0.0
    carbon_g: float = 0.0
    battery_in_wh: float = 0.0
    battery_out_wh: float = 0.0
    self_consumed_wh: float = 0.0
    """Summed minute by minute (`HomeMinute.self_consumed_wh`): not derivable from the sums."""

    @property
    def battery_used_wh(self) -> float:
        """What storage delivered to the home's appliances, not to the grid: minute by minute
        min(battery_out, consumption - self_consumed), which sums to this because a minute
        never both imports and exports."""
        used = self.battery_out_wh - self.export_wh + self.production_wh - self.self_consumed_wh
        return max(0.0, used)


@dataclass
class Totals(HomeTotals):
    """Sums over a day or a month (energy cost only: the standing charge is separate)."""

    device_wh: dict[str, float] = field(default_factory=dict)
    device_cost: dict[str, float] = field(default_factory=dict)

    def add_home(self, minute: HomeMinute) -> None:
        self.consumption_wh += minute.consumption_wh
        self.production_wh += minute.production_wh
        self.import_wh += minute.import_wh
        self.export_wh += minute.export_wh
        self.cost += minute.cost
        self.carbon_g += minute.carbon_g
        self.battery_in_wh += minute.battery_in_wh
        self.battery_out_wh += minute.battery_out_wh
        self.self_consumed_wh += minute.self_consumed_wh

    def add_device(self, device: str, energy_wh: float, cost: float) -> None:
        self.device_wh[device] = self.device_wh.get(device, 0.0) + energy_wh
        self.device_cost[device] = self.device_cost.get(device, 0.0) + cost

    def merged(self, other: Totals) -> Totals:
        names = HomeTotals.__dataclass_fields__
        result = Totals(*(getattr(self, name) + getattr(other, name) for name in names))
        for part in (self, other):
            for device, energy in part.device_wh.items():
                result.add_device(device, energy, part.device_cost.get(device, 0.0))
        return result


@dataclass
class HomeMeters:
    """The home's lifetime meters at its grid connection and its generation.

    Home Assistant's `total_increasing` sensors: they only grow, and a restarted
    hub carries them on from its log (pruning old minutes does not shrink them).
    Netting within a minute can take back a little import or export as the
    minute fills (production arriving after consumption), so the ledger shows
    each meter's highest value so far: it resumes counting once the flow has
    caught up, and never steps back (a step back reads as a meter reset).
    """

    import_wh: float = 0.0
    export_wh: float = 0.0
    generation_wh: float = 0.0
    battery_in_wh: float = 0.0
    battery_out_wh: float = 0.0

    def copy(self) -> HomeMeters:
        return replace(self)

    def at_least(self, flows: HomeMeters) -> None:
        """Raise each meter to `flows` where the flow has got ahead of it."""
        self.import_wh = max(self.import_wh, flows.import_wh)
        self.export_wh = max(self.export_wh, flows.export_wh)
        self.generation_wh = max(self.generation_wh, flows.generation_wh)
        self.battery_in_wh = max(self.battery_in_wh, flows.battery_in_wh)
        self.battery_out_wh = max(self.battery_out_wh, flows.battery_out_wh)
