"""What the rules asked of each device and have not yet seen done.

A rule says every tick what it wants; a command goes out only when the device shows
something else and the same was not already asked. Once the device shows it, the
request is done, so a later change on the device (a refused command is not retried;
a person's command is held off by the manager feature) is answered once more.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


class SentCommands:
    def __init__(self) -> None:
        self._pending: dict[tuple[str, str], Any] = {}

    def due(self, device_id: str, key: str, wanted: Any, shown: Any) -> bool:
        """Whether `{key: wanted}` should be sent now to a device showing `shown`; if so it
        counts as sent."""
        slot = (device_id, key)
        if shown == wanted:
            self._pending.pop(slot, None)
            return False
        if slot in self._pending and self._pending[slot] == wanted:
            return False
        self._pending[slot] = wanted
        return True

    def forget(self, keep: Collection[str]) -> None:
        """Drop what was asked of devices no longer seen (offline or gone)."""
        for slot in [slot for slot in self._pending if slot[0] not in keep]:
            del self._pending[slot]
