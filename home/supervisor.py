"""Keeps a set of child processes running, and stops them in order.

Children run in sessions of their own, so a Ctrl-C in the terminal reaches
only the launcher, which then stops devices first (they publish `offline`),
then the hub (it flushes its log), then the broker. A child that dies on its
own is restarted with exponential back-off; one that keeps dying is given up
on after a while, loudly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

log = logging.getLogger("home")

BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 30.0
STABLE_AFTER_S = 60.0
"""A child that ran this long before dying is taken as healthy again: back-off resets."""


def next_backoff(previous: float | None, ran_for_s: float) -> float:
    """How long to wait before restarting a child that died after `ran_for_s` seconds."""
    if previous is None or ran_for_s >= STABLE_AFTER_S:
        return BACKOFF_FIRST_S
    return min(BACKOFF_MAX_S, previous * 2)


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    restart: bool = True
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float | None = None
    restart_at: float | None = None
    restarts: int = field(default=0)
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment of this child only (credentials: kept out of `ps`)."""

    def start(self, env: dict[str, str]) -> None:
        self.popen = subprocess.Popen(
            list(self.argv), env={**env, **self.env}, start_new_session=True
        )
        self.started_at = time.monotonic()
        self.restart_at = None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Supervisor:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.children: list[Child] = []
        self.stopping = False

    def start(self, child: Child) -> Child:
        child.start(self.env)
        self.children.append(child)
        return child

    def watch_once(self) -> None:
        """Restart children that died (after their back-off); call it about once a second."""
        now = time.monotonic()
        for child in self.children:
            if self.stopping or not child.restart or child.alive():
                continue
            if child.restart_at is None:
                code = child.popen.returncode if child.popen else None
                ran = now - child.started_at
                child.backoff = next_backoff(child.backoff, ran)
                child.restart_at = now + child.backoff
                log.warning(
                    "%s exited (code %s) after %.0f s; restarting in %.0f s",
                    child.name,
                    code,
                    ran,
                    child.backoff,
                )
            elif now >= child.restart_at:
                child.restarts += 1
                log.info("restarting %s (restart %d)", child.name, child.restarts)
                child.start(self.env)

    def stop(self, groups: Sequence[Sequence[Child]], timeout_s: float = 10.0) -> None:
        """Stop `groups` one after another: each gets SIGTERM, then SIGKILL if it lingers."""
        self.stopping = True
        for group in groups:
            running = [c for c in group if c.alive()]
            for child in running:
                _signal(child, signal.SIGTERM)
            deadline = time.monotonic() + timeout_s
            for child in running:
                try:
                    child.popen.wait(max(0.1, deadline - time.monotonic()))  # type: ignore[union-attr]
                except subprocess.TimeoutExpired:
                    log.warning("%s did not stop in %.0f s; killing it", child.name, timeout_s)
            for child in group:
                _signal(child, signal.SIGKILL)  # its group: nothing it started may outlive it
                if child.popen is not None:
                    child.popen.wait()


def _signal(child: Child, signum: int) -> None:
    if child.popen is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.popen.pid, signum)
