"""`--report report.html`: a simulated run as one HTML file that opens anywhere, offline.

One file, so it can be mailed or kept beside the config it came from: Plotly.js
is inlined from the installed `plotly` package's bundled copy (common/vendor.py),
the figures are inlined as JSON, and nothing is fetched from a network. Its
charts: the power flows over the run (half-hour means), each local day's energy
by flow, and each device's energy.
"""

from __future__ import annotations

import html
import json
from typing import Any

from common.vendor import plotly_bundle

# (name, colour, dash): the grid's flows dotted, so the load shows where import equals it
FLOW_COLOURS = {
    "load_wh": ("load", "#c0392b", "solid"),
    "generation_wh": ("generation", "#f1c40f", "solid"),
    "import_wh": ("import", "#2c3e50", "dot"),
    "export_wh": ("export", "#27ae60", "dot"),
    "battery_in_wh": ("battery in", "#2980b9", "solid"),
    "battery_out_wh": ("battery out", "#8e44ad", "solid"),
}
SUMMARY_ROWS = (
    ("load_wh", "load", "kWh"),
    ("generation_wh", "generation", "kWh"),
    ("import_wh", "import", "kWh"),
    ("export_wh", "export", "kWh"),
    ("self_consumed_wh", "self-consumed", "kWh"),
    ("battery_in_wh", "battery in", "kWh"),
    ("battery_out_wh", "battery out", "kWh"),
    ("cost", "cost", "money"),
    ("co2_g", "CO2", "kg"),
    ("peak_import_w", "peak import", "kW"),
    ("self_consumption_pct", "self-consumption", "%"),
    ("self_sufficiency_pct", "self-sufficiency", "%"),
)

_SCRIPT = """
const data = JSON.parse(document.getElementById("figures").textContent);
const layout = (title, y) => ({title: {text: title}, margin: {t: 48, r: 16, b: 48, l: 64},
  yaxis: {title: {text: y}}, legend: {orientation: "h"}, hovermode: "x unified"});
const config = {responsive: true, displaylogo: false};
const flows = Object.entries(data.flows);
Plotly.newPlot("power", flows.map(([key, [name, colour, dash]]) => ({
  x: data.series.start, y: data.series[key].map(wh => wh * 2), name, type: "scatter",
  mode: "lines", line: {color: colour, dash, width: 1.5, shape: "hv"}})),
  layout("Power flows (half-hour means)", "W"), config);
Plotly.newPlot("daily", flows.map(([key, [name, colour]]) => ({
  x: data.days.date, y: data.days[key].map(wh => wh / 1000), name, type: "bar",
  marker: {color: colour}})),
  {...layout("Energy by flow, each local day", "kWh"), barmode: "group",
   xaxis: {type: "category"}}, config);
Plotly.newPlot("devices", [{type: "bar", orientation: "h", x: data.devices.kwh,
  y: data.devices.id, marker: {color: "#c0392b"},
  hovertemplate: "%{y}: %{x:.2f} kWh<extra></extra>"}],
  {...layout("Energy by device over the run", ""), hovermode: "closest",
   height: 120 + 24 * data.devices.id.length, xaxis: {title: {text: "kWh"}},
   yaxis: {automargin: true, autorange: "reversed"}}, config);
"""


def report_html(
    figures: dict[str, Any], series: list[dict[str, Any]], title: str, currency: str
) -> str:
    """The page for `figures` (the `--json` object) and `series` (the `--series` rows)."""
    data = {
        "flows": FLOW_COLOURS,
        "series": _columns(series, ["start", *FLOW_COLOURS]),
        "days": _columns(figures["per_day"], ["date", *FLOW_COLOURS]),
        "devices": {
            "id": list(figures["per_device"]),
            "kwh": [round(d["energy_wh"] / 1000, 3) for d in figures["per_device"].values()],
        },
    }
    rows = "".join(
        f"<tr><th>{label}</th><td>{_shown(figures['totals'][key], unit, currency)}</td></tr>"
        for key, label, unit in SUMMARY_ROWS
    )
    # "</" never appears inside the inlined JSON, so it cannot end its script element
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f"<script>{plotly_bundle().read_text(encoding='utf-8')}</script></head><body>"
        f"<h1>{html.escape(title)}</h1><table>{rows}</table>"
        '<div id="power" class="chart"></div><div id="daily" class="chart"></div>'
        '<div id="devices" class="chart"></div>'
        f'<script type="application/json" id="figures">{payload}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}"
    "table{border-collapse:collapse;margin-bottom:1rem}"
    "th,td{padding:.15rem .8rem;text-align:left;border-bottom:1px solid #ddd}"
    "td{text-align:right;font-variant-numeric:tabular-nums}.chart{min-height:380px}"
)


def _columns(rows: list[dict[str, Any]], keys: list[str]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in keys}


def _shown(value: float | None, unit: str, currency: str) -> str:
    if value is None:
        return "-"
    if unit == "money":
        return f"{value:,.2f} {html.escape(currency)}"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value / 1000:,.2f} {unit}"  # Wh, g and W shown as k
