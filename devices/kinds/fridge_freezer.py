"""Fridge-freezer: a ~190 W compressor cycling, plus an electric defrost twice a day.

Calibration (appliances.md): ~190 W compressor, 22 min runs, ~26 % duty; a defrost
heater of 350-600 W for 25-45 min every 8-15 h; ~0.9-1.1 kWh a day.
These figures cannot all hold at once: 26 % duty at 190 W is already 1.19 kWh a
day (CREST's own figure, which models no separate defrost), and any defrost inside
the published ranges adds 0.2-1.4 kWh. The model keeps the power levels, the run
length and the defrost shape, and reads CREST's 26 % as whole-appliance energy:
runs of 18-26 min and rests of 115-145 min (92-116 min in the evening, when the
door is opened more) give ~17 % compressor time, and with two defrosts a day
(heater 25-30 min, due every 10-12 h and started at the end of the next run, so
10-15 h apart) the day lands at ~1.16 kWh, which is 25 % of 190 W round the clock.
A defrost stops the compressor; a pull-down run follows it. The day's energy is
for a 20 C kitchen; a warmer one shortens the rests, ~2.5 % more energy per degree C
(devices/kinds/_compressor.py), so a July day uses ~10 % more than a January one.
"""

from devices.kinds._compressor import CompressorAppliance
from devices.params import Param

DEFROST_EVERY_H = (10.0, 12.0)
DEFROST_MIN = (25.0, 30.0)


class FridgeFreezer(CompressorAppliance):
    kind = "fridge_freezer"
    summary = "fridge-freezer, 190 W compressor ~22 min runs, 450 W defrost, ~1.1 kWh a day"
    params = {
        "rated_w": Param(190.0, "compressor power while running, W", 50, 400),
        "defrost_w": Param(450.0, "defrost heater power, W", 200, 800),
    }
    run_min = (18.0, 26.0)
    rest_min = (115.0, 145.0)

    def setup(self, t: float) -> None:
        super().setup(t)
        self.defrost_ends = t
        # the defrost timer is somewhere in its interval when the appliance is plugged in
        self.defrost_due = t + 3600 * self.rng.uniform(*DEFROST_EVERY_H) * self.rng.random()
        """When a defrost is due (it waits for the end of a run); the timer runs only while
        the compressor cycles, so it is moved on by the time off and the defrost itself."""
        self._timer_s = 0.0  # the timer's remaining time while it stands still

    def power(self) -> float:
        if self.on and self.phase == "defrost":
            return float(self.p["defrost_w"])
        return super().power()

    def next_change(self, t: float) -> float:
        if self.on and self.phase == "defrost":
            return self.tick_reaching(self.defrost_ends)
        return super().next_change(t)

    def update(self, t: float, dt: float) -> None:
        if not self.on:
            return
        end = t + dt
        if self.phase == "defrost":
            if end >= self.defrost_ends:
                self.start_run(end)
                self.defrost_due = end + self._timer_s
            return
        was_running = self.phase == "cooling"
        self.cycle(t, dt)
        if was_running and self.phase == "idle" and end >= self.defrost_due:
            # a due defrost waits for the end of a run, when the cabinet is coldest
            self.phase = "defrost"
            self.defrost_ends = end + 60 * self.rng.uniform(*DEFROST_MIN)
            self._timer_s = 3600 * self.rng.uniform(*DEFROST_EVERY_H)

    def apply_switch(self, on: bool, t: float) -> None:
        if not on and self.on and self.phase != "defrost":
            self._timer_s = self.defrost_due - t
        was_on = self.on
        super().apply_switch(on, t)
        if on and not was_on:
            self.defrost_due = t + self._timer_s
