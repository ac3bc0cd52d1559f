"""Where the checkout is and how its programs and the system's are named on a command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: the code every child runs."""


def python_module(module: str, *args: str) -> list[str]:
    """The argv of `python -m module args...` with this interpreter (this venv)."""
    return [sys.executable, "-m", module, *args]


def require_program(name: str, package: str, missing: type[Exception]) -> str:
    """The path of a system program, or `missing` naming the Debian package to install.

    /usr/sbin is searched too: Mosquitto lives there and it is not on every user's PATH.
    """
    search = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin"])
    path = shutil.which(name, path=search)
    if path is None:
        raise missing(f"{name} not found: install the Debian package '{package}'")
    return path


def run_module(module: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """`python -m module args...` run to its end in the checkout, its output captured as text."""
    argv = python_module(module, *args)
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
