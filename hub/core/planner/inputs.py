"""What the planner is told: the horizon's prices and forecasts, and what each device can do.

Every input is a frozen dataclass checked when made, so a bad figure (a
negative capacity, a target above 100 %, forecasts that do not match the
slots) fails with a message naming it before any programme is built. Powers
are W, energies Wh, state of charge %, times simulation seconds; a slot's
prices are money per kWh (`protocol.PriceSlot`, as `home/hub/prices` sends).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo

from protocol import PriceSlot

DEFAULT_SHORTFALL_PENALTY = 10.0
"""Money per kWh a car or boost falls short of its target: far above any price, so the
target is met whenever it can be, yet an impossible one still gets a plan."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_soc(value: float, name: str) -> None:
    _check(0.0 <= value <= 100.0, f"{name} must be 0..100 %, got {value!r}")


@dataclass(frozen=True)
class Battery:
    """A home battery; `efficiency` is the round trip, split evenly in and out (sqrt each
    way), as devices/kinds/battery.py models it. `final_soc_pct`, when given, is the least
    charge left at the horizon's end (without it the plan may empty the battery there)."""

    device: str
    capacity_wh: float
    max_charge_w: float
    max_discharge_w: float
    soc_pct: float
    efficiency: float = 0.9
    min_soc_pct: float = 10.0
    final_soc_pct: float | None = None
    cycle_cost: float = 0.0
    """Money per kWh the battery delivers, for its wear: without it a plan cycles the
    battery for any spread, however thin (Economy 7's night beside a 0.15 export rate)."""

    def __post_init__(self) -> None:
        _check(self.capacity_wh > 0, f"battery capacity_wh must be > 0, got {self.capacity_wh!r}")
        _check(self.max_charge_w >= 0, "battery max_charge_w must be >= 0")
        _check(self.max_discharge_w >= 0, "battery max_discharge_w must be >= 0")
        _check(
            0 < self.efficiency <= 1,
            f"battery efficiency must be in (0, 1], got {self.efficiency!r}",
        )
        _check_soc(self.soc_pct, "battery soc_pct")
        _check_soc(self.min_soc_pct, "battery min_soc_pct")
        _check(self.cycle_cost >= 0, f"battery cycle_cost must be >= 0, got {self.cycle_cost!r}")
        if self.final_soc_pct is not None:
            _check_soc(self.final_soc_pct, "battery final_soc_pct")

    @property
    def leg(self) -> float:
        """The efficiency of each way, in and out."""
        return math.sqrt(self.efficiency)


@dataclass(frozen=True)
class Car:
    """A car on an EV charger. Only a plugged-in car is planned; it charges between
    `min_w` (6 A of the charger's rating, or 0 for a charger that modulates to zero) and
    `max_w` until `departure`, and `charge_efficiency` of what it draws reaches its battery.
    A departure past the horizon is planned as if at its end: the target is met within it."""

    device: str
    plugged: bool
    soc_pct: float
    capacity_wh: float
    target_soc_pct: float
    departure: float
    max_w: float
    min_w: float = 0.0
    charge_efficiency: float = 0.9
    arrival: float | None = None
    """When a car not yet home will be plugged in (the oracle knows the future); None: now."""
    taper_from_pct: float = 80.0
    taper_end_share: float = 0.1
    """Above `taper_from_pct` the car takes less, down to `taper_end_share` of `max_w` when
    full, in a straight line, as lithium cells do (and devices/kinds/ev_charger.py)."""

    def __post_init__(self) -> None:
        _check(self.capacity_wh > 0, f"car capacity_wh must be > 0, got {self.capacity_wh!r}")
        _check_soc(self.soc_pct, "car soc_pct")
        _check_soc(self.target_soc_pct, "car target_soc_pct")
        _check(self.max_w > 0, f"car max_w must be > 0, got {self.max_w!r}")
        _check(0 <= self.min_w <= self.max_w, f"car min_w must be 0..max_w, got {self.min_w!r}")
        _check(0 < self.charge_efficiency <= 1, "car charge_efficiency must be in (0, 1]")
        _check_soc(self.taper_from_pct, "car taper_from_pct")
        _check(0 < self.taper_end_share <= 1, "car taper_end_share must be in (0, 1]")

    def plugged_from(self, start: float) -> float:
        """When, in a horizon from `start`, the car may begin to charge."""
        return start if self.arrival is None else max(start, self.arrival)

    @property
    def taper_w_per_pct(self) -> float:
        """How much less the car takes for each percent of charge above its taper."""
        return self.max_w * (1 - self.taper_end_share) / (100.0 - self.taper_from_pct)

    def accepts_w(self, soc_pct: float) -> float:
        """The most the car takes at `soc_pct`: `max_w` to the taper, then falling."""
        if soc_pct <= self.taper_from_pct or self.taper_from_pct >= 100:
            return self.max_w
        return self.max_w - self.taper_w_per_pct * (soc_pct - self.taper_from_pct)

    @property
    def needed_wh(self) -> float:
        """What the car's battery lacks to reach its target (0 when it is there)."""
        return max(0.0, (self.target_soc_pct - self.soc_pct) / 100.0 * self.capacity_wh)


@dataclass(frozen=True)
class Program:
    """A loaded machine waiting to run (protocol 1.1 `phase: ready`): it starts once, at a
    time the planner picks, no earlier than `ready_since`, and should be done by
    `finish_by`. `profile` is its power as (duration_s, W) steps, the phases of
    devices/kinds/_program.py."""

    device: str
    ready_since: float
    finish_by: float
    profile: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        _check(bool(self.profile), f"program {self.device}: the profile has no steps")
        for duration_s, watts in self.profile:
            _check(
                duration_s > 0 and watts >= 0,
                f"program {self.device}: bad step {(duration_s, watts)!r}",
            )
        object.__setattr__(self, "profile", tuple((float(d), float(w)) for d, w in self.profile))

    @property
    def duration_s(self) -> float:
        return sum(duration for duration, _ in self.profile)


@dataclass(frozen=True)
class Boost:
    """Heat a thermal store (water heater, heat pump) may take early: up to `energy_wh`
    drawn at up to `max_w` within [start, end), each kWh of it worth `worth_per_kwh` (what
    the heat it stores would cost when the store next heats by itself, less what it
    loses meanwhile). The plan draws it in the slots that cost less than that, none
    where nothing does: a boost is a bargain taken, never a target to meet."""

    device: str
    energy_wh: float
    max_w: float
    start: float
    end: float
    worth_per_kwh: float

    def __post_init__(self) -> None:
        _check(self.energy_wh >= 0, f"boost {self.device}: energy_wh must be >= 0")
        _check(self.max_w > 0, f"boost {self.device}: max_w must be > 0")
        _check(self.end > self.start, f"boost {self.device}: end must be after start")
        _check(
            math.isfinite(self.worth_per_kwh),
            f"boost {self.device}: worth_per_kwh must be finite",
        )

    @property
    def credit_per_kwh(self) -> float:
        """What the plan counts each kWh drawn as saving: the worth, never below 0 (a kWh
        left undrawn costs this much, and leaving it must never pay)."""
        return max(0.0, self.worth_per_kwh)


@dataclass(frozen=True)
class PlanRequest:
    """One planning problem: slots in order without gaps, with the base load and solar
    forecast per slot (average W), the devices, the import limit the shedding fuse sets,
    and an optional weight on carbon (money per g imported). `zone` only words the
    reasons in local time; `made` is when the plan is made. The plan starts with the first
    slot: cut it to start at `made` (`dataclasses.replace(slot, start=made)`) when the
    price series' slot began earlier, so no energy is planned in the past."""

    made: float
    slots: tuple[PriceSlot, ...]
    base_load_w: tuple[float, ...]
    pv_w: tuple[float, ...]
    zone: ZoneInfo
    import_limit_w: float
    battery: Battery | None = None
    cars: tuple[Car, ...] = ()
    programs: tuple[Program, ...] = ()
    boosts: tuple[Boost, ...] = ()
    co2_weight: float = 0.0
    shortfall_penalty: float = DEFAULT_SHORTFALL_PENALTY
    exact_export: bool = True
    """False: where export pays more than import (Economy 7's nights beside a flat export
    rate), export is valued at the import price. Exact needs a binary per such slot (the
    meter nets: a slot cannot import and export at once), which takes the solver seconds
    over two nights; what the approximation gives up is exporting from the battery in
    those slots, worth at most export - import / efficiency per kWh. The rolling plan
    uses it; the oracle, solved once, stays exact."""

    def __post_init__(self) -> None:
        for name in ("slots", "cars", "programs", "boosts"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("base_load_w", "pv_w"):
            object.__setattr__(self, name, tuple(float(w) for w in getattr(self, name)))
        _check(bool(self.slots), "a plan needs at least one slot")
        n = len(self.slots)
        _check(
            len(self.base_load_w) == n,
            f"base_load_w has {len(self.base_load_w)} values for {n} slots",
        )
        _check(len(self.pv_w) == n, f"pv_w has {len(self.pv_w)} values for {n} slots")
        _check(all(w >= 0 for w in self.base_load_w), "base_load_w must be >= 0")
        _check(all(w >= 0 for w in self.pv_w), "pv_w must be >= 0")
        _check_contiguous(self.slots)
        _check(self.import_limit_w > 0, f"import_limit_w must be > 0, got {self.import_limit_w!r}")
        _check(self.co2_weight >= 0, "co2_weight must be >= 0")
        _check(self.shortfall_penalty > 0, "shortfall_penalty must be > 0")
        devices = [d.device for d in (self.battery, *self.cars, *self.programs, *self.boosts) if d]
        _check(len(devices) == len(set(devices)), f"a device appears twice: {devices}")

    @property
    def start(self) -> float:
        return self.slots[0].start

    @property
    def end(self) -> float:
        return self.slots[-1].end


def _check_contiguous(slots: Sequence[PriceSlot]) -> None:
    for before, after in pairwise(slots):
        _check(
            before.end == after.start,
            f"slots must follow without gaps: {before.end} != {after.start}",
        )
    _check(all(slot.end > slot.start for slot in slots), "every slot must end after it starts")
