"""A home.toml's devices as the launcher builds them, for whatever runs them in memory.

`home up` starts one `python -m devices` per entry with the home's `--seed`;
that process builds its model with `devices.assembly.build_model` from the
entry's kind, id and parameters. The in-memory runs (home/realism.py, the
simulator in home/simulator.py) build theirs here, the same way, so a change to
how devices are built reaches all of them.
"""

from __future__ import annotations

from datetime import tzinfo

from devices.appliance import Appliance
from devices.assembly import DeviceSpec, build_model, default_name
from hub.core.settings import DeviceEntry

DEFAULT_INTERVAL_S = 2.0
"""A device's reporting interval when its entry gives none (`python -m devices`'s default)."""


def spec_of(entry: DeviceEntry) -> DeviceSpec:
    """The spec `python -m devices` builds from the command line the launcher gives it."""
    return DeviceSpec(
        entry.id,
        entry.kind,
        entry.name or default_name(entry.id),
        entry.params,
        interval_s=entry.interval_s or DEFAULT_INTERVAL_S,
    )


def model_of(entry: DeviceEntry, seed: int, start: float, tz: tzinfo) -> Appliance:
    """The entry's model from simulation time `start`; raises ModelError or UnknownKindError."""
    return build_model(spec_of(entry), seed, start, tz)
