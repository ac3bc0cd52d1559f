"""The `rules` strategy: what an evcc user would set up, as one pure object.

Given the home at sim time t (`Observation`), `decide` returns the commands to send
now, each with its reason:
- a battery charges from the grid in the cheapest hours that fill it when the dearest
  hour ahead makes that worth its losses and wear (evcc's battery grid charging), holds
  its charge for that hour while no surplus comes and the grid now is cheaper than
  buying the charge back before then, and is in `auto` (self-consumption) otherwise
  (`BatteryRule`);
- a car charges from the surplus (`pv`) unless exporting it pays more, and at full
  power (`now`) in the cheapest time before departure that its target needs (`EvRule`);
- a loaded deferrable machine starts in the cheapest window that still finishes by its
  `finish_by` (`ProgramRule`);
- a water heater or heat pump boosts on a lasting surplus or in the day's cheapest
  slots (`BoostRule`).

Everything it remembers (the delays' timers, what it asked and not yet seen done) lives
in this object and moves only with the t it is given, so the same observations give the
same actions, and a tick with nothing new gives none. A device missing from an
observation (offline, gone) is forgotten, and planned afresh when it is back.
"""

from __future__ import annotations

from hub.core.actions import Action
from hub.core.rules.battery import BatteryRule
from hub.core.rules.boost import BoostRule
from hub.core.rules.ev import EvRule
from hub.core.rules.observation import Observation
from hub.core.rules.programs import ProgramRule
from hub.core.rules.sent import SentCommands
from hub.core.rules.settings import RulesSettings


class RulesStrategy:
    name = "rules"

    def __init__(self, settings: RulesSettings | None = None):
        self.settings = settings = settings or RulesSettings()
        self._sent = SentCommands()
        self._ev = EvRule(settings, self._sent)
        self._programs = ProgramRule(settings)
        self._boost = BoostRule(settings)
        self._battery = BatteryRule(settings, self._sent)
        self._last_t: float | None = None

    def decide(self, observation: Observation) -> list[Action]:
        """The commands to send at `observation.t`; `ValueError`, changing nothing, if t is
        before the last observation's."""
        t = observation.t
        if self._last_t is not None and t < self._last_t:
            raise ValueError(f"time went backwards: {t!r} after {self._last_t!r}")
        self._last_t = t
        devices = sorted(observation.devices, key=lambda device: device.device_id)
        present = {device.device_id for device in devices}
        for memory in (self._sent, self._ev, self._programs, self._boost):
            memory.forget(present)
        actions: list[Action] = []
        for device in devices:
            action = None
            if device.is_storage:
                action = self._battery.decide(device, t, observation.prices, observation.net_w)
            elif device.is_ev_charger:
                action = self._ev.decide(device, t, observation.prices)
            elif device.is_deferrable:
                action = self._programs.decide(device, t, observation.prices)
            if action is not None:
                actions.append(action)
        boosters = [device for device in devices if device.can_boost]
        actions += self._boost.decide(boosters, t, observation.net_w, observation.prices)
        return actions
