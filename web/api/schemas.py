"""The JSON schemas of the REST API's bodies, for the OpenAPI document (`web.api.openapi`).

They follow the JSON shapes of the web layer's contract; a test checks
that live answers of the API carry exactly the required keys written here.
"""

from __future__ import annotations

from typing import Any

from hub.core.settings import THRESHOLD_LEVELS, THRESHOLD_RULES
from web.api.common import ERROR_CODES

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: str, **properties: Schema) -> Schema:
    return {"type": "object", "required": required.split(), "properties": properties}


def array_of(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _numbers(names: str) -> dict[str, Schema]:
    return {name: {"type": "number"} for name in names.split()}


NUM: Schema = {"type": "number"}
INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
NULL_NUM: Schema = {"type": ["number", "null"]}
NULL_STR: Schema = {"type": ["string", "null"]}
DEVICE_ID: Schema = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,47}$"}
_SOURCES = "from_grid_wh from_solar_wh from_battery_wh"
_FLOWS = f"{_SOURCES} export_wh generation_wh consumption_wh"
_ENERGY_TOTALS = (
    "consumption_wh import_wh export_wh generation_wh self_consumed_wh self_sufficiency_pct"
    " self_consumption_pct energy_cost standing_charge cost co2_g"
)


def threshold_schema() -> Schema:
    """home.toml's ``[[thresholds]]`` table, derived from the one rule table, never retyped."""
    rules = THRESHOLD_RULES.values()
    device_rules = " or ".join(rule.name for rule in rules if rule.takes_device)
    units = ", ".join(f"{rule.unit} for {rule.name}" for rule in rules)
    limits = {key: NUM for rule in rules for key in (rule.above_key, rule.clear_key)}
    return {
        **_obj(
            "rule",
            rule={"enum": list(THRESHOLD_RULES)},
            device={**DEVICE_ID, "description": f"{device_rules} only"},
            **limits,
            for_s=NUM,
            level={"enum": list(THRESHOLD_LEVELS)},
        ),
        "description": f"home.toml's [[thresholds]] table; limits in the rule's unit ({units})",
        "additionalProperties": False,
    }


_ERROR = _obj(
    "code message",
    code={"enum": list(ERROR_CODES), "description": "for a program to branch on"},
    message={"type": "string", "description": "for a person to read; may be reworded"},
)

SCHEMAS: dict[str, Schema] = {
    "Error": _obj("error", error=_ERROR),
    "Device": _obj(
        "id name kind role status rated_w standby_w dimmable priority interval_s on power_w"
        " level phase energy_wh ts energy_today_wh cost_today",
        id=DEVICE_ID,
        name=STR,
        kind={"type": "string", "description": '"unknown" until the device sends its meta'},
        role={"enum": ["consumer", "producer", "storage"]},
        status={"enum": ["online", "offline", "stale", "unknown"]},
        rated_w=NUM,
        standby_w=NUM,
        dimmable=BOOL,
        priority={"type": "integer", "minimum": 1, "maximum": 5},
        interval_s=NUM,
        on={"type": ["boolean", "null"]},
        power_w={"type": "number", "description": "0 unless the device is online"},
        level={"type": ["number", "null"], "minimum": 0, "maximum": 100},
        phase=NULL_STR,
        energy_wh={"type": ["number", "null"], "description": "the device's own counter"},
        ts={"type": ["number", "null"], "description": "its last reading (simulation seconds)"},
        energy_today_wh=NUM,
        cost_today=NUM,
        # a storage device's only (role storage), from its last reading
        discharge_w={"type": "number", "description": "what it delivers now (0 unless online)"},
        soc_pct={"type": ["number", "null"], "minimum": 0, "maximum": 100},
        mode=NULL_STR,
        energy_out_wh={"type": ["number", "null"], "description": "its second counter"},
        # 1.1 flexible appliances, when the device reports them: a car charger's plug,
        # departure and target (with soc_pct and mode above); a deferrable machine's
        # finish_by and program length
        plugged={"type": "boolean"},
        departure={"type": ["number", "null"], "description": "when the car is next needed"},
        target_soc={"type": "number", "minimum": 0, "maximum": 100},
        finish_by={"type": "number", "description": "when a loaded machine must be done"},
        program_s={"type": "number", "description": "how long its program runs"},
        deferrable={"type": "boolean", "description": "a load may wait for a planned start"},
        flexible=array_of(STR),
    ),
    "Summary": _obj(
        "ts power_w import_w export_w energy_today_wh cost_today currency tariff_rate"
        " devices_online devices_total load_w generation_w battery_w battery_soc_pct"
        " import_today_wh export_today_wh generation_today_wh self_consumed_today_wh"
        " import_total_wh export_total_wh generation_total_wh battery_in_total_wh"
        " battery_out_total_wh co2_today_g energy_month_wh cost_month"
        " standing_charge_per_day tariff_period"
        " home_name total_power_threshold_w unaccounted_today_wh device_power_w"
        " device_energy_today_wh device_cost_today problems",
        **_numbers(
            "ts power_w import_w export_w energy_today_wh cost_today tariff_rate load_w"
            " generation_w battery_w import_today_wh export_today_wh generation_today_wh"
            " self_consumed_today_wh import_total_wh export_total_wh generation_total_wh"
            " battery_in_total_wh battery_out_total_wh co2_today_g energy_month_wh cost_month"
            " standing_charge_per_day"
            " unaccounted_today_wh"
        ),
        battery_soc_pct=NULL_NUM,
        device_power_w={
            "type": "object",
            "additionalProperties": NUM,
            "description": "each device's live power (W, >= 0) that the flows add up from",
        },
        device_energy_today_wh={
            "type": "object",
            "additionalProperties": NUM,
            "description": "each device's energy today (Wh): a producer's is what it made",
        },
        device_cost_today={
            "type": "object",
            "additionalProperties": NUM,
            "description": "each device's cost today at the prices in force (a credit < 0)",
        },
        currency=STR,
        devices_online=INT,
        devices_total=INT,
        tariff_period=STR,
        home_name=STR,
        total_power_threshold_w=NULL_NUM,
        problems={
            "type": "array",
            "items": STR,
            "description": "what is wrong with the hub itself (its log, its broker), in words",
        },
    ),
    "Alert": _obj(
        "id ts rule device level state value threshold message",
        id=STR,
        ts=NUM,
        rule=STR,
        device=NULL_STR,
        level={"enum": ["info", "warning", "critical"]},
        state={"enum": ["raised", "acknowledged", "cleared"]},
        value=NULL_NUM,
        threshold=NULL_NUM,
        message=STR,
    ),
    "Alerts": _obj(
        "open recent",
        open={**array_of(ref("Alert")), "description": "open alerts, newest raise first"},
        recent={**array_of(ref("Alert")), "description": "latest state of the last 100 alerts"},
    ),
    "Threshold": threshold_schema(),
    "Period": _obj(
        "name start end rate",
        name=STR,
        start={"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
        end={"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
        rate=NUM,
        days=array_of({"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}),
    ),
    "Tariff": {
        **_obj(
            "periods",
            standing_charge_per_day=NUM,
            export_rate=NUM,
            carbon_g_per_kwh=NUM,
            periods=array_of(ref("Period")),
            prices={
                "type": "string",
                "description": 'the price series: "agile-like", or the path of the price '
                "file in force (named in home.toml; no other file can be set here); absent: "
                "the periods",
            },
            prices_seed={"type": "integer", "minimum": 0, "description": "with agile-like"},
        ),
        "description": "home.toml's [tariff] table; the periods must cover the week once "
        "(with a price file they apply outside its slots)",
        "additionalProperties": False,
    },
    "Command": {
        "oneOf": [
            {
                **_obj(
                    "",
                    on=BOOL,
                    level={"type": "number", "minimum": 0, "maximum": 100},
                    interval_s={"type": "number", "minimum": 0.1, "maximum": 3600},
                    mode={"type": "string", "description": "a battery's or a car charger's"},
                    power_w={"type": "number", "minimum": 0, "description": "with a mode"},
                    boost={"type": "boolean", "description": "a heat pump or water heater"},
                    target_soc={"type": "number", "minimum": 0, "maximum": 100},
                    departure={"type": ["string", "number"], "description": "HH:MM or a ts"},
                    start_at={"type": ["number", "null"], "description": "a loaded machine's"},
                ),
                "minProperties": 1,
                "additionalProperties": False,
            },
            {
                **_obj("command", command={"enum": ["ON", "OFF", "TOGGLE"]}),
                "additionalProperties": False,
            },
        ],
        "description": "protocol.md's JSON command, or a word",
    },
    "CommandResult": _obj(
        "ok request",
        ok=BOOL,
        request={"type": ["object", "string"]},
        state={"type": "object", "description": "the device's state after the command"},
        error=STR,
        code={"type": "string", "description": "the kind of the device's refusal, if it says"},
    ),
    "CommandReply": _obj("ok result", ok=BOOL, result=ref("CommandResult"), error=_ERROR),
    "PriceSlot": _obj(
        "start end import export co2_g_per_kwh",
        start={**NUM, "description": "Unix seconds, simulation time"},
        end=NUM,
        **{"import": {**NUM, "description": "money per kWh imported (may be negative)"}},
        export={**NUM, "description": "money per kWh exported"},
        co2_g_per_kwh={**NUM, "description": "the grid's carbon intensity"},
    ),
    "Prices": _obj(
        "currency slots",
        currency=STR,
        slots={
            **array_of(ref("PriceSlot")),
            "description": "contiguous, from the slot in force now to at least 24 h ahead",
        },
    ),
    "Manager": _obj(
        "strategy strategies",
        strategy={"enum": ["off", "rules", "plan"]},
        strategies=array_of(STR),
    ),
    "ManagerSet": _obj("strategy", strategy={"enum": ["off", "rules", "plan"]}),
    "Plan": _obj(
        "made strategy horizon_end slots actions expected_cost baseline_cost",
        **_numbers("made horizon_end expected_cost baseline_cost"),
        strategy=STR,
        slots=array_of(
            _obj(
                "start end load_w generation_w battery_w soc_pct import_w export_w cost",
                **_numbers("start end load_w generation_w battery_w import_w export_w cost"),
                soc_pct=NULL_NUM,
            )
        ),
        actions=array_of(
            _obj("device at command why", device=DEVICE_ID, at=NUM, command={}, why=STR)
        ),
    ),
    "Series": _obj(
        "t power_w energy_wh",
        t=array_of(NUM),
        power_w=array_of(NULL_NUM),
        energy_wh=array_of(NULL_NUM),
    ),
    "History": _obj(
        "from to resolution devices home",
        **{"from": NUM, "to": NUM},
        resolution={"enum": ["1m", "raw"]},
        devices={"type": "object", "additionalProperties": ref("Series")},
        home=_obj(
            "t consumption_w production_w",
            t=array_of(NUM),
            consumption_w=array_of(NULL_NUM),
            production_w=array_of(NULL_NUM),
        ),
    ),
    "Health": _obj(
        "status mqtt_connected store queue_depth devices_online devices_total",
        status={"enum": ["ok", "degraded"]},
        mqtt_connected=BOOL,
        store=_obj("healthy error", healthy=BOOL, error=NULL_STR),
        queue_depth=INT,
        devices_online=INT,
        devices_total=INT,
    ),
    "EnergyTotals": _obj(
        _ENERGY_TOTALS,
        **{
            **_numbers(_ENERGY_TOTALS),
            "self_sufficiency_pct": {**NULL_NUM, "description": "null: no consumption"},
            "self_consumption_pct": {**NULL_NUM, "description": "null: no generation"},
        },
    ),
    "EnergyBucket": _obj("label start " + _FLOWS, label=STR, start=NUM, **_numbers(_FLOWS)),
    "EnergyDevice": _obj(
        "id name role energy_wh cost " + _SOURCES,
        id=DEVICE_ID,
        name=STR,
        role={"type": ["string", "null"], "description": "null: the hub no longer knows it"},
        energy_wh=NUM,
        cost=NUM,
        **{name: {**NULL_NUM, "description": "null for a producer"} for name in _SOURCES.split()},
    ),
    "Energy": _obj(
        "period date start end from to previous next currency buckets totals devices"
        " untracked compare",
        period={"enum": ["day", "week", "month", "year"]},
        date=STR,
        start={"type": "string", "description": "the first local date of the period"},
        end={"type": "string", "description": "the local date after its last"},
        **{"from": NUM, "to": NUM},
        previous=STR,
        next={**NULL_STR, "description": "null while the next period has not begun"},
        currency=STR,
        buckets=array_of(ref("EnergyBucket")),
        totals=ref("EnergyTotals"),
        devices=array_of(ref("EnergyDevice")),
        untracked=_obj("energy_wh " + _SOURCES, **_numbers("energy_wh " + _SOURCES)),
        compare={
            "type": ["object", "null"],
            "description": "the previous period, with compare=1",
            "properties": {
                "start": STR,
                "end": STR,
                "from": NUM,
                "to": NUM,
                "totals": ref("EnergyTotals"),
            },
        },
    ),
}
