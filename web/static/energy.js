// The energy view (Home Assistant's Energy dashboard, for this home): a period
// picker, consumption by source with export below zero, self-sufficiency and
// self-consumption, cost and CO2, a Sankey from sources to devices, and a
// per-device table. Every number comes from GET /api/energy; this only formats.

import { api, query } from "./api.js";
import { LEGEND_ON_TOP, PLOT_CONFIG, registerThemed, themed } from "./charts.js";
import { showMessage } from "./forms.js";
import { plotlyReady } from "./plotly-loader.js";
import {
  deviceColour, errorText, formatEnergy, formatMass, formatMoney, make, plotlyText, setText,
  themeColours, throttle,
} from "./util.js";

// Neither chart needs zooming, so neither has a mode bar (nor one for a legend to run into).
const STATIC_PLOT = { ...PLOT_CONFIG, displayModeBar: false };
const SOURCES = [
  { key: "from_grid_wh", name: "From grid", node: "Grid", colour: (c) => c.grid_line },
  { key: "from_solar_wh", name: "From solar", node: "Solar", colour: (c) => c.solar },
  { key: "from_battery_wh", name: "From battery", node: "Battery", colour: () => "#59a14f" },
];

const percent = (value) => (value === null || value === undefined ? "–" : `${value} %`);

/** The panel's parts, by the ids index.html's Energy section gives them. */
function parts(panel) {
  const find = (id) => panel.querySelector(`#${id}`);
  const gauge = (id) => {
    const root = find(id);
    return { value: root.querySelector(".gauge-value"), bar: root.querySelector(".gauge-bar"),
      before: root.querySelector(".gauge-before") };
  };
  const facts = ["consumption", "generation", "import", "export", "cost", "co2"];
  return {
    picker: find("energy-picker"), previous: find("energy-previous"), next: find("energy-next"),
    compare: find("energy-compare"), message: find("energy-message"), label: find("energy-label"),
    facts: Object.fromEntries(facts.map((name) => [name, find(`energy-${name}`)])),
    before: Object.fromEntries(facts.map((name) => [name, find(`energy-${name}-before`)])),
    costNote: find("energy-cost-note"),
    gauges: { sufficiency: gauge("gauge-sufficiency"), consumption: gauge("gauge-consumption") },
    bars: find("energy-bars"), sankey: find("energy-sankey"),
    rows: find("energy-device-rows"), empty: find("energy-devices-empty"),
  };
}

export class EnergyView {
  /** `panel`: index.html's Energy section; call `refresh` to load and redraw it. */
  constructor(panel) {
    const el = this.el = parts(panel);
    this.period = "day";
    this.date = null; // null: the period holding today, as the hub's clock has it
    this.answer = null;
    this.inFlight = false;
    el.picker.addEventListener("change", (event) => {
      if (event.target.name === "period") {
        this.period = el.picker.elements.period.value;
        if (this.answer) this.date = this.answer.date; // the new period around the same day
      }
      this.refresh();
    });
    // Plotly's own resizing leaves a Sankey's right-hand nodes where the old width put
    // them (off a narrowed chart), so the Sankey is drawn again at its new width.
    window.addEventListener("resize", throttle(() => {
      if (!this.answer || !window.Plotly) return;
      window.Plotly.purge(el.sankey);
      this.drawSankey(this.answer);
    }, 250));
    el.previous.addEventListener("click", () => this.go(this.answer?.previous));
    el.next.addEventListener("click", () => this.go(this.answer?.next));
  }

  go(date) {
    if (!date) return;
    this.date = date;
    this.refresh();
  }

  /** Fetch and draw the chosen period; a refresh already under way is not doubled. */
  async refresh() {
    if (this.inFlight) return;
    this.inFlight = true;
    const asked = { period: this.period, date: this.date };
    try {
      const answer = await api(`/api/energy${query({ ...asked,
        compare: this.el.compare.checked ? 1 : 0 })}`);
      showMessage(this.el.message, "");
      this.answer = answer;
      this.render(answer);
    } catch (error) {
      showMessage(this.el.message, errorText(error), "error");
    } finally {
      this.inFlight = false;
    }
    // the choice changed while the request was out: show what is chosen now
    if (asked.period !== this.period || asked.date !== this.date) this.refresh();
  }

  render(answer) {
    const { totals, currency } = answer;
    const previous = answer.compare?.totals;
    setText(this.el.label, periodLabel(answer));
    this.el.previous.setAttribute("aria-label", `Previous ${answer.period}`);
    this.el.next.setAttribute("aria-label", `Next ${answer.period}`);
    this.el.next.disabled = !answer.next;
    const money = (value) => formatMoney(value, currency);
    const facts = {
      consumption: ["consumption_wh", formatEnergy], generation: ["generation_wh", formatEnergy],
      import: ["import_wh", formatEnergy], export: ["export_wh", formatEnergy],
      cost: ["cost", money], co2: ["co2_g", formatMass],
    };
    for (const [name, [key, format]] of Object.entries(facts)) {
      setText(this.el.facts[name], format(totals[key]));
      setText(this.el.before[name], previous ? `previous ${format(previous[key])}` : "");
    }
    setText(this.el.costNote, `incl. ${money(totals.standing_charge)} standing charge`);
    this.gauge("sufficiency", totals.self_sufficiency_pct, previous?.self_sufficiency_pct);
    this.gauge("consumption", totals.self_consumption_pct, previous?.self_consumption_pct);
    this.fillTable(answer);
    // the numbers are up; the charts follow once Plotly is here (plotly-loader.js)
    plotlyReady().then(() => {
      if (this.answer !== answer) return; // a newer answer draws its own
      this.drawBars(answer);
      this.drawSankey(answer);
    }, () => {}); // the loader tells the charts themselves that Plotly is missing
  }

  gauge(name, value, before) {
    const gauge = this.el.gauges[name];
    setText(gauge.value, percent(value));
    gauge.bar.style.width = `${Math.max(0, Math.min(100, value ?? 0))}%`;
    setText(gauge.before, before === undefined ? "" : `previous ${percent(before)}`);
  }

  /** Consumption stacked by source above zero, export below it, one bar per bucket. */
  drawBars(answer) {
    const colours = themeColours();
    const buckets = answer.buckets;
    const largest = Math.max(0, ...buckets.map((b) => Math.max(b.consumption_wh, b.export_wh)));
    const perUnit = largest >= 1000 ? 1000 : 1;
    const unit = perUnit === 1 ? "Wh" : "kWh";
    const x = buckets.map((b) => axisLabel(answer.period, b.label));
    const bar = (name, values, colour) => ({
      type: "bar", name, x, y: values.map((wh) => wh / perUnit), marker: { color: colour },
      hovertemplate: `%{x}: %{y:.2f} ${unit}<extra>${name}</extra>`,
    });
    const traces = SOURCES
      .filter((source) => source.key !== "from_battery_wh" || buckets.some((b) => b[source.key]))
      .map((source) => bar(source.name, buckets.map((b) => b[source.key]), source.colour(colours)));
    traces.push(bar("Exported", buckets.map((b) => -b.export_wh), colours.accent));
    const layout = themed({
      height: 300,
      barmode: "relative",
      margin: { l: 56, r: 12, t: 30, b: 40 },
      legend: LEGEND_ON_TOP,
      xaxis: { type: "category", fixedrange: true, automargin: true },
      yaxis: { title: { text: unit }, fixedrange: true, zeroline: true },
    });
    window.Plotly.react(this.el.bars, traces, layout, STATIC_PLOT);
    registerThemed(this.el.bars);
  }

  /** Sources (grid, solar, battery) to each consumer and "untracked"; solar also to export. */
  drawSankey(answer) {
    const colours = themeColours();
    const nodes = [];
    const indices = new Map();
    const node = ([key, name, colour]) => {
      if (!indices.has(key)) {
        indices.set(key, nodes.length);
        nodes.push({ name: plotlyText(name), colour });
      }
      return indices.get(key);
    };
    const links = { source: [], target: [], value: [] };
    const flow = (from, to, wattHours) => {
      if (!(wattHours > 0)) return; // only the flows there are, so no node stands alone
      links.source.push(node(from));
      links.target.push(node(to));
      links.value.push(wattHours);
    };
    const sources = SOURCES.map((source) => [source.key, source.node, source.colour(colours)]);
    const sinks = answer.devices.filter((device) => device.role !== "producer")
      .map((device) => [`device ${device.id}`, device.name, deviceColour(device.id), device]);
    sinks.push(["untracked", "Untracked", colours.muted, answer.untracked]);
    for (const [key, name, colour, figures] of sinks) {
      sources.forEach((source) => flow(source, [key, name, colour], figures[source[0]]));
    }
    flow(sources[1], ["export", "Exported", colours.accent], answer.totals.export_wh);
    const trace = {
      type: "sankey",
      orientation: "h",
      valueformat: ".0f",
      valuesuffix: " Wh",
      node: { label: nodes.map((n) => n.name), color: nodes.map((n) => n.colour), pad: 14,
        thickness: 14, line: { width: 0 } },
      link: { ...links, color: links.source.map(() => "rgba(128,128,128,0.25)") },
    };
    const empty = links.value.length === 0;
    const layout = themed({
      height: Math.max(240, 30 * nodes.length),
      width: this.el.sankey.clientWidth || undefined,
      margin: { l: 8, r: 8, t: 8, b: 8 },
      annotations: empty ? [{ text: "No energy in this period", showarrow: false,
        xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] : [],
    });
    window.Plotly.react(this.el.sankey, empty ? [] : [trace], layout, STATIC_PLOT);
    registerThemed(this.el.sankey);
  }

  fillTable(answer) {
    const rows = answer.devices.map((device) => ({
      id: device.id, name: device.role === "producer" ? `${device.name} (generated)` : device.name,
      energy: device.energy_wh, solar: device.from_solar_wh, cost: device.cost,
    }));
    if (answer.untracked.energy_wh > 0) {
      rows.push({ id: "untracked", name: "Untracked", energy: answer.untracked.energy_wh,
        solar: answer.untracked.from_solar_wh, cost: null });
    }
    this.el.rows.replaceChildren(...rows.map((row) => {
      const tr = make("tr", { attrs: { "data-testid": `energy-device-${row.id}` } });
      tr.append(
        make("td", { text: row.name }),
        make("td", { text: formatEnergy(row.energy), className: "number" }),
        make("td", { text: formatEnergy(row.solar), className: "number" }),
        make("td", { text: formatMoney(row.cost, answer.currency), className: "number" }),
      );
      return tr;
    }));
    this.el.empty.hidden = rows.length > 0;
  }
}

const noon = (iso) => new Date(`${iso}T12:00:00Z`); // noon UTC: the same date everywhere
const formatDate = (iso, options) => noon(iso).toLocaleDateString(undefined,
  { timeZone: "UTC", ...options });

/** A bucket's label, short: the hour as the hub gives it, "Mon 30", "30", "Jan". */
function axisLabel(period, label) {
  if (period === "week") return formatDate(label, { weekday: "short", day: "numeric" });
  if (period === "month") return String(Number(label.slice(8)));
  if (period === "year") return formatDate(`${label}-15`, { month: "short" });
  return label;
}

/** "Tue 1 Dec 2026", "30 Nov – 6 Dec 2026", "December 2026", "2026" from the hub's dates. */
function periodLabel(answer) {
  const last = new Date(noon(answer.end).getTime() - 86400000).toISOString().slice(0, 10);
  switch (answer.period) {
    case "day": return formatDate(answer.start, { weekday: "short", day: "numeric",
      month: "short", year: "numeric" });
    case "week": return `${formatDate(answer.start, { day: "numeric", month: "short" })} – ` +
      formatDate(last, { day: "numeric", month: "short", year: "numeric" });
    case "month": return formatDate(answer.start, { month: "long", year: "numeric" });
    default: return answer.start.slice(0, 4);
  }
}
