"""What the energy manager decides: one command to one device at one time, with its reason.

Both strategies (the rules and the planner) speak in these, so the manager
feature, the plan topic and the simulator need to know only one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Action:
    """`command` is a device command payload of the contract (protocol.md), due at `at`."""

    device: str
    at: float
    command: dict[str, Any] = field(hash=False)
    why: str

    def to_payload(self) -> dict[str, Any]:
        """The `actions[]` entry of `home/hub/plan`."""
        return {
            "device": self.device,
            "at": self.at,
            "command": dict(self.command),
            "why": self.why,
        }
