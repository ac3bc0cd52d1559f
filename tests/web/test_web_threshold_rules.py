"""The threshold rule table is written once (hub.core.settings): the API's schema and the
page's rule editor are both derived from it, and the editor's script repeats none of it."""

import json
import re
from pathlib import Path
from types import MappingProxyType

from hub.core.settings import (
    DEFAULT_CLEAR_FRACTION,
    THRESHOLD_LEVELS,
    THRESHOLD_RULES,
    ThresholdRule,
)
from web import pages
from web.api import schemas as api_schemas
from web.api.openapi import document

EDITOR = Path(__file__).resolve().parents[2] / "web" / "static" / "thresholds.js"
TABLE_SCRIPT = re.compile(
    r'<script type="application/json" id="threshold-rules">(.*?)</script>', re.S
)


def page_table(client) -> dict:
    """The rule table as the served page carries it for static/thresholds.js."""
    response = client.get("/")
    [text] = TABLE_SCRIPT.findall(response.get_data(as_text=True))
    return json.loads(text)


def test_the_page_carries_the_hubs_rule_table(client):
    table = page_table(client)
    assert table["rules"] == [
        {
            "name": rule.name,
            "above": rule.above_key,
            "clear": rule.clear_key,
            "unit": rule.unit,
            "device": rule.takes_device,
        }
        for rule in THRESHOLD_RULES.values()
    ]
    assert [rule["name"] for rule in table["rules"]] == list(THRESHOLD_RULES)  # in table order
    assert table["rules"][2] == {
        "name": "daily-energy",
        "above": "above_kwh",
        "clear": "clear_below_kwh",
        "unit": "kWh",
        "device": False,
    }
    assert table["levels"] == list(THRESHOLD_LEVELS) == ["warning", "critical"]
    assert table["clear_fraction"] == DEFAULT_CLEAR_FRACTION == 0.95
    assert (table["for_s"], table["level"]) == (10.0, "warning")


def test_the_api_schema_lists_the_tables_rules_and_keys():
    schema = document()["components"]["schemas"]["Threshold"]
    assert schema["properties"]["rule"]["enum"] == list(THRESHOLD_RULES)
    limit_keys = {key for r in THRESHOLD_RULES.values() for key in (r.above_key, r.clear_key)}
    assert set(schema["properties"]) == {"rule", "device", "for_s", "level"} | limit_keys
    assert schema["properties"]["level"]["enum"] == list(THRESHOLD_LEVELS)
    assert schema["additionalProperties"] is False


def test_a_rule_added_to_the_table_reaches_both_the_schema_and_the_page(client, monkeypatch):
    night = ThresholdRule("night-power", "above_night_w", "clear_below_night_w", "W")
    table = MappingProxyType({**THRESHOLD_RULES, night.name: night})
    monkeypatch.setattr(api_schemas, "THRESHOLD_RULES", table)
    monkeypatch.setattr(pages, "THRESHOLD_RULES", table)
    schema = api_schemas.threshold_schema()
    assert schema["properties"]["rule"]["enum"][-1] == "night-power"
    assert {"above_night_w", "clear_below_night_w"} <= set(schema["properties"])
    assert page_table(client)["rules"][-1] == {
        "name": "night-power",
        "above": "above_night_w",
        "clear": "clear_below_night_w",
        "unit": "W",
        "device": False,
    }


def test_the_editor_script_types_no_rule_key_or_default_of_its_own():
    # Only the code counts: its comments may name a rule or a key while explaining it.
    script = re.sub(r"/\*.*?\*/|//[^\n]*", "", EDITOR.read_text(encoding="utf-8"), flags=re.S)
    assert "addRow" in script
    words = {*THRESHOLD_LEVELS}
    for rule in THRESHOLD_RULES.values():
        words |= {rule.name, rule.above_key, rule.clear_key, rule.unit}
    quoted = {word for word in words if re.search(rf"""["'`]{re.escape(word)}["'`]""", script)}
    assert not quoted, f"thresholds.js repeats the hub's rule table: {sorted(quoted)}"
    assert str(DEFAULT_CLEAR_FRACTION) not in script
    assert "95" not in script
