"""Shared helpers for the benchmarks: processes on free ports, probes, and the report.

Every benchmark runs inside `session()`: a temporary directory and a `Processes`
that puts each child in its own process group and kills whatever is left when
the benchmark ends, however it ends. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
T = TypeVar("T")


class BenchError(Exception):
    """A benchmark could not run (a program missing or failing to start)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path
    disposable: bool = False
    """A load generator: killed outright at the end (its goodbyes only cost time)."""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


class Processes:
    """Starts children in their own process groups and always reaps them."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[Proc] = []

    def start(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        disposable: bool = False,
    ) -> Proc:
        log_path = self.log_dir / f"{name}-{len(self.started)}.log"
        # PYTHONPATH: the code of this checkout, whatever the venv's editable install points at
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **(env or {})}
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=full_env,
                cwd=self.log_dir,  # no ./home.toml here: the hub runs on its defaults
                start_new_session=True,
            )
        proc = Proc(name, popen, log_path, disposable)
        self.started.append(proc)
        return proc

    def stop(self, proc: Proc, timeout: float = 10.0) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.popen.poll() is None:
            proc.popen.wait(5)

    def cleanup(self) -> None:
        for proc in reversed(self.started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL if proc.disposable else signal.SIGTERM)
        deadline = time.monotonic() + 8
        for proc in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            if proc.popen.poll() is None:
                proc.popen.wait(5)


@contextlib.contextmanager
def session(keep: bool = False) -> Iterator[tuple[Path, Processes]]:
    """A temporary directory and the processes started in it, both gone afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="bench-"))
    procs = Processes(directory)
    try:
        yield directory, procs
    finally:
        procs.cleanup()
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def python(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def start_broker(procs: Processes, directory: Path, kind: str = "mosquitto") -> int:
    """Start Mosquitto or the embedded amqtt broker on a free port; return the port."""
    port = free_port()
    if kind == "mosquitto":
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise BenchError("mosquitto not found: install the Debian package 'mosquitto'")
        user = ["user root"] if os.geteuid() == 0 else []
        config = directory / f"mosquitto-{port}.conf"
        lines = [
            f"listener {port} {HOST}",
            "allow_anonymous true",
            "persistence false",
            "max_queued_messages 0",
            *user,
        ]
        config.write_text("\n".join(lines) + "\n")
        proc = procs.start("mosquitto", [binary, "-c", str(config)])
    elif kind == "embedded":
        proc = procs.start("broker", python("broker", "--port", str(port)))
    else:
        raise BenchError(f"unknown broker {kind!r}: mosquitto or embedded")
    wait_for(lambda: port_open(port) or not proc.alive(), 20, f"the {kind} broker's port")
    if not proc.alive():
        raise BenchError(f"{kind} broker exited:\n{proc.output()}")
    return port


@dataclass
class Hub:
    proc: Proc
    http_port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    def get(self, path: str, timeout: float = 30.0) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return json.loads(response.read())

    def health(self) -> dict[str, Any]:
        return self.get("/api/health", timeout=10)


def start_hub(procs: Processes, directory: Path, broker_port: int, *extra: str) -> Hub:
    http_port = free_port()
    data_dir = directory / "hub-data"
    argv = python(
        "hub",
        "--broker",
        f"mqtt://{HOST}:{broker_port}",
        "--data-dir",
        str(data_dir),
        "--http-port",
        str(http_port),
        "--log-level",
        "warning",
        *extra,
    )
    proc = procs.start("hub", argv)
    hub = Hub(proc, http_port, data_dir)

    def ready() -> bool:
        if not proc.alive():
            return True
        try:
            return bool(hub.health()["mqtt_connected"])
        except OSError:
            return False

    wait_for(ready, 30, "the hub's /api/health")
    if not proc.alive():
        raise BenchError(f"hub exited:\n{proc.output()}")
    return hub


# One fleet process holds any number of devices since devices/network.py (one epoll loop);
# the split is kept as a knob to compare one process with several.
MAX_PER_FLEET = 10_000


def start_fleet(procs: Processes, broker_port: int, count: int, interval_s: float) -> list[Proc]:
    """`count` devices in as few `devices fleet` processes as select() allows."""
    from devices.fleet import DEFAULT_KINDS

    groups = max(1, -(-count // MAX_PER_FLEET))
    started = []
    for group in range(groups):
        kinds = DEFAULT_KINDS[group::groups]
        size = count // groups + (1 if group < count % groups else 0)
        argv = python(
            "devices",
            "fleet",
            "--count",
            str(size),
            "--kinds",
            ",".join(kinds),
            "--interval",
            f"{interval_s:g}",
            "--broker",
            f"mqtt://{HOST}:{broker_port}",
            "--log-level",
            "warning",
        )
        started.append(procs.start(f"fleet{group}", argv, disposable=True))
    return started


def rss_mb(pid: int) -> float:
    """Resident set size (VmRSS) of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise BenchError(f"no VmRSS for pid {pid}")


def with_children(pid: int) -> list[int]:
    """`pid` and the processes it started (each thread lists its own children)."""
    children = Path(f"/proc/{pid}/task").glob("*/children")
    return [pid, *(int(child) for path in children for child in path.read_text().split())]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), seconds."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def wait_devices(fleets: list[Proc], online: Callable[[], int], count: int, timeout=60.0) -> None:
    """Wait until `online()` reaches `count`; a fleet process that died is an error."""

    def ready() -> bool:
        return online() >= count or not all(f.alive() for f in fleets)

    wait_for(ready, timeout, f"{count} devices online", interval=0.5)
    for fleet in fleets:
        if not fleet.alive():
            raise BenchError(f"{fleet.name} exited:\n{fleet.output()}")
