"""A program of timed phases, run tick by tick: the washing machine, dishwasher and tumble dryer.

A program is a tuple of `Phase(name, minutes, watts)`. ON (or the occupant) starts
one; each phase holds its power for its length, phase boundaries snap to the tick
grid without losing time (the remainder carries into the next phase), and after
the last phase the appliance switches itself off (`on` False, phase `idle`).
OFF stops a program at once. While idle the power is the kind's `standby_w`.

A kind with a choice of programs (a 40 C wash, an eco dishwasher run) lists
them in `programs` with the share of uses each gets, and declares the `program`
parameter with `program_param`: `mixed` (the default) draws one per use at
those shares, any other value runs that program every time.
"""

import math
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from devices.appliance import Appliance
from devices.occupant import Use
from devices.params import Param

MIXED = "mixed"


@dataclass(frozen=True)
class Phase:
    """One step of a program: `name` is what the model reports as its phase."""

    name: str
    minutes: float
    watts: float


def program_param(programs: Mapping[str, float]) -> Param:
    """The `program` parameter of a kind whose programs are `programs`."""
    return Param(
        MIXED,
        f"program to run; {MIXED} draws one per use at the published shares",
        choices=(*programs, MIXED),
    )


class ProgramAppliance(Appliance):
    """Base of the kinds that run a program once started and then stop by themselves."""

    programs: ClassVar[Mapping[str, float]] = {}
    """The kind's named programs and the share of uses each gets; empty for a single one."""

    def choose_program(self) -> str:
        """The program of a run starting now: the `program` parameter, or drawn by share."""
        chosen = str(self.p["program"])
        if chosen == MIXED:
            names = list(self.programs)
            chosen = self.rng.choices(names, [self.programs[name] for name in names])[0]
        self.chosen = chosen
        return chosen

    @abstractmethod
    def program(self) -> tuple[Phase, ...]:
        """The phases of a run starting now; may draw from `self.rng` (load, inlet water)."""

    def setup(self, t: float) -> None:
        self.phase = "idle"
        self.chosen = ""
        """The program of the current or last run (kinds with `programs`)."""
        self.running: tuple[Phase, ...] = ()
        self.index = 0
        self.phase_ends = t
        """When the running phase ends: a time, so the ticks before it are passed over."""

    def power(self) -> float:
        if self.on:
            return self.running[self.index].watts
        return self.standby_w

    def update(self, t: float, dt: float) -> None:
        if not self.on:
            return
        while t + dt >= self.phase_ends:
            self.index += 1
            if self.index == len(self.running):
                self.apply_switch(False, t + dt)
                return
            self.phase_ends += 60 * self.running[self.index].minutes
        self.phase = self.running[self.index].name

    def next_change(self, t: float) -> float:
        return self.tick_reaching(self.phase_ends) if self.on else math.inf

    def start_use(self, use: Use, t: float) -> None:
        if not self.on:  # a running program is not restarted
            self.apply_switch(True, t)

    def apply_switch(self, on: bool, t: float) -> None:
        if on and not self.on:
            self.run(self.program(), t)
        elif not on:
            self.on, self.phase = False, "idle"
            self.running, self.index = (), 0

    def run(self, program: tuple[Phase, ...], t: float) -> None:
        """Start `program` from its first phase at `t`."""
        self.running, self.index = program, 0
        self.phase_ends = t + 60 * program[0].minutes
        self.on, self.phase = True, program[0].name
