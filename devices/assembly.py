"""From a device's description to a running agent: shared by single devices and fleets."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from devices import state_file
from devices.agent import DeviceAgent, Identity, Publish
from devices.appliance import Appliance
from devices.kinds import get_kind
from protocol import Topics


@dataclass(frozen=True)
class DeviceSpec:
    device_id: str
    kind: str
    name: str
    params: Mapping[str, object] = field(default_factory=dict)
    interval_s: float = 2.0
    state_path: Path | None = None
    ha_discovery: bool = False


def default_name(device_id: str) -> str:
    """'kitchen-fridge' -> 'Kitchen fridge': what a person would call it."""
    words = device_id.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else device_id


def device_seed(seed: int, device_id: str) -> int:
    """A per-device seed: runs repeat with the same --seed, devices of one kind still differ.

    A hash rather than Python's `hash()`, which is salted per process.
    """
    digest = hashlib.sha256(f"{seed}:{device_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def build_model(spec: DeviceSpec, seed: int, start: float, tz: tzinfo) -> Appliance:
    """The model; raises ModelError or UnknownKindError for a person's mistake."""
    kind = get_kind(spec.kind)
    return kind.create(spec.params, device_seed(seed, spec.device_id), start, tz, weather_seed=seed)


def load_saved(spec: DeviceSpec) -> state_file.SavedState:
    if spec.state_path is None:
        return state_file.SavedState(spec.device_id, spec.kind)
    return state_file.load(spec.state_path, spec.device_id, spec.kind)


def build_agent(
    spec: DeviceSpec,
    model: Appliance,
    saved: state_file.SavedState,
    topics: Topics,
    publish: Publish,
) -> DeviceAgent:
    return DeviceAgent(
        Identity(spec.device_id, spec.name),
        model,
        topics,
        spec.interval_s,
        publish,
        saved,
        state_path=spec.state_path,
        ha_discovery=spec.ha_discovery,
    )
