"""The energy manager over HTTP and its MQTT request topic, on a running hub core: the
strategy read and switched (bad ones refused, nothing changed), and the plan it makes
for a battery published and served."""

import json

from testkit.ports import wait_for


def battery(live_hub) -> None:
    live_hub.add_device(
        "home-battery", 0.0, kind="battery", role="storage", rated_w=2600.0,
        capacity_wh=5200.0, max_charge_w=2600.0, max_discharge_w=2600.0,
    )  # fmt: skip
    live_hub.reading(
        "home-battery", 0.0, 0.0, soc_pct=50.0, mode="auto", discharge_w=0.0, energy_out_wh=0.0
    )


def test_the_strategy_is_read_and_switched_and_a_bad_one_changes_nothing(client):
    assert client.get("/api/manager").get_json() == {
        "strategy": "off",
        "strategies": ["off", "rules", "plan"],
    }
    assert client.put("/api/manager", json={"strategy": "rules"}).get_json()["strategy"] == "rules"
    for body in ({"strategy": "magic"}, {"strategy": "plan", "extra": 1}, ["plan"]):
        answer = client.put("/api/manager", json=body)
        assert answer.status_code == 400, body
        assert answer.get_json()["error"]["code"] == "invalid_request"
        assert "strategy" in answer.get_json()["error"]["message"]
    assert client.get("/api/manager").get_json()["strategy"] == "rules"


def test_with_the_plan_strategy_a_batterys_plan_is_published_and_served(client, live_hub):
    answer = client.get("/api/plan")
    assert answer.status_code == 404 and "strategy is off" in answer.get_json()["error"]["message"]
    battery(live_hub)
    client.put("/api/manager", json={"strategy": "plan"})
    wait_for(lambda: live_hub.plans and live_hub.plans[-1], 30, "a published plan")
    plan = json.loads(live_hub.plans[-1])
    assert plan["strategy"] == "plan" and plan["horizon_end"] - plan["made"] >= 35 * 3600
    assert client.get("/api/plan").get_json() == plan
    for slot in plan["slots"]:  # every slot balances
        balance = slot["load_w"] + slot["battery_w"] - slot["generation_w"]
        assert abs(slot["import_w"] - slot["export_w"] - balance) < 0.5, slot
    assert [a["device"] for a in plan["actions"]][:1] == ["home-battery"]
    sent = [c for c in live_hub.commands_issued() if c.actor == "manager"]
    assert sent and sent[0].device_id == "home-battery"
    client.put("/api/manager", json={"strategy": "off"})
    assert live_hub.plans[-1] == b""  # the retained plan is cleared
    assert client.get("/api/plan").status_code == 404


def test_the_mqtt_request_is_answered_on_the_result_topic(live_hub):
    def ask(payload: bytes) -> dict:
        live_hub.controller.query(lambda core, now: live_hub.manager.request(payload))
        return json.loads(live_hub.manager_answers[-1])

    assert ask(b'{"strategy": "rules"}') == {
        "ok": True,
        "strategy": "rules",
        "strategies": ["off", "rules", "plan"],
    }
    for bad in (b"not json", b'{"strategy": 3}', b'{"mode": "plan"}', b"\xff"):
        answer = ask(bad)
        assert answer["ok"] is False and answer["strategy"] == "rules", bad
        assert "strategy" in answer["error"]
