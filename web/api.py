"""The JSON API under /api."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from hub.api import HubApi

blueprint = Blueprint("api", __name__, url_prefix="/api")


def hub() -> HubApi:
    return current_app.extensions["hub"]


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    report = hub().health()
    return jsonify(report), 200 if report["status"] == "ok" else 503


@blueprint.get("/summary")
def summary() -> ResponseReturnValue:
    return jsonify(hub().summary())


@blueprint.get("/devices")
def devices() -> ResponseReturnValue:
    return jsonify(hub().devices())


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
