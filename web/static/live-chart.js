// The live power chart: per-device power stacked over the last 15 minutes,
// the home's net total on top and the total-power threshold as a line.
//
// It stays smooth with many devices because points are queued as they arrive
// and drawn at most once a second with Plotly.extendTraces (capped at
// MAX_POINTS per trace); the whole chart is plotted only on a snapshot. Each
// draw re-lays out every trace (~80 ms with 50 devices), so it is the page's
// main cost: draws wait for an animation frame and so stop while the tab is hidden.

import {
  LEGEND_ON_TOP, PLOT_CONFIG, legendFits, registerLegend, registerThemed, themed,
} from "./charts.js";
import { isProducer, netTotalFrom, signed, thinBefore } from "./live-series.js";
import {
  deviceColour, formatPower, plotlyDate, plotlyText, themeColours, throttle,
} from "./util.js";

const WINDOW_S = 15 * 60;
// A hard cap per trace: 15 minutes of a device reporting twice a second. Older
// points are trimmed by time (trimOld), so slower devices still span the window.
const MAX_POINTS = 1800;
const TRIM_EVERY_MS = 5000;
// Each redraw costs in proportion to the points drawn, so past the last DETAIL_S
// the chart keeps one point per 10 s per device (a page loaded fresh gets one per
// 5 s): about 200 points a device instead of up to 900 at 1 Hz.
const DETAIL_S = 120;
const LIVE_REDRAW_MS = 1000;
const TOTAL = "\u0000total"; // a key no device id can take

export class LiveChart {
  constructor(element) {
    this.element = element;
    this.traceIds = [];          // trace index -> device id (TOTAL at 0)
    this.roles = new Map();      // device id -> role the trace was drawn with
    this.queue = new Map();      // device id -> {x: [], y: []} waiting for the next frame
    this.devices = new Map();
    this.latestTs = 0;
    this.following = true;       // false while the person has zoomed or panned
    this.threshold = null;
    this.ready = false;
    // a full Plotly redraw of every trace: once a second is plenty (issue 7's dashboard figure)
    this.scheduleDraw = throttle(() => this.draw(), LIVE_REDRAW_MS);
  }

  /** Plot from a snapshot; called on every (re)connection so a hub restart resyncs. */
  reset(devices, series, summary) {
    this.devices = devices;
    this.queue.clear();
    this.threshold = summary?.total_power_threshold_w ?? null;
    const ids = [...devices.keys()].sort(
      (a, b) => Number(isProducer(devices.get(a))) - Number(isProducer(devices.get(b))));
    const total = netTotalFrom(series, devices);
    const traces = [this.totalTrace(total)];
    for (const id of ids) {
      const points = series?.[id] || { t: [], power_w: [] };
      traces.push(this.deviceTrace(devices.get(id), points.t, points.power_w));
    }
    this.traceIds = [TOTAL, ...ids];
    this.roles = new Map(ids.map((id) => [id, devices.get(id)?.role]));
    const allTimes = Object.values(series || {}).flatMap((points) => points.t);
    this.latestTs = Math.max(summary?.ts || 0, ...allTimes, 0);
    window.Plotly.react(this.element, traces, this.layout(), PLOT_CONFIG);
    registerThemed(this.element);
    registerLegend(this.element);
    this.listenForZoom();
    this.ready = true;
  }

  totalTrace(points) {
    return {
      type: "scatter", mode: "lines", name: "Net total",
      x: points.t.map(plotlyDate), y: points.y,
      line: { color: themeColours().text, width: 2 },
      hovertemplate: "%{y:.0f} W<extra>Net total</extra>",
    };
  }

  deviceTrace(device, times, watts) {
    const name = plotlyText(device?.name ?? device?.id ?? "?");
    const producer = isProducer(device);
    return {
      type: "scatter", mode: "lines", name: producer ? `${name} (generating)` : name,
      x: times.map(plotlyDate), y: watts.map((w) => signed(device, w)),
      stackgroup: producer ? "producers" : "consumers",
      // devices report at their own moments: interpolate rather than dip to zero between
      stackgaps: "interpolate",
      line: { width: 1, color: deviceColour(device?.id) },
      hovertemplate: `%{y:.0f} W<extra>${name}</extra>`,
    };
  }

  layout() {
    const colours = themeColours();
    const layout = themed({
      height: 360,
      margin: { l: 56, r: 16, t: 10, b: 40 },
      showlegend: legendFits(),
      legend: LEGEND_ON_TOP,
      hovermode: "closest",
      xaxis: { type: "date", autorange: false, range: this.windowRange(), automargin: true },
      yaxis: { title: { text: "W (generation below 0)" }, autorange: true, zeroline: true },
      shapes: [],
      annotations: [],
    });
    this.limitShown = this.limitInView();
    if (this.threshold !== null && !this.limitShown) {
      layout.annotations.push({
        xref: "paper", x: 1, xanchor: "right", yref: "paper", y: 1, yanchor: "top",
        text: `limit ${formatPower(this.threshold)} ↑ far above`, showarrow: false,
        font: { color: colours.danger, size: 11 },
      });
    } else if (this.threshold !== null) {
      layout.shapes.push({
        type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: this.threshold,
        y1: this.threshold, line: { color: colours.danger, width: 1.5, dash: "dash" },
      });
      layout.annotations.push({
        xref: "paper", x: 1, xanchor: "right", yref: "y", y: this.threshold, yanchor: "bottom",
        text: `limit ${formatPower(this.threshold)}`, showarrow: false,
        font: { color: colours.danger, size: 11 },
      });
    }
    return layout;
  }

  /**
   * Whether the limit line belongs on the chart. Drawn far above what the home
   * draws it would squash every device into the bottom strip (the y axis
   * always includes it), so it is then only named at the top.
   */
  limitInView() {
    if (this.threshold === null) return false;
    let peak = 0;
    for (const device of this.devices.values()) {
      if (!isProducer(device) && device.status !== "offline") peak += device.power_w || 0;
    }
    for (const watts of this.element.data?.[0]?.y || []) peak = Math.max(peak, watts);
    const fraction = this.limitShown ? 0.25 : 0.3; // a margin, so it does not flicker
    return peak >= this.threshold * fraction;
  }

  windowRange() {
    const end = this.latestTs || Date.now() / 1000;
    return [plotlyDate(end - WINDOW_S), plotlyDate(end)];
  }

  listenForZoom() {
    if (this.listening) return;
    this.listening = true;
    this.element.on("plotly_relayout", (change) => {
      if (change["xaxis.autorange"]) this.following = true; // double-click: back to live
      else if ("xaxis.range[0]" in change || "xaxis.range" in change) this.following = false;
    });
  }

  /** A batch of readings from the `readings` event. */
  addReadings(readings) {
    if (!this.ready) return;
    for (const reading of readings) {
      const device = this.devices.get(reading.id);
      this.enqueue(reading.id, reading.ts, signed(device, reading.power_w || 0));
    }
    this.scheduleDraw();
  }

  addSummary(summary) {
    if (!this.ready || typeof summary.ts !== "number") return;
    this.enqueue(TOTAL, summary.ts, summary.power_w);
    const threshold = summary.total_power_threshold_w ?? null;
    if (threshold !== this.threshold || this.limitInView() !== this.limitShown) {
      this.threshold = threshold;
      const { shapes, annotations } = this.layout();
      window.Plotly.relayout(this.element, { shapes, annotations });
    }
    this.scheduleDraw();
  }

  enqueue(id, ts, watts) {
    if (typeof ts !== "number") return;
    if (!this.queue.has(id)) this.queue.set(id, { x: [], y: [] });
    const points = this.queue.get(id);
    points.x.push(plotlyDate(ts));
    points.y.push(watts);
    // A hidden tab draws nothing, so its queue would grow for as long as it stays
    // hidden; extendTraces keeps only the last MAX_POINTS anyway.
    if (points.x.length >= 2 * MAX_POINTS) {
      points.x.splice(0, MAX_POINTS);
      points.y.splice(0, MAX_POINTS);
    }
    this.latestTs = Math.max(this.latestTs, ts);
  }

  /** A device appeared, changed or went away (the `device` event). */
  updateDevice(device) {
    if (!this.ready) return;
    const index = this.traceIds.indexOf(device.id);
    if (device.removed) {
      if (index > 0) this.dropTrace(index);
      return;
    }
    if (index > 0 && this.roles.get(device.id) !== device.role) this.dropTrace(index);
    if (this.traceIds.indexOf(device.id) < 0) this.addTrace(device);
    else if (device.status !== "online") this.enqueue(device.id, this.latestTs, 0);
    else window.Plotly.restyle(this.element, this.deviceNames(device), [index]);
    this.scheduleDraw();
  }

  deviceNames(device) {
    const trace = this.deviceTrace(device, [], []);
    return { name: [trace.name], hovertemplate: [trace.hovertemplate] };
  }

  addTrace(device) {
    window.Plotly.addTraces(this.element, this.deviceTrace(device, [], []));
    this.traceIds.push(device.id);
    this.roles.set(device.id, device.role);
  }

  dropTrace(index) {
    const id = this.traceIds[index];
    window.Plotly.deleteTraces(this.element, index);
    this.traceIds.splice(index, 1);
    this.roles.delete(id);
    this.queue.delete(id);
  }

  /**
   * Drop points that have left the 15-minute window and thin those older than
   * DETAIL_S. The arrays are Plotly's own (element.data); the redraw
   * extendTraces does next picks the change up.
   */
  trimOld() {
    const now = Date.now();
    if (now - (this.lastTrim || 0) < TRIM_EVERY_MS) return;
    this.lastTrim = now;
    const cutoff = plotlyDate(this.latestTs - WINDOW_S - 60); // the format sorts as text
    const detail = plotlyDate(this.latestTs - DETAIL_S);
    for (const trace of this.element.data || []) {
      if (!trace.x?.length) continue;
      const keep = trace.x.findIndex((x) => x >= cutoff);
      const drop = keep < 0 ? trace.x.length : keep;
      if (drop > 0) {
        trace.x.splice(0, drop);
        trace.y.splice(0, drop);
      }
      const recent = trace.x.findIndex((x) => x >= detail);
      thinBefore(trace, recent < 0 ? trace.x.length : recent);
    }
  }

  /** Everything queued since the last draw, in one extendTraces call (one redraw). */
  draw() {
    if (!this.ready || !this.queue.size) return;
    for (const id of this.queue.keys()) {
      if (id !== TOTAL && this.traceIds.indexOf(id) < 0) {
        this.addTrace(this.devices.get(id) || { id, name: id, role: "consumer" });
      }
    }
    const update = { x: [], y: [] };
    const indices = [];
    for (const [id, points] of this.queue) {
      indices.push(this.traceIds.indexOf(id));
      update.x.push(points.x);
      update.y.push(points.y);
    }
    this.queue.clear();
    this.trimOld();
    if (this.following) {
      // extendTraces redraws with the current layout: moving the window here
      // costs no second redraw (a relayout call would).
      Object.assign(this.element.layout.xaxis, { autorange: false, range: this.windowRange() });
    }
    window.Plotly.extendTraces(this.element, update, indices, MAX_POINTS);
  }
}
