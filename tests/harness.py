"""What only the tests add to the kit (testkit/): a missing system program skips the test."""

from __future__ import annotations

import pytest

from testkit.programs import require_program


def require_binary(name: str, package: str) -> str:
    """The path of a system program, or skip the test naming the package to install."""
    return require_program(name, package, pytest.skip.Exception)
