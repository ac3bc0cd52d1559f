"""What every part of the REST API shares: the hub, error answers, JSON bodies, the token.

Errors are always ``{"error": "<what is wrong, for a person>"}`` with the
status that says whose fault it is, so a script can branch on the status
and a person can read the message.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from flask import Response, current_app, jsonify, request

from hub.api import HubApi

MAX_BODY_BYTES = 64 * 1024
"""Every body the API takes (a command, thresholds, a tariff) is far smaller."""
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BadBody(ValueError):
    """The request body is not the JSON the endpoint takes."""


def hub() -> HubApi:
    return current_app.extensions["hub"]


def error(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response


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
        problem = "this hub needs its token for changes: send 'Authorization: Bearer <token>'"
    elif hmac.compare_digest(given.strip().encode(), str(expected).encode()):
        return None
    else:
        problem = "wrong token: check the hub's --auth-token"
    response = error(401, problem)
    response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
    return response
