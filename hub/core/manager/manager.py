"""The energy manager: one strategy at a time, deciding what to command and when.

- `off`: nothing (a third-party manager may drive the home over MQTT instead);
- `rules`: evcc's behaviour (`hub.core.rules`), asked every time;
- `plan`: the cheapest plan of the next `horizon_h` (`hub.core.planner`), made again every
  `replan_s` and as soon as a device's needs (a car plugged in, a target, a departure,
  a machine loaded) or the prices change; between plans, the command each device's plan
  has for now is sent when it differs from the last one sent to it.

People stay in charge (`Holds`): a device a person commanded is left out until its next
need. A device that is offline is not in the observation, so it is planned around.
Pure: it is told the time, the home and the forecasts; the hub feature and the simulator
send the commands it returns.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from hub.core.actions import Action
from hub.core.manager.forecast import HomeHistory, PvForecast
from hub.core.manager.holds import Holds
from hub.core.manager.requests import plan_request, plan_slots
from hub.core.planner import Plan, make_plan
from hub.core.rules import Observation, RulesSettings, RulesStrategy
from hub.core.settings import STRATEGIES, ManagerSettings

LOAD_SLACK_S = 900.0
"""How long before a load is first seen a start may be planned for it: the simulator's
oracle plans each load from when it was loaded, and looks every 15 minutes."""
START_NOW_S = 60.0
"""A program's planned start closer than this is an ON: a start_at in the past is refused."""
SMART = {"mode": "smart"}


class EnergyManager:
    def __init__(
        self,
        settings: ManagerSettings,
        zone: ZoneInfo,
        import_limit_w: float,
        history: HomeHistory,
        pv: PvForecast | None = None,
    ):
        self.settings = settings
        self.zone = zone
        self.import_limit_w = import_limit_w
        self.history = history
        self.pv = pv or history.pv_w
        self.holds = Holds(zone)
        self.strategy = settings.strategy
        self.plan: Plan | None = None
        self.solve_ms: list[float] = []
        """How long each plan took to solve, in order (the simulator reports its p95)."""
        self._reset()

    def _reset(self) -> None:
        self.rules = RulesStrategy(
            RulesSettings(import_limit_w=self.import_limit_w, zone=self.zone)
        )
        self.plan = None
        self._fixed = False
        self._planned_at = -math.inf
        self._needs: tuple = ()
        self._sent: dict[str, list[Any]] = {}
        """Each device's last command, and whether it has been seen to do it since."""
        self._loads: dict[str, tuple[float | None, float]] = {}
        """Each machine's load as first seen: (its finish_by, when)."""

    def set_strategy(self, strategy: str) -> None:
        """Switch strategy (ValueError for an unknown one, changing nothing)."""
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy {strategy!r}: expected one of {', '.join(STRATEGIES)}")
        if strategy != self.strategy:
            self.strategy = strategy
            self._reset()

    def follow(self, plan: Plan) -> None:
        """Carry out `plan` to its end and never plan again: the simulator's `oracle`, whose
        one plan of the whole run knows the future (home/sim_oracle.py)."""
        self.set_strategy("plan")
        self.plan, self._fixed = plan, True

    def person_commanded(self, device_id: str, t: float) -> None:
        self.holds.person_commanded(device_id, t)
        self._sent.pop(device_id, None)

    def decide(self, observation: Observation) -> list[Action]:
        """The commands to send at `observation.t`."""
        free = self.holds.release_due(list(observation.devices), observation.t)
        observation = replace(observation, devices=free)
        if self.strategy == "off":
            return []
        if self.strategy == "rules":
            return self.rules.decide(observation)
        if self._replan_due(observation):
            self._replan(observation)
        return self._due(observation)

    # ---- plan -------------------------------------------------------------------------

    def _replan_due(self, observation: Observation) -> bool:
        if self._fixed:
            return False
        needs = _needs(observation)
        if needs != self._needs:
            self._needs = needs
            return True
        return observation.t - self._planned_at >= self.settings.replan_s

    def _replan(self, observation: Observation) -> None:
        t, settings = observation.t, self.settings
        slots = plan_slots(observation.prices, t, t + settings.horizon_h * 3600, settings.slot_s)
        if not slots:
            self.plan = None
            return
        request = plan_request(
            observation,
            self.history.base_w(slots),
            self.pv(slots, t),
            slots,
            settings,
            self.zone,
            self.import_limit_w,
        )
        self.plan = make_plan(request)
        self.solve_ms.append(self.plan.solve_ms)
        self._planned_at = t

    def _due(self, observation: Observation) -> list[Action]:
        """Per device, the plan's command for now, when it is not what was sent last."""
        if self.plan is None:
            return []
        t = observation.t
        devices = {device.device_id: device for device in observation.devices}
        current: dict[str, Action] = {}
        for action in self.plan.actions:  # in time order: the last at or before t wins
            if action.at <= t and action.device in devices:
                current[action.device] = action
        for device_id, device in devices.items():
            if device.can_boost and device_id not in current:
                # not boosting now in this plan: the last boost ended by itself (its store
                # full), and the next one the plan makes is said again
                self._sent.pop(device_id, None)
        actions = []
        for device_id, action in sorted(current.items()):
            device = devices[device_id]
            command = dict(action.command)
            if device.is_deferrable:  # a start, for a load: none once it ran or went
                if device.state.phase != "ready" or not self._for_this_load(device, action):
                    continue
                if command.get("start_at", math.inf) <= t + START_NOW_S:
                    command = {"on": True}
            if device.is_ev_charger and not device.state.plugged:
                continue  # the car left: an ON now would plug in one that is not there
            if device.is_ev_charger and device.state.mode != "smart":
                command, why = dict(SMART), "the plan steers the charge"
            else:
                why = action.why
            if self._due_again(device, command):
                actions.append(Action(device_id, t, command, why))
        return actions

    def _due_again(self, device: Any, command: dict[str, Any]) -> bool:
        """Whether to send `command` now: it was not the last sent, or the device did as it
        said and has since moved off it by itself (a car plugged in switches its charger
        on; the plan's "wait" must be said again). A device that never complies is not
        asked twice."""
        last = self._sent.get(device.device_id)
        shows = _shows(device.state, command)
        if last is None or last[0] != command:
            self._sent[device.device_id] = [command, shows]
            return True
        if shows:
            last[1] = True
            return False
        if last[1]:
            last[1] = False
            return True
        return False

    def _for_this_load(self, device: Any, action: Action) -> bool:
        """Whether `action` was planned for the load now in `device`, not an earlier one (a
        plan of the whole run has a start for every load; a load it did not know of gets
        none). Planned at most `LOAD_SLACK_S` before the load was first seen."""
        finish_by = device.state.finish_by
        load = self._loads.get(device.device_id)
        if load is None or load[0] != finish_by:
            load = self._loads[device.device_id] = (finish_by, device.state.ts)
        return action.at >= load[1] - LOAD_SLACK_S


def _shows(state: Any, command: dict[str, Any]) -> bool:
    """Whether the device's state does what `command` says (as far as a state tells)."""
    if "on" in command and state.on != command["on"]:
        return False
    if "level" in command and state.level is not None and state.level != command["level"]:
        return False
    return "mode" not in command or state.mode == command["mode"]


def _needs(observation: Observation) -> tuple:
    """What makes a plan out of date at once: a device's needs or the prices."""
    needs: list[Any] = []
    for device in sorted(observation.devices, key=lambda d: d.device_id):
        state = device.state
        if device.is_ev_charger:
            needs.append((device.device_id, state.plugged, state.target_soc, state.departure))
        elif device.is_deferrable:
            needs.append((device.device_id, state.phase == "ready", state.finish_by))
        elif device.is_storage:
            needs.append((device.device_id, "storage"))
    prices = tuple((s.start, s.import_price, s.export_price) for s in observation.prices[:1])
    return (tuple(needs), prices)
