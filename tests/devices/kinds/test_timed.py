"""The kinds on a timer (kettle, microwave, electric shower) share one life cycle."""

import pytest

from devices.kinds import KIND_NAMES, get_kind
from devices.kinds._timed import TimedAppliance
from devices.simulate import simulate

TIMED = [kind for kind in KIND_NAMES if issubclass(get_kind(kind), TimedAppliance)]


def test_the_timed_kinds_are_the_three_expected():
    assert TIMED == ["electric_shower", "kettle", "microwave"]


@pytest.mark.parametrize("kind", TIMED)
def test_on_while_running_keeps_the_timer_and_off_stops_at_once(kind):
    model = simulate(kind, 0.1, params={"auto": "false"}).model
    idle_w = model.power_w
    model.switch(True, model.now)
    assert model.power_w == model.rated_w
    model.advance_to(model.now + 20)
    ends = model.ends_at
    model.switch(True, model.now)  # pressed again: the same use goes on
    assert model.ends_at == ends
    model.switch(False, model.now + 5)
    assert (model.on, model.power_w, model.phase) == (False, idle_w, type(model).idle_phase)
