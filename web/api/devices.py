"""Devices: list, one device, and commands answered with the device's own reply.

Every command is checked here (`protocol.Command`) and by the hub's core
(device known, online, dimmable) before anything is published, so nothing
invalid reaches MQTT.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from hub.api import NotFound
from protocol import Command, ProtocolError, validate_device_id
from web.api.common import ApiError, hub, json_body

blueprint = Blueprint("devices", __name__)
DEFAULT_COMMAND_TIMEOUT_S = 5.0
WORDS = ("ON", "OFF", "TOGGLE")


def command_from_json(body: Any) -> Command:
    """A command from a JSON body: a protocol JSON command, or ``{"command": "ON"|...}``.

    Raises `ProtocolError` saying which form was expected. An empty command
    (a bare status request) is refused: the API is for changing things.
    """
    if isinstance(body, dict) and "command" in body:
        if len(body) != 1:
            others = ", ".join(sorted(k for k in body if k != "command"))
            raise ProtocolError(f'"command" cannot be combined with other keys ({others})')
        word = body["command"]
        if not isinstance(word, str) or word.strip().upper() not in WORDS:
            raise ProtocolError(f'"command" must be one of {", ".join(WORDS)}, got {word!r:.60}')
        return Command.from_payload(word)
    return Command.from_dict(body)


@blueprint.get("/devices")
def devices() -> ResponseReturnValue:
    return jsonify(hub().devices())


@blueprint.get("/devices/<device_id>")
def device(device_id: str) -> ResponseReturnValue:
    device_id = validate_device_id(device_id)
    found = hub().device(device_id)
    if found is None:
        raise NotFound(f"no device {device_id!r} in this home")
    return jsonify(found)


@blueprint.post("/devices/<device_id>/command")
def command(device_id: str) -> ResponseReturnValue:
    """200 accepted, 422 refused by the device, 404/409/400 refused by the hub, 503 the
    core too busy to take it (not sent), 504 no reply.

    The hub's refusals (`CommandRefused`, `Unavailable`, `CommandTimeout`) reach the API's
    error handlers, which answer with a code (a refusal's code is its reason).
    """
    device_id = validate_device_id(device_id)
    parsed = command_from_json(json_body())
    timeout = float(current_app.config.get("COMMAND_TIMEOUT_S", DEFAULT_COMMAND_TIMEOUT_S))
    result = hub().command(device_id, parsed, actor="web", timeout=timeout)
    if result.ok:
        return jsonify(ok=True, result=result.to_dict())
    return device_refused(result.error).response(ok=False, result=result.to_dict())


def device_refused(reason: str | None) -> ApiError:
    """The device's own refusal, in the API's error shape (the reply is given beside it)."""
    return ApiError(422, "device_refused", reason or "the device refused the command")
