"""The surplus switch (hub.core.rules.surplus_switch): evcc's enable and disable timers, so
a surplus wobbling around the threshold switches nothing, and a lasting one switches once."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.rules.surplus_switch import SurplusSwitch

ENABLE_W, DISABLE_W = 3000.0, 1500.0


def run(switch: SurplusSwitch, series: list[tuple[float, float]]) -> list[tuple[float, bool]]:
    """Feed (t, surplus) readings; the (t, on) of every switch."""
    return [(t, switch.on) for t, surplus in series if switch.observe(surplus, t)]


def every_second(start: float, end: float, surplus: float) -> list[tuple[float, float]]:
    return [(float(t), surplus) for t in range(int(start), int(end))]


def test_a_lasting_surplus_switches_on_after_the_enable_delay_not_before():
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    assert run(switch, every_second(0, 60, 3200)) == []
    assert not switch.on
    assert run(switch, [(60.0, 3200)]) == [(60.0, True)]


def test_a_surplus_gone_switches_off_after_the_disable_delay_not_before():
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    run(switch, every_second(0, 61, 3200))
    assert switch.on
    assert run(switch, every_second(1000, 1180, 1000)) == []
    assert switch.on
    assert run(switch, [(1180.0, 1000)]) == [(1180.0, False)]


def test_one_reading_back_across_restarts_the_delay():
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    series = [*every_second(0, 50, 3200), (50.0, 2900.0), *every_second(51, 120, 3200)]
    assert run(switch, series) == [(111.0, True)]


def test_inside_the_band_a_running_load_keeps_running():
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    run(switch, every_second(0, 61, 3200))
    assert run(switch, every_second(61, 7200, 2000)) == []
    assert switch.on


def test_a_surplus_flipping_across_the_threshold_every_ten_seconds_never_switches():
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    series = [(float(t), 3500.0 if (t // 10) % 2 else 1000.0) for t in range(0, 3 * 3600)]
    assert run(switch, series) == []


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.floats(0.5, 30), st.floats(ENABLE_W - 2500, ENABLE_W + 1000)),
        min_size=1,
        max_size=400,
    )
)
def test_a_noisy_surplus_switches_no_sooner_than_the_delays_allow(steps):
    """Whatever the noise: each switch on comes at least the enable delay after the one
    before (or the first reading), each switch off at least the disable delay, and every
    reading over the delay before a switch was on its side, so the count is bounded."""
    switch = SurplusSwitch(ENABLE_W, DISABLE_W, enable_delay_s=60, disable_delay_s=180)
    t, series = 0.0, []
    for dt, surplus in steps:
        t += dt
        series.append((t, surplus))
    switches = run(switch, series)
    previous = series[0][0]
    for at, on in switches:
        delay = 60 if on else 180
        assert at - previous >= delay
        window = [s for ts, s in series if at - delay <= ts <= at]
        assert all(s >= ENABLE_W for s in window) if on else all(s < DISABLE_W for s in window)
        previous = at
    span = series[-1][0] - series[0][0]
    assert len(switches) <= 1 + 2 * span / (60 + 180)


def test_bad_thresholds_and_time_going_backwards_are_refused():
    with pytest.raises(ValueError, match="must not exceed"):
        SurplusSwitch(1000, 2000)
    with pytest.raises(ValueError, match="delays"):
        SurplusSwitch(1000, 500, enable_delay_s=-1)
    switch = SurplusSwitch(ENABLE_W, DISABLE_W)
    switch.observe(3200, 100.0)
    with pytest.raises(ValueError, match="backwards"):
        switch.observe(3200, 99.0)
    assert run(switch, every_second(101, 161, 3200)) == [(160.0, True)]
