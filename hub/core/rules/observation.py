"""What the rules see at one instant: the grid meter, the prices ahead and each device.

The manager feature builds one from the hub's summary, its price series and the
registry's online devices; the simulator builds the same from its models. Devices are
seen through the contract's own `Meta` and `State`, so the rules know a battery, a car,
a program or a boost by what the contract says of them, not by kind names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from protocol import STORAGE, Meta, PriceSlot, State


@dataclass(frozen=True)
class DeviceView:
    """One online device: its self-description and latest reading."""

    meta: Meta
    state: State

    @property
    def device_id(self) -> str:
        return self.meta.id

    @property
    def is_storage(self) -> bool:
        return self.meta.role == STORAGE

    @property
    def is_ev_charger(self) -> bool:
        """An EV charger's state says whether a car is plugged in (protocol 1.1)."""
        return self.state.plugged is not None

    @property
    def is_deferrable(self) -> bool:
        return bool(self.meta.deferrable)

    @property
    def can_boost(self) -> bool:
        return "boost" in (self.meta.flexible or ())

    @property
    def boosting(self) -> bool:
        return self.state.phase == "boost"


@dataclass(frozen=True)
class Observation:
    """The home at sim time `t`: `net_w` is the summary's `power_w` (negative exporting),
    `prices` the slots ahead in time order, `devices` the online ones."""

    t: float
    net_w: float
    prices: Sequence[PriceSlot]
    devices: Sequence[DeviceView]

    def __post_init__(self) -> None:
        if not (math.isfinite(self.t) and math.isfinite(self.net_w)):
            raise ValueError(f"t and net_w must be finite, got t={self.t!r}, net_w={self.net_w!r}")
        for before, after in zip(self.prices, self.prices[1:], strict=False):
            if after.start < before.end:
                raise ValueError(
                    f"price slots must be in order without overlap: {after.start!r} starts "
                    f"before {before.end!r}"
                )
        ids = [device.device_id for device in self.devices]
        if len(set(ids)) != len(ids):
            raise ValueError(f"a device appears twice: {sorted(ids)}")
