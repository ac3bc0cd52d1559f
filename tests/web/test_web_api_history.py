"""History (JSON for charts) and the CSV export, from a real log, through Flask's test client."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.core.energy_rows import DeviceMinute, HomeMinute
from hub.store.schema import Batch, ReadingRow
from web import create_app

T0 = 1_781_000_040  # the start of a minute, 2026-06-09 in the test home (BST)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def logged(live_hub):
    """Three minutes of rollups and readings of two devices, written to the log."""
    rollups, homes, readings = [], [], []
    for i in range(3):
        minute = T0 + 60 * i
        rollups += [
            DeviceMinute(minute, "kettle", 10.0 * (i + 1), 0.01, 2800.0),
            DeviceMinute(minute, "fridge", 1.0, 0.001, 90.0),
        ]
        homes.append(HomeMinute(minute, 10.0 * (i + 1) + 1.0, 2.0, 9.0, 0.0, 0.01, 2.0))
        for device, power in (("kettle", 2800.0), ("fridge", 90.0)):
            readings.append(
                ReadingRow(minute + 10, device, i + 1, True, power, 100.0 + i, None, "on")
            )
    live_hub.writer.submit(Batch(readings=readings, device_rollups=rollups, home_rollups=homes))
    live_hub.flush()
    return live_hub


def test_minute_history_per_device_and_for_the_home(client, logged):
    response = client.get(f"/api/history?from={T0}&to={T0 + 180}")
    assert response.content_type == "application/json"  # as jsonify had it
    answer = response.get_json()
    assert (answer["from"], answer["to"], answer["resolution"]) == (T0, T0 + 180, "1m")
    assert answer["devices"]["kettle"] == {
        "t": [T0, T0 + 60, T0 + 120],
        "power_w": [600.0, 1200.0, 1800.0],
        "energy_wh": [10.0, 20.0, 30.0],
    }
    assert answer["devices"]["fridge"]["power_w"] == [60.0, 60.0, 60.0]
    assert answer["home"] == {
        "t": [T0, T0 + 60, T0 + 120],
        "consumption_w": [660.0, 1260.0, 1860.0],
        "production_w": [120.0, 120.0, 120.0],
    }


def test_raw_history_is_the_readings_and_devices_filter(client, logged):
    url = f"/api/history?from={T0}&to={T0 + 180}&resolution=raw&device=fridge"
    answer = client.get(url).get_json()
    assert answer["resolution"] == "raw"
    assert answer["devices"] == {
        "fridge": {
            "t": [T0 + 10, T0 + 70, T0 + 130],
            "power_w": [90.0, 90.0, 90.0],
            "energy_wh": [100.0, 101.0, 102.0],
        }
    }


def test_the_span_is_half_open_and_an_asked_device_without_data_is_empty(client, logged):
    url = f"/api/history?from={T0 + 60}&to={T0 + 120}&device=kettle&device=oven&device=kettle"
    answer = client.get(url).get_json()
    assert answer["devices"] == {
        "kettle": {"t": [T0 + 60], "power_w": [1200.0], "energy_wh": [20.0]},
        "oven": {"t": [], "power_w": [], "energy_wh": []},
    }


def test_times_may_be_iso_dates_in_the_homes_zone(client, logged):
    day = datetime.fromtimestamp(T0, LONDON).date()
    answer = client.get(f"/api/history?from={day}&to={day + timedelta(days=1)}").get_json()
    assert answer["from"] == datetime(day.year, day.month, day.day, tzinfo=LONDON).timestamp()
    assert answer["to"] - answer["from"] == 86400
    assert len(answer["devices"]["kettle"]["t"]) == 3
    local = datetime.fromtimestamp(T0 + 60, LONDON).strftime("%Y-%m-%dT%H:%M")
    answer = client.get(f"/api/history?from={local}&to={T0 + 180}&device=kettle").get_json()
    assert answer["devices"]["kettle"]["t"] == [T0 + 60, T0 + 120]


def test_by_default_the_last_24_hours_of_every_device(client, live_hub):
    live_hub.add_device("kettle", 2800.0, 100.0)
    live_hub.reading("kettle", 2800.0, 101.0)
    live_hub.tick()  # the ledger hands its minutes to the log
    live_hub.flush()
    answer = client.get("/api/history").get_json()
    assert answer["to"] - answer["from"] == 86400
    assert answer["devices"]["kettle"]["energy_wh"] == [pytest.approx(1.0)]
    assert answer["home"]["consumption_w"] == [pytest.approx(60.0)]
    raw = client.get("/api/history?resolution=raw").get_json()
    assert raw["devices"]["kettle"]["energy_wh"] == [100.0, 101.0]


def test_too_many_points_is_400(live_hub, logged):
    client = create_app(live_hub.api, live_hub.relay, {"HISTORY_MAX_POINTS": 5}).test_client()
    response = client.get(f"/api/history?from={T0}&to={T0 + 180}")
    assert response.status_code == 400
    assert "more than 5 points" in response.get_json()["error"]["message"]
    assert client.get(f"/api/history?from={T0}&to={T0 + 60}").status_code == 200


def write_day(live_hub, silent=range(0)):
    """A day of kettle minutes (a 3 kW minute at 12:00 into the day), silent where asked."""
    rollups = [
        DeviceMinute(T0 + 60 * i, "kettle", w / 60, 0.0, w)
        for i in range(24 * 60)
        if i not in silent
        for w in [3000.0 if i == 720 else 100.0 + i % 10]
    ]
    live_hub.writer.submit(Batch(device_rollups=rollups))
    live_hub.flush()


def test_points_bound_each_series_and_keep_the_peak(client, live_hub):
    write_day(live_hub)
    day = f"from={T0}&to={T0 + 86400}"
    kettle = client.get(f"/api/history?{day}&points=50").get_json()["devices"]["kettle"]
    assert 40 <= len(kettle["t"]) <= 50
    assert max(kettle["power_w"]) == 3000.0 and min(kettle["power_w"]) == 100.0
    assert kettle["t"][kettle["power_w"].index(3000.0)] == T0 + 720 * 60
    whole = client.get(f"/api/history?{day}").get_json()["devices"]["kettle"]
    assert len(whole["t"]) == 24 * 60  # the default keeps a day of minutes whole
    csv = client.get(f"/api/export.csv?{day}").get_data(as_text=True).splitlines()
    assert len(csv) == 1 + 24 * 60  # the CSV is every minute


def test_an_hour_without_rollups_is_a_gap_in_the_series(client, live_hub):
    write_day(live_hub, silent=range(300, 360))  # offline from 05:00 to 06:00 into the day
    kettle = client.get(f"/api/history?from={T0}&to={T0 + 86400}").get_json()["devices"]["kettle"]
    gap = kettle["t"].index(T0 + 300 * 60)
    assert kettle["power_w"][gap - 1 : gap + 2] == [100.0 + 299 % 10, None, 100.0]
    assert kettle["energy_wh"][gap] is None
    assert kettle["t"][gap + 1] == T0 + 360 * 60
    assert kettle["power_w"].count(None) == 1


BAD_QUERIES = [
    ("devices=kettle", "unknown parameter 'devices'"),
    ("from=1&from=2&to=3", "give from at most once"),
    ("resolution=1m&resolution=raw", "give resolution at most once"),
    ("from=yesterday", "from must be Unix seconds or an ISO 8601"),
    ("to=2026-13-01", "to must be Unix seconds or an ISO 8601"),
    ("from=nan", "from must be a time from 1970 to 9999, got 'nan'"),
    ("to=inf", "to must be a time from 1970 to 9999"),
    ("from=1E100", "from must be a time from 1970 to 9999, got '1E100'"),
    ("to=-5", "to must be a time from 1970 to 9999"),
    (f"from={T0}&to={T0}", "must be before to"),
    (f"from={T0 + 60}&to={T0}", "must be before to"),
    (f"from={T0}&to={T0 + 32 * 86400}", "at most 31 days"),
    ("resolution=5m", "resolution must be 1m or raw, got '5m'"),
    ("device=Kettle", "device: device id 'Kettle'"),
    ("device=", "device: device id must not be empty"),
    ("device=kettle,fridge", "device: device id 'kettle,fridge'"),
    ("&".join(f"device=d{i}" for i in range(21)), "21 devices asked for; at most 20"),
]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("points=9", "points must be from 10 to 50000, got 9"),
        ("points=50001", "points must be from 10 to 50000, got 50001"),
        ("points=wide", "points must be a whole number of at most 9 digits, got 'wide'"),
        ("points=-5", "got '-5'"),
        ("points=", "got ''"),
        ("points=1e3", "got '1e3'"),
        ("points=" + "9" * 5000, "got '99999999999999999999'"),
        ("points=10&points=20", "give points at most once"),
    ],
)
def test_bad_points_are_400_and_the_export_takes_none(client, query, message):
    response = client.get(f"/api/history?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    export = client.get("/api/export.csv?points=100")
    assert export.status_code == 400
    assert "unknown parameter 'points'" in export.get_json()["error"]["message"]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
@pytest.mark.parametrize("path", ["/api/history", "/api/export.csv"])
def test_a_bad_query_is_400_for_history_and_export(client, path, query, message):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_the_export_is_a_csv_download_of_the_same_selection(client, logged):
    response = client.get(f"/api/export.csv?from={T0}&to={T0 + 180}&device=kettle")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="energy-1m-{T0}-{T0 + 180}.csv"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "timestamp,power_w,device,time_utc,energy_wh,cost,power_max_w"
    assert [line.split(",")[:3] for line in lines[1:]] == [
        [str(T0 + 60 * i), f"{600.0 * (i + 1)}", "kettle"] for i in range(3)
    ]


def test_a_long_raw_export_streams_in_windows_with_one_header(client, live_hub):
    readings = [
        ReadingRow(T0 + 600 * i, "fridge", i, True, 90.0, float(i), None, "on") for i in range(20)
    ]  # 20 readings over 3h20: several export windows
    live_hub.writer.submit(Batch(readings=readings))
    live_hub.flush()
    response = client.get(f"/api/export.csv?from={T0}&to={T0 + 4 * 3600}&resolution=raw")
    assert response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("timestamp,power_w,device,time_utc,seq")
    assert [float(line.split(",")[0]) for line in lines[1:]] == [r.ts for r in readings]


def test_an_empty_export_is_just_the_header(client):
    response = client.get(f"/api/export.csv?from={T0}&to={T0 + 60}")
    assert response.get_data(as_text=True).splitlines() == [
        "timestamp,power_w,device,time_utc,energy_wh,cost,power_max_w"
    ]


def test_a_log_that_cannot_be_read_is_503(unreadable_log_client):
    client = unreadable_log_client
    for path in ("/api/history", "/api/export.csv", "/api/alerts"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.get_json()["error"]["code"] == "unavailable"
        assert "closed" in response.get_json()["error"]["message"]
