"""Socket.IO: a snapshot on connect, then batched live updates; commands with replies.

One module-level `SocketIO` bound with `init_app` (Flask-SocketIO's pattern)
and exactly one background task, started once, that drains the relay about
ten times a second, until the relay is stopped with the hub. Same-origin
connections only (python-engineio's default when `cors_allowed_origins` is
not set).
"""

from __future__ import annotations

import hmac
import logging
import threading

from flask import Flask, current_app, request
from flask_socketio import SocketIO

from hub.api import HubApi
from protocol import Command, ProtocolError, validate_device_id
from web.api.common import HUB_ERRORS, ApiError
from web.api.devices import command_from_json, device_refused
from web.live.relay import Relay

socketio = SocketIO(async_mode="threading")
log = logging.getLogger("web")
EMIT_PERIOD_S = 0.1  # at most 10 updates a second, whatever the number of devices
SUMMARY_PERIOD_S = 1.0


def init_app(app: Flask, relay: Relay) -> None:
    """`relay` is one of the hub controller's features (the composition root's)."""
    app.extensions["relay"] = relay
    app.extensions["token_problems"] = {}  # sid -> None (may command) or why it may not
    socketio.init_app(app, async_mode="threading")
    app.extensions["relay_task"] = _RelayTask(app)


class _RelayTask:
    """The one background task bridging hub events to clients, started on first connect
    and ended by the relay's `stop()` (the hub's controller stops it with the hub)."""

    def __init__(self, app: Flask):
        self.app = app
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        with self._lock:
            if self.thread is None:
                self.app.extensions["relay"].listening = True
                self.thread = socketio.start_background_task(self._run)

    def _run(self) -> None:
        relay: Relay = self.app.extensions["relay"]
        hub: HubApi = self.app.extensions["hub"]
        last_summary = 0.0
        while relay.wait(EMIT_PERIOD_S):
            try:
                batch = relay.drain()
                if batch.readings:
                    socketio.emit("readings", batch.readings)
                for alert in batch.alerts:
                    socketio.emit("alert", alert)
                for device in batch.devices:
                    socketio.emit("device", device)
                now = relay.clock()
                if batch.summary is not None and now - last_summary >= SUMMARY_PERIOD_S:
                    last_summary = now
                    socketio.emit("summary", hub.with_problems(batch.summary))
            except Exception:  # a bad moment must not end live updates for everyone
                log.exception("live update failed; carrying on")


@socketio.on("connect")
def on_connect(auth: dict | None = None) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.extensions["relay_task"].ensure_started()
    app.extensions["token_problems"][request.sid] = _token_problem(auth)  # type: ignore[attr-defined]
    hub: HubApi = app.extensions["hub"]
    snapshot = {**hub.snapshot(), "series": app.extensions["relay"].series()}
    socketio.emit("snapshot", snapshot, to=request.sid)  # type: ignore[attr-defined]


@socketio.on("disconnect")
def on_disconnect(*_: object) -> None:
    current_app.extensions["token_problems"].pop(request.sid, None)  # type: ignore[attr-defined]


@socketio.on("command")
def on_command(message: object) -> dict:
    """Validate, send, and answer with the device's reply (the client's acknowledgement).

    A failure is ``{"ok": false, "error": {"code": ..., "message": ...}}`` with the REST
    API's codes (plus ``"result"`` when the device itself refused).
    """
    sid = request.sid  # type: ignore[attr-defined]
    problem = current_app.extensions["token_problems"].get(sid, "token_required")
    if problem is not None:
        refusal = ApiError(401, problem, "a valid token is needed to send commands")
        return {"ok": False, "error": refusal.body()}
    try:
        device_id, command = _parse_command(message)
        result = current_app.extensions["hub"].command(device_id, command, actor="web")
    except HUB_ERRORS as exc:
        return {"ok": False, "error": ApiError.of(exc).body()}
    if result.ok:
        return {"ok": True, "result": result.to_dict()}
    return {"ok": False, "result": result.to_dict(), "error": device_refused(result.error).body()}


def _parse_command(message: object) -> tuple[str, Command]:
    if not isinstance(message, dict):
        raise ProtocolError('a command message is {"device": id, "command": ...}')
    device_id = validate_device_id(message.get("device"))
    body = message.get("command")
    # the REST API's parser: "ON"/"OFF"/"TOGGLE" or a JSON command object, same messages
    return device_id, command_from_json({"command": body} if isinstance(body, str) else body)


def _token_problem(auth: object) -> str | None:
    """None when this connection may send commands, else the code of why not."""
    expected = current_app.config.get("AUTH_TOKEN")
    if not expected:
        return None
    given = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(given, str) or not given:
        return "token_required"
    return None if hmac.compare_digest(given, expected) else "token_invalid"
