"""Threshold rules: turn what the home is doing into raise and clear decisions.

A rule raises when its value has stayed above ``above`` for ``for_s`` seconds
without a break, and clears when the value has stayed below ``clear_below`` for
``for_s`` seconds; values in between keep whatever the rule was doing, so a load
hovering at the threshold does not flap. The monitor only decides: the core
turns each `Breach` into an alert (see `hub.core.alerts`).

Time comes only from the ``now`` passed in. A ``now`` earlier than the start of
a running debounce (the simulation clock was re-anchored backwards) restarts
that debounce, so going back in time never raises, clears or flaps anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from hub.core.settings import (
    DAILY_COST,
    DAILY_ENERGY,
    DEVICE_POWER,
    THRESHOLD_RULES,
    TOTAL_POWER,
    ThresholdConfig,
)


@dataclass(frozen=True)
class Observation:
    """What the core knows at one instant: watts, today's kWh and today's cost.

    ``device_power_w`` holds only devices with a current reading; a device that
    is offline or stale is absent, and its device-power rule holds its state.
    """

    total_power_w: float
    device_power_w: Mapping[str, float]
    energy_today_kwh: float
    cost_today: float


@dataclass(frozen=True)
class Breach:
    """A rule changed state: ``raised`` True for a raise, False for a clear.

    ``threshold`` is what was crossed: ``above`` for a raise, ``clear_below``
    for a clear. ``value`` is None only when a rule that was raised (restored
    after a restart) is removed before it was ever evaluated.
    """

    rule_key: str
    alert_rule: str
    device: str | None
    raised: bool
    value: float | None
    threshold: float
    level: str
    message: str


class ConditionTimer:
    """How long a condition has held without a break, judged at the instants it is checked.

    Shared by the threshold rules and load shedding, so that every debounce in
    the hub treats a clock that goes backwards the same way: as a restart.
    """

    def __init__(self) -> None:
        self._since: float | None = None

    def held(self, now: float, holding: bool, for_s: float) -> bool:
        """Record whether the condition holds at `now`; True once it has held `for_s` s."""
        if not holding:
            self._since = None
            return False
        if self._since is None or now < self._since:
            self._since = now
        return now - self._since >= for_s

    def restart(self, now: float | None = None) -> None:
        """Start counting again from `now` (None: from the next instant it holds)."""
        self._since = now


def format_power(watts: float) -> str:
    """Watts as a person reads them: ``7.45 kW`` from 1 kW up, ``45 W`` below."""
    if abs(watts) >= 1000:
        return f"{watts / 1000:.2f} kW"
    return f"{watts:.0f} W"


@dataclass(frozen=True)
class _Measure:
    """How one kind of rule reads its value and words its messages."""

    read: Callable[[Observation, str | None], float | None]
    subject: str  # a template: "{device}" is replaced by the rule's device
    value_text: Callable[[float, str], str]
    threshold_text: Callable[[float, str], str]
    is_power: bool = False


def _power(watts: float, currency: str) -> str:
    return format_power(watts)


def _kwh(kwh: float, currency: str) -> str:
    return f"{kwh:.1f} kWh"


def _money(amount: float, currency: str) -> str:
    return f"{amount:.2f} {currency}".rstrip()


def _plain_money(amount: float, currency: str) -> str:
    return f"{amount:.2f}"


# How each rule of THRESHOLD_RULES is measured and worded (a test checks none is missing).
_MEASURES: dict[str, _Measure] = {
    TOTAL_POWER: _Measure(lambda obs, device: obs.total_power_w, "Home", _power, _power, True),
    DEVICE_POWER: _Measure(
        lambda obs, device: obs.device_power_w.get(device or ""), "{device}", _power, _power, True
    ),
    DAILY_ENERGY: _Measure(lambda obs, device: obs.energy_today_kwh, "Today's energy", _kwh, _kwh),
    DAILY_COST: _Measure(lambda obs, device: obs.cost_today, "Today's cost", _money, _plain_money),
}


def rule_key(rule: ThresholdConfig) -> str:
    """The identity of a rule instance: its alert rule, plus the device for device rules."""
    alert_rule = f"{rule.rule}-high"
    return alert_rule if rule.device is None else f"{alert_rule}:{rule.device}"


def _check_rules(rules: Sequence[ThresholdConfig]) -> None:
    seen: set[str] = set()
    for rule in rules:
        spec = THRESHOLD_RULES.get(rule.rule)
        if spec is None:
            raise ValueError(
                f"threshold rule {rule.rule!r} is unknown; use one of {', '.join(THRESHOLD_RULES)}"
            )
        if spec.takes_device != (rule.device is not None):
            raise ValueError(
                f"threshold rule {rule.rule!r} "
                + ("needs a device" if spec.takes_device else "takes no device")
            )
        key = rule_key(rule)
        if key in seen:
            raise ValueError(f"threshold rule {key!r} is given twice; keep one")
        seen.add(key)


@dataclass
class _RuleState:
    rule: ThresholdConfig
    raised: bool = False
    last_value: float | None = None

    def __post_init__(self) -> None:
        self.timer = ConditionTimer()


class ThresholdMonitor:
    """Debounced, hysteretic threshold rules over successive observations.

    Promises: a rule raises at most once until it clears and clears only after
    it raised; each state change is reported exactly once, by `evaluate` or (for
    removed rules) by `replace_rules`.
    """

    def __init__(self, rules: Sequence[ThresholdConfig], currency: str = "") -> None:
        self._currency = currency
        self._states: dict[str, _RuleState] = {}
        self.replace_rules(rules)

    @property
    def rules(self) -> list[ThresholdConfig]:
        return [state.rule for state in self._states.values()]

    def replace_rules(self, rules: Sequence[ThresholdConfig]) -> list[Breach]:
        """Apply a run-time edit of the rules; return clears for raised rules that went away.

        A rule that is unchanged keeps its state (raised, debounce progress). A
        rule that is removed or edited loses it; if it was raised, its alert is
        reported cleared here, and an edited rule then starts afresh. Raises
        `ValueError` naming the rule, and changes nothing, if `rules` is invalid.
        """
        _check_rules(rules)
        old = self._states
        self._states = {}
        for rule in rules:
            key = rule_key(rule)
            kept = old.get(key)
            self._states[key] = kept if kept is not None and kept.rule == rule else _RuleState(rule)
        return [
            self._breach(
                key,
                state,
                raised=False,
                value=state.last_value,
                withdrawn="changed" if key in self._states else "removed",
            )
            for key, state in old.items()
            if state.raised and self._states.get(key) is not state
        ]

    def restore(self, raised: Iterable[tuple[str, str | None]]) -> None:
        """Mark rules raised from alerts still open before a restart: (alert rule, device).

        Without this, an alert restored from the store could never be cleared.
        Pairs matching no current rule are ignored.
        """
        wanted = set(raised)
        for state in self._states.values():
            if (f"{state.rule.rule}-high", state.rule.device) in wanted:
                state.raised = True
                state.timer.restart()

    def raised(self) -> list[str]:
        """Keys of the rules currently raised, in rule order."""
        return [key for key, state in self._states.items() if state.raised]

    def evaluate(self, now: float, obs: Observation) -> list[Breach]:
        """Advance every rule to `now` with `obs`; return the raises and clears, in rule order."""
        breaches = []
        for key, state in self._states.items():
            rule = state.rule
            value = _MEASURES[rule.rule].read(obs, rule.device)
            if value is None:
                # The device is offline: hold the state, but its value was not
                # seen to stay anywhere meanwhile, so the debounce starts over.
                state.timer.restart()
                continue
            state.last_value = value
            crossing = value < rule.clear_below if state.raised else value > rule.above
            if state.timer.held(now, crossing, rule.for_s):
                state.raised = not state.raised
                state.timer.restart()
                breaches.append(self._breach(key, state, raised=state.raised, value=value))
        return breaches

    def _breach(
        self,
        key: str,
        state: _RuleState,
        *,
        raised: bool,
        value: float | None,
        withdrawn: str | None = None,
    ) -> Breach:
        rule = state.rule
        return Breach(
            rule_key=key,
            alert_rule=f"{rule.rule}-high",
            device=rule.device,
            raised=raised,
            value=value,
            threshold=rule.above if raised else rule.clear_below,
            level=rule.level,
            message=self._message(rule, raised, value, withdrawn),
        )

    def _message(
        self, rule: ThresholdConfig, raised: bool, value: float | None, withdrawn: str | None
    ) -> str:
        measure = _MEASURES[rule.rule]
        subject = measure.subject.format(device=rule.device)
        noun = f"{subject} power" if measure.is_power else subject
        if withdrawn is not None or value is None:
            return f"{noun} alert cleared: its rule was {withdrawn or 'removed'}"
        now_text = measure.value_text(value, self._currency)
        if not raised:
            limit = measure.threshold_text(rule.clear_below, self._currency)
            return f"{noun} back to {now_text} (below {limit})"
        limit = measure.threshold_text(rule.above, self._currency)
        if measure.is_power:
            return f"{subject} draws {now_text}, above {limit} for {rule.for_s:g} s"
        return f"{subject} {now_text} is above {limit}"
