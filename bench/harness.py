"""What the benchmarks add to the kit (testkit/): their session, their home, the report.

Every benchmark runs inside `session()`: a temporary directory and a `Processes`
that puts each child in its own process group and kills whatever is left when
the benchmark ends, however it ends. All traffic stays on 127.0.0.1. What goes
wrong is a `BenchError`: the command line prints it, where a test would fail.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit import devices, ports
from testkit.brokers import HOST, BrokerEndpoint, anonymous_broker
from testkit.hub import Hub
from testkit.processes import ManagedProcess, Processes
from testkit.programs import ROOT


class BenchError(Exception):
    """A benchmark could not run (a program missing or failing to start)."""


wait_for = functools.partial(ports.wait_for, interval=0.05, error=BenchError)


@contextlib.contextmanager
def session(keep: bool = False) -> Iterator[tuple[Path, Processes]]:
    """A temporary directory and the processes started in it, both gone afterwards.

    The children run in that directory (no ./home.toml there: the hub runs on its
    defaults) on the code of this checkout, whatever the venv's editable install points at.
    """
    directory = Path(tempfile.mkdtemp(prefix="bench-"))
    procs = Processes(directory, cwd=directory, env={"PYTHONPATH": str(ROOT)}, error=BenchError)
    try:
        yield directory, procs
    finally:
        procs.cleanup()
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


# No queue limit: a benchmark measures what the broker delivers, not what it drops.
MOSQUITTO_LINES = ("max_queued_messages 0",)


def start_broker(procs: Processes, kind: str = "mosquitto") -> int:
    """Start Mosquitto or the embedded amqtt broker on a free port; return the port."""
    return anonymous_broker(procs, kind, *MOSQUITTO_LINES).endpoint.port


def mqtt_connected(health: dict[str, Any]) -> bool:
    """Ready for a benchmark: on MQTT (it may still count itself degraded meanwhile)."""
    return bool(health["mqtt_connected"])


def start_hub(procs: Processes, directory: Path, broker_port: int, *extra: str) -> Hub:
    """A hub on its default home, quiet, its log in `directory`/hub-data."""
    broker = BrokerEndpoint(HOST, broker_port)
    args = ("--log-level", "warning", *extra)
    return Hub(procs, broker, directory / "hub-data", None, *args, ready=mqtt_connected, timeout=30)


# One fleet process holds any number of devices since devices/network.py (one epoll loop);
# the split is kept as a knob to compare one process with several.
MAX_PER_FLEET = 10_000


def start_fleet(
    procs: Processes, broker_port: int, count: int, interval_s: float
) -> list[ManagedProcess]:
    """`count` devices in as few `devices fleet` processes as MAX_PER_FLEET allows."""
    from devices.fleet import DEFAULT_KINDS

    broker = BrokerEndpoint(HOST, broker_port)
    groups = max(1, -(-count // MAX_PER_FLEET))
    started = []
    for group in range(groups):
        kinds = DEFAULT_KINDS[group::groups]
        size = count // groups + (1 if group < count % groups else 0)
        args = ("--kinds", ",".join(kinds), "--log-level", "warning")
        name = f"fleet{group}"
        started.append(
            devices.start_fleet(procs, broker, size, interval_s, *args, name=name, disposable=True)
        )
    return started


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    ratio: float | None = None


@dataclass
class Result:
    """What a benchmark measured: table rows for people, `data` for --json."""

    name: str
    data: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(row.ok is not False for row in self.rows)

    def table(self) -> str:
        lines = [
            f"== {self.name} ==",
            f"{'figure':<28}{'value':>14}  {'target':<18}{'ratio':>7}  ok",
        ]
        for row in self.rows:
            digits = 2 if abs(row.value) < 10 else 1
            value = f"{row.value:,.{digits}f} {row.unit}".strip()
            ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
            ok = {None: "-", True: "PASS", False: "MISS"}[row.ok]
            lines.append(f"{row.figure:<28}{value:>14}  {row.target:<18}{ratio:>7}  {ok}")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def at_most(figure: str, value: float, unit: str, limit: float) -> Row:
    return Row(figure, value, unit, f"<= {limit:g} {unit}".strip(), value <= limit, value / limit)


def at_least(figure: str, value: float, unit: str, floor: float) -> Row:
    ratio = value / floor if floor else None
    return Row(figure, value, unit, f">= {floor:g} {unit}".strip(), value >= floor, ratio)


def start_home(
    procs: Processes, directory: Path, devices: int, *hub_args: str, timeout: float = 40.0
) -> Hub:
    """Mosquitto, a quiet hub and `devices` fleet devices at 1 Hz, all of them online."""
    port = start_broker(procs, "mosquitto")
    hub = start_hub(procs, directory, port, *hub_args)
    fleet = start_fleet(procs, port, devices, 1.0)
    wait_devices(fleet, lambda: hub.health()["devices_online"], devices, timeout)
    return hub


def wait_devices(
    fleets: list[ManagedProcess], online: Callable[[], int], count: int, timeout=60.0
) -> None:
    """Wait until `online()` reaches `count`; a fleet process that died is an error."""

    def ready() -> bool:
        return online() >= count or not all(f.alive() for f in fleets)

    wait_for(ready, timeout, f"{count} devices online", interval=0.5)
    for fleet in fleets:
        if not fleet.alive():
            raise BenchError(f"{fleet.name} exited:\n{fleet.output()}")
