"""Smart start: a loaded machine waits, and runs when it still finishes by the time wanted.

Protocol 1.1, "Flexible appliances": with `smart_start` on, the occupant's use loads
the machine instead of starting it. The phase is `ready`; `finish_by` is when the
occupant wants it done (`finish_within_h` after loading: a dishwasher loaded after
dinner is wanted by breakfast) and `program_s` how long its program takes. The program
is drawn at loading, so the length shown is the length that runs. `set_start_at`
delays the start to a given time if the run still ends by `finish_by` (an energy
manager picks the cheap hours); None goes back to the default, the latest start that
still finishes in time, so with nobody planning the machine still finishes when
wanted. ON starts at once; OFF unloads it. Without `smart_start` a use starts the
program at once, as before.

A due start is taken at the first tick at or after it, like every change of state, so
the run does not depend on how often the device reports.
"""

from typing import Any, ClassVar

from devices.kinds._program import Phase, ProgramAppliance
from devices.occupant import Use
from devices.params import ModelError, Param

SMART_START = Param(
    False, "wait when loaded and start in time to finish by finish_within_h (protocol 1.1)"
)
FINISH_WITHIN_H = Param(
    10.0, "with smart_start: hours after loading by which it must be done", 1, 24
)


class DeferrableAppliance(ProgramAppliance):
    """A program appliance that may wait between being loaded and starting."""

    deferrable: ClassVar[bool] = True
    extra_commands = frozenset({"start_at"})

    @classmethod
    def declared_params(cls) -> dict[str, Param]:
        declared = super().declared_params()
        declared.update(smart_start=SMART_START, finish_within_h=FINISH_WITHIN_H)
        return declared

    def setup(self, t: float) -> None:
        super().setup(t)
        self.loaded: tuple[Phase, ...] = ()
        """The program waiting to run while the phase is `ready`."""
        self.finish_by: float | None = None
        self.start_at: float | None = None
        """The start chosen by a command; None is the latest start that finishes in time."""

    @property
    def ready(self) -> bool:
        return bool(self.loaded)

    @property
    def program_s(self) -> float | None:
        """The length of the waiting or running program, in seconds."""
        program = self.loaded or self.running
        return 60 * sum(phase.minutes for phase in program) if program else None

    def due(self) -> float:
        """When the waiting program starts."""
        if self.start_at is not None:
            return self.start_at
        assert self.finish_by is not None and self.program_s is not None
        return self.finish_by - self.program_s

    def update(self, t: float, dt: float) -> None:
        if self.loaded:
            if t + dt >= self.due():
                self._start_loaded(t + dt)
            return
        super().update(t, dt)

    def next_change(self, t: float) -> float:
        return self.tick_reaching(self.due()) if self.loaded else super().next_change(t)

    def start_use(self, use: Use, t: float) -> None:
        if not self.p["smart_start"]:
            super().start_use(use, t)
        elif not (self.on or self.loaded):  # a full machine takes no second load
            self.loaded = self.program()
            self.finish_by = t + 3600 * float(self.p["finish_within_h"])
            self.start_at, self.phase = None, "ready"

    def apply_switch(self, on: bool, t: float) -> None:
        if on and self.loaded:
            self._start_loaded(t)
            return
        if not on:
            self.loaded, self.finish_by, self.start_at = (), None, None
        super().apply_switch(on, t)

    def set_start_at(self, start_at: float | None, t: float) -> None:
        """A planned start for the waiting program (None: the latest that finishes in time).

        Refused, changing nothing, unless the machine is `ready` and a run from
        `start_at` ends by `finish_by`.
        """
        self.command_extra("start_at", start_at, t)

    def check_extra(self, key: str, value: Any) -> None:
        if key != "start_at":
            super().check_extra(key, value)
            return
        if not self.loaded:
            raise ModelError("nothing waits to start: the machine is not loaded (phase ready)")
        if value is not None:
            assert self.finish_by is not None and self.program_s is not None
            if value < self.now:
                raise ModelError(f"start_at {value:.0f} is in the past (now {self.now:.0f})")
            if value + self.program_s > self.finish_by:
                raise ModelError(
                    f"a start at {value:.0f} would end at {value + self.program_s:.0f}, "
                    f"after finish_by {self.finish_by:.0f}"
                )

    def apply_extra(self, key: str, value: Any, t: float) -> None:
        if key == "start_at":
            self.start_at = value
        else:
            super().apply_extra(key, value, t)

    def state_fields(self) -> dict[str, Any]:
        if self.finish_by is None:
            return {}
        return {"finish_by": round(self.finish_by, 3), "program_s": round(self.program_s or 0, 1)}

    def _start_loaded(self, t: float) -> None:
        program, self.loaded = self.loaded, ()
        self.start_at = None
        self.run(program, t)
