"""Load shedding: keep the home's import under a limit by switching devices off, then back on.

When import stays above ``limit_w`` for ``for_s`` seconds, the shedder switches
off just enough running devices to get under the limit, least important first
(priority 5 down to 2; priority 1 is essential and never shed). It then waits
``for_s`` again before shedding more, because the devices' new states take time
to arrive. Once import stays below ``restore_below_w`` for ``for_s``, it switches
them back on one at a time, last shed first, again waiting ``for_s`` between.

Hands off: a device a person switched meanwhile (the core calls
`LoadShedder.person_switched`, or the device is seen on again after it was seen
off) is never restored; it is the person's now. The shedder only decides; the
core sends the commands and reports every `ShedAction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hub.core.settings import SheddingConfig
from hub.core.thresholds import ConditionTimer, format_power

SHED = "shed"
RESTORE = "restore"
ESSENTIAL_PRIORITY = 1


@dataclass(frozen=True)
class DeviceLoad:
    """One device as the shedder needs to see it."""

    device_id: str
    priority: int
    on: bool
    power_w: float
    online: bool


@dataclass(frozen=True)
class ShedAction:
    """Switch `device_id` off (``shed``) or back on (``restore``); `reason` is for people."""

    device_id: str
    action: Literal["shed", "restore"]
    reason: str


@dataclass
class _Shed:
    device_id: str
    power_w: float  # what it drew when shed: the import it would add back
    seen_off: bool = False


class LoadShedder:
    """Decides which devices to shed and restore, from the import and the devices' states."""

    def __init__(self, config: SheddingConfig) -> None:
        self._config = config
        self._shed: list[_Shed] = []  # in the order shed; restored from the end
        self._above = ConditionTimer()
        self._below = ConditionTimer()

    @property
    def config(self) -> SheddingConfig:
        return self._config

    def replace_config(self, config: SheddingConfig) -> None:
        """Apply a run-time edit. Disabling restores every shed device at the next `evaluate`."""
        self._config = config

    def person_switched(self, device_id: str) -> None:
        """A person commanded `device_id`: never restore it (hands off)."""
        self._shed = [shed for shed in self._shed if shed.device_id != device_id]

    def shed_devices(self) -> list[str]:
        """Devices shed and awaiting restore, in the order they were shed."""
        return [shed.device_id for shed in self._shed]

    def evaluate(
        self, now: float, import_w: float, devices: Sequence[DeviceLoad]
    ) -> list[ShedAction]:
        """Advance to `now` with the home's import and its devices; return what to switch."""
        by_id = {device.device_id: device for device in devices}
        self._notice_hands_on(by_id)
        config = self._config
        if not config.enabled:
            self._above.restart()
            self._below.restart()
            # Non-empty only just after shedding was disabled: give everything back.
            return self._restore_every(by_id)
        # Both timers see every instant, so neither carries a stale start.
        above = self._above.held(now, import_w > config.limit_w, config.for_s)
        below = self._below.held(now, import_w < config.restore_below_w, config.for_s)
        if above:
            self._above.restart(now)
            return self._shed_enough(import_w, devices)
        if below and self._shed:
            self._below.restart(now)
            return self._restore_one(import_w, by_id)
        return []

    def _notice_hands_on(self, by_id: dict[str, DeviceLoad]) -> None:
        """Drop shed devices seen on again after they were seen off: someone switched them."""
        kept = []
        for shed in self._shed:
            device = by_id.get(shed.device_id)
            if device is not None and device.online:
                if device.on and shed.seen_off:
                    continue
                shed.seen_off = shed.seen_off or not device.on
            kept.append(shed)
        self._shed = kept

    def _shed_enough(self, import_w: float, devices: Sequence[DeviceLoad]) -> list[ShedAction]:
        """Shed the fewest devices, in shedding order, that bring the estimated import under."""
        already = set(self.shed_devices())
        candidates = sorted(
            (
                device
                for device in devices
                if device.online
                and device.on
                and device.power_w > 0
                and device.priority > ESSENTIAL_PRIORITY
                and device.device_id not in already
            ),
            key=lambda device: (-device.priority, -device.power_w, device.device_id),
        )
        limit = self._config.limit_w
        actions = []
        estimate = import_w
        for device in candidates:
            if estimate <= limit:
                break
            reason = (
                f"Home imports {format_power(import_w)}, above the {format_power(limit)} limit "
                f"for {self._config.for_s:g} s: switching off {device.device_id} "
                f"(priority {device.priority}, {format_power(device.power_w)})"
            )
            actions.append(ShedAction(device.device_id, SHED, reason))
            self._shed.append(_Shed(device.device_id, device.power_w))
            estimate -= device.power_w
        return actions

    def _restore_one(self, import_w: float, by_id: dict[str, DeviceLoad]) -> list[ShedAction]:
        """Restore the last device shed that is still online, unless it would overload again.

        Offline devices are dropped from the list on the way. The device waits
        (and so does every device shed before it) while the import plus what it
        drew when shed would exceed the limit: restoring it would only shed it
        again, and a charger or heater switched on and off every few seconds
        helps nobody.
        """
        config = self._config
        while self._shed:
            shed = self._shed[-1]
            device = by_id.get(shed.device_id)
            if device is None or not device.online:
                self._shed.pop()
                continue
            if import_w + shed.power_w > config.limit_w:
                return []
            self._shed.pop()
            reason = (
                f"Home imports {format_power(import_w)}, below "
                f"{format_power(config.restore_below_w)} for {config.for_s:g} s: "
                f"switching {shed.device_id} back on"
            )
            return [ShedAction(shed.device_id, RESTORE, reason)]
        return []

    def _restore_every(self, by_id: dict[str, DeviceLoad]) -> list[ShedAction]:
        """Load shedding was switched off: give every online shed device back at once."""
        actions = [
            ShedAction(
                shed.device_id,
                RESTORE,
                f"Load shedding was disabled: switching {shed.device_id} back on",
            )
            for shed in reversed(self._shed)
            if (device := by_id.get(shed.device_id)) is not None and device.online
        ]
        self._shed = []
        return actions
