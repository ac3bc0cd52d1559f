// History: pick devices and a range, plot GET /api/history (zoomable), and
// offer the same selection as CSV from /api/export.csv.

import { api, query } from "./api.js";
import { PLOT_CONFIG, legendFits, registerLegend, registerThemed, themed } from "./charts.js";
import { showMessage } from "./forms.js";
import { dateTimeInput } from "./home-clock.js";
import { plotlyReady } from "./plotly-loader.js";
import {
  deviceColour, errorText, make, plotlyDate, plotlyText, setText, themeColours,
} from "./util.js";

const MAX_DEVICES = 20; // the API's limit per request
const POINTS = { min: 10, max: 50000 }; // the API's bounds for points per series
const MARGIN = { l: 56, r: 16, t: 10, b: 40 };
// Below the plot, clear of the date labels: above it the legend of many devices runs
// into Plotly's mode bar, which sits at the top right.
const LEGEND_BELOW = { orientation: "h", x: 0, xanchor: "left", y: -0.2, yanchor: "top" };
// A null in a series is a gap (a device silent or offline): the line breaks there.
const LINES = { type: "scatter", mode: "lines", connectgaps: false };

export class HistoryView {
  /**
   * `now()` is the simulation's current time (it may run faster than the wall clock),
   * `zone()` the home's time zone.
   */
  constructor({ form, deviceBox, chart, download, message, custom, from, to, now, zone, devices }) {
    Object.assign(this, { form, deviceBox, chart, download, message, custom, from, to, now,
      zone, devices });
    this.checks = new Map(); // device id -> checkbox
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show();
    });
    form.addEventListener("change", () => this.onChange());
    // "now" moves on, so the link is brought up to date at the moment it is followed.
    download.addEventListener("click", () => this.updateLink());
  }

  onChange() {
    const customRange = this.rangeValue() === "custom";
    this.custom.hidden = !customRange;
    if (customRange && !this.from.value) this.prefillCustom();
    const ticked = [...this.checks.values()].filter((check) => check.checked).length;
    for (const check of this.checks.values()) {
      check.disabled = !check.checked && ticked >= MAX_DEVICES;
    }
    this.updateLink();
  }

  /** The last 24 h, on the home's clock: the API reads the inputs in the home's zone. */
  prefillCustom() {
    const end = this.now();
    this.to.value = dateTimeInput(end, this.zone());
    this.from.value = dateTimeInput(end - 86400, this.zone());
  }

  rangeValue() {
    return this.form.elements.range.value;
  }

  /** One checkbox per device; ticks survive devices coming and going. */
  refreshDevices() {
    const devices = this.devices();
    const wanted = new Set(devices.map((device) => device.id));
    for (const [id, check] of this.checks) {
      if (!wanted.has(id)) {
        check.closest("label").remove();
        this.checks.delete(id);
      }
    }
    for (const device of devices) {
      let check = this.checks.get(device.id);
      if (!check) {
        check = make("input", { attrs: { type: "checkbox", value: device.id } });
        const label = make("label", { className: "check" });
        label.append(check, make("span"));
        this.deviceBox.append(label);
        this.checks.set(device.id, check);
      }
      setText(check.nextElementSibling, device.name ?? device.id);
    }
  }

  /** The request's parameters, shared by the chart and the CSV link. */
  selection() {
    const device = [...this.checks.values()].filter((c) => c.checked).map((c) => c.value);
    const range = this.rangeValue();
    if (range === "custom") {
      // datetime-local gives the wall time; the API reads it in the home's time zone.
      const span = (Date.parse(this.to.value) - Date.parse(this.from.value)) / 1000;
      return { device, from: this.from.value, to: this.to.value,
        resolution: span <= 3600 ? "raw" : "1m" };
    }
    const to = Math.round(this.now());
    const seconds = Number(range);
    return { device, from: to - seconds, to, resolution: seconds <= 3600 ? "raw" : "1m" };
  }

  /**
   * Two points per series for each pixel the plot is wide: a pixel column can show a
   * lowest and a highest value, no more, so the API sends each bucket's two.
   */
  chartPoints() {
    const width = (this.chart.clientWidth || window.innerWidth) - MARGIN.l - MARGIN.r;
    return Math.min(POINTS.max, Math.max(POINTS.min, 2 * Math.round(width)));
  }

  updateLink() {
    this.download.href = `/api/export.csv${query(this.selection())}`;
  }

  async show() {
    this.updateLink();
    showMessage(this.message, "Loading…", "pending");
    try {
      const selection = this.selection();
      // The CSV has every minute; the chart asks for what it can show.
      if (selection.resolution === "1m") selection.points = this.chartPoints();
      const history = await api(`/api/history${query(selection)}`);
      await plotlyReady();
      this.plot(history);
      showMessage(this.message, "");
    } catch (error) {
      showMessage(this.message, errorText(error), "error");
    }
  }

  plot(history) {
    const names = new Map(this.devices().map((device) => [device.id, device.name ?? device.id]));
    const traces = Object.entries(history.devices || {}).map(([id, series]) => ({
      ...LINES, name: plotlyText(names.get(id) ?? id),
      x: series.t.map(plotlyDate), y: series.power_w,
      line: { width: 1.5, color: deviceColour(id) },
    }));
    const home = history.home;
    if (home && home.t && home.t.length) {
      const colours = themeColours();
      traces.push({ ...LINES, name: "Home consumption",
        x: home.t.map(plotlyDate), y: home.consumption_w, line: { width: 2, color: colours.text } });
      if (home.production_w.some((watts) => watts > 0)) {
        traces.push({ ...LINES, name: "Home production",
          x: home.t.map(plotlyDate), y: home.production_w,
          line: { width: 2, color: colours.solar, dash: "dot" } });
      }
    }
    const empty = traces.every((trace) => !trace.x.length);
    const layout = themed({
      height: 340,
      margin: MARGIN,
      hovermode: "x unified",
      showlegend: legendFits(),
      legend: LEGEND_BELOW,
      // The range asked for, even where there is no data yet, so the axis says what was asked.
      xaxis: { type: "date", automargin: true, range: typeof history.from === "number"
        ? [history.from, history.to].map(plotlyDate) : undefined },
      yaxis: { title: { text: "W" }, rangemode: "tozero" },
      annotations: empty ? [{ text: "No readings in this range", showarrow: false,
        xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] : [],
    });
    window.Plotly.react(this.chart, traces, layout, PLOT_CONFIG);
    registerThemed(this.chart);
    registerLegend(this.chart);
  }
}
