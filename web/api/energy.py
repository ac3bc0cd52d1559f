"""The energy view: ``GET /api/energy?period=day|week|month|year&date=YYYY-MM-DD&compare=1``.

``date`` is a local date in the home's time zone (default: today), ``period``
the span around it (default ``day``; a week starts on Monday), ``compare=1``
adds the previous period's totals.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from hub.api import EnergyQuery, InvalidRequest, parse_energy_query
from web.api.common import hub

blueprint = Blueprint("energy", __name__)
PARAMETERS = ("period", "date", "compare")


def energy_query() -> EnergyQuery:
    """The query string as a checked `EnergyQuery`; InvalidRequest names what is wrong."""
    args = request.args
    unknown = sorted(set(args) - set(PARAMETERS))
    if unknown:
        raise InvalidRequest(f"unknown parameter {unknown[0]!r}; known: {', '.join(PARAMETERS)}")
    for name in PARAMETERS:
        if len(args.getlist(name)) > 1:
            raise InvalidRequest(f"give {name} at most once")
    return parse_energy_query(args.get("period"), args.get("date"), args.get("compare"))


@blueprint.get("/energy")
def energy() -> ResponseReturnValue:
    return jsonify(hub().energy(energy_query()))
