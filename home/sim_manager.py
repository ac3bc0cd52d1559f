"""The energy manager inside the simulator: the live hub's own, fed as the live hub feeds it.

`SimManager` builds the pure `EnergyManager` for a run (strategy `rules` or `plan`; the
`oracle` hands it one plan to follow, home/sim_oracle.py), with the weather model's solar
forecast (home/sim_forecast.py) and the base load learnt from the run's own minutes. The
simulation asks it to decide every `DECIDE_S` of its strategy, on the minute grid, reading
the home off the core (`observe`), and sends each command through the core's command
function as actor `manager`: the device obeys it as its process would.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import replace

from devices.kinds.solar import Solar
from home.sim_forecast import SolarForecast
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.hub_core import CommandRefused, HubCore, Now
from hub.core.manager import (
    MANAGER_ACTOR,
    EnergyManager,
    HomeHistory,
    flexible_devices,
    observe,
    planning_limit_w,
)
from hub.core.planner import Plan
from hub.core.settings import HubConfig
from protocol import Command

DECIDE_S = {"rules": 60.0, "plan": 900.0}
"""How often each strategy decides: the rules' delays are minutes; a plan changes only
at its slots' starts (half hours) and is made again every 15 minutes."""
SIM_STRATEGIES = ("off", "rules", "plan", "oracle")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, nearest rank (a run's plan solve times)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class SimManager:
    def __init__(self, config: HubConfig, strategy: str, seed: int, panels: list[Solar]):
        if strategy not in SIM_STRATEGIES:
            raise ValueError(f"strategy {strategy!r}: expected one of {', '.join(SIM_STRATEGIES)}")
        zone = config.home.timezone
        flexible = flexible_devices(config)
        live = "plan" if strategy == "oracle" else strategy
        self.strategy = strategy
        self.every_s = DECIDE_S.get(live, 900.0)
        self.forecast = SolarForecast(panels, seed)
        self.manager = EnergyManager(
            replace(config.manager, strategy=live),
            zone,
            planning_limit_w(config.shedding),
            HomeHistory(zone, flexible),
            pv=self.forecast,
        )
        self.next_at = float("-inf")
        self._action_times: list[float] = []
        """When each command of a plan being followed is due (the oracle's), in order."""
        self.commands = 0
        self.refused = 0

    def follow(self, plan: Plan) -> None:
        """Carry out the oracle's `plan`, each command at its own minute (a car plugged in
        at 23:01 is told at 23:01, not at the next quarter hour the plan did not expect)."""
        self.manager.follow(plan)
        self.manager.solve_ms.append(plan.solve_ms)
        self._action_times = [action.at for action in plan.actions]

    def minutes(self, homes: list[HomeMinute], devices: list[DeviceMinute]) -> None:
        self.manager.history.add(homes, devices)

    def decide(self, core: HubCore, now: Now) -> list:
        """The core's events of each command the manager sends at `now` (on the grid)."""
        self.next_at = (now.sim // self.every_s + 1) * self.every_s
        later = bisect.bisect_right(self._action_times, now.sim)
        if later < len(self._action_times):
            self.next_at = min(self.next_at, self._action_times[later])
        horizon_s = self.manager.settings.horizon_h * 3600.0
        events = []
        for action in self.manager.decide(observe(core, now, horizon_s)):
            self.commands += 1
            command = Command.from_payload(json.dumps(action.command).encode())
            try:
                events += core.command(action.device, command, MANAGER_ACTOR, now)
            except CommandRefused:
                self.refused += 1
        return events

    @property
    def solve_ms(self) -> list[float]:
        return self.manager.solve_ms
