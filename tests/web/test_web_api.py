"""The REST API through Flask's test client, on a real hub fed device messages directly.

Devices, commands, the summary, health, the token, the JSON errors and the
OpenAPI document. History and export: test_web_api_history.py; alerts and
settings: test_web_api_settings.py.
"""

import json
import threading

import pytest

from hub.api import HubApi
from web import create_app
from web.api.openapi import document

DEVICE_KEYS = {
    "id", "name", "kind", "role", "status", "rated_w", "standby_w", "dimmable", "priority",
    "interval_s", "on", "power_w", "level", "phase", "energy_wh", "ts", "energy_today_wh",
    "cost_today",
}  # fmt: skip
SUMMARY_KEYS = {
    "ts", "power_w", "import_w", "export_w", "energy_today_wh", "cost_today", "currency",
    "tariff_rate", "devices_online", "devices_total", "load_w", "generation_w", "battery_w",
    "battery_soc_pct", "import_today_wh", "export_today_wh", "generation_today_wh",
    "self_consumed_today_wh", "import_total_wh", "export_total_wh", "generation_total_wh",
    "battery_in_total_wh", "battery_out_total_wh",
    "co2_today_g", "energy_month_wh", "cost_month", "standing_charge_per_day", "tariff_period",
    "home_name", "total_power_threshold_w", "unaccounted_today_wh", "device_power_w",
    "device_energy_today_wh", "device_cost_today", "problems",
}  # fmt: skip


def post(client, path, body, **kwargs):
    return client.post(path, data=json.dumps(body), content_type="application/json", **kwargs)


# ---- devices ----------------------------------------------------------------------------


def test_devices_have_the_contract_shape_and_live_values(client, live_hub):
    live_hub.add_device("kitchen-kettle", 2800.0, 100.0, dimmable=False, priority=2)
    live_hub.add_device("roof", 1200.0, 50.0, role="producer", kind="solar")
    live_hub.reading("kitchen-kettle", 2800.0, 110.0)
    response = client.get("/api/devices")
    assert response.status_code == 200
    kettle, roof = response.get_json()  # sorted by id
    assert set(kettle) == DEVICE_KEYS
    assert kettle["id"] == "kitchen-kettle"
    assert kettle["name"] == "Kitchen kettle"
    assert (kettle["kind"], kettle["role"], kettle["status"]) == ("test", "consumer", "online")
    assert (kettle["power_w"], kettle["on"], kettle["energy_wh"]) == (2800.0, True, 110.0)
    assert (kettle["priority"], kettle["dimmable"], kettle["interval_s"]) == (2, False, 60.0)
    assert kettle["phase"] == "on" and kettle["level"] is None and kettle["ts"] > 0
    assert kettle["energy_today_wh"] == pytest.approx(10.0)
    assert kettle["cost_today"] == pytest.approx(0.0025)
    assert (roof["id"], roof["role"], roof["kind"]) == ("roof", "producer", "solar")


def test_a_device_without_meta_gets_the_documented_defaults(client, live_hub):
    live_hub.reading("mystery", 40.0, 1.0)
    device = client.get("/api/devices/mystery").get_json()
    assert set(device) == DEVICE_KEYS
    assert {k: device[k] for k in DEVICE_KEYS - {"ts"}} == {
        "id": "mystery", "name": "mystery", "kind": "unknown", "role": "consumer",
        "status": "online", "rated_w": 0.0, "standby_w": 0.0, "dimmable": False,
        "priority": 3, "interval_s": 2.0, "on": True, "power_w": 40.0, "level": None,
        "phase": "on", "energy_wh": 1.0, "energy_today_wh": 0.0, "cost_today": 0.0,
    }  # fmt: skip


def test_one_device_and_its_404_and_400(client, live_hub):
    live_hub.add_device("tv", 90.0)
    assert client.get("/api/devices/tv").get_json()["power_w"] == 90.0
    missing = client.get("/api/devices/toaster")
    assert missing.status_code == 404
    assert missing.get_json() == {
        "error": {"code": "not_found", "message": "no device 'toaster' in this home"}
    }
    for bad in ("TV", "tv!", "a" * 49, "hub"):
        response = client.get(f"/api/devices/{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["code"] == "invalid_request"
        assert "device id" in response.get_json()["error"]["message"]


def test_an_offline_device_draws_nothing_but_keeps_its_last_state(client, live_hub):
    live_hub.add_device("tv", 90.0)
    live_hub.go_offline("tv")
    device = client.get("/api/devices/tv").get_json()
    assert (device["status"], device["power_w"], device["on"]) == ("offline", 0.0, True)


# ---- commands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"on": False}, {"on": False}),
        ({"command": "OFF"}, {"on": False}),
        ({"command": "toggle"}, {"on": False}),
        ({"level": 40}, {"level": 40}),
        ({"on": True, "level": 10, "interval_s": 1}, {"on": True, "level": 10}),
    ],
)
def test_a_command_answers_with_the_devices_reply(client, live_hub, body, expected):
    live_hub.add_device("lamp", 60.0, dimmable=True)
    response = post(client, "/api/devices/lamp/command", body)
    assert response.status_code == 200, response.get_json()
    reply = response.get_json()
    assert reply["ok"] is True and reply["result"]["ok"] is True
    assert expected.items() <= reply["result"]["state"].items()
    (issued,) = live_hub.commands_issued()
    assert (issued.device_id, issued.actor) == ("lamp", "web")
    live_hub.sync()  # the stand-in's new state has reached the core
    device = client.get("/api/devices/lamp").get_json()
    assert expected.items() <= device.items()


def test_a_command_the_device_refuses_is_422_with_its_reply(client, live_hub):
    live_hub.add_device("oven")
    live_hub.stand_in.refusing.add("oven")
    response = post(client, "/api/devices/oven/command", {"on": False})
    assert response.status_code == 422
    reply = response.get_json()
    assert reply["ok"] is False
    assert reply["error"] == {"code": "device_refused", "message": "the lid is open"}
    assert reply["result"] == {"ok": False, "error": "the lid is open", "request": '{"on":false}'}


def test_no_reply_in_time_is_504(hub_api, live_hub):
    client = create_app(hub_api, live_hub.relay, {"COMMAND_TIMEOUT_S": 0.2}).test_client()
    live_hub.add_device("oven")
    live_hub.stand_in.silent.add("oven")
    response = post(client, "/api/devices/oven/command", {"on": False})
    assert response.status_code == 504
    assert response.get_json()["error"]["code"] == "device_timeout"
    assert "did not answer within 0.2 s" in response.get_json()["error"]["message"]


def test_a_core_too_busy_to_take_a_command_is_503_and_nothing_is_sent(hub_api, live_hub):
    client = create_app(hub_api, live_hub.relay, {"COMMAND_TIMEOUT_S": 0.2}).test_client()
    live_hub.add_device("oven")
    release = threading.Event()
    busy = threading.Thread(target=live_hub.controller.query, args=(lambda c, n: release.wait(5),))
    busy.start()  # the core thread is held: the command waits in its inbox
    try:
        response = post(client, "/api/devices/oven/command", {"on": False})
    finally:
        release.set()
        busy.join(5)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    live_hub.sync()  # the core has gone through its inbox: the command was dropped, not sent
    assert live_hub.commands_issued() == []


def test_the_hub_refuses_unknown_offline_and_undimmable_devices_without_sending(client, live_hub):
    live_hub.add_device("kettle")
    live_hub.add_device("fridge")
    live_hub.go_offline("fridge")
    unknown = post(client, "/api/devices/toaster/command", {"on": True})
    assert unknown.status_code == 404
    assert unknown.get_json() == {
        "error": {"code": "not_found", "message": "no device 'toaster' in this home"}
    }
    offline = post(client, "/api/devices/fridge/command", {"on": True})
    assert offline.status_code == 409
    assert offline.get_json()["error"] == {
        "code": "offline",
        "message": "fridge is offline and cannot take commands now",
    }
    undimmable = post(client, "/api/devices/kettle/command", {"level": 50})
    assert undimmable.status_code == 400
    assert undimmable.get_json()["error"]["code"] == "not_dimmable"
    assert "not dimmable" in undimmable.get_json()["error"]["message"]
    assert live_hub.commands_issued() == []


INVALID_BODIES = [
    (b"", "needs a JSON body"),
    (b"on", "not valid JSON"),
    (b'{"on": true', "not valid JSON"),
    (b'{"level": NaN}', "NaN is not a JSON number"),
    (b'{"level": Infinity}', "Infinity is not a JSON number"),
    (b"\xff\xfe", "UTF-8"),
    (b"[]", "must be a JSON object"),
    (b'"ON"', "must be a JSON object"),
    (b"{}", "command object is empty"),
    (b'{"on": 1}', "command.on must be true or false"),
    (b'{"on": null}', "command.on"),
    (b'{"level": 101}', "command.level"),
    (b'{"level": "high"}', "command.level"),
    (b'{"interval_s": 0}', "command.interval_s"),
    (b'{"colour": "red"}', "unknown key 'colour'"),
    (b'{"command": "BOIL"}', '"command" must be one of ON, OFF, TOGGLE'),
    (b'{"command": ""}', '"command" must be one of'),
    (b'{"command": 1}', '"command" must be one of'),
    (b'{"command": {"on": true}}', '"command" must be one of'),
    (b'{"command": "ON", "level": 5}', "cannot be combined with other keys (level)"),
]


BAD_JSON = {b"", b"on", b'{"on": true', b'{"level": NaN}', b'{"level": Infinity}', b"\xff\xfe"}


@pytest.mark.parametrize(("body", "message"), INVALID_BODIES)
def test_an_invalid_command_body_is_400_and_nothing_is_sent(client, live_hub, body, message):
    live_hub.add_device("lamp", dimmable=True)
    response = client.post("/api/devices/lamp/command", data=body, content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert message in error["message"]
    assert error["code"] == ("bad_body" if body in BAD_JSON else "invalid_request")
    live_hub.sync()
    assert live_hub.commands_issued() == []


@pytest.mark.parametrize("device_id", ["Lamp", "lamp!", "hub", "-lamp"])
def test_an_invalid_device_id_in_a_command_is_400(client, live_hub, device_id):
    response = post(client, f"/api/devices/{device_id}/command", {"on": True})
    assert response.status_code == 400
    assert "device id" in response.get_json()["error"]["message"]
    assert live_hub.commands_issued() == []


def test_an_oversized_body_is_413_and_nothing_is_sent(client, live_hub):
    live_hub.add_device("lamp")
    body = b'{"on": true, "pad": "' + b"x" * 70_000 + b'"}'
    response = client.post("/api/devices/lamp/command", data=body)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    assert live_hub.commands_issued() == []


# ---- summary and health -----------------------------------------------------------------


def test_the_summary_has_the_mqtt_fields_and_the_extras(client, live_hub):
    live_hub.add_device("heater", 2000.0, 1000.0)
    live_hub.add_device("roof", 500.0, 0.0, role="producer")
    live_hub.reading("heater", 2000.0, 1020.0)
    summary = client.get("/api/summary").get_json()
    assert set(summary) == SUMMARY_KEYS
    assert (summary["power_w"], summary["import_w"], summary["export_w"]) == (1500, 1500, 0)
    assert (summary["load_w"], summary["generation_w"], summary["battery_w"]) == (2000, 500, 0)
    assert summary["device_power_w"] == {"heater": 2000.0, "roof": 500.0}
    assert summary["device_energy_today_wh"] == {"heater": pytest.approx(20.0)}
    assert summary["device_cost_today"] == {"heater": pytest.approx(0.02 * 0.25)}
    assert (summary["devices_online"], summary["devices_total"]) == (2, 2)
    assert summary["energy_today_wh"] == pytest.approx(20.0)
    assert summary["unaccounted_today_wh"] == 0.0
    assert summary["cost_today"] == pytest.approx(0.5 + 0.02 * 0.25)
    assert summary["home_name"] == "Test home" and summary["currency"] == "GBP"
    assert (summary["tariff_period"], summary["tariff_rate"]) == ("flat", 0.25)
    assert summary["total_power_threshold_w"] == 3000.0
    assert summary["standing_charge_per_day"] == 0.5
    assert summary["problems"] == []


def test_a_new_pages_snapshot_is_what_each_call_answers_read_in_one_go(
    hub_api, live_hub, monkeypatch
):
    live_hub.add_device("heater", 3500.0, 10.0)
    live_hub.add_device("roof", 500.0, 0.0, role="producer")
    live_hub.tick()  # over the 3 kW rule: an open alert
    queries = []
    query = live_hub.controller.query
    monkeypatch.setattr(
        live_hub.controller, "query", lambda action: queries.append(action) or query(action)
    )
    snapshot = hub_api.snapshot()
    assert len(queries) == 1
    assert (snapshot["home_name"], snapshot["currency"]) == ("Test home", "GBP")
    assert snapshot["timezone"] == "Europe/London"  # the page shows clock times in it
    assert [a["rule"] for a in snapshot["alerts"]] == ["total-power-high"]
    monkeypatch.undo()
    assert snapshot["devices"] == hub_api.devices()
    assert snapshot["alerts"] == hub_api.alerts()["open"]
    assert snapshot["thresholds"] == hub_api.thresholds()
    summary = hub_api.summary()
    assert {**snapshot["summary"], "ts": summary["ts"]} == summary


def test_health_is_200_when_ok_and_503_when_degraded(client, live_hub):
    report = client.get("/api/health")
    assert report.status_code == 200
    assert report.get_json()["status"] == "ok"
    disconnected = HubApi(
        live_hub.controller, live_hub.tracker, live_hub.writer, lambda: False, store=live_hub.store
    )
    degraded_client = create_app(disconnected, live_hub.relay).test_client()
    degraded = degraded_client.get("/api/health")
    assert degraded.status_code == 503
    problems = degraded_client.get("/api/summary").get_json()["problems"]
    assert problems == ["The hub has lost the MQTT broker and is reconnecting."]
    assert (degraded.get_json()["status"], degraded.get_json()["mqtt_connected"]) == (
        "degraded",
        False,
    )


# ---- the token --------------------------------------------------------------------------

CHANGES = [
    ("POST", "/api/devices/lamp/command", {"on": False}),
    ("POST", "/api/alerts/total-power-high:1/ack", None),
    ("PUT", "/api/thresholds", []),
    ("PUT", "/api/tariff", {"standing_charge_per_day": 1.0}),
    ("PUT", "/api/manager", {"strategy": "rules"}),
]


def test_every_state_changing_route_is_in_the_token_tests(client):
    app_routes = {
        (method, rule.rule)
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
    }
    tested = {(m, p.replace("lamp", "<device_id>")) for m, p, _ in CHANGES}
    tested = {(m, p.replace("total-power-high:1", "<alert_id>")) for m, p in tested}
    assert app_routes == tested


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic secret", "Bearer ", "secret"])
def test_with_a_token_changes_without_it_are_401(hub_api, live_hub, method, path, body, header):
    live_hub.add_device("lamp")
    client = create_app(hub_api, live_hub.relay, {"AUTH_TOKEN": "secret"}).test_client()
    headers = {"Authorization": header} if header else {}
    response = client.open(path, method=method, json=body, headers=headers)
    assert response.status_code == 401
    expected = "token_invalid" if header == "Bearer wrong" else "token_required"
    assert response.get_json()["error"]["code"] == expected
    assert "token" in response.get_json()["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    live_hub.sync()
    assert live_hub.commands_issued() == []
    assert client.get("/api/tariff").get_json()["standing_charge_per_day"] == 0.5


def test_with_a_token_changes_with_it_work_and_reads_stay_open(hub_api, live_hub):
    live_hub.add_device("lamp")
    client = create_app(hub_api, live_hub.relay, {"AUTH_TOKEN": "secret"}).test_client()
    for path in ("/api/devices", "/api/summary", "/api/alerts", "/api/thresholds"):
        assert client.get(path).status_code == 200, path
    trusted = {"Authorization": "Bearer secret"}
    response = post(client, "/api/devices/lamp/command", {"on": False}, headers=trusted)
    assert response.status_code == 200
    assert client.put("/api/thresholds", json=[], headers=trusted).get_json() == []


def test_the_token_is_checked_before_the_body(hub_api, live_hub):
    client = create_app(hub_api, live_hub.relay, {"AUTH_TOKEN": "secret"}).test_client()
    response = client.post("/api/devices/Bad!/command", data=b"{not json")
    assert response.status_code == 401


# ---- errors and the OpenAPI document ----------------------------------------------------


def test_unknown_routes_and_methods_answer_json_under_api(client):
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/thresholds")
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "PUT"}


def test_the_openapi_document_describes_exactly_the_routes_under_api(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    described = {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in ("get", "post", "put", "delete", "patch")
    }
    routes = {
        (method, rule.rule.replace("<", "{").replace(">", "}"))
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert described == routes
    for path, item in doc["paths"].items():
        for name in ("device_id", "alert_id"):
            if "{" + name + "}" in path:
                assert any(p["name"] == name for p in item["parameters"]), path
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "200" in operation["responses"], (method, path)
            if method in ("post", "put"):
                assert "401" in operation["responses"], (method, path)


def test_every_reference_in_the_openapi_document_resolves():
    doc = document()
    text = json.dumps(doc)
    names = {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}
    assert names <= set(doc["components"]["schemas"])
    assert names >= {"Device", "Summary", "Alert", "Threshold", "Tariff", "Error", "History"}


def test_the_documented_shapes_match_what_the_api_answers(client, live_hub):
    live_hub.add_device("tv", 90.0)
    schemas = document()["components"]["schemas"]
    assert set(schemas["Device"]["required"]) == DEVICE_KEYS
    assert set(schemas["Summary"]["required"]) == SUMMARY_KEYS
    assert set(client.get("/api/summary").get_json()) == SUMMARY_KEYS
    assert set(client.get("/api/health").get_json()) == set(schemas["Health"]["required"])
    assert set(client.get("/api/alerts").get_json()) == set(schemas["Alerts"]["required"])
    history = client.get("/api/history").get_json()
    assert set(history) == set(schemas["History"]["required"])


def test_a_battery_shows_what_it_delivers_how_full_it_is_and_its_mode(client, live_hub):
    live_hub.add_device("home-battery", 0.0, 10.0, role="storage", capacity_wh=5200.0)
    live_hub.reading(
        "home-battery", 0.0, 10.0, discharge_w=1500.0, soc_pct=62.5, mode="auto", energy_out_wh=5.0
    )
    device = client.get("/api/devices/home-battery").get_json()
    assert device["role"] == "storage"
    assert (device["discharge_w"], device["soc_pct"], device["mode"]) == (1500.0, 62.5, "auto")
    assert device["energy_out_wh"] == 5.0
    summary = client.get("/api/summary").get_json()
    assert (summary["battery_w"], summary["battery_soc_pct"]) == (-1500.0, 62.5)
    properties = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Device"]
    assert set(device) <= set(properties["properties"])
