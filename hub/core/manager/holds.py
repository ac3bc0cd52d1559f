"""People stay in charge: a person's command to a device holds the manager off it.

As shedding does, the manager then leaves the device alone until its next need: a car
until it is next plugged in, a machine until it is next loaded (phase `ready` again), a
battery or a heat store until the next local day. Pure: driven by the observations and
commands it is told of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hub.core.rules.observation import DeviceView


@dataclass
class _Hold:
    day: date
    plugged: bool | None
    ready: bool


class Holds:
    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self._holds: dict[str, _Hold] = {}
        self._seen: dict[str, DeviceView] = {}

    def person_commanded(self, device_id: str, t: float) -> None:
        """A person (not the manager, not shedding) sent `device_id` a command at `t`."""
        seen = self._seen.get(device_id)
        state = seen.state if seen is not None else None
        self._holds[device_id] = _Hold(
            self._day(t),
            None if state is None else bool(state.plugged),
            state is not None and state.phase == "ready",
        )

    def held(self) -> frozenset[str]:
        return frozenset(self._holds)

    def release_due(self, devices: list[DeviceView], t: float) -> list[DeviceView]:
        """The devices the manager may drive at `t`: a hold ends at the device's next need."""
        free = []
        for device in devices:
            self._seen[device.device_id] = device
            hold = self._holds.get(device.device_id)
            if hold is not None and self._needs_again(device, hold, t):
                del self._holds[device.device_id]
                hold = None
            if hold is None:
                free.append(device)
        return free

    def _needs_again(self, device: DeviceView, hold: _Hold, t: float) -> bool:
        state = device.state
        if device.is_ev_charger:
            if not state.plugged:
                hold.plugged = False  # it drove off: the next plug-in is the next need
                return False
            return hold.plugged is False
        if device.is_deferrable:
            if state.phase != "ready":
                hold.ready = False  # it ran or was unloaded: the next loading is the next need
                return False
            return not hold.ready
        return self._day(t) != hold.day

    def _day(self, t: float) -> date:
        return datetime.fromtimestamp(t, self.zone).date()
