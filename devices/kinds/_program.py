"""A program of timed phases, run tick by tick: shared by the washing machine and dishwasher.

A program is a tuple of `Phase(name, minutes, watts)`. ON (or the occupant) starts
one; each phase holds its power for its length, phase boundaries snap to the tick
grid without losing time (the remainder carries into the next phase), and after
the last phase the appliance switches itself off (`on` False, phase `idle`).
OFF stops a program at once. While idle the power is the kind's `standby_w`.
"""

from abc import abstractmethod
from dataclasses import dataclass

from devices.appliance import Appliance
from devices.occupant import Use


@dataclass(frozen=True)
class Phase:
    """One step of a program: `name` is what the model reports as its phase."""

    name: str
    minutes: float
    watts: float


class ProgramAppliance(Appliance):
    """Base of the kinds that run a program once started and then stop by themselves."""

    @abstractmethod
    def program(self) -> tuple[Phase, ...]:
        """The phases of a run starting now; may draw from `self.rng` (load, inlet water)."""

    def setup(self, t: float) -> None:
        self.phase = "idle"
        self.running: tuple[Phase, ...] = ()
        self.index = 0
        self.left_s = 0.0

    def power(self) -> float:
        if self.on:
            return self.running[self.index].watts
        return self.standby_w

    def update(self, t: float, dt: float) -> None:
        if not self.on:
            return
        self.left_s -= dt
        while self.left_s <= 0:
            self.index += 1
            if self.index == len(self.running):
                self.apply_switch(False, t + dt)
                return
            self.left_s += 60 * self.running[self.index].minutes
        self.phase = self.running[self.index].name

    def start_use(self, use: Use, t: float) -> None:
        if not self.on:  # a running program is not restarted
            self.apply_switch(True, t)

    def apply_switch(self, on: bool, t: float) -> None:
        if on and not self.on:
            self.running = self.program()
            self.index = 0
            self.left_s = 60 * self.running[0].minutes
            self.on, self.phase = True, self.running[0].name
        elif not on:
            self.on, self.phase = False, "idle"
            self.running, self.index, self.left_s = (), 0, 0.0
