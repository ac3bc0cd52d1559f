"""Home battery (role `storage`): charges from surplus, discharges into the home's load.

Calibration (appliances.md, "home battery"): common UK units hold 5-10 kWh and
move ~2.6-3.6 kW; 5.2 kWh at 2.6 kW is typical beside a 4 kWp roof. Round trip
85-93 % (Powerwall 2: 90 %), own use 10-30 W.

The cells hold energy between `min_soc` and 100 % of `capacity_wh`. The round
trip `efficiency` is split evenly: sqrt(efficiency) of what the battery draws
reaches the cells, and a discharge takes 1/sqrt(efficiency) of what it delivers
from them. So `energy_out_wh <= efficiency * energy_wh + initial stored energy`
over any run, and the stored energy never leaves its limits: each tick the AC
power is cut to what the headroom (or the charge above `min_soc`) allows for a
whole tick.

The own use `standby_w` is drawn from the grid while the battery is idle, as
the meter on its AC side sees it (the inverter and the battery management run
from the mains when nothing flows), so `hold` keeps the state of charge flat
the way a real battery standing idle for a day does; while power flows, the own
use is part of the round-trip losses. OFF (the isolator) draws nothing.

Modes: `auto` is self-consumption, as a battery following its grid clamp: the
runtime passes it each net grid power the hub reports (`follow_grid`); the
battery subtracts its own contribution from it to get the rest of the home, and
aims to cancel that, within its limits. The hub counts the battery as it last
reported itself, which may be seconds behind what it does now: subtracting the
power of now would feed the difference back and make it swing, so the runtime
passes the contribution it last published (`seen_w`). The battery then takes
part of the correction per reading (`GAIN`) and ramps to it at `RAMP_W_PER_S`,
as real units do, which also rides out a reading that crossed a report.
The hub publishes its summary once a second of real time, so at `--speed N` the
battery hears of a load change up to N simulated seconds late, as a real one
reading its clamp every N seconds would: at 600 a kettle has boiled before the
battery answers, and it then discharges into the grid until the next summary
(measured at `--speed 30`: the net stays within a few watts of zero between
changes). `home simulate` steps it every simulated minute.
Without a reading (`follow_grid(None, t)`, no summary from the hub) it holds,
phase `no-summary`. `charge` and `discharge` run at a
setpoint (`set_mode`), clipped to the limits; `hold` is idle.

All of it changes only on the tick grid or when an input arrives, and the
counters are exact integrals, so the trajectory depends on the inputs and their
times alone, not on how often the runtime reads the model.

Phases: `charging`, `discharging`, `idle`, `full`, `empty`, `no-summary`, `off`.
"""

from __future__ import annotations

import math
from typing import Any

from devices.appliance import Storage
from devices.params import ModelError, Param, ParamValue

MODES = ("auto", "charge", "discharge", "hold")
GAIN = 0.6
"""Share of the correction taken per grid reading in `auto`."""
RAMP_W_PER_S = 200.0
"""How fast the AC power moves to its target in `auto` (a full 2.6 kW in 13 s)."""
DEADBAND_W = 20.0
"""An `auto` target smaller than this is idle: no hunting around zero."""


class Battery(Storage):
    kind = "battery"
    summary = "home battery, 5.2 kWh at 2.6 kW, 90 % round trip: stores solar surplus for later"
    default_priority = 1  # never shed: it is what keeps import down
    starts_on = True
    tick_s = 5.0
    params = {
        "capacity_wh": Param(5200.0, "usable capacity, Wh", 500, 100000),
        "max_charge_w": Param(2600.0, "most it draws while charging, W", 100, 20000),
        "max_discharge_w": Param(2600.0, "most it delivers while discharging, W", 100, 20000),
        "efficiency": Param(0.9, "round trip efficiency (split evenly in and out)", 0.5, 1.0),
        "min_soc": Param(10.0, "state of charge it never discharges below, %", 0, 90),
        "initial_soc": Param(50.0, "state of charge when the model starts, %", 0, 100),
        "standby_w": Param(15.0, "own use drawn from the grid while idle, W", 0, 100),
        "mode": Param("auto", "mode at start", choices=MODES),
    }

    @classmethod
    def prepare(cls, params: dict[str, ParamValue]) -> dict[str, Any]:
        if float(params["initial_soc"]) < float(params["min_soc"]):
            raise ModelError(
                f"parameter initial_soc={params['initial_soc']}: must be at least "
                f"min_soc={params['min_soc']}"
            )
        return params

    def setup(self, t: float) -> None:
        self.mode = str(self.p["mode"])
        self.capacity_j = float(self.p["capacity_wh"]) * 3600.0
        self.floor_j = self.capacity_j * float(self.p["min_soc"]) / 100.0
        self.stored_j = self.capacity_j * float(self.p["initial_soc"]) / 100.0
        self.leg = math.sqrt(float(self.p["efficiency"]))
        """The efficiency of each way, in and out."""
        self.ac_w = 0.0
        """AC power at the terminals: positive charging, negative discharging."""
        self.setpoint_w = 0.0
        """What the mode asks for (signed like `ac_w`); `ac_w` is it within the limits."""
        self.grid_w: float | None = None
        self._seen_w: float | None = None
        self._out_j = 0.0
        self._own_j = 0.0
        self._settled = t
        self._refresh()

    @property
    def rated_w(self) -> float:
        return float(self.p["max_charge_w"])

    @property
    def standby_w(self) -> float:
        return float(self.p["standby_w"])

    @property
    def max_charge_w(self) -> float:
        return float(self.p["max_charge_w"])

    @property
    def max_discharge_w(self) -> float:
        return float(self.p["max_discharge_w"])

    @property
    def capacity_wh(self) -> float:
        return float(self.p["capacity_wh"])

    def power(self) -> float:
        if not self.on:
            return 0.0
        return self.ac_w if self.ac_w > 0 else (self.standby_w if self.ac_w == 0 else 0.0)

    @property
    def discharge_w(self) -> float:
        return -self.ac_w if self.on and self.ac_w < 0 else 0.0

    @property
    def contribution_w(self) -> float:
        """What the battery adds to the home's net grid power now (negative: it supplies)."""
        return self.power_w - self.discharge_w

    @property
    def soc_pct(self) -> float:
        return 100.0 * self._stored_at(self.now) / self.capacity_j

    @property
    def energy_out_wh(self) -> float:
        """Energy delivered since the model started: the exact integral of `discharge_w`."""
        return (self._out_j + self.discharge_w * (self.now - self._settled)) / 3600.0

    @property
    def own_use_wh(self) -> float:
        """The part of `energy_wh` drawn for its own use while idle (it never reaches the
        cells): with it, stored = initial + (in - own use) x sqrt(eff) - out / sqrt(eff)."""
        return (self._own_j + self._own_w() * (self.now - self._settled)) / 3600.0

    # ---- inputs -----------------------------------------------------------------------

    def follow_grid(self, net_w: float | None, t: float, seen_w: float | None = None) -> None:
        """The hub's net grid power at `t` (None: no summary to follow). `seen_w` is the
        battery's own contribution that net includes, when the caller knows it (what the
        battery last reported); by default its contribution now. Only `auto` acts on it,
        from the next tick on; other modes keep the latest reading for when they end."""
        self.advance_to(t)
        self.grid_w = net_w
        self._seen_w = seen_w
        if self.mode == "auto":
            self.setpoint_w = self._auto_target()
            self._refresh()

    def set_mode(self, mode: str, power_w: float | None, t: float) -> dict[str, Any]:
        """Switch mode (and setpoint) at `t`; returns what was applied."""
        self.check_mode(mode, power_w)
        self.advance_to(t)
        self._settle(self.now)
        self.mode = mode
        applied: dict[str, Any] = {"mode": mode}
        if mode == "charge":
            self.setpoint_w = min(float(power_w), self.max_charge_w)  # type: ignore[arg-type]
            applied["power_w"] = self.setpoint_w
        elif mode == "discharge":
            self.setpoint_w = -min(float(power_w), self.max_discharge_w)  # type: ignore[arg-type]
            applied["power_w"] = -self.setpoint_w
        elif mode == "hold":
            self.setpoint_w = 0.0
        else:
            self.setpoint_w = self._auto_target()
        if mode != "auto":
            self.ac_w = self._within_limits(self.setpoint_w)
        self._refresh()
        self._power = self._checked_power()
        return applied

    def resume_soc(self, soc_pct: float) -> None:
        self._settle(self.now)
        stored = self.capacity_j * soc_pct / 100.0
        self.stored_j = min(self.capacity_j, max(self.floor_j, stored))
        self._refresh()

    def check_mode(self, mode: str, power_w: float | None) -> None:
        """Raise ModelError for a mode command this battery would refuse."""
        if mode not in MODES:
            raise ModelError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if mode in ("charge", "discharge"):
            if power_w is None:
                raise ModelError(f"mode {mode} needs a power_w setpoint in W")
        elif power_w is not None:
            raise ModelError(f"power_w goes only with mode charge or discharge, not {mode}")

    # ---- the model --------------------------------------------------------------------

    def update(self, t: float, dt: float) -> None:
        self._settle(t + dt)
        if not self.on:
            self.ac_w = 0.0
        else:
            target = self.setpoint_w
            if self.mode == "auto":
                step = RAMP_W_PER_S * dt
                target = min(self.ac_w + step, max(self.ac_w - step, target))
            self.ac_w = self._within_limits(target)
        self._refresh()

    def next_change(self, t: float) -> float:
        """Every tick while the AC power moves (a ramp, a limit biting); at a steady power,
        the tick before the cells could come within a tick of full or empty; none while
        nothing flows."""
        if not self.on:
            return math.inf
        target = self.setpoint_w
        rated = self.max_charge_w if target >= 0 else self.max_discharge_w
        flow = self._flow_w()
        if self.ac_w != math.copysign(min(abs(target), rated), target):
            held = self.ac_w == 0 and (
                (target > 0 and self.stored_j >= self.capacity_j)
                or (target < 0 and self.stored_j <= self.floor_j)
            )
            return math.inf if held else super().next_change(t)
        if flow == 0:
            return math.inf
        if flow > 0:
            limit_j = self.capacity_j - self.ac_w * self.leg * self.tick_s
        else:
            limit_j = self.floor_j - self.ac_w / self.leg * self.tick_s
        reached = self._settled + (limit_j - self.stored_j) / flow - self.tick_s
        if not math.isfinite(reached):  # a flow of a few femtowatts: never, in practice
            return math.inf
        return self.tick_reaching(reached)

    def apply_switch(self, on: bool, t: float) -> None:
        self._settle(t)
        self.on = on
        self.ac_w = self._within_limits(self.setpoint_w) if on and self.mode != "auto" else 0.0
        self._refresh()

    def jump_to(self, t: float) -> None:
        super().jump_to(t)
        self._settled = t  # no one lived through the gap: nothing flowed

    def _auto_target(self) -> float:
        if self.grid_w is None:
            return 0.0
        # the net includes the battery itself: what the rest of the home does is net - own
        seen_w = self.contribution_w if self._seen_w is None else self._seen_w
        rest_w = self.grid_w - seen_w
        own_w = self.ac_w
        target = own_w + GAIN * (-rest_w - own_w)
        return 0.0 if abs(target) < DEADBAND_W else target

    def _within_limits(self, ac_w: float) -> float:
        """`ac_w` cut to the rated powers and to what the cells allow for a whole tick."""
        stored = self._stored_at(self.now)
        if ac_w > 0:
            room_w = (self.capacity_j - stored) / (self.leg * self.tick_s)
            return max(0.0, min(ac_w, self.max_charge_w, room_w))
        if ac_w < 0:
            spare_w = (stored - self.floor_j) * self.leg / self.tick_s
            return -max(0.0, min(-ac_w, self.max_discharge_w, spare_w))
        return 0.0

    def _own_w(self) -> float:
        return self.standby_w if self.on and self.ac_w == 0 else 0.0

    def _flow_w(self) -> float:
        """Power into the cells now (negative out of them)."""
        if not self.on or self.ac_w == 0:
            return 0.0
        return self.ac_w * self.leg if self.ac_w > 0 else self.ac_w / self.leg

    def _stored_at(self, t: float) -> float:
        stored = self.stored_j + self._flow_w() * (t - self._settled)
        return min(self.capacity_j, max(self.floor_j, stored))  # only float rounding is cut

    def _settle(self, t: float) -> None:
        """Book the flow since the last change: the AC power is constant in between."""
        self.stored_j = self._stored_at(t)
        self._out_j += self.discharge_w * (t - self._settled)
        self._own_j += self._own_w() * (t - self._settled)
        self._settled = t

    def _refresh(self) -> None:
        if not self.on:
            self.phase = "off"
        elif self.ac_w > 0:
            self.phase = "charging"
        elif self.ac_w < 0:
            self.phase = "discharging"
        elif self.mode == "auto" and self.grid_w is None:
            self.phase = "no-summary"
        elif self.setpoint_w > 0 and self._stored_at(self.now) >= self.capacity_j:
            self.phase = "full"
        elif self.setpoint_w < 0 and self._stored_at(self.now) <= self.floor_j:
            self.phase = "empty"
        else:
            self.phase = "idle"
