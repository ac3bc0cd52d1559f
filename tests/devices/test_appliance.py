"""The model base: a tick grid that makes energy exact and independent of call cadence."""

import random
from datetime import UTC

import pytest

from devices.appliance import Appliance
from devices.params import ModelError, Param

T0 = 1_780_000_000.0


class Noisy(Appliance):
    """A test kind whose power changes randomly every tick."""

    kind = "noisy"
    summary = "test kind"
    dimmable = True
    params = {"rated_w": Param(100.0, "peak power", 1, 1000)}

    @property
    def rated_w(self) -> float:
        return float(self.p["rated_w"])

    def setup(self, t: float) -> None:
        self.draw = 0.5

    def update(self, t: float, dt: float) -> None:
        self.draw = self.rng.random()

    def power(self) -> float:
        if not self.on:
            return 0.0
        return self.rated_w * self.draw * (self.level or 0) / 100


def make(**params) -> Appliance:
    model = Noisy.create(params, seed=3, start=T0, tz=UTC)
    model.switch(True, T0)
    return model


def test_energy_is_the_exact_integral_of_power():
    model = make()
    expected_j = 0.0
    t = T0
    for _ in range(1000):
        power = model.power_w
        t += model.tick_s
        model.advance_to(t)
        expected_j += power * model.tick_s
    assert model.energy_wh == pytest.approx(expected_j / 3600, rel=1e-12)


def test_call_cadence_does_not_change_the_trajectory():
    fine, coarse = make(), make()
    rng = random.Random(0)
    t = T0
    while t < T0 + 6 * 3600:
        t += rng.uniform(0.01, 20)
        fine.advance_to(t)
    coarse.advance_to(T0 + 3 * 3600)
    coarse.advance_to(t)
    assert fine.energy_wh == pytest.approx(coarse.energy_wh, rel=1e-9)
    assert fine.power_w == coarse.power_w


def test_a_command_splits_the_tick_where_it_arrives():
    model = make()
    before = model.power_w
    model.advance_to(T0 + 2.0)
    model.set_level(50, T0 + 2.0)
    model.advance_to(T0 + 4.0)
    expected_wh = (before * 2 + before / 2 * 2) / 3600
    assert model.energy_wh == pytest.approx(expected_wh)


def test_time_never_runs_backwards():
    model = make()
    model.advance_to(T0 + 100)
    energy = model.energy_wh
    model.advance_to(T0 + 50)
    assert model.energy_wh == energy
    assert model.now == T0 + 100


def test_same_seed_same_life_different_seed_different_life():
    def life(seed):
        model = Noisy.create({}, seed=seed, start=T0, tz=UTC)
        model.switch(True, T0)
        model.advance_to(T0 + 3600)
        return model.energy_wh

    assert life(1) == life(1)
    assert life(1) != life(2)


def test_level_is_refused_out_of_range_and_on_plain_kinds():
    model = make()
    with pytest.raises(ModelError, match="between 0 and 100"):
        model.set_level(101, T0)

    class Plain(Noisy):
        dimmable = False

    plain = Plain.create({}, seed=1, start=T0, tz=UTC)
    with pytest.raises(ModelError, match="not dimmable"):
        plain.set_level(10, T0)


def test_parameters_are_parsed_and_checked():
    assert make(rated_w="250").rated_w == 250
    assert make().priority == 3
    with pytest.raises(ModelError, match=r"known parameters: auto, priority, rated_w"):
        make(watts="5")
    with pytest.raises(ModelError, match="between 1 and 1000"):
        make(rated_w="5000")
    with pytest.raises(ModelError, match="expected a number"):
        make(rated_w="lots")
    with pytest.raises(ModelError, match="whole number"):
        make(priority="2.5")


@pytest.mark.parametrize(
    ("default", "text", "expected"),
    [(True, "false", False), (True, "YES", True), (1.0, "2.5", 2.5), (1, "4", 4), ("a", "b", "b")],
)
def test_param_types_follow_the_default(default, text, expected):
    assert Param(default, "x", 0, 10).parse("x", text) == expected


@pytest.mark.parametrize(
    ("default", "text"), [(True, "maybe"), (1.0, "nan"), (1.0, "inf"), ("a", ""), (1.0, True)]
)
def test_bad_param_values_are_refused(default, text):
    with pytest.raises(ModelError):
        Param(default, "x", 0, 10).parse("x", text)
