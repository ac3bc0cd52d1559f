"""A program appliance's run, step by step, for the kinds' calibration tests."""

from __future__ import annotations

import itertools

from devices.simulate import simulate


def program_steps(kind: str, seed: int = 1, **params: str) -> list[tuple[str, float, float]]:
    """(phase, minutes, watts) of each step of a program started by a command."""
    model = simulate(kind, 0.1, params={"auto": "false", **params}, seed=seed).model
    model.switch(True, model.now)
    steps = []
    while model.on:
        steps.append((model.phase, model.power_w))
        model.advance_to(model.now + model.tick_s)
    return [
        (phase, len(list(group)) * model.tick_s / 60, watts)
        for (phase, watts), group in itertools.groupby(steps)
    ]
