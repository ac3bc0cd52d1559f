"""The home.toml loader (hub.config.load): values, defaults, errors naming file, line and key."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.config.checks import locate_keys
from hub.config.load import (
    ConfigError,
    load_config,
    parse_config,
    tariff_from_dict,
    tariff_to_dict,
    threshold_to_dict,
    thresholds_from_dicts,
)
from hub.core.settings import (
    DEFAULT_CONFIG,
    DeviceEntry,
    HomeConfig,
    HubConfig,
    Period,
    SheddingConfig,
    TariffConfig,
    ThresholdConfig,
)

FAST = settings(max_examples=100, deadline=None)
WEEK = frozenset(range(7))

# The issue's example, completed with a day period so the week is covered.
EXAMPLE = """\
[home]
name = "Demo home"
timezone = "Europe/London"     # day boundaries for "today"
currency = "GBP"
[tariff]
standing_charge_per_day = 0.60
export_rate = 0.15              # paid per kWh exported by producers
carbon_g_per_kwh = 149
[[tariff.periods]]              # time-of-use; one period 00:00-00:00 = flat
name = "night"
start = "00:30"
end = "07:30"
rate = 0.09
days = ["mon","tue","wed","thu","fri","sat","sun"]   # optional
[[tariff.periods]]
name = "day"
start = "07:30"
end = "00:30"
rate = 0.30
[[thresholds]]
rule = "total-power"
above_w = 7000
clear_below_w = 6500
for_s = 10
level = "warning"
[[thresholds]]
rule = "device-power"
device = "kettle"
above_w = 2000
level = "critical"
[[thresholds]]
rule = "daily-energy"
above_kwh = 20
for_s = 0
[[thresholds]]
rule = "daily-cost"
above = 5
clear_below = 4.5
[shedding]
enabled = true
limit_w = 9000
for_s = 10
restore_below_w = 7500
[[devices]]
id = "kitchen-fridge"
kind = "fridge"
[[devices]]
id = "kettle"
kind = "kettle"
name = "Kettle"
interval_s = 2
rated_w = 2400
[storage]
retention_days = 90
"""


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return caught.value


def test_the_example_loads_every_key():
    config = parse_config(EXAMPLE)
    assert config == HubConfig(
        home=HomeConfig("Demo home", ZoneInfo("Europe/London"), "GBP"),
        tariff=TariffConfig(
            standing_charge_per_day=0.60,
            export_rate=0.15,
            carbon_g_per_kwh=149.0,
            periods=(
                Period("night", dt.time(0, 30), dt.time(7, 30), 0.09, WEEK),
                Period("day", dt.time(7, 30), dt.time(0, 30), 0.30, WEEK),
            ),
        ),
        thresholds=(
            ThresholdConfig("total-power", 7000.0, 6500.0, 10.0, "warning", None),
            ThresholdConfig("device-power", 2000.0, 1900.0, 10.0, "critical", "kettle"),
            ThresholdConfig("daily-energy", 20.0, 19.0, 0.0, "warning", None),
            ThresholdConfig("daily-cost", 5.0, 4.5, 10.0, "warning", None),
        ),
        shedding=SheddingConfig(enabled=True, limit_w=9000.0, for_s=10.0, restore_below_w=7500.0),
        devices=(
            DeviceEntry("kitchen-fridge", "fridge"),
            DeviceEntry("kettle", "kettle", "Kettle", 2.0, {"rated_w": 2400}),
        ),
        retention_days=90,
    )
    assert isinstance(config.tariff.periods[0].rate, float)  # TOML integers become floats
    with pytest.raises(TypeError):
        config.devices[1].params["rated_w"] = 1  # type: ignore[index]


def test_an_empty_file_is_the_default_configuration():
    assert parse_config("") == DEFAULT_CONFIG == HubConfig()
    assert DEFAULT_CONFIG.home == HomeConfig("My home", ZoneInfo("Europe/London"), "GBP")
    assert DEFAULT_CONFIG.tariff.periods == (Period("flat", dt.time(0), dt.time(0), 0.245, WEEK),)
    assert (DEFAULT_CONFIG.thresholds, DEFAULT_CONFIG.devices) == ((), ())
    assert DEFAULT_CONFIG.shedding == SheddingConfig(False, 9000.0, 10.0, 7500.0)
    assert DEFAULT_CONFIG.retention_days == 30


def test_periods_may_be_toml_times_and_day_sets():
    config = parse_config(
        '[[tariff.periods]]\nname = "weekend"\nstart = 00:00:00\nend = 00:00:00\nrate = 0.1\n'
        'days = ["sat", "sun"]\n'
        '[[tariff.periods]]\nname = "week"\nstart = "00:00"\nend = "00:00"\nrate = 0.3\n'
        'days = ["fri", "mon", "tue", "wed", "thu"]\n'
    )
    weekend, week = config.tariff.periods
    assert (weekend.start, weekend.days) == (dt.time(0), frozenset({5, 6}))
    assert week.days == frozenset({0, 1, 2, 3, 4})


def test_the_issue_example_alone_leaves_the_day_uncovered():
    night_only = EXAMPLE.split('[[tariff.periods]]\nname = "day"')[0]
    error = error_of(night_only)
    assert str(error) == "home.toml:9: tariff.periods: no tariff period covers mon 00:00-00:30"
    assert (error.source, error.line, error.path) == ("home.toml", 9, "tariff.periods")
    assert error.problem == "no tariff period covers mon 00:00-00:30"


PERIOD = '[[tariff.periods]]\nname = "{}"\nstart = "{}"\nend = "{}"\nrate = {}\n'
WHOLE_DAY = PERIOD.format("all", "00:00", "00:00", 0.1)
NIGHT = PERIOD.format("night", "00:30", "07:30", 0.09)
RULE = '[[thresholds]]\nrule = "{}"\n'
DEVICE = '[[devices]]\nid = "{}"\nkind = "fridge"\n'

# Each expected message is a prefix of the error: file, line, key path, then the rule.
MISTAKES = [
    ("[home]\nname = \n", "home.toml:2: invalid TOML: Invalid value (column 8)"),
    ("[tarif]\nexport_rate = 1\n", "home.toml:1: unknown key 'tarif' (did you mean 'tariff'?)"),
    ("[home]\ncolour = 1\n", "home.toml:2: home: unknown key 'colour'"),
    ('home = "mine"\n', 'home.toml:1: home: expected a table, got "mine"'),
    ('[home]\nname = ""\n', 'home.toml:2: home.name: expected a non-empty string, got ""'),
    (
        '[home]\ncurrency = "gbp"\n',
        'home.toml:2: home.currency: expected three upper-case letters (ISO 4217, e.g. "GBP"), '
        'got "gbp"',
    ),
    (
        '[home]\ntimezone = "Mars/Olympus"\n',
        'home.toml:2: home.timezone: expected an IANA time zone like "Europe/London", '
        'got "Mars/Olympus"',
    ),
    (
        NIGHT + PERIOD.format("day", "07:30", "00:30", '"cheap"'),
        'home.toml:10: tariff.periods[1].rate: expected a number >= 0, got "cheap"',
    ),
    (
        PERIOD.format("night", "00:00", "07:30", 0.09) + PERIOD.format("day", "07:00", "0:00", 1),
        "home.toml:9: tariff.periods[1].end: expected a time",
    ),
    (
        PERIOD.format("night", "00:00", "07:30", 0.09) + PERIOD.format("day", "07:00", "00:00", 1),
        "home.toml:6: tariff.periods: tariff periods 'night' and 'day' overlap on mon 07:00-07:30",
    ),
    (
        PERIOD.format("all", "24:00", "00:00", 0.1),
        'home.toml:3: tariff.periods[0].start: expected a time "HH:MM" from "00:00" to "23:59" '
        '(midnight is "00:00"), got "24:00"',
    ),
    (
        PERIOD.format("all", "00:00", "00:00", -0.1),
        "home.toml:5: tariff.periods[0].rate: expected a number >= 0, got -0.1",
    ),
    (
        WHOLE_DAY + 'days = ["monday"]\n',
        "home.toml:6: tariff.periods[0].days: expected day names from mon, tue, wed, thu, fri, "
        "sat, sun, got \"monday\" (did you mean 'mon'?)",
    ),
    (WHOLE_DAY + 'days = ["sun", "sun"]\n', "home.toml:6: tariff.periods[0].days: 'sun' is listed"),
    (WHOLE_DAY + "days = []\n", "home.toml:6: tariff.periods[0].days: expected a non-empty array"),
    (WHOLE_DAY + "colour = 1\n", "home.toml:6: tariff.periods[0]: unknown key 'colour'"),
    (
        '[[tariff.periods]]\nname = "x"\nstart = "00:00"\nend = "00:00"\n',
        "home.toml:1: tariff.periods[0]: missing required key 'rate'",
    ),
    ("[tariff]\nperiods = []\n", "home.toml:2: tariff.periods: expected at least one period"),
    (
        "[tariff]\nexport_rate = nan\n",
        "home.toml:2: tariff.export_rate: expected a number >= 0, got nan",
    ),
    (
        "[tariff]\nexport_rate = inf\n",
        "home.toml:2: tariff.export_rate: expected a number >= 0, got inf",
    ),
    (
        "[shedding]\nlimit_w = true\n",
        "home.toml:2: shedding.limit_w: expected a number > 0, got true",
    ),
    ("[shedding]\nenabled = 1\n", "home.toml:2: shedding.enabled: expected true or false, got 1"),
    (
        "[shedding]\nlimit_w = 5000\n",
        "home.toml:1: shedding.restore_below_w: must be below limit_w (5000), "
        "got 7500 (the default)",
    ),
    (
        "[storage]\nretention_days = 0\n",
        "home.toml:2: storage.retention_days: expected an integer from 1 to 3650, got 0",
    ),
    (
        "[storage]\nretention_days = 30.0\n",
        "home.toml:2: storage.retention_days: expected an integer",
    ),
    ("[storage]\nretain = 3\n", "home.toml:2: storage: unknown key 'retain'"),
    ("thresholds = 5\n", "home.toml:1: thresholds: expected an array of tables, got 5"),
    ("[[thresholds]]\nabove_w = 1\n", "home.toml:1: thresholds[0]: missing required key 'rule'"),
    (
        RULE.format("total_power"),
        "home.toml:2: thresholds[0].rule: expected one of 'total-power', 'device-power', "
        "'daily-energy', 'daily-cost', got \"total_power\" (did you mean 'total-power'?)",
    ),
    (
        RULE.format("total-power") + "abve_w = 1\n",
        "home.toml:3: thresholds[0]: unknown key 'abve_w' (did you mean 'above_w'?)",
    ),
    (
        RULE.format("total-power") + "above_kwh = 1\n",
        "home.toml:3: thresholds[0].above_kwh: does not apply to rule 'total-power' "
        "(it takes above_w, clear_below_w, for_s, level, rule)",
    ),
    (
        RULE.format("total-power") + 'device = "x"\n',
        "home.toml:3: thresholds[0].device: does not apply to rule 'total-power'",
    ),
    (
        RULE.format("device-power") + "above_w = 9\n",
        "home.toml:1: thresholds[0]: missing required key 'device'",
    ),
    (
        RULE.format("device-power") + 'device = "Kettle"\nabove_w = 9\n',
        "home.toml:3: thresholds[0].device: device id 'Kettle' must match",
    ),
    (
        RULE.format("daily-cost") + "above = 0\n",
        "home.toml:3: thresholds[0].above: expected a number > 0, got 0",
    ),
    (
        RULE.format("daily-energy") + "above_kwh = 10\nclear_below_kwh = 10\n",
        "home.toml:4: thresholds[0].clear_below_kwh: must be below above_kwh (10), got 10",
    ),
    (
        RULE.format("daily-cost") + "above = 3\nfor_s = -1\n",
        "home.toml:4: thresholds[0].for_s: expected a number >= 0, got -1",
    ),
    (
        RULE.format("daily-cost") + 'above = 3\nlevel = "severe"\n',
        "home.toml:4: thresholds[0].level: expected one of 'warning', 'critical', got \"severe\"",
    ),
    (
        DEVICE.format("a") + DEVICE.format("a"),
        "home.toml:5: devices[1].id: 'a' is already used by devices[0]",
    ),
    (DEVICE.format("hub"), "home.toml:2: devices[0].id: device id 'hub' is reserved"),
    ('[[devices]]\nid = "a"\n', "home.toml:1: devices[0]: missing required key 'kind'"),
    (
        DEVICE.format("a") + "interval_s = 0\n",
        "home.toml:4: devices[0].interval_s: expected a number > 0, got 0",
    ),
]


@pytest.mark.parametrize(("text", "message"), MISTAKES)
def test_mistakes_name_the_file_line_key_and_rule(text, message):
    assert str(error_of(text)).startswith(message)


# --- the line locator ------------------------------------------------------------------


def test_the_locator_follows_headers_arrays_of_tables_and_dotted_keys():
    text = (
        "[home]  # a comment\n"  # 1
        'name = """\n'  # 2  a multi-line string whose lines look like TOML
        "[tariff]\n"  # 3
        "export_rate = 1\n"  # 4
        '"""\n'  # 5
        "[[devices]]\n"  # 6
        'id = "a"\n'  # 7
        "[[devices]]\n"  # 8
        'id = "b"\n'  # 9
        "[devices.params]\n"  # 10
        "rated_w = 5\n"  # 11
        "tariff.export_rate = -1\n"  # 12 (a dotted key under [devices.params])
        "[tariff]\n"  # 13
        '"export_rate" = 2\n'  # 14
    )
    lines = locate_keys(text)
    assert lines[("home",)] == 1
    assert lines[("home", "name")] == 2
    assert lines[("tariff", "export_rate")] == 14  # not 4: that line is inside the string
    assert lines[("devices",)] == 6
    assert (lines[("devices", 0)], lines[("devices", 0, "id")]) == (6, 7)
    assert (lines[("devices", 1)], lines[("devices", 1, "id")]) == (8, 9)
    assert lines[("devices", 1, "params", "rated_w")] == 11
    assert lines[("devices", 1, "params", "tariff", "export_rate")] == 12
    assert lines[("tariff",)] == 13


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A value inside an inline table gets the line of the key holding the table.
        ('[home]\nname = "x"\n\n[extra]\n', "home.toml:4: unknown key 'extra'"),
        ('\n\nhome = { currency = "gbp" }\n', "home.toml:3: home.currency: expected three"),
        ("\ntariff.export_rate = -1\n", "home.toml:2: tariff.export_rate: expected a number >= 0"),
        ('[tariff]\n"export_rate" = -1\n', "home.toml:2: tariff.export_rate: expected"),
        (
            DEVICE.format("a") + DEVICE.format("b") + DEVICE.format("B"),
            "home.toml:8: devices[2].id",
        ),
    ],
)
def test_lines_are_found_for_inline_tables_dotted_and_quoted_keys(text, message):
    assert str(error_of(text)).startswith(message)


def test_an_error_without_a_findable_line_still_names_file_and_key():
    # The value is inside a multi-line array of inline tables: only the array's key has a line.
    text = 'thresholds = [\n  {rule = "daily-cost", above = 1},\n  {rule = "daily-cost"},\n]\n'
    error = error_of(text)
    assert str(error) == "home.toml:1: thresholds[1]: missing required key 'above'"
    error = ConfigError("home.toml", "unknown key 'tarif' (did you mean 'tariff'?)")
    assert str(error) == "home.toml: unknown key 'tarif' (did you mean 'tariff'?)"


# --- files ---------------------------------------------------------------------------


def test_load_config_reads_a_file_and_names_it_in_errors(tmp_path):
    path = tmp_path / "home.toml"
    path.write_text("\ufeff" + EXAMPLE, encoding="utf-8")  # an editor's BOM is tolerated
    assert load_config(path) == parse_config(EXAMPLE)
    path.write_text("[shedding]\nlimit_w = -5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:2: shedding.limit_w: expected a number > 0")


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "cannot read the file"),
        (lambda p: p.write_bytes(b'[home]\nname = "\xff"\n'), "not UTF-8 text (bad byte at offset"),
    ],
)
def test_unreadable_files_are_config_errors(tmp_path, make, problem):
    path = tmp_path / "home.toml"
    make(path)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.source == str(path)
    assert caught.value.problem.startswith(problem)


# --- run-time edits through the web API ---------------------------------------------------


def test_thresholds_and_tariffs_from_json_use_the_same_checks_without_lines():
    rules = thresholds_from_dicts([{"rule": "daily-cost", "above": 3}], "settings.json")
    assert rules == (ThresholdConfig("daily-cost", 3.0, 3 * 0.95, 10.0, "warning", None),)
    with pytest.raises(ConfigError) as caught:
        thresholds_from_dicts([{"rule": "total-power", "above_w": "x"}], "settings.json")
    assert str(caught.value) == (
        'settings.json: thresholds[0].above_w: expected a number > 0, got "x"'
    )
    with pytest.raises(ConfigError, match=r"^settings\.json: thresholds: expected an array"):
        thresholds_from_dicts({"rule": "total-power"}, "settings.json")  # type: ignore[arg-type]
    with pytest.raises(
        ConfigError, match=r"^api: tariff.periods\[0\]: missing required key 'rate'"
    ):
        tariff_from_dict({"periods": [{"name": "x", "start": "00:00", "end": "00:00"}]}, "api")
    assert tariff_from_dict({}, "api") == TariffConfig()


def test_to_dict_gives_the_toml_shape():
    config = parse_config(EXAMPLE)
    assert threshold_to_dict(config.thresholds[1]) == {
        "rule": "device-power",
        "device": "kettle",
        "above_w": 2000.0,
        "clear_below_w": 1900.0,
        "for_s": 10.0,
        "level": "critical",
    }
    assert tariff_to_dict(config.tariff)["periods"][1] == {
        "name": "day",
        "start": "07:30",
        "end": "00:30",
        "rate": 0.30,
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    }


device_ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True).filter(lambda s: s != "hub")
positive = st.floats(min_value=0.001, max_value=1e7, allow_nan=False)


@st.composite
def thresholds(draw) -> ThresholdConfig:
    rule = draw(st.sampled_from(["total-power", "device-power", "daily-energy", "daily-cost"]))
    above = draw(positive)
    return ThresholdConfig(
        rule=rule,
        above=above,
        clear_below=above * draw(st.floats(0, 0.999)),
        for_s=draw(st.floats(0, 86400)),
        level=draw(st.sampled_from(["warning", "critical"])),
        device=draw(device_ids) if rule == "device-power" else None,
    )


@st.composite
def tariffs(draw) -> TariffConfig:
    """Boundaries round the clock; each period runs to the next one, the last over midnight."""
    cuts = sorted(draw(st.sets(st.integers(0, 1439), min_size=1, max_size=6)))
    periods = tuple(
        Period(
            f"p{i}",
            dt.time(start // 60, start % 60),
            dt.time(end // 60, end % 60),
            draw(st.floats(0, 2)),
        )
        for i, (start, end) in enumerate(zip(cuts, [*cuts[1:], cuts[0]], strict=True))
    )
    return TariffConfig(*(draw(st.floats(0, 100)) for _ in range(3)), periods=periods)


@FAST
@given(st.lists(thresholds(), max_size=4, unique_by=lambda t: (t.rule, t.device)))
def test_thresholds_round_trip_through_json(rules):
    stored = json.loads(json.dumps([threshold_to_dict(rule) for rule in rules]))
    assert thresholds_from_dicts(stored, "settings.json") == tuple(rules)


@FAST
@given(tariffs())
def test_tariffs_round_trip_through_json(tariff):
    stored = json.loads(json.dumps(tariff_to_dict(tariff)))
    assert tariff_from_dict(stored, "settings.json") == tariff
