"""Threshold rules (hub.core.thresholds): debounce, hysteresis, messages, run-time edits."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.settings import THRESHOLD_RULES, ThresholdConfig
from hub.core.thresholds import ConditionTimer, Observation, ThresholdMonitor, format_power

T0 = 1763900000.0


def rule(
    rule: str = "total-power",
    above: float = 7000.0,
    clear_below: float = 6650.0,
    for_s: float = 10.0,
    level: str = "warning",
    device: str | None = None,
) -> ThresholdConfig:
    return ThresholdConfig(
        rule=rule, above=above, clear_below=clear_below, for_s=for_s, level=level, device=device
    )


def home(watts: float, devices: dict[str, float] | None = None, kwh=0.0, cost=0.0) -> Observation:
    return Observation(
        total_power_w=watts, device_power_w=devices or {}, energy_today_kwh=kwh, cost_today=cost
    )


def run(monitor: ThresholdMonitor, samples) -> list[tuple[float, bool, str]]:
    """Feed (seconds after T0, watts) samples; return (when, raised, message) per breach."""
    out = []
    for dt, watts in samples:
        for breach in monitor.evaluate(T0 + dt, home(watts)):
            out.append((dt, breach.raised, breach.message))
    return out


@pytest.mark.parametrize("spec", THRESHOLD_RULES.values(), ids=lambda spec: spec.name)
def test_every_rule_of_the_table_is_measured_and_raises(spec):
    device = "kettle" if spec.takes_device else None
    monitor = ThresholdMonitor([rule(spec.name, above=1.0, clear_below=0.5, device=device)])
    high = Observation(5.0, {"kettle": 5.0}, energy_today_kwh=5.0, cost_today=5.0)
    [breach] = monitor.evaluate(T0, high) + monitor.evaluate(T0 + 10, high)
    assert (breach.alert_rule, breach.device, breach.raised) == (f"{spec.name}-high", device, True)


def test_raises_once_the_value_has_stayed_above_for_for_s():
    monitor = ThresholdMonitor([rule()])
    assert monitor.evaluate(T0, home(7450)) == []
    assert monitor.evaluate(T0 + 9.9, home(7450)) == []
    [breach] = monitor.evaluate(T0 + 10, home(7450))
    assert breach.raised is True
    assert (breach.rule_key, breach.alert_rule, breach.device) == (
        "total-power-high",
        "total-power-high",
        None,
    )
    assert (breach.value, breach.threshold, breach.level) == (7450, 7000, "warning")
    assert breach.message == "Home draws 7.45 kW, above 7.00 kW for 10 s"
    # Raised once: staying above raises nothing more.
    assert monitor.evaluate(T0 + 60, home(9000)) == []
    assert monitor.raised() == ["total-power-high"]


def test_a_dip_below_above_restarts_the_debounce():
    monitor = ThresholdMonitor([rule()])
    samples = [(0, 7450), (6, 6900), (8, 7100), (17, 7100), (18, 7100)]
    assert run(monitor, samples) == [(18, True, "Home draws 7.10 kW, above 7.00 kW for 10 s")]


def test_exactly_at_above_is_not_above():
    monitor = ThresholdMonitor([rule()])
    assert run(monitor, [(0, 7000), (10, 7000), (30, 7000)]) == []


def test_hysteresis_holds_between_clear_below_and_above_then_clears():
    monitor = ThresholdMonitor([rule()])
    raised = [(0, 7450), (10, 7450)]
    # Hovering around the threshold inside the band: no clear, no second raise.
    band = [(12, 6990), (15, 7010), (20, 6650), (40, 6700), (60, 6999)]
    # Below clear_below from 61, back in the band at 65 (restarts), below from 66.
    clearing = [(61, 6200), (65, 6700), (66, 6200), (75.9, 6200), (76, 6200)]
    assert run(monitor, raised + band + clearing) == [
        (10, True, "Home draws 7.45 kW, above 7.00 kW for 10 s"),
        (76, False, "Home power back to 6.20 kW (below 6.65 kW)"),
    ]
    assert monitor.raised() == []


def test_clear_breach_names_clear_below_as_its_threshold():
    monitor = ThresholdMonitor([rule(for_s=0)])
    monitor.evaluate(T0, home(7450))
    [clear] = monitor.evaluate(T0 + 1, home(6000))
    assert (clear.raised, clear.value, clear.threshold) == (False, 6000, 6650)


def test_for_s_zero_raises_and_clears_at_the_first_sample():
    monitor = ThresholdMonitor([rule(for_s=0)])
    assert [b.raised for b in monitor.evaluate(T0, home(7001))] == [True]
    assert [b.raised for b in monitor.evaluate(T0 + 1, home(6649))] == [False]


def test_device_power_rule_names_the_device_and_holds_while_it_is_missing():
    kettle = rule("device-power", above=3000, clear_below=2850, for_s=5, device="kitchen-kettle")
    monitor = ThresholdMonitor([kettle])
    monitor.evaluate(T0, home(0, {"kitchen-kettle": 3100}))
    [breach] = monitor.evaluate(T0 + 5, home(0, {"kitchen-kettle": 3100}))
    assert breach.rule_key == "device-power-high:kitchen-kettle"
    assert (breach.alert_rule, breach.device) == ("device-power-high", "kitchen-kettle")
    assert breach.message == "kitchen-kettle draws 3.10 kW, above 3.00 kW for 5 s"
    # Offline for a long time: neither cleared nor raised again.
    assert monitor.evaluate(T0 + 100, home(0, {"other": 5})) == []
    assert monitor.evaluate(T0 + 500, home(0)) == []
    assert monitor.raised() == ["device-power-high:kitchen-kettle"]
    # Back with a low reading: the clear needs its own full for_s.
    assert monitor.evaluate(T0 + 501, home(0, {"kitchen-kettle": 0})) == []
    [clear] = monitor.evaluate(T0 + 506, home(0, {"kitchen-kettle": 0}))
    assert clear.message == "kitchen-kettle power back to 0 W (below 2.85 kW)"


def test_a_missing_device_restarts_a_pending_debounce():
    lamp = rule("device-power", above=40, clear_below=30, for_s=5, device="lamp")
    monitor = ThresholdMonitor([lamp])
    monitor.evaluate(T0, home(0, {"lamp": 45}))
    monitor.evaluate(T0 + 3, home(0))  # offline: not seen to stay above
    assert monitor.evaluate(T0 + 6, home(0, {"lamp": 45})) == []
    [breach] = monitor.evaluate(T0 + 11, home(0, {"lamp": 45}))
    assert breach.message == "lamp draws 45 W, above 40 W for 5 s"


def test_daily_energy_and_cost_messages():
    rules = [
        rule("daily-energy", above=12.0, clear_below=11.4, for_s=0, level="info"),
        rule("daily-cost", above=4.0, clear_below=3.8, for_s=0, level="critical"),
    ]
    monitor = ThresholdMonitor(rules, currency="GBP")
    energy, cost = monitor.evaluate(T0, home(0, kwh=12.34, cost=4.123))
    assert (energy.rule_key, energy.level) == ("daily-energy-high", "info")
    assert energy.message == "Today's energy 12.3 kWh is above 12.0 kWh"
    assert (cost.rule_key, cost.level) == ("daily-cost-high", "critical")
    assert cost.message == "Today's cost 4.12 GBP is above 4.00"
    # A new local day starts the totals from zero.
    energy, cost = monitor.evaluate(T0 + 1, home(0, kwh=0.0, cost=0.0))
    assert energy.message == "Today's energy back to 0.0 kWh (below 11.4 kWh)"
    assert cost.message == "Today's cost back to 0.00 GBP (below 3.80)"


def test_cost_message_without_a_currency_has_no_trailing_space():
    monitor = ThresholdMonitor([rule("daily-cost", above=4.0, clear_below=3.8, for_s=0)])
    [cost] = monitor.evaluate(T0, home(0, cost=4.5))
    assert cost.message == "Today's cost 4.50 is above 4.00"


def test_replace_rules_keeps_unchanged_rules_and_clears_removed_ones():
    total = rule(for_s=0)
    kettle = rule("device-power", above=3000, clear_below=2850, for_s=0, device="kettle")
    monitor = ThresholdMonitor([total, kettle])
    both = home(7450, {"kettle": 3100})
    assert len(monitor.evaluate(T0, both)) == 2
    [removed] = monitor.replace_rules([total])
    assert (removed.rule_key, removed.raised, removed.value) == (
        "device-power-high:kettle",
        False,
        3100,
    )
    assert removed.message == "kettle power alert cleared: its rule was removed"
    # The unchanged rule is still raised: no second raise.
    assert monitor.evaluate(T0 + 1, both) == []
    assert monitor.raised() == ["total-power-high"]


def test_replace_rules_keeps_debounce_progress_of_unchanged_rules():
    monitor = ThresholdMonitor([rule()])
    monitor.evaluate(T0, home(7450))
    assert monitor.replace_rules([rule(), rule("daily-energy", 12, 11, 10)]) == []
    assert [b.rule_key for b in monitor.evaluate(T0 + 10, home(7450))] == ["total-power-high"]


def test_an_edited_raised_rule_is_cleared_and_starts_afresh():
    monitor = ThresholdMonitor([rule(for_s=0)])
    monitor.evaluate(T0, home(7450))
    [cleared] = monitor.replace_rules([rule(above=7200, clear_below=6800, for_s=5)])
    assert cleared.raised is False
    assert cleared.message == "Home power alert cleared: its rule was changed"
    assert monitor.raised() == []
    assert monitor.evaluate(T0 + 1, home(7450)) == []
    [raised] = monitor.evaluate(T0 + 6, home(7450))
    assert raised.message == "Home draws 7.45 kW, above 7.20 kW for 5 s"


def test_removing_a_rule_that_was_not_raised_reports_nothing():
    monitor = ThresholdMonitor([rule()])
    monitor.evaluate(T0, home(7450))
    assert monitor.replace_rules([]) == []
    assert monitor.evaluate(T0 + 20, home(7450)) == []


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([rule("voltage")], "threshold rule 'voltage' is unknown; use one of total-power,"),
        ([rule("device-power")], "threshold rule 'device-power' needs a device"),
        ([rule(device="kettle")], "threshold rule 'total-power' takes no device"),
        ([rule(), rule(above=9000)], "threshold rule 'total-power-high' is given twice"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message_and_change_nothing(rules, message):
    monitor = ThresholdMonitor([rule(for_s=0)])
    monitor.evaluate(T0, home(7450))
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        monitor.replace_rules(rules)
    assert monitor.raised() == ["total-power-high"]


def test_restore_marks_rules_raised_so_their_alerts_can_clear():
    monitor = ThresholdMonitor([rule(for_s=5)])
    monitor.restore([("total-power-high", None), ("device-power-high", "gone")])
    assert monitor.raised() == ["total-power-high"]
    assert monitor.evaluate(T0, home(6000)) == []
    [clear] = monitor.evaluate(T0 + 5, home(6000))
    assert clear.raised is False


def test_removing_a_restored_rule_before_any_observation_clears_without_a_value():
    monitor = ThresholdMonitor([rule()])
    monitor.restore([("total-power-high", None)])
    [clear] = monitor.replace_rules([])
    assert (clear.raised, clear.value) == (False, None)
    assert clear.message == "Home power alert cleared: its rule was removed"


def test_time_going_backwards_restarts_the_debounce_and_never_flaps():
    monitor = ThresholdMonitor([rule()])
    # Above from 100; the clock jumps back to 50 at 105: the debounce restarts at 50.
    assert run(monitor, [(100, 7450), (105, 7450), (50, 7450), (59, 7450)]) == []
    assert [r for _, r, _ in run(monitor, [(60, 7450)])] == [True]
    # Raised; jumping back and forth inside the band changes nothing.
    assert run(monitor, [(10, 6800), (500, 6800), (0, 6800)]) == []


def test_format_power():
    assert format_power(7450) == "7.45 kW"
    assert format_power(1000) == "1.00 kW"
    assert format_power(999.4) == "999 W"
    assert format_power(0) == "0 W"


def test_condition_timer_restart_without_time_starts_at_next_holding_instant():
    timer = ConditionTimer()
    assert timer.held(0, True, 5) is False
    timer.restart()
    assert timer.held(10, True, 5) is False
    assert timer.held(15, True, 5) is True
    assert timer.held(16, False, 0) is False


samples = st.lists(
    st.tuples(
        st.floats(min_value=-30, max_value=30, allow_nan=False),
        st.sampled_from([5000.0, 6500.0, 6650.0, 6800.0, 7000.0, 7200.0]),
    ),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(samples)
def test_every_breach_follows_a_continuous_stay_of_for_s_and_they_alternate(steps):
    """Whatever the values and however the clock moves, a raise (clear) only ever
    follows for_s seconds of samples all above `above` (below `clear_below`), at
    times never earlier than the first of them; raises and clears alternate."""
    cfg = rule()
    monitor = ThresholdMonitor([cfg])
    t, times, values, raised, start = T0, [], [], False, 0
    for dt, value in steps:
        t += dt
        times.append(t)
        values.append(value)
        i = len(times) - 1
        for breach in monitor.evaluate(t, home(value)):
            assert breach.raised is not raised

            low, high = (-math.inf, cfg.clear_below) if raised else (cfg.above, math.inf)
            assert any(
                all(low < values[k] < high and times[k] >= times[j] for k in range(j, i + 1))
                and times[i] - times[j] >= cfg.for_s
                for j in range(start, i + 1)
            )
            raised, start = breach.raised, i + 1
