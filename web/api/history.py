"""History for charts (JSON) and the same selection as a CSV download.

Both take the same query string: ``device`` (repeat it; none means every
device), ``from`` and ``to`` (Unix seconds, or an ISO 8601 date or
date-time in the home's time zone; default: the 24 hours up to now) and
``resolution`` (``1m`` rollups, the default, or ``raw`` readings). The
chart's JSON also takes ``points``, the most points a series may hold (twice
the chart's width in pixels); the CSV is always every row.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from hub.api import (
    DEFAULT_HISTORY_SPAN_S,
    DEFAULT_MAX_POINTS,
    DEFAULT_SERIES_POINTS,
    HistoryQuery,
    InvalidRequest,
    checked_history_query,
)
from web.api.common import hub

blueprint = Blueprint("history", __name__)
PARAMETERS = ("device", "from", "to", "resolution")
CHART_PARAMETERS = (*PARAMETERS, "points")


def history_query(known: tuple[str, ...] = PARAMETERS) -> HistoryQuery:
    """The query string as a checked `HistoryQuery`; InvalidRequest names what is wrong."""
    args = request.args
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise InvalidRequest(
            f"unknown parameter {unknown[0]!r}; known: {', '.join(known)}"
            " (repeat device= for several devices)"
        )
    for name in known[1:]:
        if len(args.getlist(name)) > 1:
            raise InvalidRequest(f"give {name} at most once")
    api = hub()
    to_ts = api.parse_time(args["to"], "to") if "to" in args else api.now()
    if "from" in args:
        from_ts = api.parse_time(args["from"], "from")
    else:
        from_ts = to_ts - DEFAULT_HISTORY_SPAN_S
    devices = tuple(args.getlist("device")) or None
    points = _integer(args["points"], "points") if "points" in args else DEFAULT_SERIES_POINTS
    return checked_history_query(from_ts, to_ts, devices, args.get("resolution", "1m"), points)


def _integer(text: str, name: str) -> int:
    # a long run of digits is no point count and would cost int() its time
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise InvalidRequest(
            f"{name} must be a whole number of at most 9 digits, got {text[:20]!r}"
        )
    return int(text)


@blueprint.get("/history")
def history() -> ResponseReturnValue:
    query = history_query(CHART_PARAMETERS)
    max_points = int(current_app.config.get("HISTORY_MAX_POINTS", DEFAULT_MAX_POINTS))
    # the hub builds the JSON text itself: for a day of many devices that is most of the cost
    return Response(hub().history(query, max_points), mimetype="application/json")


@blueprint.get("/export.csv")
def export_csv() -> ResponseReturnValue:
    query = history_query()
    chunks = hub().export_csv(query)
    name = f"energy-{query.resolution}-{query.from_ts:.0f}-{query.to_ts:.0f}.csv"
    return Response(
        chunks,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
