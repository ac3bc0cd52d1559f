"""Alerts, thresholds and the tariff through Flask's test client, on a real hub."""

import json

import pytest

from hub.core.events import AlertChanged, SettingChanged

THRESHOLD = {
    "rule": "total-power",
    "above_w": 3000.0,
    "clear_below_w": 2850.0,
    "for_s": 0.0,
    "level": "warning",
}
TARIFF = {
    "standing_charge_per_day": 0.5,
    "export_rate": 0.1,
    "carbon_g_per_kwh": 0.0,
    "periods": [
        {
            "name": "flat",
            "start": "00:00",
            "end": "00:00",
            "rate": 0.25,
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        }
    ],
}
ECONOMY_7 = {
    "standing_charge_per_day": 0.6,
    "periods": [
        {"name": "night", "start": "00:30", "end": "07:30", "rate": 0.1},
        {"name": "day", "start": "07:30", "end": "00:30", "rate": 0.3},
    ],
}


def raise_power_alert(live_hub):
    """Draw above the test home's 3 kW threshold until its alert opens; return the alert."""
    live_hub.add_device("heater", 3500.0)
    for _ in range(5):
        raised = [e.alert for e in live_hub.tick() if isinstance(e, AlertChanged)]
        if raised:
            return raised[0]
    raise AssertionError("the total-power alert did not open")


def put(client, path, body):
    return client.put(path, data=json.dumps(body), content_type="application/json")


# ---- alerts -----------------------------------------------------------------------------


def test_alerts_lists_open_and_recent(client, live_hub):
    assert client.get("/api/alerts").get_json() == {"open": [], "recent": []}
    alert = raise_power_alert(live_hub)
    answer = client.get("/api/alerts").get_json()
    assert answer["open"] == [alert.to_dict()]
    assert answer["recent"] == [alert.to_dict()]
    assert (alert.rule, alert.state, alert.threshold) == ("total-power-high", "raised", 3000.0)


def test_acknowledging_keeps_the_alert_open_and_shows_everywhere(client, live_hub):
    alert = raise_power_alert(live_hub)
    response = client.post(f"/api/alerts/{alert.id}/ack")
    assert response.status_code == 200
    acknowledged = response.get_json()
    assert (acknowledged["id"], acknowledged["state"]) == (alert.id, "acknowledged")
    answer = client.get("/api/alerts").get_json()
    assert answer["open"] == [acknowledged]
    assert answer["recent"][0] == acknowledged
    live_hub.flush()  # the acknowledgement is logged too
    assert live_hub.store.alerts()[0].state == "acknowledged"


def test_acknowledging_an_unknown_or_cleared_alert_is_404(client, live_hub):
    missing = client.post("/api/alerts/total-power-high:1/ack")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert "no open alert has id 'total-power-high:1'" in missing.get_json()["error"]["message"]
    alert = raise_power_alert(live_hub)
    live_hub.reading("heater", 100.0, 0.0)
    live_hub.tick()
    cleared = client.post(f"/api/alerts/{alert.id}/ack")
    assert cleared.status_code == 404
    answer = client.get("/api/alerts").get_json()
    assert answer["open"] == []
    live_hub.flush()
    assert client.get("/api/alerts").get_json()["recent"][0]["state"] == "cleared"


def test_an_overlong_alert_id_is_400(client):
    response = client.post(f"/api/alerts/{'x' * 201}/ack")
    assert response.status_code == 400
    assert "at most 200 characters" in response.get_json()["error"]["message"]


# ---- thresholds -------------------------------------------------------------------------


def test_thresholds_read_and_replace(client, live_hub):
    assert client.get("/api/thresholds").get_json() == [THRESHOLD]
    rules = [
        {"rule": "device-power", "device": "kettle", "above_w": 2000, "level": "critical"},
        {"rule": "daily-cost", "above": 5},
    ]
    response = put(client, "/api/thresholds", rules)
    assert response.status_code == 200
    expected = [
        {"rule": "device-power", "device": "kettle", "above_w": 2000.0,
         "clear_below_w": 1900.0, "for_s": 10.0, "level": "critical"},
        {"rule": "daily-cost", "above": 5.0, "clear_below": 4.75, "for_s": 10.0,
         "level": "warning"},
    ]  # fmt: skip
    assert response.get_json() == expected
    assert client.get("/api/thresholds").get_json() == expected
    assert client.get("/api/summary").get_json()["total_power_threshold_w"] is None
    live_hub.flush()
    assert live_hub.store.get_setting("thresholds") == expected  # survives a restart


def test_replacing_a_raised_rule_clears_its_alert(client, live_hub):
    raise_power_alert(live_hub)
    assert put(client, "/api/thresholds", []).get_json() == []
    assert client.get("/api/alerts").get_json()["open"] == []


BAD_THRESHOLDS = [
    ({"rule": "total-power"}, "must be a JSON array"),
    ("total-power", "must be a JSON array"),
    ([5], "thresholds[0]: expected a table"),
    ([{"rule": "total-energy", "above_w": 1}], "thresholds[0].rule: expected one of"),
    ([{"rule": "total-power"}], "missing required key 'above_w'"),
    ([{"rule": "total-power", "above_w": -1}], "thresholds[0].above_w: expected a number > 0"),
    ([{"rule": "total-power", "above_w": "high"}], "thresholds[0].above_w"),
    ([{"rule": "total-power", "above_w": 10, "clear_below_w": 20}], "must be below above_w"),
    ([{"rule": "total-power", "above_kwh": 10}], "thresholds[0]"),
    ([{"rule": "total-power", "above_w": 10, "device": "tv"}], "does not apply"),
    ([{"rule": "device-power", "above_w": 10, "device": "TV"}], "thresholds[0].device"),
    ([{"rule": "total-power", "above_w": 10, "level": "panic"}], "thresholds[0].level"),
    ([THRESHOLD, {"rule": "daily-cost", "above": 1, "colour": 1}], "thresholds[1]"),
    ([THRESHOLD, {**THRESHOLD, "above_w": 5000}], "a second total-power rule"),
]


@pytest.mark.parametrize(("body", "message"), BAD_THRESHOLDS)
def test_invalid_thresholds_are_400_and_change_nothing(client, live_hub, body, message):
    response = put(client, "/api/thresholds", body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert client.get("/api/thresholds").get_json() == [THRESHOLD]
    assert not any(isinstance(e, SettingChanged) for e in live_hub.events)


def test_a_threshold_body_that_is_not_json_is_400(client):
    response = client.put("/api/thresholds", data=b"[{", content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["error"]["message"]
    assert client.put("/api/thresholds").status_code == 400


# ---- the tariff -------------------------------------------------------------------------


def test_the_tariff_reads_and_replaces_and_prices_from_now_on(client, live_hub):
    assert client.get("/api/tariff").get_json() == TARIFF
    response = put(client, "/api/tariff", ECONOMY_7)
    assert response.status_code == 200
    tariff = response.get_json()
    assert [p["name"] for p in tariff["periods"]] == ["night", "day"]
    assert tariff["standing_charge_per_day"] == 0.6 and tariff["export_rate"] == 0.0
    assert client.get("/api/tariff").get_json() == tariff
    summary = client.get("/api/summary").get_json()
    assert summary["tariff_period"] in ("night", "day")
    assert summary["tariff_rate"] == {"night": 0.1, "day": 0.3}[summary["tariff_period"]]
    live_hub.flush()
    assert live_hub.store.get_setting("tariff") == tariff


BAD_TARIFFS = [
    ([], "must be a JSON object"),
    ({"periods": []}, "tariff.periods: expected at least one period"),
    ({"periods": [{"name": "a", "start": "00:00", "end": "12:00", "rate": 0.1}]}, "12:00-24:00"),
    ({"periods": [{"name": "a", "start": "25:00", "end": "25:00", "rate": 0.1}]}, "start"),
    ({"periods": [{"name": "a", "start": "00:00", "end": "00:00"}]}, "rate"),
    ({"standing_charge_per_day": -1}, "tariff.standing_charge_per_day"),
    ({"standing_charge": 1}, "unknown key 'standing_charge'"),
    (
        {"periods": [{"name": "a", "start": "00:00", "end": "00:00", "rate": 1, "days": ["mo"]}]},
        "days",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_TARIFFS)
def test_an_invalid_tariff_is_400_and_changes_nothing(client, live_hub, body, message):
    response = put(client, "/api/tariff", body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert client.get("/api/tariff").get_json() == TARIFF
    assert not any(isinstance(e, SettingChanged) for e in live_hub.events)
