"""What the hub publishes: ``summary``, ``alerts`` events, the simulation ``clock`` and
``prices``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Self

from protocol.errors import ProtocolError
from protocol.fields import (
    pick,
    preview,
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


MAX_PRICE_SLOTS = 1000
"""A day of 5-minute slots is 288; the cap keeps a payload under `MAX_PAYLOAD_BYTES`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceSlot(JsonPayload):
    """One slot of the price series: [start, end) in simulation time (Unix seconds).

    On the wire the prices are ``import`` and ``export`` (money per kWh, either
    may be negative: agile-style tariffs pay for use on windy nights); Python
    spells them ``import_price`` and ``export_price``. ``co2_g_per_kwh`` is the
    grid's carbon intensity over the slot.
    """

    start: float
    end: float
    import_price: float
    export_price: float
    co2_g_per_kwh: float

    WHAT: ClassVar[str] = "price slot"
    RULES: ClassVar[dict[str, Rule]] = {
        "start": partial(require_number, ge=0),
        "end": partial(require_number, gt=0),
        "import_price": require_number,
        "export_price": require_number,
        "co2_g_per_kwh": partial(require_number, ge=0),
    }
    # errors name the fields as the wire spells them too: "price slot.import must be ..."
    WIRE: ClassVar[dict[str, str]] = {"import_price": "import", "export_price": "export"}

    def _check_together(self) -> None:
        if not self.end > self.start:
            raise ProtocolError(
                f"price slot.end ({self.end}) must be after its start ({self.start})"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        names = [cls.WIRE.get(name, name) for name in cls.RULES]
        values = pick(data, cls.WHAT, names)
        return cls(**{name: values[cls.WIRE.get(name, name)] for name in cls.RULES})

    def to_dict(self) -> dict[str, Any]:
        return {self.WIRE.get(name, name): getattr(self, name) for name in self.RULES}


def _price_slots(value: object, path: str) -> tuple[PriceSlot, ...]:
    if not isinstance(value, list | tuple) or not 1 <= len(value) <= MAX_PRICE_SLOTS:
        raise ProtocolError(
            f"{path} must be an array of 1 to {MAX_PRICE_SLOTS} slots, got {preview(value)}"
        )
    slots = []
    for index, item in enumerate(value):
        try:
            slots.append(item if isinstance(item, PriceSlot) else PriceSlot.from_dict(item))
        except ProtocolError as exc:
            raise ProtocolError(f"{path}[{index}]: {exc}") from None
    for index in range(1, len(slots)):
        if slots[index].start != slots[index - 1].end:
            raise ProtocolError(
                f"{path}[{index}].start ({slots[index].start}) must be the end of the slot "
                f"before it ({slots[index - 1].end}): slots are sorted and leave no gap"
            )
    return tuple(slots)


@dataclass(frozen=True, slots=True, kw_only=True)
class Prices(JsonPayload):
    """The price series ahead (``<root>/hub/prices``, retained): contiguous slots from the
    one in force now, covering at least the next 24 h, in the home's `currency`."""

    currency: str
    slots: tuple[PriceSlot, ...]

    WHAT: ClassVar[str] = "prices"
    RULES: ClassVar[dict[str, Rule]] = {
        "currency": partial(require_str, pattern=CURRENCY_PATTERN),
        "slots": _price_slots,
    }

    def to_dict(self) -> dict[str, Any]:
        return {"currency": self.currency, "slots": [slot.to_dict() for slot in self.slots]}
