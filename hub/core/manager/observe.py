"""What the manager sees of the home, read off the hub's core: the same `Observation` the
rules take, so every strategy decides from what the hub itself knows (the devices' own
meta and latest state, the summary's net power, the price series ahead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hub.core.rules.observation import DeviceView, Observation

if TYPE_CHECKING:  # the core builds the manager; the manager only reads the core
    from hub.core.hub_core import HubCore, Now

ONLINE = "online"


def observe(core: HubCore, now: Now, horizon_s: float) -> Observation:
    """The home at `now.sim`: online devices that have described themselves and reported,
    and the price slots overlapping the next `horizon_s`. An offline device is absent, so
    it is planned around until it is back; so is a device the shedder switched off
    (the fuse wins) until it is restored."""
    shed = set(core.shedder.shed_devices())
    devices = [
        DeviceView(record.meta, record.state)
        for record in core.registry.devices.values()
        if record.status == ONLINE
        and record.meta is not None
        and record.state is not None
        and record.device_id not in shed
    ]
    net_w = core.summary(now).summary.power_w
    prices = core.prices.slots(now.sim, now.sim + horizon_s)
    return Observation(now.sim, net_w, prices, devices)
