"""The JSON API under /api: one parent blueprint, its parts nested in it.

The parent does what every endpoint needs, once: the body cap and the token
check before each request, and the mapping of the hub's typed errors to
answers with a code after (`web.api.common.ApiError`: 400 invalid input,
404 unknown, 409 offline, 503 the hub cannot answer now, 504 no reply). Its
parts: devices and commands (`web.api.devices`), history and CSV
(`web.api.history`), the energy view (`web.api.energy`), the prices ahead
(`web.api.prices`), alerts and settings
(`web.api.settings`); the OpenAPI document that describes them all is
`web.api.openapi`.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from web.api import devices, energy, history, manager, openapi, prices, settings
from web.api.common import HUB_ERRORS, ApiError, authorise, hub

blueprint = Blueprint("api", __name__, url_prefix="/api")
blueprint.before_request(authorise)
for part in (devices, energy, history, manager, prices, settings):
    blueprint.register_blueprint(part.blueprint)


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    report = hub().health()
    return jsonify(report), 200 if report["status"] == "ok" else 503


@blueprint.get("/summary")
def summary() -> ResponseReturnValue:
    return jsonify(hub().summary())


@blueprint.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(openapi.document())


def _refusal(exc: Exception) -> ResponseReturnValue:
    return ApiError.of(exc).response()


for _kind in HUB_ERRORS:
    blueprint.register_error_handler(_kind, _refusal)


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    """Werkzeug's own errors (no such route, wrong method, body too large) as JSON under /api;
    the code is the status's standard name ("method_not_allowed")."""
    if not request.path.startswith("/api/"):
        return exc  # the pages keep their own error pages
    code = exc.name.lower().replace(" ", "_")
    response = ApiError(exc.code or 500, code, exc.description or exc.name).response()
    allowed = getattr(exc, "valid_methods", None)
    if allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _http_error)
