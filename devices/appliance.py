"""The contract every appliance model keeps, and the bookkeeping they share.

A model is a pure state machine over simulation time. It reads no clock and
does no I/O: the runtime tells it what time it is (`advance_to`) and what a
person asked (`switch`, `set_level`), and reads `power_w`, `energy_wh`, `on`,
`level` and `phase` back.

Time runs on a fixed grid of `tick_s` seconds anchored at the model's start.
The state, and so the power, changes only at grid points or when a command
arrives; between them power is constant and the energy counter is its exact
integral. The model's trajectory therefore depends on the seed and the
calendar, not on how often the runtime happens to call it: a device reporting
every 0.1 s and one reporting every hour draw the same day and count the same
energy.

A kind may say when its state can next change by itself (`next_change`: a
compressor's run ends, a program's phase, a car's charge reaches its taper);
`advance_to` passes over the ticks before it in one step, and a runtime may
leave the model alone until then (`holds_until`: the simulator asks a device
only when it is due). Running every tick draws the same day.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import tzinfo
from typing import Any, ClassVar, Literal

from devices.activities import Activity
from devices.household import MAX_OCCUPANTS, Household, shared_household
from devices.occupant import UsageSchedule, Use, Window
from devices.params import ModelError, Param, ParamValue, resolve_params

Role = Literal["consumer", "producer", "storage"]

COMMON_PARAMS: Mapping[str, Param] = {
    "priority": Param(3, "load-shedding priority, 1 (never shed) to 5 (shed first)", 1, 5),
    # every kind takes it, so a whole home can be switched to manual in one place
    "auto": Param(
        True,
        "let the simulated occupant use the appliance at realistic times "
        "(no effect on appliances that run by themselves)",
    ),
}
OCCUPANTS = Param(
    0,
    "people living in the home; 0 draws 2 or 3 from the home seed, as every device of the "
    "home does: give all of them the same value",
    0,
    MAX_OCCUPANTS,
)
"""Taken by the kinds whose use follows the household (an `Activity` in their `usage`)."""


class Appliance(ABC):
    """Base of every appliance model; subclasses fill in the class attributes and hooks."""

    kind: ClassVar[str]
    summary: ClassVar[str]
    """One line for `--list-kinds`: what it is and its typical power."""
    role: ClassVar[Role] = "consumer"
    dimmable: ClassVar[bool] = False
    default_priority: ClassVar[int] = 3
    starts_on: ClassVar[bool] = False
    """Whether the appliance is switched on when its process starts (a fridge is)."""
    tick_s: ClassVar[float] = 5.0
    params: ClassVar[Mapping[str, Param]] = {}
    """The kind's own parameters; `priority` and `auto` are added to every kind."""
    follows_grid: ClassVar[bool] = False
    """Whether the kind wants the home's net grid power from the hub's summary: a car
    charger for its pv modes (`follow_grid(net_w, t)`); storage is `Storage`'s own."""
    deferrable: ClassVar[bool] = False
    """Whether a load may wait for a planned start (1.1 `meta.deferrable`)."""
    extra_commands: ClassVar[frozenset[str]] = frozenset()
    """The 1.1 command keys the kind takes beyond on/off/level: "boost" (a heat store),
    "start_at" (a deferrable machine), "mode", "target_soc", "departure" (a car charger);
    the agent refuses the others. Storage's modes are its own (`Storage`)."""
    usage: ClassVar[tuple[Activity | Window, ...]] = ()
    """When the simulated occupant starts the appliance; empty for appliances that run alone.
    An `Activity` follows the home's shared household, a `Window` is a fixed daily habit."""

    def __init__(
        self,
        params: Mapping[str, Any],
        seed: int,
        start: float,
        tz: tzinfo,
        weather_seed: int | None = None,
    ):
        """Build a model from already resolved parameters; use `create` from outside."""
        self.p: Mapping[str, ParamValue] = params
        self.seed = seed
        self.weather_seed = seed if weather_seed is None else weather_seed
        """The home seed, shared by every device of one home, so the solar panels and the
        heat pump see the same sky and the kettle and the TV the same people; `seed` is the
        device's own."""
        self.rng = random.Random(seed)
        self.tz = tz
        self.on = self.starts_on
        self.level: float | None = 100.0 if self.dimmable else None
        self.phase = "idle" if self.starts_on else "off"
        self.household: Household | None = None
        """Who lives in the home (kinds with a `usage`): drawn from the home seed, so every
        device of the home, even a process started alone, sees the same people and days away."""
        if self.usage:
            occupants = int(params.get("occupants", 0))
            self.household = shared_household(self.weather_seed, tz, occupants)
        self.schedule = (
            UsageSchedule(self.usage, seed, tz, self.household)
            if self.usage and params.get("auto")
            else None
        )
        self._t = start
        self._tick_start = start
        self._energy_j = 0.0
        self._find_next_use(start)
        self.setup(start)
        self._power = self._checked_power()

    @classmethod
    def declared_params(cls) -> dict[str, Param]:
        declared = {**COMMON_PARAMS, **cls.params}
        declared["priority"] = Param(cls.default_priority, COMMON_PARAMS["priority"].help, 1, 5)
        if any(isinstance(use, Activity) for use in cls.usage):
            declared["occupants"] = OCCUPANTS
        return declared

    @classmethod
    def create(
        cls,
        given: Mapping[str, object],
        seed: int,
        start: float,
        tz: tzinfo,
        weather_seed: int | None = None,
    ) -> Appliance:
        """A model from user-given parameters; raises ModelError naming a bad one."""
        params = cls.prepare(resolve_params(cls.kind, cls.declared_params(), given))
        return cls(params, seed, start, tz, weather_seed)

    @classmethod
    def prepare(cls, params: dict[str, ParamValue]) -> dict[str, Any]:
        """Turn parameters into what the model needs; the one place a kind may read files."""
        return params

    # ---- what a kind implements -------------------------------------------------------

    def setup(self, t: float) -> None:  # noqa: B027 - optional hook
        """Initialise the kind's own state at start time `t`."""

    @abstractmethod
    def update(self, t: float, dt: float) -> None:
        """Advance the kind's state across the tick [t, t + dt)."""

    @abstractmethod
    def power(self) -> float:
        """Power in watts in the current state (for a producer: what it generates)."""

    @property
    @abstractmethod
    def rated_w(self) -> float:
        """Nameplate power for the device's meta."""

    @property
    def standby_w(self) -> float:
        return 0.0

    def start_use(self, use: Use, t: float) -> None:  # noqa: B027 - optional hook
        """The simulated occupant starts the appliance now (only kinds with `usage`)."""

    def apply_switch(self, on: bool, t: float) -> None:
        """A person switched the appliance; kinds with programs or sessions override this."""
        self.on = on
        self.phase = "on" if on else "off"

    def apply_level(self, level: float, t: float) -> None:
        self.level = level

    def check_boost(self, on: bool) -> None:
        """Raise ModelError when a boost (on) or its end cannot be had now."""
        raise ModelError(f"a {self.kind} cannot boost")

    def apply_boost(self, on: bool, t: float) -> None:  # noqa: B027 - optional hook
        """Store heat now (on) or stop doing so; called only after `check_boost`."""

    def check_extra(self, key: str, value: Any) -> None:
        """Raise ModelError when the kind would refuse the 1.1 command `key: value` now.

        Checked for every key of a command before any is applied, so a command is applied
        whole or not at all. A kind overrides this and `apply_extra` for its own keys."""
        if key == "boost":
            self.check_boost(bool(value))
        else:
            raise ModelError(f"a {self.kind} takes no {key!r}")

    def apply_extra(self, key: str, value: Any, t: float) -> None:
        """Apply a checked 1.1 command key at `t` (the model is already at `t`)."""
        if key == "boost":
            self.apply_boost(bool(value), t)

    def state_fields(self) -> dict[str, Any]:
        """What the kind adds to its state payload (1.1: a car's plug and target...)."""
        return {}

    # ---- what the runtime calls ------------------------------------------------------

    @property
    def priority(self) -> int:
        return int(self.p["priority"])

    @property
    def now(self) -> float:
        return self._t

    @property
    def power_w(self) -> float:
        return self._power

    @property
    def energy_wh(self) -> float:
        """Energy since the model started: the exact integral of `power_w`."""
        return self._energy_j / 3600.0

    def advance_to(self, t: float) -> float:
        """Move simulation time forward to `t` and return the power now.

        Ticks in which the model knows nothing changes (`next_change`) are
        passed over in one step: the counter gains power x time, the grid
        stays anchored, and `update` runs only at the change. Time never runs
        backwards for a model: an earlier `t` (a simulation clock re-anchored
        into the past) is taken as "no time has passed".
        """
        while self._t < t:
            if t < self._tick_start + self.tick_s:  # within the tick under way: no change
                self._energy_j += self._power * (t - self._t)
                self._t = t
                break
            change = self.holds_until()
            segment_end = min(t, change)
            self._energy_j += self._power * (segment_end - self._t)
            self._t = segment_end
            if segment_end == change:
                self._tick_start = change - self.tick_s
                self._run_tick(self._tick_start, self.tick_s)
                self._tick_start = change
            else:  # the ticks passed over changed nothing: the grid moves on with the time
                self._tick_start = self.tick_reaching(self._t + math.ulp(self._t)) - self.tick_s
        return self._power

    def next_change(self, t: float) -> float:
        """The earliest grid point after `t` (the model's time) at which the kind's own
        `update` may change the state, with no command coming: the ticks before it
        are skipped (their `update` would change nothing); never before the end of
        the tick under way. The occupant's next use is
        the base class's to add. Override it only with a promise the kind keeps; the
        default, the end of the tick under way, asks every tick, as a kind without it
        always did. Only the state may decide it, not `t`, so that how often the
        model is read does not matter."""
        return self._tick_start + self.tick_s

    def tick_reaching(self, at: float) -> float:
        """The first grid point after the tick under way's start that is at or after `at`:
        where an `update` checking `t + dt >= at` first fires."""
        start, tick = self._tick_start, self.tick_s
        n = max(1, math.ceil((at - start) / tick))
        if n > 1 and start + (n - 1) * tick >= at:  # the division rounded up
            n -= 1
        return start + n * tick

    def holds_until(self) -> float:
        """Until when the model's state holds with no command coming (a runtime may leave
        it alone until then: its power is constant): the next grid point whose tick must
        run, for the kind's next change, the occupant's next use (which starts in the
        tick that holds its start) or the weekly look-up for one when none was found."""
        change = self.next_change(self._t)
        if self._next_use is not None:
            use = self.tick_reaching(self._next_use.start)
            if use == self._next_use.start:  # a use starting on a grid point: the tick after
                use += self.tick_s
            return min(change, use)
        if self._next_use_check < change:
            return min(change, self.tick_reaching(self._next_use_check))
        return change

    def jump_to(self, t: float) -> None:
        """Continue from time `t` without simulating the gap (a clock that jumped).

        Whatever ran keeps running; the skipped time draws no energy, because
        no one lived through it.
        """
        self._t = self._tick_start = t
        self._find_next_use(t)

    def switch(self, on: bool, t: float) -> None:
        self.advance_to(t)
        self.apply_switch(on, self._t)
        self._power = self._checked_power()

    def set_level(self, level: float, t: float) -> None:
        if not self.dimmable:
            raise ModelError(f"a {self.kind} is not dimmable")
        if not 0 <= level <= 100:
            raise ModelError(f"level must be between 0 and 100, got {level}")
        self.advance_to(t)
        self.apply_level(float(level), self._t)
        self._power = self._checked_power()

    def set_boost(self, on: bool, t: float) -> None:
        """Start or end a boost; refused with ModelError, changing nothing, when it cannot."""
        self.command_extra("boost", on, t)

    def command_extra(self, key: str, value: Any, t: float) -> None:
        """Check and apply one 1.1 command key at `t` (the agent checks a whole command
        first, then applies each key)."""
        if key not in self.extra_commands:
            raise ModelError(f"a {self.kind} takes no {key!r}")
        self.advance_to(t)
        self.check_extra(key, value)
        self.apply_extra(key, value, self._t)
        self._power = self._checked_power()

    def _run_tick(self, t: float, dt: float) -> None:
        self.update(t, dt)
        # a use starting inside the tick takes effect at its end, the next grid point
        while self._next_use is not None and self._next_use.start < t + dt:
            use = self._next_use
            self._find_next_use(use.start)
            if use.start >= t:
                self.start_use(use, t + dt)
        if self._next_use is None and t + dt >= self._next_use_check:
            self._find_next_use(t + dt)
        self._power = self._checked_power()

    def _find_next_use(self, after: float) -> None:
        """Look up the occupant's next use once, instead of asking every tick."""
        self._next_use = self.schedule.next_use(after) if self.schedule else None
        self._next_use_check = after + 7 * 86400 if self.schedule else float("inf")

    def _checked_power(self) -> float:
        value = float(self.power())
        if not value >= 0:  # also catches NaN: a model bug must not reach the wire
            raise AssertionError(f"{self.kind} model produced power {value}")
        return value


class Storage(Appliance):
    """A kind with role `storage` (a home battery): `power_w` is what it draws, and it
    says what it delivers, how full it is, its second counter and its mode, which the
    runtime publishes and commands (`set_mode`); in a mode that follows the grid, the
    runtime passes it the hub's net grid power (`follow_grid`)."""

    role: ClassVar[Role] = "storage"
    mode: str

    @property
    @abstractmethod
    def discharge_w(self) -> float: ...

    @property
    @abstractmethod
    def soc_pct(self) -> float: ...

    @property
    @abstractmethod
    def energy_out_wh(self) -> float:
        """Energy delivered since the model started: the exact integral of `discharge_w`."""

    @property
    @abstractmethod
    def capacity_wh(self) -> float: ...

    @property
    @abstractmethod
    def max_charge_w(self) -> float: ...

    @property
    @abstractmethod
    def max_discharge_w(self) -> float: ...

    @property
    def follows_grid(self) -> bool:
        """Whether the model wants the hub's net grid power now (its mode follows it)."""
        return self.mode == "auto"

    @abstractmethod
    def follow_grid(self, net_w: float | None, t: float) -> None:
        """The hub's net grid power at `t`, or None when there is none to follow."""

    @abstractmethod
    def resume_soc(self, soc_pct: float) -> None:
        """Start from a saved state of charge (a restarted process), within the limits."""

    @abstractmethod
    def check_mode(self, mode: str, power_w: float | None) -> None:
        """Raise ModelError for a mode command the model would refuse."""

    @abstractmethod
    def set_mode(self, mode: str, power_w: float | None, t: float) -> dict[str, Any]:
        """Apply a checked mode command at `t`; returns what was applied."""
