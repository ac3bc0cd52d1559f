"""Home Assistant's own MQTT discovery schemas, for tests, without making `make install` heavy.

Home Assistant is a 300 MB install with pins of its own that clash with ours,
so it lives in a venv of its own, built once from the pinned
`requirements/ha-schema.txt` (locked with hashes) and cached (under ``$XDG_CACHE_HOME`` or
``~/.cache``, keyed by the pins) for every later run; `ha_schema_check.py` runs
there and judges our configs. Where that venv cannot be built (no package
index), the tests that need it skip and say why.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE.parent / "requirements" / "ha-schema.txt"
CHECK_SCRIPT = HERE / "ha_schema_check.py"
INSTALL_TIMEOUT_S = 480


def _venv_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    pins = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    return cache / "smarthome-energy" / f"ha-schema-{pins}"


def ha_python() -> Path:
    """The Python of the cached Home Assistant venv; skips the test if it cannot be had."""
    python, why_not = _build_once()
    if python is None:
        pytest.skip(why_not)
    return python


@functools.cache
def _build_once() -> tuple[Path | None, str]:
    """Build the venv if it is not there yet, at most once per test run and under a
    lock, so two test runs never build it at once: (its Python, "") or (None, why not)."""
    venv = _venv_dir()
    python = venv / "bin" / "python"
    ready = venv / ".ready"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f"{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.exists():
            return python, ""
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [
                str(python),
                *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
                *("--no-deps", "--require-hashes", "--retries", "1", "--timeout", "20"),
                *("-r", str(REQUIREMENTS)),
            ],
        ]
        for step in steps:
            try:
                done = subprocess.run(
                    step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S
                )
            except subprocess.TimeoutExpired:
                return None, f"Home Assistant's schemas: installing took over {INSTALL_TIMEOUT_S} s"
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                return None, f"Home Assistant's schemas are not installable here: {last}"
        ready.touch()
    return python, ""


def ha_problems(messages: list[tuple[str, bytes]]) -> dict[str, list[str]]:
    """What Home Assistant 2024.3 objects to in each discovery message, by topic
    (an empty list: it takes the config as it is)."""
    request = json.dumps([[topic, payload.decode()] for topic, payload in messages])
    done = subprocess.run(
        [str(ha_python()), str(CHECK_SCRIPT)],
        input=request,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
