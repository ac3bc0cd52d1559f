"""Alerts (list, acknowledge) and the settings a person edits at run time.

Thresholds and the tariff are read and written in home.toml's own shape and
checked by the same rules, so a value the page accepts is one the file would
accept too; a rejected PUT changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from hub.api import InvalidRequest
from web.api.common import hub, json_body

blueprint = Blueprint("settings", __name__)
MAX_ALERT_ID_CHARS = 200  # the protocol's limit for an alert id


@blueprint.get("/alerts")
def alerts() -> ResponseReturnValue:
    return jsonify(hub().alerts())


@blueprint.post("/alerts/<alert_id>/ack")
def acknowledge(alert_id: str) -> ResponseReturnValue:
    if len(alert_id) > MAX_ALERT_ID_CHARS:
        raise InvalidRequest(f"an alert id has at most {MAX_ALERT_ID_CHARS} characters")
    return jsonify(hub().acknowledge(alert_id))


@blueprint.get("/thresholds")
def thresholds() -> ResponseReturnValue:
    return jsonify(hub().thresholds())


@blueprint.put("/thresholds")
def set_thresholds() -> ResponseReturnValue:
    body = json_body()
    if not isinstance(body, list):
        raise InvalidRequest("the body must be a JSON array of threshold rules ([] for none)")
    return jsonify(hub().set_thresholds(body))


@blueprint.get("/tariff")
def tariff() -> ResponseReturnValue:
    return jsonify(hub().tariff())


@blueprint.put("/tariff")
def set_tariff() -> ResponseReturnValue:
    body = json_body()
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object: the tariff")
    return jsonify(hub().set_tariff(body))
