"""`[tariff] prices`: a price file (hub.config.price_file) or "agile-like", as home.toml
reads them, and every mistake as one error naming the file, the line and the problem."""

import datetime as dt
from pathlib import Path

import pytest

from hub.__main__ import main as hub_main
from hub.config.load import ConfigError, load_config, parse_config, tariff_from_dict, tariff_to_dict
from hub.config.price_file import parse_prices
from hub.config.saved import effective_config
from hub.core.prices import TablePrices, price_series
from hub.core.settings import AgileLike, HubConfig, PriceFile

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "prices.csv"
JAN_5 = dt.datetime(2026, 1, 5, tzinfo=dt.UTC).timestamp()


def hm(hour: int, minute: int = 0) -> float:
    return JAN_5 + hour * 3600 + minute * 60


def problem(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_prices(text, "prices.csv")
    return str(caught.value)


def test_the_example_file_loads_beside_a_config(tmp_path):
    config_path = tmp_path / "home.toml"
    config_path.write_text('[tariff]\ncarbon_g_per_kwh = 149\nprices = "prices.csv"\n')
    (tmp_path / "prices.csv").write_text(EXAMPLE_FILE.read_text())
    prices = load_config(config_path).tariff.prices
    assert isinstance(prices, PriceFile) and prices.path == str(tmp_path / "prices.csv")
    assert len(prices.rows) == 8
    assert prices.rows[0] == (hm(16), hm(16, 30), 0.3512, 0.1820, 262.0)
    assert prices.rows[-1] == (hm(19, 30), hm(20), 0.1610, 0.0830, 196.0)  # Unix seconds
    series = price_series(load_config(config_path).tariff, dt.UTC)  # type: ignore[arg-type]
    assert isinstance(series, TablePrices) and series.span == (hm(16), hm(20))


def test_slots_run_to_the_next_start_and_the_last_for_the_median_slot():
    rows = parse_prices(
        f"start,export,import\n{hm(0):.0f},0.05,0.10\n{hm(7):.0f},0.06,0.20\n"
        f"{hm(16):.0f},0.07,0.30\n{hm(19):.0f},0.08,0.40\n",
        "tou.csv",
    )
    # irregular blocks are taken as given (columns in any order, no carbon column)
    assert rows == (
        (hm(0), hm(7), 0.10, 0.05, None),
        (hm(7), hm(16), 0.20, 0.06, None),
        (hm(16), hm(19), 0.30, 0.07, None),
        (hm(19), hm(26), 0.40, 0.08, None),
    )
    assert parse_prices("start,import,export\n2026-01-05T00:00Z,0.1,0\n", "one.csv") == (
        (hm(0), hm(0, 30), 0.1, 0.0, None),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "prices.csv: empty: expected a header row (start,import,export)"),
        ("# only a comment\n\n", "prices.csv: empty"),
        ("start,import,export\n", "prices.csv:1: no rows after the header"),
        ("start,import\n0,0.1\n", "prices.csv:1: missing column 'export'"),
        ("start,import,export,co2\n", "prices.csv:1: unknown column 'co2' (known: co2_g_per_kwh"),
        ("start,import,export\n1767571200,0.1\n", "prices.csv:2: expected 3 values"),
        (
            "start,import,export\n1767571200,abc,0\n",
            "prices.csv:2: import: expected a number, got 'abc'",
        ),
        ("start,import,export\n1767571200,0.1,nan\n", "prices.csv:2: export: expected a number"),
        (
            "start,import,export\n2026-01-05 7pm,0.1,0\n",
            "prices.csv:2: start: expected ISO 8601 with an offset",
        ),
        (
            "start,import,export\n2026-01-05T19:00,0.1,0\n",
            "prices.csv:2: start '2026-01-05T19:00' has no UTC offset",
        ),
        (
            "start,import,export\n1767571230,0.1,0\n",
            "prices.csv:2: start '1767571230' must be a whole minute",
        ),
        (
            "start,import,export\n1767573000,0.1,0\n1767571200,0.1,0\n",
            "prices.csv:3: start 1767571200 is before the row above's: rows must be sorted",
        ),
        (
            "start,import,export\n1767571200,0.1,0\n1767571200,0.2,0\n",
            "prices.csv:3: start 1767571200 is the same as the row above's",
        ),
        (
            "start,import,export\n1767571200,0.1,0\n1767571260,0.1,0\n",
            "prices.csv:2: this slot lasts 1 min; slots last at least 5 min",
        ),
        (
            "start,import,export,co2_g_per_kwh\n1767571200,0.1,0,-3\n",
            "prices.csv:2: co2_g_per_kwh must be >= 0, got -3",
        ),
        (
            "start,import,export\n# a comment\n1767571200,0.1,0\n1767573000,0.1,0\n"
            "1767574800,0.1,0\n1767578400,0.1,0\n1767580200,0.1,0\n",
            "prices.csv:5: a gap: the next row starts 60 min after this one, where slots are 30",
        ),
    ],
)
def test_a_bad_file_is_one_error_naming_file_line_and_problem(text, message):
    assert message in problem(text)


def test_the_prices_key_in_home_toml(tmp_path):
    agile = parse_config('[tariff]\nprices = "agile-like"\nprices_seed = 7\n', "home.toml")
    assert agile.tariff.prices == AgileLike(7)
    assert parse_config('[tariff]\nprices = "agile-like"\n').tariff.prices == AgileLike(1)
    assert parse_config("").tariff.prices is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tariff]\nprices = "nowhere.csv"\n', "home.toml:2: tariff.prices: no price file"),
        ("[tariff]\nprices = 3\n", 'tariff.prices: expected a CSV file\'s path or "agile-like"'),
        (
            "[tariff]\nprices_seed = 3\n",
            'tariff.prices_seed: applies only with prices = "agile-like"',
        ),
        (
            '[tariff]\nprices = "agile-like"\nprices_seed = -1\n',
            "tariff.prices_seed: expected an integer",
        ),
    ],
)
def test_mistakes_with_the_key_name_home_toml(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(text, str(tmp_path / "home.toml"))
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


def test_a_bad_file_stops_the_config_naming_the_price_file(tmp_path):
    (tmp_path / "prices.csv").write_text("start,import,export\n1767571200,0.1,zero\n")
    (tmp_path / "home.toml").write_text('[tariff]\nprices = "prices.csv"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "home.toml")
    assert (
        str(caught.value) == f"{tmp_path / 'prices.csv'}:2: export: expected a number, got 'zero'"
    )


def test_a_series_round_trips_through_the_settings_json(tmp_path):
    (tmp_path / "prices.csv").write_text(EXAMPLE_FILE.read_text())
    (tmp_path / "home.toml").write_text('[tariff]\nprices = "prices.csv"\n')
    config = load_config(tmp_path / "home.toml")
    saved = tariff_to_dict(config.tariff)
    assert saved["prices"] == str(tmp_path / "prices.csv")
    assert tariff_from_dict(saved, "tariff") == config.tariff
    agile = parse_config('[tariff]\nprices = "agile-like"\nprices_seed = 4\n').tariff
    assert tariff_to_dict(agile)["prices_seed"] == 4
    assert tariff_from_dict(tariff_to_dict(agile), "tariff") == agile
    # a restarted hub with the file gone: one error naming it, not a crash
    (tmp_path / "prices.csv").unlink()
    with pytest.raises(ConfigError, match="no price file"):
        effective_config(HubConfig(), {"tariff": saved})


def test_the_readmes_excerpt_is_the_example_files_head():
    readme = (EXAMPLE_FILE.parents[2] / "README.md").read_text()
    excerpt = readme.split("```csv\n", 1)[1].split("```", 1)[0].splitlines()
    rows = [line for line in EXAMPLE_FILE.read_text().splitlines() if not line.startswith("#")]
    assert excerpt == rows[: len(excerpt)] and len(excerpt) >= 2
    parse_prices("\n".join(excerpt), "README.md")  # and it parses as a file of its own


def test_the_hub_refuses_to_start_on_a_bad_price_file_in_one_line(tmp_path, capsys):
    (tmp_path / "prices.csv").write_text(
        "start,import,export\n2026-01-05T16:00Z,0.1,0\n2026-01-05T15:30Z,0.1,0\n"
    )
    (tmp_path / "home.toml").write_text('[tariff]\nprices = "prices.csv"\n')
    with pytest.raises(SystemExit) as stopped:
        hub_main(["--check", "--config", str(tmp_path / "home.toml")], env={})
    assert stopped.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    where = f"{tmp_path / 'prices.csv'}:3:"
    problem = "start 2026-01-05T15:30Z is before the row above's: rows must be sorted by start"
    assert error.endswith(f"{where} {problem}, each slot once")
