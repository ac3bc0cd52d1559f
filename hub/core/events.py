"""What the core tells the adapters: typed events, one-way, in the order they happened."""

from __future__ import annotations

from dataclasses import dataclass

from hub.core.energy_rows import DeviceMinute, HomeMeters, HomeMinute
from protocol import Alert, Command, CommandResult, State, Summary


@dataclass(frozen=True)
class DeviceChanged:
    """A device was discovered, forgotten, or changed its meta or status."""

    device_id: str
    change: str  # "discovered" | "meta" | "status" | "forgotten"


@dataclass(frozen=True)
class ReadingTaken:
    device_id: str
    state: State
    t: float
    """Simulation time the hub received it (the time it is accounted at)."""


@dataclass(frozen=True)
class SummaryComputed:
    summary: Summary
    carbon_today_g: float
    device_power_w: dict[str, float]
    """The live power (>= 0) of each device that the summary's flows add up from."""


@dataclass(frozen=True)
class AlertChanged:
    alert: Alert


@dataclass(frozen=True)
class CommandIssued:
    """Publish `command` to the device's `set` topic on behalf of `actor`."""

    device_id: str
    command: Command
    actor: str
    token: int = 0
    """Ties the device's reply to whoever asked (0: nobody waits for it)."""


@dataclass(frozen=True)
class CommandAnswered:
    device_id: str
    result: CommandResult


@dataclass(frozen=True, slots=True)
class CounterPosition:
    """The last cumulative counter of a device that the figures were computed up to: the
    log keeps it (when there is one) and a restarted hub resumes from it."""

    device_id: str
    t: float
    energy_wh: float | None
    seq: int


@dataclass(frozen=True)
class LedgerChanged:
    """Minutes whose figures changed, the counters they were computed up to, and the
    home's lifetime meters after them.

    Written to the log together, so a restarted hub resumes each counter exactly
    where the figures it restores stop.
    """

    devices: list[DeviceMinute]
    homes: list[HomeMinute]
    counters: list[CounterPosition]
    meters: HomeMeters


@dataclass(frozen=True)
class SettingChanged:
    key: str
    value: object


Event = (
    DeviceChanged
    | ReadingTaken
    | SummaryComputed
    | AlertChanged
    | CommandIssued
    | CommandAnswered
    | LedgerChanged
    | SettingChanged
)
