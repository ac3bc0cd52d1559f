"""The price series ahead: ``GET /api/prices``, the next 24 h of slots.

The same object the hub publishes on ``home/hub/prices`` (`protocol.Prices`):
the slot in force now and those after it, to at least 24 h from now
(simulation time), with import and export prices and the grid's carbon.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from web.api.common import hub

blueprint = Blueprint("prices", __name__)


@blueprint.get("/prices")
def prices() -> ResponseReturnValue:
    return jsonify(hub().prices())
