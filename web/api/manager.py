"""The energy manager: ``GET``/``PUT /api/manager`` (its strategy) and ``GET /api/plan``.

The same switch as ``home/hub/manager/set`` (``{"strategy": "plan"}``), and the same
plan as the retained ``home/hub/plan`` (404 while the strategy makes none).
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from web.api.common import hub, json_body

blueprint = Blueprint("manager", __name__)


@blueprint.get("/manager")
def manager() -> ResponseReturnValue:
    return jsonify(hub().manager_status())


@blueprint.put("/manager")
def set_manager() -> ResponseReturnValue:
    return jsonify(hub().set_manager(json_body()))


@blueprint.get("/plan")
def plan() -> ResponseReturnValue:
    return jsonify(hub().plan())
