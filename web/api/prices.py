"""The price series ahead: ``GET /api/prices``, the next 24 h of slots (``?hours=`` more).

The same object the hub publishes on ``home/hub/prices`` (`protocol.Prices`):
the slot in force now and those after it, to at least 24 h from now
(simulation time), with import and export prices and the grid's carbon. The
plan panel asks for ``hours=36``, the manager's horizon, to price every slot it charts.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from hub.api import PRICE_HORIZON_H, InvalidRequest
from web.api.common import hub

blueprint = Blueprint("prices", __name__)
MAX_HOURS = 48
"""Longest span one call answers: the manager plans 36 h ahead at most by default."""


def hours_ahead() -> float:
    """``?hours=`` as a whole number of hours, 1 to `MAX_HOURS` (default 24)."""
    unknown = sorted(set(request.args) - {"hours"})
    if unknown:
        raise InvalidRequest(f"unknown parameter {unknown[0]!r}; known: hours")
    text = request.args.get("hours")
    if text is None:
        return PRICE_HORIZON_H
    if not (text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= MAX_HOURS):
        raise InvalidRequest(
            f"hours must be a whole number from 1 to {MAX_HOURS}, got {text[:20]!r}"
        )
    return float(text)


@blueprint.get("/prices")
def prices() -> ResponseReturnValue:
    return jsonify(hub().prices(hours_ahead()))
