"""GET /api/prices and the tariff's price series through Flask's test client, on a real hub."""

import json
import time
from pathlib import Path

from hub.config.load import parse_config
from hub.core.events import SettingChanged
from protocol import Prices
from web.api.openapi import document


def put(client, path, body):
    return client.put(path, data=json.dumps(body), content_type="application/json")


def test_the_next_24_h_of_the_test_homes_flat_tariff(client):
    before = time.time()
    answer = client.get("/api/prices").get_json()
    prices = Prices.from_dict(answer)  # the payload of home/hub/prices
    assert prices.currency == "GBP"
    assert prices.slots[0].start <= before and prices.slots[-1].end >= before + 86400
    # the flat tariff: one slot a local day, at the period's rate and the export rate
    assert {(s.import_price, s.export_price, s.co2_g_per_kwh) for s in prices.slots} == {
        (0.25, 0.1, 0.0)
    }
    assert len(prices.slots) == 2


def test_agile_like_prices_from_the_tariff_editor_price_from_now_on(client, live_hub):
    tariff = client.get("/api/tariff").get_json()
    response = put(client, "/api/tariff", {**tariff, "prices": "agile-like", "prices_seed": 5})
    assert response.status_code == 200
    assert response.get_json()["prices"] == "agile-like"
    assert response.get_json()["prices_seed"] == 5
    slots = client.get("/api/prices").get_json()["slots"]
    assert len(slots) in (48, 49) and all(s["end"] - s["start"] == 1800 for s in slots)
    now = client.get("/api/summary").get_json()
    current = next(s for s in slots if s["start"] <= now["ts"] < s["end"])
    assert now["tariff_rate"] == current["import"]
    assert now["tariff_period"] == "agile-like"
    assert any(isinstance(e, SettingChanged) and e.key == "tariff" for e in live_hub.events)
    # the editor saves its periods again with the series carried along: it stays
    again = put(client, "/api/tariff", response.get_json())
    assert again.status_code == 200 and again.get_json()["prices"] == "agile-like"


def test_a_price_file_cannot_be_named_at_run_time_and_nothing_changes(client, tmp_path):
    (tmp_path / "other.csv").write_text("start,import,export\n1767571200,0.1,0\n")
    tariff = client.get("/api/tariff").get_json()
    for prices in (str(tmp_path / "other.csv"), "/etc/passwd", 7):
        response = put(client, "/api/tariff", {**tariff, "prices": prices})
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == "invalid_request"
        assert "a price file is named in home.toml" in error["message"]
    assert client.get("/api/tariff").get_json() == tariff
    assert {s["import"] for s in client.get("/api/prices").get_json()["slots"]} == {0.25}


def test_the_price_file_in_force_is_shown_and_kept_by_an_edit(client, live_hub):
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "prices.csv"
    config = parse_config(f"[tariff]\nexport_rate = 0.1\nprices = {json.dumps(str(example))}\n")
    live_hub.controller.act(lambda core, now: core.set_tariff(config.tariff))  # as home.toml
    tariff = client.get("/api/tariff").get_json()
    assert tariff["prices"] == str(example)
    response = put(client, "/api/tariff", {**tariff, "standing_charge_per_day": 0.4})
    assert response.status_code == 200 and response.get_json()["prices"] == str(example)
    assert live_hub.core.config.tariff.prices == config.tariff.prices
    assert live_hub.core.config.tariff.standing_charge_per_day == 0.4


def test_the_documented_shape_is_what_the_route_answers(client):
    schemas = document()["components"]["schemas"]
    answer = client.get("/api/prices").get_json()
    assert set(answer) == set(schemas["Prices"]["required"])
    assert all(set(s) == set(schemas["PriceSlot"]["required"]) for s in answer["slots"])
    assert "/api/prices" in document()["paths"]


def test_hours_asks_for_more_slots_and_a_bad_one_is_refused(client):
    now = client.get("/api/summary").get_json()["ts"]
    slots = client.get("/api/prices?hours=36").get_json()["slots"]
    assert slots[-1]["end"] >= now + 36 * 3600 and slots[0]["start"] <= now
    short = client.get("/api/prices?hours=1").get_json()["slots"]
    assert short[0] == slots[0] and len(short) < len(slots) and short[-1]["end"] >= now + 3600
    for bad in ("0", "49", "1.5", "-3", "x", "٣", "0036"):
        answer = client.get(f"/api/prices?hours={bad}")
        assert answer.status_code == 400, bad
        assert answer.get_json()["error"]["code"] == "invalid_request"
        assert "hours" in answer.get_json()["error"]["message"]
    assert client.get("/api/prices?days=2").status_code == 400
