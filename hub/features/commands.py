"""Commands the hub sends, matched to the devices' replies, for the web and the audit log.

A device answers every `set` on its `result` topic with the request it
parsed. The tracker pairs each reply with the oldest command it sent that
device with the same request, so a late reply to a timed-out command never
answers the next one, and replies to commands sent by others (mosquitto_pub)
are left alone.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from hub.controller import Feature
from hub.core.events import CommandAnswered, CommandIssued, Event
from hub.store.schema import AuditRow
from protocol import Command, CommandResult


@dataclass
class _Pending:
    token: int
    actor: str
    command: Command
    issued_at: float
    future: Future = field(default_factory=Future)


class CommandTracker(Feature):
    """A hub feature: sees commands go out and replies come in (on the core thread)."""

    def __init__(self, audit: Callable[[AuditRow], None], clock: Callable[[], float]):
        self._audit = audit
        self._clock = clock
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()
        self._waiting: dict[int, Future] = {}
        self._pending: dict[str, list[_Pending]] = {}

    def new_request(self) -> tuple[int, Future]:
        """A token to issue a command with, and the future its reply will complete."""
        token = next(self._tokens)
        future: Future = Future()
        with self._lock:
            self._waiting[token] = future
        return token, future

    def abandon(self, token: int, device_id: str, reason: str) -> None:
        """The caller stopped waiting (timeout): forget the command, record why."""
        with self._lock:
            self._waiting.pop(token, None)
            queue = self._pending.get(device_id, [])
            dropped = [p for p in queue if p.token == token]
            self._pending[device_id] = [p for p in queue if p.token != token]
        for pending in dropped:
            self._record(pending, device_id, False, reason)

    def handle(self, event: Event) -> None:
        if isinstance(event, CommandIssued):
            with self._lock:
                future = self._waiting.pop(event.token, None) if event.token else None
            pending = _Pending(event.token or 0, event.actor, event.command, self._clock())
            if future is not None:
                pending.future = future
            self._pending.setdefault(event.device_id, []).append(pending)
        elif isinstance(event, CommandAnswered):
            self._answer(event.device_id, event.result)

    def _answer(self, device_id: str, result: CommandResult) -> None:
        with self._lock:
            queue = self._pending.get(device_id, [])
            match = next((p for p in queue if _matches(p.command, result)), None)
            if match is None:
                return
            queue.remove(match)
        detail = "ok" if result.ok else (result.error or "refused")
        self._record(match, device_id, result.ok, detail)
        if not match.future.done():
            match.future.set_result(result)

    def _record(self, pending: _Pending, device_id: str, ok: bool, detail: str) -> None:
        request = pending.command.to_payload().decode("utf-8", "replace")
        self._audit(AuditRow(self._clock(), pending.actor, device_id, request, ok, detail))


def _matches(command: Command, result: CommandResult) -> bool:
    if isinstance(result.request, dict):
        return result.request == command.to_request()
    return result.request == command.to_payload().decode("utf-8", "replace")[:200]
