"""The energy manager on the live hub: a feature that observes, decides and commands.

On each summary (once a second of real time) at least `DECIDE_S` of simulated time
after its last decision, it reads the home off the core (it runs on the core's own
thread: `observe`), asks the pure `EnergyManager`, and queues each command through
the core's one command function as actor `manager` (so the audit log holds them with
the devices' answers). It learns the base load from the ledger's minutes, hears a
person's command to a device (any actor but itself and the shedder) and holds off
it, publishes each new plan on ``home/hub/plan`` (retained; cleared when the
strategy is not `plan`), and takes ``{"strategy": ...}`` on ``home/hub/manager/set``,
answering on ``home/hub/manager/result``; the dashboard switches it the same way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any

from hub.controller import Feature
from hub.core.alert_events import SHEDDING_ACTOR
from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.core.events import CommandIssued, Event, LedgerChanged, SummaryComputed
from hub.core.hub_core import HubCore, Now
from hub.core.manager import (
    MANAGER_ACTOR,
    STRATEGIES,
    EnergyManager,
    HomeHistory,
    flexible_devices,
    observe,
    planning_limit_w,
)
from hub.core.settings import HubConfig
from protocol import Command, ProtocolError

log = logging.getLogger("hub")

DECIDE_S = 60.0
"""The manager decides at most once a simulated minute (the rules' delays are minutes)."""
EXPECTED = '{"strategy": "off" | "rules" | "plan"}'

Submit = Callable[[Callable[[HubCore, Now], list[Event]]], Future]


class ManagerFeature(Feature):
    def __init__(
        self,
        core: HubCore,
        now: Callable[[], Now],
        submit: Submit,
        publish_plan: Callable[[bytes], None],
        publish_result: Callable[[bytes], None],
    ):
        config: HubConfig = core.config
        self.core, self.now, self.submit = core, now, submit
        self.publish_plan, self.publish_result = publish_plan, publish_result
        flexible = flexible_devices(config)
        self.manager = EnergyManager(
            config.manager,
            config.home.timezone,
            planning_limit_w(config.shedding),
            HomeHistory(config.home.timezone, flexible),
        )
        self._decided = float("-inf")
        self._published: float | None = None
        self.plan_payload: dict[str, Any] | None = None
        """The plan last published (what `/api/plan` answers), None while there is none."""

    @property
    def flexible(self) -> frozenset[str]:
        """The devices whose energy the manager moves (not base load)."""
        return self.manager.history.flexible

    def learn(self, homes: Iterable[HomeMinute], devices: Iterable[DeviceMinute]) -> None:
        """Minutes a previous run logged (hub/store/restore.py's `recent_minutes`): the
        forecasts' past, so a restarted hub does not plan on a flat guess for a day."""
        self.manager.history.add(homes, devices)

    @property
    def strategy(self) -> str:
        return self.manager.strategy

    # ---- the core thread --------------------------------------------------------------

    def handle(self, event: Event) -> None:
        if isinstance(event, LedgerChanged):
            self.manager.history.add(event.homes, event.devices)
        elif isinstance(event, CommandIssued):
            if event.actor not in (MANAGER_ACTOR, SHEDDING_ACTOR):
                self.manager.person_commanded(event.device_id, self.now().sim)
        elif isinstance(event, SummaryComputed):
            now = self.now()
            if now.sim - self._decided >= DECIDE_S:
                self._decided = now.sim
                self._decide(now)

    def set_strategy(self, strategy: object) -> dict[str, Any]:
        """Switch strategy (ValueError, changing nothing, for one that is not known)."""
        if not isinstance(strategy, str) or strategy not in STRATEGIES:
            raise ValueError(
                f"strategy must be one of {', '.join(STRATEGIES)}, got {json.dumps(strategy)}"
            )
        before = self.manager.strategy
        self.manager.set_strategy(strategy)
        if strategy != before:
            log.info("energy manager: %s -> %s", before, strategy)
            self._decided = float("-inf")  # decide at the next summary
            self._publish_plan()
        return self.status()

    def request(self, payload: bytes) -> None:
        """A ``home/hub/manager/set`` message: switch, and answer on the result topic."""
        try:
            try:
                data = json.loads(payload)
            except ValueError:  # JSONDecodeError and UnicodeDecodeError
                data = None
            if not isinstance(data, dict) or set(data) != {"strategy"}:
                raise ValueError(f"expected JSON {EXPECTED}")
            answer = {"ok": True, **self.set_strategy(data["strategy"])}
        except ValueError as exc:
            log.info("refused manager/set %r: %s", payload[:80], exc)
            answer = {"ok": False, "error": str(exc), "strategy": self.strategy}
        self.publish_result(json.dumps(answer).encode())

    def status(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "strategies": list(STRATEGIES)}

    def _decide(self, now: Now) -> None:
        horizon_s = self.manager.settings.horizon_h * 3600.0
        try:
            actions = self.manager.decide(observe(self.core, now, horizon_s))
        except Exception:  # a bad plan must not stop the hub; the next minute tries again
            log.exception("energy manager failed to decide")
            return
        for action in actions:
            try:
                command = Command.from_payload(json.dumps(action.command).encode())
            except ProtocolError as exc:
                log.error("energy manager made a bad command %r: %s", action.command, exc)
                continue
            log.info("manager -> %s %s: %s", action.device, action.command, action.why)
            future = self.submit(
                lambda core, now, d=action.device, c=command: core.command(d, c, MANAGER_ACTOR, now)
            )
            future.add_done_callback(_log_refusal(action.device))
        plan = self.manager.plan
        if plan is not None and plan.made != self._published:
            self._publish_plan()

    def _publish_plan(self) -> None:
        plan = self.manager.plan if self.strategy == "plan" else None
        self._published = plan.made if plan is not None else None
        self.plan_payload = plan.to_payload(self.strategy) if plan is not None else None
        self.publish_plan(b"" if plan is None else json.dumps(self.plan_payload).encode())


def _log_refusal(device_id: str) -> Callable[[Future], None]:
    def done(future: Future) -> None:
        if future.exception() is not None:
            log.info("manager's command to %s refused: %s", device_id, future.exception())

    return done
