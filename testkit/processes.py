"""Children in their own process groups, logged to files and always reaped.

Everything a test or a benchmark starts goes through `Processes`, which kills whatever
is left at the end, so a failure never leaves a broker or a device running behind it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from testkit.ports import wait_for
from testkit.programs import ROOT


@dataclass
class ManagedProcess:
    name: str
    popen: subprocess.Popen
    log_path: Path
    error: type[Exception] = AssertionError
    disposable: bool = False
    """A load generator: killed outright at the end (its goodbyes only cost time)."""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        """Signal the whole group: children of children go too."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send `signum` to the process group and wait; kill it if it lingers."""
        self.send_signal(signum)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send_signal(signal.SIGKILL)
            self.popen.wait(5)
            raise self.error(f"{self.name} ignored signal {signum}:\n{self.output()}") from None

    def wait_exit(self, timeout: float = 10.0) -> int:
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise self.error(f"{self.name} did not exit:\n{self.output()}") from None

    def wait_output(self, text: str, timeout: float = 10.0) -> None:
        what = f"{text!r} in {self.name}'s output"
        wait_for(lambda: text in self.output(), timeout, what, error=self.error)


class Processes:
    """Starts programs as subprocesses and always reaps them.

    `cwd` and `env` are every child's defaults. `error` is what the kit raises when
    something it started fails; `missing` (`error` unless given) when a system program
    is not installed: a test skips where a benchmark stops.
    """

    def __init__(
        self,
        log_dir: Path,
        cwd: Path = ROOT,
        env: dict[str, str] | None = None,
        error: type[Exception] = AssertionError,
        missing: type[Exception] | None = None,
    ):
        self.log_dir = log_dir
        self.cwd = cwd
        self.env = env or {}
        self.error = error
        self.missing = missing or error
        self.started: list[ManagedProcess] = []

    def start(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        disposable: bool = False,
    ) -> ManagedProcess:
        log_path = self.log_dir / f"{name}-{len(self.started)}.log"
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env, **(env or {})}
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=full_env,
                cwd=cwd or self.cwd,
                start_new_session=True,
            )
        process = ManagedProcess(name, popen, log_path, self.error, disposable)
        self.started.append(process)
        return process

    def cleanup(self) -> None:
        """Stop the last started first; kill every group that is left."""
        for process in reversed(self.started):
            process.send_signal(signal.SIGKILL if process.disposable else signal.SIGTERM)
        deadline = time.monotonic() + 8
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGKILL)
            if process.popen.poll() is None:
                process.popen.wait(5)
