// The prices ahead (GET /api/prices, what the hub publishes on home/hub/prices): the slot
// in force now, and a chart of the next 24 h of import and export prices with the grid's
// carbon on a second axis. The hub computes every number; this picks and formats.

import { api } from "./api.js";
import { LEGEND_ON_TOP, PLOT_CONFIG, registerThemed, themed } from "./charts.js";
import { plotlyReady } from "./plotly-loader.js";
import {
  errorText, formatMoney, plotlyDate, setText, themeColours, toDate,
} from "./util.js";

const CO2_COLOUR = "#8c8c8c";
const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
// An edit made elsewhere (another page, PUT /api/tariff) shows within this long.
const REFETCH_MS = 60000;

/** The panel's parts, by the ids index.html's Prices section gives them. */
function parts(panel) {
  const find = (id) => panel.querySelector(`#${id}`);
  return {
    importNow: find("prices-import"), exportNow: find("prices-export"), co2Now: find("prices-co2"),
    until: find("prices-until"), message: find("prices-message"), chart: find("prices-chart"),
  };
}

/** A step line: each slot's value held from its start to its end. */
function steps(slots, key) {
  return {
    x: [...slots.map((slot) => plotlyDate(slot.start)), plotlyDate(slots.at(-1).end)],
    y: [...slots.map((slot) => slot[key]), slots.at(-1)[key]],
  };
}

/** When the prices next change: the end of the run of slots priced as `slots[index]`
 * (fixed periods are cut at midnight, where nothing changes). */
export function nextChange(slots, index) {
  const same = (a, b) => ["import", "export", "co2_g_per_kwh"].every((key) => a[key] === b[key]);
  let last = index;
  while (last + 1 < slots.length && same(slots[last + 1], slots[index])) last += 1;
  return slots[last].end;
}

export class PricesPanel {
  /** `panel`: index.html's Prices section; `now()` the hub's simulation time (Unix s). */
  constructor(panel, now) {
    this.el = parts(panel);
    this.now = now;
    this.answer = null;
    this.inFlight = false;
    this.fetchedMs = 0;
  }

  /** Fetch the prices again; called at start, when a slot has passed and after an edit. */
  async refresh() {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      this.answer = await api("/api/prices");
      this.fetchedMs = Date.now();
      setText(this.el.message, "");
      this.showNow();
      plotlyReady().then(() => this.draw(), () => {});
    } catch (error) {
      setText(this.el.message, `could not load the prices: ${errorText(error)}`);
    } finally {
      this.inFlight = false;
    }
  }

  /** On each summary: the slot in force; a fetch once the first slot shown has passed
   * (or after a while, for an edit made elsewhere). */
  tick() {
    if (!this.answer) return;
    const passed = this.now() >= this.answer.slots[0].end;
    if (passed || Date.now() - this.fetchedMs > REFETCH_MS) this.refresh();
    else this.showNow();
  }

  showNow() {
    const { slots, currency } = this.answer;
    const t = this.now();
    const index = Math.max(0, slots.findIndex((s) => s.start <= t && t < s.end));
    const slot = slots[index];
    setText(this.el.importNow, `${formatMoney(slot.import, currency, 3)}/kWh`);
    setText(this.el.exportNow, `${formatMoney(slot.export, currency, 3)}/kWh`);
    setText(this.el.co2Now, `${Math.round(slot.co2_g_per_kwh)} g/kWh`);
    setText(this.el.until, toDate(nextChange(slots, index)).toLocaleTimeString([], CLOCK));
  }

  draw() {
    const { slots, currency } = this.answer;
    const colours = themeColours();
    const co2Top = Math.max(100, ...slots.map((slot) => slot.co2_g_per_kwh)) * 1.1;
    const line = (key, name, colour, more = {}) => ({
      type: "scatter", mode: "lines", name, ...steps(slots, key),
      line: { shape: "hv", color: colour, width: 2, ...more.line }, ...more.trace,
    });
    const traces = [
      line("import", "Import", colours.grid_line),
      line("export", "Export", colours.solar),
      line("co2_g_per_kwh", "CO₂", CO2_COLOUR, { line: { dash: "dot", width: 1.5 },
        trace: { yaxis: "y2", hovertemplate: "%{y:.0f} g/kWh<extra>CO₂</extra>" } }),
    ];
    for (const trace of traces.slice(0, 2)) {
      trace.hovertemplate = `%{y:.3f} ${currency}/kWh<extra>${trace.name}</extra>`;
    }
    const layout = themed({
      height: 260,
      margin: { l: 50, r: 50, t: 30, b: 36 },
      legend: LEGEND_ON_TOP,
      hovermode: "x unified",
      xaxis: { type: "date", fixedrange: true },
      yaxis: { title: { text: `${currency}/kWh` }, fixedrange: true, zeroline: true },
      yaxis2: { title: { text: "g CO₂/kWh" }, overlaying: "y", side: "right",
        range: [0, co2Top], tickmode: "auto", nticks: 5, tickformat: ".0f", showgrid: false,
        fixedrange: true },
    });
    window.Plotly.react(this.el.chart, traces, layout, { ...PLOT_CONFIG, displayModeBar: false });
    registerThemed(this.el.chart);
  }
}
