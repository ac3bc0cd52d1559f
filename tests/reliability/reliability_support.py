"""What the reliability tests share beyond the kit: their home and their checks on a process."""

from __future__ import annotations

from pathlib import Path

from testkit import configs
from testkit.processes import ManagedProcess

CONFIG = configs.home_toml("Reliability home", configs.threshold(1500, clear_below_w=1000))


def write_config(directory: Path, text: str = CONFIG) -> Path:
    return configs.write_config(directory, text)


def no_traceback(process: ManagedProcess) -> None:
    output = process.output()
    assert "Traceback" not in output, output[-4000:]
