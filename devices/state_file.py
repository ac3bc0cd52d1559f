"""What a device keeps across restarts: its energy counter and its sequence number (and a
battery its second counter and its state of charge).

The contract promises a counter that only grows while the process lives and
continues across restarts where a state file exists; so the file is written
before each state is published (a published value is never ahead of the saved
one), atomically (a kill mid-write leaves the old file, not half of a new one).
"""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT_VERSION = 1


class StateFileError(Exception):
    """The state file cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class SavedState:
    device_id: str
    kind: str
    energy_wh: float = 0.0
    seq: int = 0
    energy_out_wh: float | None = None
    """A storage device's energy delivered; None for every other kind."""
    soc_pct: float | None = None
    """A storage device's state of charge, which it starts from again."""


def load(path: Path, device_id: str, kind: str) -> SavedState:
    """The saved state, or a fresh one when the file does not exist yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SavedState(device_id, kind)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateFileError(f"cannot read state file {path}: {exc}") from exc
    try:
        saved = SavedState(
            **{k: data[k] for k in ("device_id", "kind", "energy_wh", "seq")},
            **{k: data[k] for k in ("energy_out_wh", "soc_pct") if data.get(k) is not None},
        )
        valid = (
            isinstance(saved.energy_wh, int | float)
            and saved.energy_wh >= 0
            and isinstance(saved.seq, int)
            and saved.seq >= 0
            and all(
                value is None or (isinstance(value, int | float) and value >= 0)
                for value in (saved.energy_out_wh, saved.soc_pct)
            )
            and (saved.soc_pct is None or saved.soc_pct <= 100)
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise StateFileError(f"state file {path} is not a device state file; move it away")
    if (saved.device_id, saved.kind) != (device_id, kind):
        raise StateFileError(
            f"state file {path} belongs to {saved.kind} {saved.device_id!r}, "
            f"not to {kind} {device_id!r}"
        )
    return saved


def make_directory(path: Path) -> None:
    """Create the state file's directory now, so that the first save cannot fail on it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateFileError(f"cannot create the directory of state file {path}: {exc}") from exc


def save(path: Path, state: SavedState, durable: bool = False) -> None:
    """Replace the file atomically; `durable` also survives a power cut (fsync)."""
    tmp = path.with_name(f".{path.name}.tmp")
    fields = {key: value for key, value in asdict(state).items() if value is not None}
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump({"version": FORMAT_VERSION, **fields}, handle)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(tmp, path)
