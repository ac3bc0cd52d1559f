"""The OpenAPI 3.1 description of /api, served at /api/openapi.json.

Written by hand next to the code it describes; a test checks that every
Flask route under /api, with each of its methods, is described here and
that nothing described is missing from the app, so the two cannot drift.
"""

from __future__ import annotations

import copy

from hub.api import DEFAULT_SERIES_POINTS, SERIES_POINTS_RANGE
from web.api.schemas import DEVICE_ID, SCHEMAS, STR, Schema, array_of, ref


def _reply(description: str, schema: Schema | None = None, media: str = "application/json"):
    reply: Schema = {"description": description}
    if schema is not None:
        reply["content"] = {media: {"schema": schema}}
    return reply


def _error(description: str) -> Schema:
    return _reply(description, ref("Error"))


def _op(summary: str, ok: Schema, *errors: str, body: Schema | None = None, **more) -> Schema:
    """One operation: 200 `ok`, the errors named by status ("400", "404"...), and 503.

    Any call may meet a hub that cannot answer (a failed log, a stuck core): 503.
    """
    responses = {"200": ok} | {code: _error(ERRORS[code]) for code in (*errors, "503")}
    operation: Schema = {"summary": summary, "responses": responses, **more}
    if body is not None:
        content = {"application/json": {"schema": body}}
        operation["requestBody"] = {"required": True, "content": content}
        operation["security"] = [{"bearerAuth": []}]
        operation["responses"]["401"] = _error(ERRORS["401"])
    return operation


ERRORS = {
    "400": "invalid input; nothing was changed or sent",
    "401": "a token is set and the call did not carry it (Authorization: Bearer <token>)",
    "404": "no such device or open alert",
    "409": "the device is offline",
    "413": "the body is too large",
    "422": "the device refused the command",
    "503": "the hub cannot answer now (its log failed or it is overloaded)",
    "504": "the device did not answer in time",
}

_device_id = {"name": "device_id", "in": "path", "required": True, "schema": DEVICE_ID}
_alert_id = {"name": "alert_id", "in": "path", "required": True, "schema": STR}
_span = [
    {
        "name": "device",
        "in": "query",
        "schema": array_of(DEVICE_ID),
        "style": "form",
        "explode": True,
        "description": "repeat for several (at most 20); none means every device",
    },
    *(
        {
            "name": name,
            "in": "query",
            "schema": STR,
            "description": f"Unix seconds, or ISO 8601 date or date-time in the home's "
            f"time zone; default {default}; the span is at most 31 days",
        }
        for name, default in (("from", "24 h before to"), ("to", "now (simulation time)"))
    ),
    {"name": "resolution", "in": "query", "schema": {"enum": ["1m", "raw"], "default": "1m"}},
]
_hours = {
    "name": "hours",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 48, "default": 24},
    "description": "how far ahead, in hours (the plan panel asks for the manager's 36)",
}
_points = {
    "name": "points",
    "in": "query",
    "schema": {
        "type": "integer",
        "minimum": SERIES_POINTS_RANGE[0],
        "maximum": SERIES_POINTS_RANGE[1],
        "default": DEFAULT_SERIES_POINTS,
    },
    "description": "at 1m, the most points a series holds (twice the chart's width in"
    " pixels): longer spans come as each bucket's lowest and highest minute",
}

_energy = [
    {"name": "period", "in": "query", "schema": {"enum": ["day", "week", "month", "year"],
     "default": "day"}, "description": "a week starts on Monday"},
    {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "YYYY-MM-DD, a local date in the home's time zone; default today"},
    {"name": "compare", "in": "query", "schema": {"enum": ["0", "1", "false", "true"],
     "default": "0"},
     "description": "1 adds the previous period's totals"},
]  # fmt: skip


def document() -> Schema:
    """The whole OpenAPI document (a fresh dict each call, so callers may change it)."""
    json_of = _reply
    paths = {
        "/api/health": {
            "get": {
                "summary": "Whether the hub can do its job",
                "responses": {
                    "200": json_of("healthy", ref("Health")),
                    "503": json_of("degraded", ref("Health")),
                },
            }
        },
        "/api/summary": {"get": _op("The whole home now", json_of("", ref("Summary")))},
        "/api/devices": {"get": _op("Every device", json_of("", array_of(ref("Device"))))},
        "/api/devices/{device_id}": {
            "parameters": [_device_id],
            "get": _op("One device", json_of("", ref("Device")), "400", "404"),
        },
        "/api/devices/{device_id}/command": {
            "parameters": [_device_id],
            "post": _op(
                "Send a command and answer with the device's reply",
                json_of("the device accepted", ref("CommandReply")),
                "400",
                "404",
                "409",
                "413",
                "504",
                body=ref("Command"),
            ),
        },
        "/api/history": {
            "get": _op(
                "Series per device and for the home (1m: minute rollups; raw: readings)",
                json_of("", ref("History")),
                "400",
                parameters=[*_span, _points],
            )
        },
        "/api/export.csv": {
            "get": _op(
                "The same selection as a CSV download (streamed)",
                json_of("CSV, first columns timestamp,power_w", STR, "text/csv"),
                "400",
                parameters=_span,
            )
        },
        "/api/energy": {
            "get": _op(
                "A day, week, month or year of energy by source, cost, CO2 and per device",
                json_of("", ref("Energy")),
                "400",
                parameters=_energy,
            )
        },
        "/api/prices": {
            "get": _op(
                "The price and carbon slots from now over the next 24 h (home/hub/prices)",
                json_of("", ref("Prices")),
                "400",
                parameters=[_hours],
            )
        },
        "/api/manager": {
            "get": _op("The energy manager's strategy", json_of("", ref("Manager"))),
            "put": _op(
                "Switch the energy manager's strategy (as home/hub/manager/set)",
                json_of("the strategy now in force", ref("Manager")),
                "400",
                "413",
                body=ref("ManagerSet"),
            ),
        },
        "/api/plan": {
            "get": _op(
                "The energy manager's plan (home/hub/plan); 404 while it makes none",
                json_of("", ref("Plan")),
                "404",
            )
        },
        "/api/alerts": {"get": _op("Open and recent alerts", json_of("", ref("Alerts")))},
        "/api/alerts/{alert_id}/ack": {
            "parameters": [_alert_id],
            "post": _op("Acknowledge an open alert", json_of("", ref("Alert")), "400", "404"),
        },
        "/api/thresholds": {
            "get": _op("The alert rules", json_of("", array_of(ref("Threshold")))),
            "put": _op(
                "Replace every alert rule",
                json_of("the rules now in force", array_of(ref("Threshold"))),
                "400",
                "413",
                body=array_of(ref("Threshold")),
            ),
        },
        "/api/tariff": {
            "get": _op("The tariff", json_of("", ref("Tariff"))),
            "put": _op(
                "Replace the tariff (prices from now on)",
                json_of("the tariff now in force", ref("Tariff")),
                "400",
                "413",
                body=ref("Tariff"),
            ),
        },
        "/api/openapi.json": {"get": _op("This document", json_of("OpenAPI 3.1", {}))},
    }
    # the 422 of a command carries the device's reply beside its error
    command = paths["/api/devices/{device_id}/command"]["post"]
    command["responses"]["422"] = json_of(ERRORS["422"], ref("CommandReply"))
    ack = paths["/api/alerts/{alert_id}/ack"]["post"]
    ack.update(security=[{"bearerAuth": []}])
    ack["responses"]["401"] = _error(ERRORS["401"])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "smarthome-energy hub",
            "version": "1",
            "description": "The hub's REST API. Errors are "
            '{"error": {"code": "...", "message": "..."}}: branch on the status and the code. '
            "With a token set (--auth-token), POST and PUT need Authorization: Bearer <token>.",
        },
        "paths": paths,
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
