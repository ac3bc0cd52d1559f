// The live power chart: the last 15 minutes as frames of the hub's summary,
// consumers stacked above zero, producers below it, and the home's net (the
// stack's sum: every frame is one instant) on top; the total-power threshold
// as a line when it is within view of the data, else named at the top edge.
//
// It stays smooth with many devices because frames are queued as they arrive
// and drawn at most once a second: added to the chart's own traces (capped at
// MAX_POINTS each), which go to Plotly.react with a new datarevision (so it
// need not compare the arrays); Plotly's own objects are read, never edited.
// Each draw re-lays out every trace (~80 ms with 50 devices), so it is the
// page's main cost: draws wait for an animation frame and so stop while the
// tab is hidden.

import {
  LEGEND_ON_TOP, MODE_BAR_MARGIN, PLOT_CONFIG, legendFits, modeBarUpright, registerLegend,
  registerThemed, themed,
} from "./charts.js";
import {
  TOTAL, extend, framePoints, isProducer, snapshotFrames, trimTrace,
} from "./live-series.js";
import {
  deviceColour, formatPower, plotlyDate, plotlyText, themeColours, throttle,
} from "./util.js";

// The last 15 minutes of real time, which is also what the hub's relay keeps
// for a snapshot: at SPEED=1 that is 15 minutes of the home's clock; a sped-up
// demo shows as many hours as passed meanwhile, rather than a frame or two.
const WINDOW_S = 15 * 60;
const SNAPSHOT_STEP_MS = 5000; // the relay's step between a snapshot's frames
// A hard cap per trace: twice the 900 frames of 15 minutes at one a second.
// Older points are trimmed by time (trimOld), so the window is always spanned.
const MAX_POINTS = 1800;
const TRIM_EVERY_MS = 5000;
// Each redraw costs in proportion to the points drawn, so past the last DETAIL_S
// the chart keeps one frame per 10 s (a page loaded fresh gets one per 5 s):
// about 200 points a trace instead of 900 at 1 Hz.
const DETAIL_S = 120;
const LIVE_REDRAW_MS = 1000;
// The limit line is drawn once the home's load comes within this share of it
// (and hidden below the second, a margin so it does not flicker): drawn far
// above the data it would squash every device into the bottom strip, as the
// y axis always takes in a drawn line.
const LIMIT_SHOWN_FROM = 0.6;
const LIMIT_HIDDEN_BELOW = 0.5;

export class LiveChart {
  /** `devices`: the page's devices by id (the store's Map), for each trace's name and sign. */
  constructor(element, devices) {
    this.element = element;
    this.devices = devices;
    this.traces = [];            // the chart's own traces, their x and y included
    this.traceIds = [];          // trace index -> device id (TOTAL at 0)
    this.roles = new Map();      // device id -> role the trace was drawn with
    this.queue = new Map();      // trace key -> {x: [], y: []} waiting for the next frame
    this.frames = [];            // {ts, load, seenMs} of each frame drawn: window and limit
    this.revision = 0;           // layout.datarevision: bumped whenever the traces change
    this.latestTs = 0;
    this.following = true;       // false while the person has zoomed or panned
    this.threshold = null;
    this.limitShown = false;
    this.ready = false;
    // a full Plotly redraw of every trace: once a second is plenty (issue 7's dashboard figure)
    this.scheduleDraw = throttle(() => this.draw(), LIVE_REDRAW_MS);
  }

  /** Plot from a snapshot; called on every (re)connection so a hub restart resyncs. */
  reset(series, summary) {
    const { devices } = this;
    this.queue.clear();
    this.threshold = summary?.total_power_threshold_w ?? null;
    const ids = [...devices.keys()].sort(
      (a, b) => Number(isProducer(devices.get(a))) - Number(isProducer(devices.get(b))));
    const frames = snapshotFrames(series, summary, devices, ids);
    this.traces = [this.totalTrace(frames.t, frames.net)];
    for (const id of ids) {
      this.traces.push(this.deviceTrace(devices.get(id), frames.t, frames.byDevice.get(id)));
    }
    this.traceIds = [TOTAL, ...ids];
    this.roles = new Map(ids.map((id) => [id, devices.get(id)?.role]));
    const now = Date.now();
    const last = frames.t.length - 1;
    this.frames = frames.t.map((ts, i) => ({ ts, load: frames.load[i] || 0,
      seenMs: now - (last - i) * SNAPSHOT_STEP_MS }));
    this.latestTs = frames.t[frames.t.length - 1] || 0;
    this.limitShown = false;
    this.limitShown = this.limitInView(); // from scratch: the higher share applies
    const layout = { ...this.layout(), datarevision: ++this.revision };
    window.Plotly.react(this.element, [...this.traces], layout, PLOT_CONFIG);
    registerThemed(this.element);
    registerLegend(this.element);
    this.listenForZoom();
    this.ready = true;
  }

  totalTrace(times, watts) {
    return {
      type: "scatter", mode: "lines", name: "Net (grid)",
      x: times.map(plotlyDate), y: watts,
      line: { color: themeColours().text, width: 2 },
      hovertemplate: "%{y:.0f} W<extra>Net at the grid meter</extra>",
    };
  }

  deviceTrace(device, times, watts) {
    const name = plotlyText(device?.name ?? device?.id ?? "?");
    const producer = isProducer(device);
    return {
      type: "scatter", mode: "lines", name: producer ? `${name} (generating)` : name,
      x: times.map(plotlyDate), y: watts,
      stackgroup: producer ? "producers" : "consumers",
      // every frame has every trace, so a missing point can only be "nothing drawn"
      stackgaps: "infer zero",
      line: { width: 1, color: deviceColour(device?.id) },
      hovertemplate: `%{y:.0f} W<extra>${name}</extra>`,
    };
  }

  layout() {
    return themed({
      height: 360,
      // the mode bar stands upright in the right margin, clear of the legend above the plot
      margin: { l: 56, r: MODE_BAR_MARGIN, t: 10, b: 40 },
      modebar: modeBarUpright(),
      showlegend: legendFits(),
      // the net first, then consumers, then producers (stacks would reverse it)
      legend: { ...LEGEND_ON_TOP, traceorder: "normal" },
      hovermode: "closest",
      xaxis: { type: "date", autorange: false, range: this.windowRange(), automargin: true },
      yaxis: { title: { text: "W (generation below 0)" }, autorange: true, zeroline: true },
      ...this.limitMarks(),
    });
  }

  /** The threshold as a dashed line with its name, or (out of view) named at the top edge. */
  limitMarks() {
    const marks = { shapes: [], annotations: [] };
    if (this.threshold === null) return marks;
    const colour = themeColours().danger;
    const text = `limit ${formatPower(this.threshold)}`;
    // on a panel-coloured ground: the note may sit over the top of the stack
    const font = { color: colour, size: 11 };
    const ground = { bgcolor: themeColours().panel, borderpad: 2 };
    if (!this.limitShown) {
      marks.annotations.push({
        xref: "paper", x: 1, xanchor: "right", yref: "paper", y: 1, yanchor: "top",
        text: `${text} above ↑`, showarrow: false, font, ...ground,
      });
      return marks;
    }
    marks.shapes.push({
      type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: this.threshold,
      y1: this.threshold, line: { color: colour, width: 1.5, dash: "dash" },
    });
    marks.annotations.push({
      xref: "paper", x: 1, xanchor: "right", yref: "y", y: this.threshold, yanchor: "bottom",
      text, showarrow: false, font, ...ground,
    });
    return marks;
  }

  /** Whether the limit line is near enough the home's load in the window to be drawn. */
  limitInView() {
    if (this.threshold === null || this.threshold <= 0) return false;
    const peak = this.frames.reduce((most, frame) => Math.max(most, frame.load), 0);
    return peak >= this.threshold * (this.limitShown ? LIMIT_HIDDEN_BELOW : LIMIT_SHOWN_FROM);
  }

  /** At least 15 minutes of the home's clock; more when a sped-up clock fits more in. */
  windowRange() {
    const end = this.latestTs || Date.now() / 1000;
    const start = Math.min(end - WINDOW_S, this.frames[0]?.ts ?? end);
    return [plotlyDate(start), plotlyDate(end)];
  }

  listenForZoom() {
    if (this.listening) return;
    this.listening = true;
    this.element.on("plotly_relayout", (change) => {
      if (change["xaxis.autorange"]) this.following = true; // double-click: back to live
      else if ("xaxis.range[0]" in change || "xaxis.range" in change) this.following = false;
    });
  }

  /** A frame: the `summary` event (the header and the flow show the same one). */
  addSummary(summary) {
    if (!this.ready || typeof summary.ts !== "number" || summary.ts <= this.latestTs) return;
    const x = plotlyDate(summary.ts);
    for (const [id, watts] of framePoints(summary, this.devices, this.traceIds)) {
      if (!this.queue.has(id)) this.queue.set(id, { x: [], y: [] });
      const points = this.queue.get(id);
      points.x.push(x);
      points.y.push(watts);
      // A hidden tab draws nothing, so its queue would grow for as long as it stays
      // hidden; a trace keeps only the last MAX_POINTS anyway.
      if (points.x.length >= 2 * MAX_POINTS) {
        points.x.splice(0, MAX_POINTS);
        points.y.splice(0, MAX_POINTS);
      }
    }
    this.frames.push({ ts: summary.ts, load: summary.load_w || 0, seenMs: Date.now() });
    if (this.frames.length >= 2 * MAX_POINTS) this.frames.splice(0, MAX_POINTS); // as the queue
    this.latestTs = summary.ts;
    const threshold = summary.total_power_threshold_w ?? null;
    if (threshold !== this.threshold || this.limitInView() !== this.limitShown) {
      this.threshold = threshold;
      this.limitShown = this.limitInView();
      window.Plotly.relayout(this.element, this.limitMarks());
    }
    this.scheduleDraw();
  }

  /** A device appeared, changed or went away (the `device` event). */
  updateDevice(device) {
    if (!this.ready) return;
    const index = this.traceIds.indexOf(device.id);
    const stale = index > 0 && (device.removed || this.roles.get(device.id) !== device.role);
    if (stale) this.dropTrace(index);
    if (device.removed) {
      if (stale) this.plot();
      return;
    }
    if (index < 0 || stale) this.addTrace(device);
    else if (!this.rename(this.traces[index], device)) return; // most events change no name
    this.plot();
  }

  rename(trace, device) {
    const { name, hovertemplate } = this.deviceTrace(device, [], []);
    if (trace.name === name && trace.hovertemplate === hovertemplate) return false;
    Object.assign(trace, { name, hovertemplate });
    return true;
  }

  addTrace(device) {
    this.traces.push(this.deviceTrace(device, [], []));
    this.traceIds.push(device.id);
    this.roles.set(device.id, device.role);
  }

  dropTrace(index) {
    const id = this.traceIds[index];
    this.traces.splice(index, 1);
    this.traceIds.splice(index, 1);
    this.roles.delete(id);
    this.queue.delete(id);
  }

  /**
   * Drop points that have left the 15-minute window and thin those older than
   * DETAIL_S, in the chart's own arrays (the next plot hands them over). Every
   * trace has the same times, so each keeps the same frames.
   */
  trimOld() {
    const now = Date.now();
    if (now - (this.lastTrim || 0) < TRIM_EVERY_MS) return;
    this.lastTrim = now;
    // a frame stays while it is within 15 minutes by either clock
    const recent = this.frames.find((frame) => frame.seenMs >= now - WINDOW_S * 1000);
    const oldest = Math.min(this.latestTs - WINDOW_S, recent?.ts ?? Infinity);
    const kept = this.frames.findIndex((frame) => frame.ts >= oldest);
    this.frames.splice(0, kept < 0 ? this.frames.length : kept);
    const cutoff = plotlyDate(oldest); // the format sorts as text
    const detail = plotlyDate(this.latestTs - DETAIL_S);
    for (const trace of this.traces) trimTrace(trace, cutoff, detail);
  }

  /** Everything queued since the last draw, added to the traces, in one plot (one redraw). */
  draw() {
    if (!this.ready || !this.queue.size) return;
    for (const [id, points] of this.queue) {
      if (this.traceIds.indexOf(id) < 0) {
        this.addTrace(this.devices.get(id) || { id, name: id, role: "consumer" });
      }
      extend(this.traces[this.traceIds.indexOf(id)], points, MAX_POINTS);
    }
    this.queue.clear();
    this.trimOld();
    this.plot();
  }

  /**
   * Plotly's layout as it stands (the person's zoom, the limit marks, the theme)
   * with the window moved on while following: one redraw does both.
   */
  plot() {
    const layout = { ...this.element.layout, datarevision: ++this.revision };
    if (this.following) {
      layout.xaxis = { ...layout.xaxis, autorange: false, range: this.windowRange() };
    }
    window.Plotly.react(this.element, [...this.traces], layout);
  }
}
