"""What only the tests add to the kit (testkit/): a missing system program skips the test."""

from __future__ import annotations

import pytest

from testkit.brokers import BrokerEndpoint
from testkit.programs import require_program


def require_binary(name: str, package: str) -> str:
    """The path of a system program, or skip the test naming the package to install."""
    return require_program(name, package, pytest.skip.Exception)


def mosquitto_client(program: str, broker: BrokerEndpoint, *args: str) -> list[str]:
    """The argv of `mosquitto_sub` or `mosquitto_pub` on `broker`, or skip without them."""
    binary = require_binary(program, "mosquitto-clients")
    return [binary, "-h", broker.host, "-p", str(broker.port), *args]
