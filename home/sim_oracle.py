"""The `oracle` strategy: one plan of the whole run, made knowing its whole future.

It is the limit every other strategy is measured against. The run is first played with
no manager (`off`), recording what no manager changes: each half hour's base load (the
home less its battery, cars and programs) and solar, when each car arrives (its charge,
target, departure) and when each machine is loaded (its `finish_by`, its program's length
and what its run drew). One programme over the whole run (`hub.core.planner`, with every
car's session and every load as its own device) is then solved once, and the run is
played again with the manager following that plan: each command at its slot, a
machine's start once it is loaded. The same home, seed and devices, so the futures are
the ones the plan knew.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from hub.core.actions import Action
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.hub_core import HubCore, Now
from hub.core.manager import observe, planning_limit_w
from hub.core.manager.requests import MIN_CURRENT_SHARE, plan_slots
from hub.core.planner import Battery, Car, Plan, PlanRequest, Program, make_plan
from hub.core.settings import HubConfig

SLOT_S = 1800.0
WATCH_S = 60.0
"""How closely the recording looks for a car plugged in or a machine loaded."""


@dataclass
class _Run:
    device: str
    start: float
    energy_wh: float
    program_s: float


@dataclass
class Recorder:
    """What the `off` run shows of the future, gathered as a `SimManager` is fed."""

    config: HubConfig
    flexible: frozenset[str]
    base_wh: dict[float, float] = field(default_factory=lambda: defaultdict(float))
    pv_wh: dict[float, float] = field(default_factory=lambda: defaultdict(float))
    cars: list[Car] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    battery: Battery | None = None
    next_at: float = float("-inf")
    _seen: dict[str, Any] = field(default_factory=dict)
    _runs: dict[str, _Run] = field(default_factory=dict)
    _mean_w: dict[int, float] = field(default_factory=dict)
    _minutes: dict[int, tuple[float, float]] = field(default_factory=dict)
    _flexible_wh: dict[int, float] = field(default_factory=lambda: defaultdict(float))

    def minutes(self, homes: list[HomeMinute], devices: list[DeviceMinute]) -> None:
        flexible: dict[int, float] = defaultdict(float)
        for row in devices:
            if row.device in self.flexible:
                flexible[row.minute] += row.energy_wh
        for home in homes:
            base = home.consumption_wh - home.battery_in_wh - flexible.get(home.minute, 0.0)
            slot = home.minute - home.minute % SLOT_S
            old_base, old_pv = self._minutes.get(home.minute, (0.0, 0.0))
            self.base_wh[slot] += max(0.0, base) - old_base
            self.pv_wh[slot] += home.production_wh - old_pv
            self._minutes[home.minute] = (max(0.0, base), home.production_wh)

    def decide(self, core: HubCore, now: Now) -> list:
        self.next_at = now.sim + WATCH_S
        t = now.sim
        for device in observe(core, now, 0.0).devices:
            state, before = device.state, self._seen.get(device.device_id)
            self._seen[device.device_id] = state
            if device.is_storage and self.battery is None and state.soc_pct is not None:
                self.battery = _battery(self.config, device)
            elif device.is_ev_charger and state.plugged and not (before and before.plugged):
                self._car(device, t)
            elif device.is_deferrable:
                self._program(device, before, t)
        return []

    def _car(self, device, t: float) -> None:
        state = device.state
        if state.soc_pct is None or state.target_soc is None or state.departure is None:
            return
        capacity = self.config.manager.car_capacity_wh.get(
            device.device_id, self.config.manager.default_car_capacity_wh
        )
        self.cars.append(
            Car(
                device=f"{device.device_id}#{len(self.cars)}",
                plugged=True,
                soc_pct=state.soc_pct,
                capacity_wh=capacity,
                target_soc_pct=state.target_soc,
                departure=state.departure,
                max_w=device.meta.rated_w,
                min_w=device.meta.rated_w * MIN_CURRENT_SHARE,
                arrival=t,
            )
        )

    def _program(self, device, before, t: float) -> None:
        state, device_id = device.state, device.device_id
        was_ready = before is not None and before.phase == "ready"
        if state.phase == "ready" and not was_ready and state.finish_by and state.program_s:
            index = len(self.programs)
            self.programs.append(
                Program(f"{device_id}#{index}", t, state.finish_by, ((state.program_s, 0.0),))
            )
            self._runs[device_id] = _Run(f"{device_id}#{index}", -1.0, 0.0, state.program_s)
        run = self._runs.get(device_id)
        if run is None:
            return
        if was_ready and state.phase != "ready":
            run.start, run.energy_wh = t, state.energy_wh
        elif run.start >= 0 and t >= run.start + run.program_s:
            index = int(run.device.rsplit("#", 1)[1])
            self._mean_w[index] = (state.energy_wh - run.energy_wh) * 3600.0 / run.program_s
            del self._runs[device_id]

    def _within(self, car: Car, end: float) -> Car:
        """A car that leaves after the run's end is asked, by the end, for the charge it
        had then with no manager (it charges on after the run): so every strategy is held
        to about the same energy into the car."""
        if car.departure <= end:
            return car
        device = car.device.rsplit("#", 1)[0]
        last = self._seen.get(device)
        reached = last.soc_pct if last is not None and last.soc_pct is not None else car.soc_pct
        target = min(car.target_soc_pct, max(car.soc_pct, reached))
        return replace(car, departure=end, target_soc_pct=target)

    def _ending(self, battery: Battery | None) -> Battery | None:
        """The battery asked to end the run holding at least what it held at the end with
        no manager: what it stored is not the oracle's to sell or burn at the end."""
        last = self._seen.get(battery.device) if battery is not None else None
        if battery is None or last is None or last.soc_pct is None:
            return battery
        return replace(battery, final_soc_pct=max(battery.min_soc_pct, last.soc_pct))

    def request(self, core: HubCore, start: float, end: float) -> PlanRequest:
        """The whole run as one programme, with the true futures recorded."""
        slots = plan_slots(core.prices.slots(start, end), start, end, SLOT_S)
        programs = []
        for index, program in enumerate(self.programs):
            watts = self._mean_w.get(index)
            if watts is None:  # never ran in the run: the rated power at the usual duty
                continue
            duration = program.profile[0][0]
            programs.append(replace(program, profile=((duration, max(1.0, watts)),)))
        return PlanRequest(
            made=start,
            slots=tuple(slots),
            base_load_w=_mean_w(self.base_wh, slots),
            pv_w=_mean_w(self.pv_wh, slots),
            zone=self.config.home.timezone,
            import_limit_w=planning_limit_w(self.config.shedding),
            battery=self._ending(self.battery),
            cars=tuple(self._within(car, end) for car in self.cars),
            programs=tuple(programs),
            co2_weight=self.config.manager.co2_weight,
            exact_export=False,  # as the rolling plan: the same model, the whole future
        )


def _mean_w(energy_wh: dict[float, float], slots) -> tuple[float, ...]:
    return tuple(energy_wh.get(s.start, 0.0) * 3600.0 / (s.end - s.start) for s in slots)


def _battery(config: HubConfig, device) -> Battery:
    entry = next((e for e in config.devices if e.id == device.device_id), None)
    params = entry.params if entry is not None else {}
    meta = device.meta
    return Battery(
        device=device.device_id,
        capacity_wh=meta.capacity_wh,
        max_charge_w=meta.max_charge_w or meta.rated_w,
        max_discharge_w=meta.max_discharge_w or meta.rated_w,
        soc_pct=device.state.soc_pct,
        efficiency=float(params.get("efficiency", 0.9)),
        min_soc_pct=float(params.get("min_soc", 10.0)),
        cycle_cost=config.manager.battery_cycle_cost,
    )


def devices_plan(plan: Plan, request: PlanRequest) -> Plan:
    """The plan with each session's commands given to its device (`ev#2` is `ev`): each
    due from when its car was plugged in or its machine loaded (the plan was made before
    either), and a car's none after it left, so that one session's commands never
    override another's on the same device."""
    since = {program.device: program.ready_since for program in request.programs}
    until: dict[str, float] = {}
    for car in request.cars:
        since[car.device] = car.plugged_from(request.start)
        until[car.device] = car.departure
    actions = []
    for action in plan.actions:
        if action.at >= until.get(action.device, float("inf")):
            continue
        device = action.device.rsplit("#", 1)[0]
        at = max(action.at, since.get(action.device, action.at))
        actions.append(Action(device, at, dict(action.command), action.why))
    actions.sort(key=lambda action: action.at)
    return replace(plan, actions=tuple(actions))


def oracle_plan(simulation_off, start: float, end: float) -> Plan:
    """Run `simulation_off` (a `HomeSimulation` watched by a `Recorder`) to `end` and solve
    the whole run once."""
    simulation_off.run(end)
    recorder: Recorder = simulation_off.manager
    request = recorder.request(simulation_off.core, start, end)
    return devices_plan(make_plan(request), request)
