"""Smart start (protocol 1.1, "Flexible appliances") on the washer and the dishwasher."""

import pytest

from devices.kinds import KIND_NAMES, get_kind
from devices.kinds._deferrable import DeferrableAppliance
from devices.occupant import Use
from devices.params import ModelError
from devices.simulate import simulate

DEFERRABLE = [kind for kind in KIND_NAMES if issubclass(get_kind(kind), DeferrableAppliance)]
HOUR = 3600.0


def test_the_washer_and_the_dishwasher_are_deferrable():
    assert DEFERRABLE == ["dishwasher", "washing_machine"]


def loaded(kind: str, **params):
    """A machine with smart start on, loaded by the occupant at 20:00 (nothing else runs)."""
    given = {"auto": "false", "smart_start": "true", **params}
    model = simulate(kind, 0.01, params=given, start="2026-03-02T20:00").model
    model.start_use(Use(model.now, 0.0), model.now)
    return model


@pytest.mark.parametrize("kind", DEFERRABLE)
def test_a_loaded_machine_waits_and_starts_just_in_time_to_finish(kind):
    model = loaded(kind)
    assert (model.phase, model.on, model.power_w) == ("ready", False, model.standby_w)
    loaded_at, length = model.now, model.program_s
    assert model.finish_by == loaded_at + 10 * HOUR and 60 * 60 <= length <= 4 * HOUR
    start = model.finish_by - length
    model.advance_to(start - model.tick_s)
    assert model.phase == "ready"
    model.advance_to(start + model.tick_s)
    assert model.on and model.phase != "ready"
    model.advance_to(model.finish_by + model.tick_s)
    assert (model.on, model.phase) == (False, "idle")  # done by the time wanted


@pytest.mark.parametrize("kind", DEFERRABLE)
def test_start_at_delays_the_start_only_to_a_time_that_still_finishes(kind):
    model = loaded(kind)
    length, finish_by = model.program_s, model.finish_by
    with pytest.raises(ModelError, match="after finish_by"):
        model.set_start_at(finish_by - length + 60, model.now)
    with pytest.raises(ModelError, match="in the past"):
        model.set_start_at(model.now - 60, model.now)
    assert model.start_at is None  # refused: nothing changed
    model.set_start_at(model.now + 2 * HOUR, model.now)
    model.advance_to(model.now + 2 * HOUR + model.tick_s)
    assert model.on
    model.advance_to(model.now + length)
    assert not model.on and model.now < finish_by


@pytest.mark.parametrize("kind", DEFERRABLE)
def test_on_starts_the_loaded_program_now_and_off_unloads(kind):
    model = loaded(kind)
    length = model.program_s
    model.switch(True, model.now)
    assert model.on and model.program_s == length  # the program drawn at loading runs
    model = loaded(kind)
    model.switch(False, model.now)
    assert (model.phase, model.finish_by) == ("idle", None)
    with pytest.raises(ModelError, match="not loaded"):
        model.set_start_at(model.now + HOUR, model.now)


@pytest.mark.parametrize("kind", DEFERRABLE)
def test_without_smart_start_a_use_starts_the_program_at_once(kind):
    model = simulate(kind, 0.01, params={"auto": "false"}, start="2026-03-02T20:00").model
    model.start_use(Use(model.now, 0.0), model.now)
    assert model.on and model.phase != "ready"
