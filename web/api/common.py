"""What every part of the REST API shares: the hub, error answers, JSON bodies, the token.

Errors are always ``{"error": {"code": "<for a program>", "message": "<for a person>"}}``
with the status that says whose fault it is: a script branches on the status
and the code, never on the message, which may be reworded.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from flask import Response, current_app, jsonify, request

from hub.api import (
    CommandRefused,
    CommandTimeout,
    HubApi,
    InvalidRequest,
    NotFound,
    Unavailable,
)
from protocol import ProtocolError

MAX_BODY_BYTES = 64 * 1024
"""Every body the API takes (a command, thresholds, a tariff) is far smaller."""
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


REFUSAL_STATUS = {"not_found": 404, "not_dimmable": 400, "offline": 409}
"""The status of each `CommandRefused.reason`; the reason itself is the error's code."""
ERROR_CODES = (
    "bad_body",  # 400: no body, or not strict UTF-8 JSON
    "bad_request",  # 400: a request the web server itself cannot read
    "invalid_request",  # 400: a value or parameter the API does not take
    "not_dimmable",  # 400: a level for a device that cannot dim
    "token_required",  # 401: a change without the hub's token
    "token_invalid",  # 401: a change with a wrong token
    "not_found",  # 404: no such device, open alert or route
    "method_not_allowed",  # 405
    "offline",  # 409: the device cannot take commands now
    "request_entity_too_large",  # 413: a body over 64 KiB
    "device_refused",  # 422: the device answered with a refusal
    "unavailable",  # 503: the hub cannot answer now (log failed, core overloaded)
    "device_timeout",  # 504: the device did not answer in time
)
"""Every code an error may carry: the OpenAPI document lists them, the page branches on them.
Werkzeug's own errors (no such route, wrong method, body too large) take their status's
standard name."""


class BadBody(ValueError):
    """The request body is not the JSON the endpoint takes."""


class ApiError(Exception):
    """An answer that is not a success: `status` for HTTP, `code` (one of `ERROR_CODES`)
    for programs, the message for a person."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self)}

    def response(self, **more: Any) -> Response:
        """``{"error": {"code": ..., "message": ...}}`` (and `more`) with the status."""
        response = jsonify(error=self.body(), **more)
        response.status_code = self.status
        return response

    @classmethod
    def of(cls, exc: Exception) -> ApiError:
        """The API's answer to one of the hub's typed errors (TypeError for any other)."""
        if isinstance(exc, CommandRefused):
            return cls(REFUSAL_STATUS[exc.reason], exc.reason, str(exc))
        for kind, status, code in _HUB_ERRORS:
            if isinstance(exc, kind):
                return cls(status, code, str(exc))
        raise TypeError(f"{type(exc).__name__} is not an error the API answers with")


_HUB_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (BadBody, 400, "bad_body"),
    (InvalidRequest, 400, "invalid_request"),
    (ProtocolError, 400, "invalid_request"),
    (NotFound, 404, "not_found"),
    (Unavailable, 503, "unavailable"),
    (CommandTimeout, 504, "device_timeout"),
)
HUB_ERRORS = (CommandRefused, *(kind for kind, _, _ in _HUB_ERRORS))
"""The hub's typed errors `ApiError.of` turns into answers."""


def hub() -> HubApi:
    return current_app.extensions["hub"]


def json_body() -> Any:
    """The request's JSON body; BadBody when it is missing or not strict JSON (no NaN)."""
    data = request.get_data(cache=False)
    if not data.strip():
        raise BadBody("the request needs a JSON body")
    try:
        text = data.decode("utf-8")  # JSON on the wire is UTF-8 (RFC 8259), nothing else
    except UnicodeDecodeError:
        raise BadBody("the body must be UTF-8 JSON") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:  # JSONDecodeError, or NaN / Infinity
        raise BadBody(f"the body is not valid JSON: {exc}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def authorise() -> Response | None:
    """Before every API request: cap the body; with a token set, changes need it.

    Reads stay open (the page loads before anyone types a token); every
    state-changing method needs ``Authorization: Bearer <token>``.
    """
    request.max_content_length = MAX_BODY_BYTES
    expected = current_app.config.get("AUTH_TOKEN")
    if not expected or request.method in READ_METHODS:
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        code = "token_required"
        problem = "this hub needs its token for changes: send 'Authorization: Bearer <token>'"
    elif hmac.compare_digest(given.strip().encode(), str(expected).encode()):
        return None
    else:
        code, problem = "token_invalid", "wrong token: check the hub's --auth-token"
    response = ApiError(401, code, problem).response()
    response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
    return response
