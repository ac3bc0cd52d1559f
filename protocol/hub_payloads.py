"""What the hub publishes: ``summary``, ``alerts`` events and the simulation ``clock``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from protocol.errors import ProtocolError
from protocol.fields import (
    require_choice,
    require_int,
    require_number,
    require_optional_number,
    require_str,
)
from protocol.ids import validate_device_id
from protocol.json_payload import JsonPayload, Rule

CURRENCY_PATTERN = r"^[A-Z]{3}$"
ALERT_LEVELS = ("info", "warning", "critical")
ALERT_STATES = ("raised", "cleared", "acknowledged")
MAX_CLOCK_SPEED = 100000.0


def _optional_device_id(value: object, path: str) -> str | None:
    if value is None:
        return None
    try:
        return validate_device_id(value)
    except ProtocolError as exc:
        raise ProtocolError(f"{path} must be null or a device id: {exc}") from None


_ENERGY = partial(require_optional_number, ge=0)

BALANCE_TOLERANCE_W = 0.05
"""Rounding slack when checking that a summary's flows add up (each is rounded to 0.01 W)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary(JsonPayload):
    """The whole home at one moment (``<root>/hub/summary``, about once a second).

    ``power_w`` is net at the grid meter: ``load_w - generation_w - discharge``,
    negative while the home exports (``battery_w`` is storage netted: positive
    while charging, which ``load_w`` includes; its negative is the discharge);
    ``import_w`` and ``export_w`` are its two non-negative halves. Cost and
    tariff may be negative (export credit, negative-price tariffs). The fields
    after ``devices_total`` came with contract 1.1 (a 1.0 hub leaves them out;
    they parse as None); the ``*_total_wh`` ones are lifetime meters that never
    decrease.
    """

    ts: float
    power_w: float
    import_w: float
    export_w: float
    energy_today_wh: float
    cost_today: float
    currency: str
    tariff_rate: float
    devices_online: int
    devices_total: int
    load_w: float | None = None
    generation_w: float | None = None
    battery_w: float | None = None
    battery_soc_pct: float | None = None
    import_today_wh: float | None = None
    export_today_wh: float | None = None
    generation_today_wh: float | None = None
    self_consumed_today_wh: float | None = None
    import_total_wh: float | None = None
    export_total_wh: float | None = None
    generation_total_wh: float | None = None
    battery_in_total_wh: float | None = None
    battery_out_total_wh: float | None = None

    WHAT: ClassVar[str] = "summary"
    RULES: ClassVar[dict[str, Rule]] = {
        "ts": partial(require_number, gt=0),
        "power_w": require_number,
        "import_w": partial(require_number, ge=0),
        "export_w": partial(require_number, ge=0),
        "energy_today_wh": partial(require_number, ge=0),
        "cost_today": require_number,
        "currency": partial(require_str, pattern=CURRENCY_PATTERN),
        "tariff_rate": require_number,
        "devices_online": partial(require_int, ge=0),
        "devices_total": partial(require_int, ge=0),
        "load_w": partial(require_optional_number, ge=0),
        "generation_w": partial(require_optional_number, ge=0),
        "battery_w": require_optional_number,
        "battery_soc_pct": partial(require_optional_number, ge=0, le=100),
        "import_today_wh": _ENERGY,
        "export_today_wh": _ENERGY,
        "generation_today_wh": _ENERGY,
        "self_consumed_today_wh": _ENERGY,
        "import_total_wh": _ENERGY,
        "export_total_wh": _ENERGY,
        "generation_total_wh": _ENERGY,
        "battery_in_total_wh": _ENERGY,
        "battery_out_total_wh": _ENERGY,
    }
    ADDED: ClassVar[frozenset[str]] = frozenset(list(RULES)[list(RULES).index("load_w") :])

    def _check_together(self) -> None:
        if self.devices_total < self.devices_online:
            raise ProtocolError(
                f"summary.devices_total ({self.devices_total}) must be at least "
                f"devices_online ({self.devices_online})"
            )
        halves = self.import_w - self.export_w
        if abs(halves - self.power_w) > BALANCE_TOLERANCE_W or min(self.import_w, self.export_w):
            raise ProtocolError(
                f"summary.import_w ({self.import_w}) and export_w ({self.export_w}) must be "
                f"the two halves of power_w ({self.power_w})"
            )
        if self.load_w is not None and self.generation_w is not None:
            discharge = max(0.0, -(self.battery_w or 0.0))
            net = self.load_w - self.generation_w - discharge
            if abs(net - self.power_w) > BALANCE_TOLERANCE_W:
                raise ProtocolError(
                    f"summary.power_w ({self.power_w}) must be load_w - generation_w - "
                    f"discharge ({net:.2f})"
                )


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert(JsonPayload):
    """One alert event (``<root>/hub/alerts``): a raise, clear or acknowledgement.

    ``id`` is shared by all events of one alert, so a reader can pair a clear
    with its raise. ``device`` is null for whole-home rules.
    """

    id: str
    ts: float
    rule: str
    device: str | None = None
    level: str
    state: str
    value: float | None = None
    threshold: float | None = None
    message: str

    WHAT: ClassVar[str] = "alert"
    RULES: ClassVar[dict[str, Rule]] = {
        "id": partial(require_str, min_len=1, max_len=200),
        "ts": partial(require_number, gt=0),
        "rule": partial(require_str, min_len=1, max_len=200),
        "device": _optional_device_id,
        "level": partial(require_choice, choices=ALERT_LEVELS),
        "state": partial(require_choice, choices=ALERT_STATES),
        "value": require_optional_number,
        "threshold": require_optional_number,
        "message": partial(require_str, max_len=500),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Clock(JsonPayload):
    """The simulation clock (``<root>/hub/clock``, retained).

    Simulation time runs `speed` times faster than real time and equals
    `sim_epoch` at the real instant `real_epoch`.
    """

    sim_epoch: float
    real_epoch: float
    speed: float

    WHAT: ClassVar[str] = "clock"
    RULES: ClassVar[dict[str, Rule]] = {
        "sim_epoch": partial(require_number, gt=0),
        "real_epoch": partial(require_number, gt=0),
        "speed": partial(require_number, gt=0, le=MAX_CLOCK_SPEED),
    }

    def sim_time(self, real_now: float) -> float:
        """Simulation time (Unix seconds) at the real Unix time `real_now`."""
        return self.sim_epoch + (real_now - self.real_epoch) * self.speed
