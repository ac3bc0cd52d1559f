"""The energy view (/api/energy) from a real hub and log, through Flask's test client."""

import datetime as dt
import time

import pytest

from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.store.schema import Batch
from testkit.ports import wait_for
from web.api.openapi import document

STEP_WH = 250.0  # per reading: a counter step the hub finds plausible however soon it comes


def feed_sunny_minute(live_hub, made_wh=2000.0, used_wh=500.0):
    """A producer making `made_wh` and a consumer using `used_wh`, all in this minute.

    The hub nets production against consumption per minute, so the readings
    are sent well inside one minute (a condition, waited on, not a sleep).
    """
    wait_for(lambda: time.time() % 60 < 40, 25, "the first 40 s of a minute")
    live_hub.add_device("roof", 2000.0, 0.0, role="producer", kind="solar", name="Roof")
    live_hub.add_device("kettle", 500.0, 0.0, name="Kettle")
    for step in range(1, round(made_wh / STEP_WH) + 1):
        live_hub.reading("roof", 2000.0, STEP_WH * step)
        if STEP_WH * step <= used_wh:
            live_hub.reading("kettle", 500.0, STEP_WH * step)
    live_hub.tick()  # the ledger hands its minutes to the log
    live_hub.flush()


def today(live_hub):
    return live_hub.core.tariff.day_of(live_hub.controller.now().sim)


def test_a_producer_of_2000_wh_and_a_consumer_of_500_wh(client, live_hub):
    feed_sunny_minute(live_hub)
    answer = client.get("/api/energy").get_json()
    assert (answer["period"], answer["date"]) == ("day", today(live_hub).isoformat())
    assert answer["totals"] == {
        "consumption_wh": 500.0, "import_wh": 0.0, "export_wh": 1500.0, "generation_wh": 2000.0,
        "self_consumed_wh": 500.0, "self_sufficiency_pct": 100.0, "self_consumption_pct": 25.0,
        "energy_cost": -0.15, "standing_charge": 0.5, "cost": 0.35, "co2_g": 0.0,
    }  # fmt: skip
    roof, kettle = answer["devices"]  # largest first: the roof made 2000 Wh
    assert roof == {
        "id": "roof", "name": "Roof", "role": "producer", "energy_wh": 2000.0, "cost": -0.2,
        "from_grid_wh": None, "from_solar_wh": None, "from_battery_wh": None,
    }  # fmt: skip
    assert kettle == {
        "id": "kettle", "name": "Kettle", "role": "consumer", "energy_wh": 500.0,
        "cost": 0.125, "from_grid_wh": 0.0, "from_solar_wh": 500.0, "from_battery_wh": 0.0,
    }  # fmt: skip
    assert answer["untracked"]["energy_wh"] == 0.0
    hour = [b for b in answer["buckets"] if b["generation_wh"]]
    assert hour == [
        {
            "label": hour[0]["label"], "start": hour[0]["start"], "from_grid_wh": 0.0,
            "from_solar_wh": 500.0, "from_battery_wh": 0.0, "export_wh": 1500.0,
            "generation_wh": 2000.0, "consumption_wh": 500.0,
        }
    ]  # fmt: skip
    assert hour[0]["start"] <= time.time() < hour[0]["start"] + 3600


def test_every_period_holds_today_and_compares_with_the_one_before(client, live_hub):
    feed_sunny_minute(live_hub)
    day = today(live_hub)
    for period, buckets in (("week", 7), ("month", None), ("year", 12)):
        flag = {"week": "1", "month": "true", "year": "TRUE"}[period]
        answer = client.get(f"/api/energy?period={period}&compare={flag}").get_json()
        assert answer["totals"]["export_wh"] == 1500.0, period
        assert answer["next"] is None  # the next period has not begun
        assert buckets is None or len(answer["buckets"]) == buckets
        assert answer["compare"]["totals"]["consumption_wh"] == 0.0
        assert answer["compare"]["totals"]["self_sufficiency_pct"] is None
        assert answer["compare"]["end"] == answer["start"]
    yesterday = client.get(f"/api/energy?date={day - dt.timedelta(days=1)}&compare=0").get_json()
    assert yesterday["compare"] is None
    assert yesterday["next"] == day.isoformat()
    assert yesterday["totals"]["generation_wh"] == 0.0
    assert yesterday["totals"]["self_consumption_pct"] is None  # no generation
    assert yesterday["totals"]["cost"] == 0.5  # a past day's standing charge, all of it
    tomorrow = client.get(f"/api/energy?date={day + dt.timedelta(days=1)}").get_json()
    assert tomorrow["totals"]["standing_charge"] == 0.0  # not begun


def test_the_answer_has_the_documented_keys(client, live_hub):
    feed_sunny_minute(live_hub, made_wh=250.0, used_wh=250.0)
    schemas = document()["components"]["schemas"]
    answer = client.get("/api/energy?period=week&compare=1").get_json()
    assert set(answer) == set(schemas["Energy"]["required"])
    assert set(answer["totals"]) == set(schemas["EnergyTotals"]["required"])
    assert set(answer["compare"]) == set(schemas["Energy"]["properties"]["compare"]["properties"])
    assert set(answer["buckets"][0]) == set(schemas["EnergyBucket"]["required"])
    assert {frozenset(d) for d in answer["devices"]} == {
        frozenset(schemas["EnergyDevice"]["required"])
    }


def test_untracked_is_the_consumption_no_known_consumer_accounts_for(client, live_hub):
    minute = int(time.time() // 60) * 60
    # the home used 100 Wh while making 50 (none exported): half of every Wh was solar
    live_hub.writer.submit(
        Batch(
            device_rollups=[DeviceMinute(minute, "fridge", 60.0, 0.015, 3600.0)],
            home_rollups=[HomeMinute(minute, 100.0, 50.0, 50.0, 0.0, 0.0125, 10.0)],
        )
    )
    live_hub.flush()
    answer = client.get("/api/energy").get_json()
    fridge = answer["devices"][0]
    assert (fridge["id"], fridge["name"], fridge["role"]) == ("fridge", "fridge", None)
    assert (fridge["from_solar_wh"], fridge["from_grid_wh"]) == (30.0, 30.0)
    assert answer["untracked"] == {
        "energy_wh": 40.0, "from_grid_wh": 20.0, "from_solar_wh": 20.0, "from_battery_wh": 0.0,
    }  # fmt: skip
    assert (answer["totals"]["self_sufficiency_pct"], answer["totals"]["co2_g"]) == (50.0, 10.0)


BAD_QUERIES = [
    ("period=hour", "period must be one of day, week, month, year, got 'hour'"),
    ("date=yesterday", "date must be a date as YYYY-MM-DD, got 'yesterday'"),
    ("date=2026-02-30", "date must be a date as YYYY-MM-DD, got '2026-02-30'"),
    ("date=20260609", "date must be a date as YYYY-MM-DD"),
    ("date=0001-01-01", "date must be in the years 1971 to 9998"),
    ("compare=yes", "compare must be 1 or 0, got 'yes'"),
    ("period=day&period=week", "give period at most once"),
    ("day=2026-06-09", "unknown parameter 'day'; known: period, date, compare"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_a_bad_query_is_400_with_the_reason(client, query, message):
    response = client.get(f"/api/energy?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_a_log_that_cannot_be_read_is_503(unreadable_log_client):
    response = unreadable_log_client.get("/api/energy?period=year")
    assert response.status_code == 503
    assert "closed" in response.get_json()["error"]["message"]
