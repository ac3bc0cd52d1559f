"""The headless simulator (home/simulator.py, `python -m home simulate`), in memory on small
homes and short spans: its figures balance, repeat with the seed and add up."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from home.__main__ import main
from home.overrides import OverrideError, apply_override, apply_overrides
from home.sim_figures import FLOW_NAMES
from home.sim_report import report_html
from home.simulate_cli import SERIES_COLUMNS, figures_of, series_rows, write_series
from home.simulator import HomeSimulation, simulate
from hub.config.load import parse_config
from hub.store.export import parse_time
from testkit import configs

# A small home with every flow but storage: always-on load, a compressor, an occupant's
# kettle, solar panels and a car charging now.
SMALL_HOME = (
    '[home]\ntimezone = "Europe/London"\n[tariff]\nstanding_charge_per_day = 0.5\n'
    "export_rate = 0.15\ncarbon_g_per_kwh = 150\n"
    + configs.ECONOMY_7
    + configs.device("always-on", "baseload")
    + configs.device("kitchen-fridge", "fridge")
    + configs.device("kitchen-kettle", "kettle")
    + configs.device("roof-solar", "solar")
    + "kwp = 4\n"
    + configs.device("driveway-ev", "ev_charger")
    + 'mode = "now"\n'
)
CONFIG = parse_config(SMALL_HOME)
TZ = CONFIG.home.timezone
EVENING = {"start": "2026-06-03T16:00", "hours": 8}  # a Wednesday: the car comes home
ISSUE_KEYS = {
    "load_wh",
    "generation_wh",
    "import_wh",
    "export_wh",
    "self_consumed_wh",
    "battery_in_wh",
    "battery_out_wh",
    "cost",
    "co2_g",
    "peak_import_w",
}


def at(text: str) -> float:
    """A date's local midnight, or a local date-time."""
    return parse_time(text, TZ)


def figures(config=CONFIG, seed=1, start="2026-06-01", hours=30.0) -> dict:
    began = at(start)
    result = simulate(config, seed, began, began + hours * 3600)
    return figures_of(result, hours / 24, 0.0, TZ)


@pytest.fixture(scope="module")
def run():
    """A June day and a quarter, over a local midnight, with sun, the car and the night rate."""
    began = at("2026-06-01")
    return simulate(CONFIG, 1, began, began + 30 * 3600)


def balance(row: dict) -> float:
    return (
        row["generation_wh"]
        + row["import_wh"]
        + row["battery_out_wh"]
        - row["load_wh"]
        - row["export_wh"]
        - row["battery_in_wh"]
    )


def test_energy_balances_in_every_half_hour_every_day_and_the_totals(run):
    found = figures_of(run, 1.25, 0.0, TZ)
    rows = series_rows(run, TZ)
    assert len(rows) == 60  # 30 h of half hours
    for row in [*rows, *found["per_day"], found["totals"]]:
        assert abs(balance(row)) < 0.01, row
    assert found["totals"]["generation_wh"] > 1000 and found["totals"]["export_wh"] > 0
    assert found["totals"]["import_wh"] > 1000  # the car, and the night


def test_the_parts_add_up_to_the_whole(run):
    found = figures_of(run, 1.25, 0.0, TZ)
    totals, days = found["totals"], found["per_day"]
    assert [d["date"] for d in days] == ["2026-06-01", "2026-06-02"]
    for key in ("load_wh", "generation_wh", "import_wh", "export_wh", "cost", "co2_g"):
        assert math.isclose(sum(d[key] for d in days), totals[key], abs_tol=0.01), key
    assert totals["peak_import_w"] == max(d["peak_import_w"] for d in days)
    for key in ("load_wh", "generation_wh", "import_wh", "export_wh"):
        assert math.isclose(sum(r[key] for r in series_rows(run, TZ)), totals[key], abs_tol=0.05)
    devices = found["per_device"]
    assert list(devices) == [e.id for e in CONFIG.devices]
    consumers = sum(v["energy_wh"] for k, v in devices.items() if k != "roof-solar")
    assert math.isclose(consumers, totals["load_wh"], rel_tol=1e-6)
    assert math.isclose(devices["roof-solar"]["energy_wh"], totals["generation_wh"], rel_tol=1e-6)
    # two days touched: two standing charges, the import at 0.09-0.28, the export at 0.15
    imported = totals["cost"] - 2 * 0.5 + totals["export_wh"] * 0.15e-3
    assert totals["import_wh"] * 0.09e-3 < imported < totals["import_wh"] * 0.28e-3
    assert totals["co2_g"] == pytest.approx(totals["import_wh"] * 0.150, abs=0.01)
    assert totals["self_consumed_wh"] == pytest.approx(
        totals["generation_wh"] - totals["export_wh"], abs=0.01
    )


def test_the_json_object_has_the_issue_shape(run):
    assert figures_of(run, 7.0, 0.5, TZ)["days"] == 7  # as given: --days 7, not 7.0
    found = json.loads(json.dumps(figures_of(run, 1.25, 0.5, TZ)))
    assert set(found) == {
        *("start", "days", "seed", "wall_s", "strategy", "totals", "per_day", "per_device")
    }
    assert found["strategy"] == "off"  # the issue 17 key: no manager unless asked
    assert found["start"] == "2026-06-01T00:00:00+01:00"
    assert set(found["totals"]) >= ISSUE_KEYS
    assert all(ISSUE_KEYS | {"date"} <= set(day) for day in found["per_day"])
    assert all(set(d) == {"energy_wh", "cost"} for d in found["per_device"].values())
    assert 0 < found["totals"]["self_consumption_pct"] <= 100
    assert 0 < found["totals"]["self_sufficiency_pct"] <= 100


def test_the_series_file_has_the_issue_columns_a_row_per_half_hour(run):
    out = io.StringIO()
    write_series(out, series_rows(run, TZ))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert out.getvalue().splitlines()[0] == ",".join(SERIES_COLUMNS)
    assert rows[1]["start"] == "2026-06-01T00:30:00+01:00"
    prices = {r["start"][11:16]: float(r["import_price"]) for r in rows[:48]}
    assert prices["00:00"] == 0.28 and prices["00:30"] == 0.09 and prices["07:30"] == 0.28
    assert {r["export_price"] for r in rows} == {"0.15"}
    for row in rows:
        assert abs(balance({k: float(row[k]) for k in FLOW_NAMES})) < 0.01


def test_a_dynamic_tariff_prices_each_half_hour_at_its_own_slot():
    agile = parse_config(SMALL_HOME.replace("[tariff]\n", '[tariff]\nprices = "agile-like"\n'))
    began = at("2026-06-01")
    result = simulate(agile, 1, began, began + 24 * 3600)
    rows = series_rows(result, TZ)
    assert len({row["import_price"] for row in rows}) > 20  # not the two periods of the config
    energy = sum(r["import_wh"] * r["import_price"] for r in rows) - sum(
        r["export_wh"] * r["export_price"] for r in rows
    )
    cost = figures_of(result, 1.0, 0.0, TZ)["totals"]["cost"]
    assert cost == pytest.approx(energy / 1000 + 0.5, abs=0.01)  # and the standing charge


def test_a_battery_in_auto_keeps_more_of_the_sun_at_home():
    battery = '[[devices]]\nid = "home-battery"\nkind = "battery"\ninitial_soc = 10\n'
    without = figures(hours=48)["totals"]
    with_it = figures(parse_config(SMALL_HOME + battery), hours=48)["totals"]
    assert with_it["generation_wh"] == pytest.approx(without["generation_wh"])  # same sky
    stored = with_it["battery_in_wh"]
    assert stored > 1000 and with_it["battery_out_wh"] > 0.5 * stored
    assert with_it["self_consumed_wh"] > without["self_consumed_wh"] + 0.5 * stored
    assert with_it["import_wh"] < without["import_wh"] - 0.5 * stored
    assert abs(balance(with_it)) < 0.01


def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    first, again = figures(hours=6), figures(hours=6)
    assert first == again
    assert figures(hours=6, seed=2)["per_device"] != first["per_device"]


def test_holding_back_readings_that_add_nothing_changes_no_figure():
    """Readings are skipped while a device's power stays the same (home/sim_readings.py):
    over an evening, a night whose clocks go forward and a morning, the figures are those
    of a reading every minute."""
    began = at("2026-03-28T17:00")
    end = began + 18 * 3600
    quick = HomeSimulation(CONFIG, 1, began).run(end)
    every = HomeSimulation(CONFIG, 1, began, every_minute=True).run(end)
    # the same to the thousandth of a Wh (or W): only the order of float sums differs
    assert flat(figures_of(quick, 0.75, 0.0, TZ)) == pytest.approx(
        flat(figures_of(every, 0.75, 0.0, TZ)), abs=0.01
    )
    assert flat(series_rows(quick, TZ)) == pytest.approx(flat(series_rows(every, TZ)), abs=0.01)


def flat(value, path="") -> dict:
    """Every number of a nested figure by its path (texts as themselves)."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flat(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in flat(item, f"{path}[{i}]").items()}
    return {path: value}


def test_load_shedding_switches_the_simulated_device_as_the_live_one_would():
    """The core's shedding commands reach the device: the car (priority 5) charging at
    7.4 kW over a 3 kW limit is switched off within a minute (while shedding is at work
    the core ticks once a simulated minute here), each time it is restored."""
    shedding = parse_config(
        SMALL_HOME
        + "[shedding]\nenabled = true\nlimit_w = 3000\nfor_s = 10\nrestore_below_w = 2000\n"
    )
    free = figures(**EVENING)["per_device"]["driveway-ev"]["energy_wh"]
    shed = figures(shedding, **EVENING)
    assert free > 5000
    assert shed["per_device"]["driveway-ev"]["energy_wh"] < free / 5


def test_a_day_ending_on_a_month_boundary_keeps_its_figures():
    """The ledger lets go of last month's days at the first tick of a month: the day that
    just ended is counted before that."""
    found = figures(start="2026-01-31T20:00", hours=6)
    january, february = found["per_day"]
    assert (january["date"], february["date"]) == ("2026-01-31", "2026-02-01")
    assert january["co2_g"] > 0 and january["cost"] > 0.5  # more than its standing charge
    assert january["co2_g"] + february["co2_g"] == pytest.approx(found["totals"]["co2_g"], abs=0.01)


def test_a_span_off_the_minute_grid_counts_every_second_of_it():
    began = at("2026-01-05") + 17.5
    whole = simulate(CONFIG, 1, began, began + 3600.0)
    assert whole.end == began + 3600.0
    # the always-on load draws all the time: its energy is its power over exactly an hour
    always_on = whole.total.device_wh["always-on"]
    assert 30 < always_on < 500


# ---- --set ----------------------------------------------------------------------------


def params_of(config, device_id: str) -> dict:
    return dict(next(e for e in config.devices if e.id == device_id).params)


def test_a_device_is_named_by_id_kind_or_a_word_of_its_id():
    assert params_of(apply_override(CONFIG, "driveway-ev.battery_kwh=60"), "driveway-ev") == {
        "mode": "now",
        "battery_kwh": "60",
    }
    assert params_of(apply_override(CONFIG, "ev_charger.battery_kwh=60"), "driveway-ev")[
        "battery_kwh"
    ] == ("60")
    assert params_of(apply_override(CONFIG, "ev.battery_kwh=60"), "driveway-ev")["battery_kwh"]
    assert params_of(apply_override(CONFIG, "solar.kwp=6"), "roof-solar")["kwp"] == "6"
    assert params_of(CONFIG, "driveway-ev") == {"mode": "now"}  # the original is untouched


def test_a_bigger_car_battery_is_a_what_if_that_changes_the_figures():
    emptier = apply_overrides(CONFIG, ["ev.battery_kwh=80", "ev.arrival_soc=10"])
    before = figures(**EVENING)["per_device"]["driveway-ev"]["energy_wh"]
    assert figures(emptier, **EVENING)["per_device"]["driveway-ev"]["energy_wh"] > before > 0


def test_a_tariff_key_is_set_and_checked_as_in_home_toml():
    assert apply_override(CONFIG, "tariff.export_rate=0.2").tariff.export_rate == 0.2
    with pytest.raises(OverrideError, match="export_rat"):
        apply_override(CONFIG, "tariff.export_rat=0.2")
    with pytest.raises(OverrideError, match=r"tariff\.export_rate"):
        apply_override(CONFIG, "tariff.export_rate=cheap")


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("nosuch.kwp=4", "no device 'nosuch' in the config; devices: always-on, kitchen-fridge"),
        ("solar.wattage=4", "roof-solar (a solar) has no parameter 'wattage'; its parameters:"),
        ("solar.kwp=-1", "roof-solar: parameter kwp=-1: must be between"),
        ("kitchen.rated_w=10", "'kitchen' could be any of kitchen-fridge, kitchen-kettle"),
        ("solar-kwp=4", "expected DEVICE.PARAM=VALUE"),
        ("solar.kwp=", "expected DEVICE.PARAM=VALUE"),
    ],
)
def test_a_bad_override_names_what_is_known(item, says):
    with pytest.raises(OverrideError, match=r"^--set ") as caught:
        apply_override(CONFIG, item)
    assert says in str(caught.value)


# ---- the command line -----------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["simulate", *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_home(tmp_path):
    path = tmp_path / "home.toml"
    path.write_text(SMALL_HOME)
    return path


def test_json_prints_exactly_one_object(capsys, small_home):
    code, out, err = cli(
        capsys, "--config", str(small_home), "--start", "2026-06-01", "--days", "0.1", "--json"
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["days"] == 0.1 and found["seed"] == 1 and found["wall_s"] > 0
    assert len(out.strip().splitlines()) == 1


def test_the_files_are_written_and_the_report_needs_no_network(capsys, small_home, tmp_path):
    report, series = tmp_path / "report.html", tmp_path / "series.csv"
    argv = ["--config", str(small_home), "--start", "2026-06-01", "--days", "0.25"]
    code, out, err = cli(capsys, *argv, "--report", str(report), "--series", str(series))
    assert code == 0, err
    assert "load" in out and "per device" in out
    assert len(series.read_text().splitlines()) == 1 + 12
    page = report.read_text()
    assert "<script src" not in page and "<link" not in page
    assert page.count("Plotly.newPlot(") == 3 and "plotly.js" in page.lower()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--days", "0"], "argument --days: 0 days: give more than 0 and at most 3660"),
        (["--days", "week"], "argument --days: 'week' is not a number of days"),
        (["--start", "yesterday"], "--start"),
        (["--start", "nan"], "--start nan: give a time between 1970 and 9000"),
        (["--set", "nosuch.x=1"], "no device 'nosuch'"),
        (["--config", "/nonexistent/home.toml"], "file not found"),
        (["--report", "/nonexistent/dir/r.html"], "cannot write /nonexistent/dir/r.html"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_a_bad_flag_is_one_clear_line_and_status_2(capsys, small_home, argv, says):
    base = ["--config", str(small_home), "--start", "2026-06-01", "--days", "0.01"]
    code, out, err = cli(capsys, *base, *argv)  # a flag given again: the last one counts
    assert code == 2 and out == ""
    assert says in err.splitlines()[-1], err
    assert "Traceback" not in err


def test_help_says_what_the_command_does_and_shows_examples(capsys):
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    for promise in ("--start", "--days", "--set", "--series", "--report", "--json", "examples:"):
        assert promise in out


@pytest.mark.browser
def test_the_report_opens_in_chromium_with_its_charts_and_no_network(browser, run, tmp_path):
    path = tmp_path / "report.html"
    figures = figures_of(run, 1.25, 0.0, TZ)
    path.write_text(report_html(figures, series_rows(run, TZ), "A test home", "GBP"))
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('.chart .main-svg').length >= 3")
        bars = page.locator("#devices .bars path").count()
        title = page.locator("#power .gtitle").text_content()
    finally:
        page.close()
    assert requests == [path.as_uri()] and errors == []
    assert bars == len(CONFIG.devices)
    assert title == "Power flows (half-hour means)"


def test_a_device_with_days_between_uses_is_asked_within_a_day_and_loses_none():
    """A dishwasher used every few days holds its state for longer than a device agent
    catches up on (a longer gap reads as a clock that jumped, and is skipped): the
    simulator asks it at least twice a day, so its runs count as the model alone has them."""
    config = parse_config(
        '[home]\ntimezone = "Europe/London"\n' + configs.device("dw", "dishwasher")
    )
    start = at("2026-01-05")
    run = simulate(config, 1, start, start + 4 * 86400)
    model = HomeSimulation(config, 1, start).reporters["dw"].agent.model
    t = start
    while t < start + 4 * 86400:  # the model on its own, asked only when its state may change
        t = min(start + 4 * 86400, max(model.holds_until(), t + 60))
        model.advance_to(t)
    assert model.energy_wh > 1000  # it ran on those days
    assert run.total.device_wh["dw"] == pytest.approx(model.energy_wh, abs=0.01)
    assert run.total.peak_import_w < 2500  # no run booked into one minute
