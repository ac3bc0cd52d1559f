"""Device processes: one appliance, or a fleet of many in one process."""

from __future__ import annotations

from testkit.brokers import BrokerEndpoint
from testkit.processes import ManagedProcess, Processes
from testkit.programs import python_module


def start_device(
    procs: Processes,
    broker: BrokerEndpoint,
    kind: str,
    device_id: str,
    *args: str,
    name: str | None = None,
    auto: bool = False,
) -> ManagedProcess:
    """A device reporting every 0.5 s.

    With `auto` False it has no occupant: it only does what it is told, as hub tests want.
    """
    told_only = [] if auto else ["--param", "auto=false"]
    argv = python_module(
        "devices",
        "--kind",
        kind,
        "--id",
        device_id,
        "--broker",
        broker.url,
        "--interval",
        "0.5",
        *told_only,
        *args,
    )
    return procs.start(name or device_id, argv)


def start_fleet(
    procs: Processes,
    broker: BrokerEndpoint,
    count: int,
    interval_s: float,
    *args: str,
    name: str = "fleet",
    disposable: bool = False,
) -> ManagedProcess:
    """`count` devices of the fleet's kinds in one `devices fleet` process."""
    argv = python_module(
        "devices",
        "fleet",
        "--count",
        str(count),
        "--interval",
        f"{interval_s:g}",
        "--broker",
        broker.url,
        *args,
    )
    return procs.start(name, argv, disposable=disposable)
