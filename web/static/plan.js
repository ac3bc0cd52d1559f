// The energy manager: its strategy (GET/PUT /api/manager) and, while it plans, the plan
// (GET /api/plan, what the hub publishes on home/hub/plan): a chart of the horizon, each
// action with its reason, and the expected cost against doing nothing. The hub computes
// every number; this picks and formats, with clock times on the home's clock.
//
// Refresh: at each snapshot, after a switch, once the plan's first slot has passed (the
// manager has planned again by then), every minute (a switch made over MQTT), and every
// few seconds while the strategy is `plan` and its first plan is still to come.

import { api } from "./api.js";
import { LEGEND_ON_TOP, PLOT_CONFIG, registerThemed, themed } from "./charts.js";
import { showMessage } from "./forms.js";
import { clockTime, homeWallDate } from "./home-clock.js";
import { commandText, planMarks, slotPrices } from "./plan-marks.js";
import { plotlyReady } from "./plotly-loader.js";
import {
  cloneTemplate, errorText, formatMoney, make, plotlyText, setText, themeColours,
} from "./util.js";

const REFETCH_MS = 60000;
const SOON_MS = 2000;
const MAX_PRICE_HOURS = 48; // what GET /api/prices answers at most
const BATTERY_COLOUR = "#59a14f";
const SOC_COLOUR = "#b07aa1";
const PLAN_DOMAIN = [0, 0.68]; // power and SoC below, the prices above
const PRICE_DOMAIN = [0.76, 1];
const NO_PLAN = {
  off: "The manager is off: it commands nothing.",
  rules: "The rules decide as things happen: they make no plan ahead.",
  plan: "The plan is being made…",
};
const STRATEGY_NAMES = { off: "Off", rules: "Rules", plan: "Plan" };

/** The panel's parts, by the ids index.html's Energy manager section gives them. */
function parts(panel) {
  const find = (id) => panel.querySelector(`#${id}`);
  return {
    form: find("manager-form"), strategies: find("manager-strategies"),
    message: find("manager-message"), empty: find("plan-empty"), plan: find("plan"),
    expected: find("plan-expected-cost"), baseline: find("plan-baseline-cost"),
    made: find("plan-made"), chart: find("plan-chart"), actions: find("plan-actions"),
  };
}

export class ManagerPanel {
  /** `panel`: index.html's Energy manager section; `home`: the page's store (its zone,
   * currency and device names); `now()`: the hub's simulation time (Unix s). */
  constructor(panel, home, now) {
    this.el = parts(panel);
    this.home = home;
    this.now = now;
    this.strategy = null;
    this.plan = null;
    this.prices = [];
    this.inFlight = false;
    this.again = false;
    this.loadFailed = false;
    this.fetchedMs = 0;
    this.el.form.addEventListener("change", (event) => this.switchTo(event.target.value));
  }

  /** Read the strategy and, while it plans, the plan and its slots' prices; asked for
   * while a read is under way (a switch came in), it reads again once that one is done. */
  async refresh() {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.again = false;
    try {
      this.showStrategy(await api("/api/manager"));
      this.plan = this.strategy === "plan" ? await this.fetchPlan() : null;
      if (this.plan) this.prices = await this.fetchPrices(this.plan);
      this.render();
      if (this.loadFailed) showMessage(this.el.message, ""); // a switch's refusal stays
      this.loadFailed = false;
    } catch (error) {
      showMessage(this.el.message, `could not load the manager: ${errorText(error)}`, "error");
      this.loadFailed = true;
    } finally {
      this.fetchedMs = Date.now(); // a failed fetch is tried again a minute later
      this.inFlight = false;
    }
    if (this.again) this.refresh();
  }

  /** On each summary: a fetch when one is due (see the module's comment). */
  tick() {
    const since = Date.now() - this.fetchedMs;
    const waiting = this.strategy === "plan" && !this.plan;
    const passed = this.plan && this.now() >= this.plan.slots[0].end;
    if (since > REFETCH_MS || ((waiting || passed) && since > SOON_MS)) this.refresh();
  }

  async fetchPlan() {
    try {
      return await api("/api/plan");
    } catch (error) {
      if (error.status === 404) return null; // switched off since, or not made yet
      throw error;
    }
  }

  async fetchPrices(plan) {
    const hours = Math.ceil((plan.horizon_end - this.now()) / 3600);
    const ahead = Math.min(MAX_PRICE_HOURS, Math.max(1, hours));
    return (await api(`/api/prices?hours=${ahead}`)).slots;
  }

  /** PUT the strategy picked; a refusal is shown and the one in force picked again. */
  async switchTo(strategy) {
    showMessage(this.el.message, `switching to ${strategy}…`, "pending");
    this.enable(false);
    try {
      this.showStrategy(await api("/api/manager", { method: "PUT", body: { strategy } }));
      showMessage(this.el.message, "");
    } catch (error) {
      showMessage(this.el.message, `could not switch to ${strategy}: ${errorText(error)}`,
        "error");
      this.pick(this.strategy);
    } finally {
      this.enable(true);
    }
    this.refresh();
  }

  /** GET or PUT /api/manager's answer: a radio per strategy, the one in force picked. */
  showStrategy({ strategy, strategies }) {
    this.strategy = strategy;
    const box = this.el.strategies;
    const shown = [...box.querySelectorAll("input")].map((input) => input.value);
    if (shown.join() !== strategies.join()) {
      box.querySelectorAll("label").forEach((label) => label.remove());
      for (const name of strategies) {
        const label = make("label", { attrs: { "data-testid": `strategy-${name}` } });
        label.append(make("input", { attrs: { type: "radio", name: "strategy", value: name } }),
          ` ${STRATEGY_NAMES[name] ?? name}`);
        box.append(label);
      }
    }
    this.pick(strategy);
  }

  pick(strategy) {
    for (const input of this.el.strategies.querySelectorAll("input")) {
      input.checked = input.value === strategy;
    }
  }

  enable(on) {
    for (const input of this.el.strategies.querySelectorAll("input")) input.disabled = !on;
  }

  render() {
    const { plan } = this;
    this.el.plan.hidden = !plan;
    this.el.empty.hidden = Boolean(plan);
    setText(this.el.empty, plan ? "" : NO_PLAN[this.strategy] ?? "");
    if (!plan) return;
    const currency = this.home.currency;
    this.el.plan.dataset.made = plan.made; // which plan is shown, for a test to ask the hub
    setText(this.el.expected, formatMoney(plan.expected_cost, currency));
    setText(this.el.baseline, formatMoney(plan.baseline_cost, currency));
    setText(this.el.made, `made ${clockTime(plan.made, this.home.timezone)}, ` +
      `to ${this.day(plan.horizon_end)}`);
    this.el.actions.replaceChildren(...plan.actions.map((action) => this.actionItem(action)));
    plotlyReady().then(() => this.draw(), () => {});
  }

  /** "07:30", or "Thu 07:30" on a later day than the plan was made (it looks 36 h ahead). */
  day(ts) {
    const zone = this.home.timezone;
    const clock = clockTime(ts, zone);
    const date = (t) => homeWallDate(t, zone).slice(0, 10);
    if (date(ts) === date(this.plan.made)) return clock;
    const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: zone });
    return `${weekday.format(new Date(ts * 1000))} ${clock}`;
  }

  name(device) {
    return this.home.devices.get(device)?.name ?? device;
  }

  actionItem(action) {
    const item = cloneTemplate("plan-action-template");
    const at = item.querySelector(".plan-at");
    setText(at, this.day(action.at));
    at.dateTime = new Date(action.at * 1000).toISOString();
    setText(item.querySelector(".plan-device"), this.name(action.device));
    setText(item.querySelector(".plan-command"), commandText(action.command, this.home.timezone));
    setText(item.querySelector(".plan-why"), action.why);
    return item;
  }

  draw() {
    const { plan } = this;
    if (!plan) return;
    const zone = this.home.timezone;
    const currency = this.home.currency;
    const colours = themeColours();
    const x = (ts) => homeWallDate(ts, zone);
    const { slots } = plan;
    const edges = [...slots.map((slot) => x(slot.start)), x(slots.at(-1).end)];
    const steps = (key) => [...slots.map((slot) => slot[key]), slots.at(-1)[key]];
    const line = (key, name, colour, more = {}) => ({
      type: "scatter", mode: "lines", name, x: edges, y: steps(key),
      line: { shape: "hv", color: colour, width: 2 },
      hovertemplate: `%{y:.0f} W<extra>${name}</extra>`, ...more,
    });
    const traces = [
      {
        type: "bar", name: "Import price", yaxis: "y3",
        x: slots.map((slot) => x((slot.start + slot.end) / 2)),
        width: slots.map((slot) => (slot.end - slot.start) * 1000 * 0.9),
        y: slotPrices(slots, this.prices),
        marker: { color: colours.grid_line, opacity: 0.55 },
        hovertemplate: `%{y:.3f} ${currency}/kWh<extra>Import price</extra>`,
      },
      line("generation_w", "Solar", colours.solar,
        { fill: "tozeroy", fillcolor: "rgba(224, 160, 0, 0.18)" }),
      line("load_w", "Expected load", colours.accent),
      line("battery_w", "Battery (+ charging)", BATTERY_COLOUR),
    ];
    if (slots.some((slot) => slot.soc_pct !== null)) {
      traces.push({
        type: "scatter", mode: "lines", name: "Battery SoC", yaxis: "y2",
        x: slots.map((slot) => x(slot.end)), y: slots.map((slot) => slot.soc_pct),
        line: { color: SOC_COLOUR, width: 1.5, dash: "dot" },
        hovertemplate: "%{y:.0f} %<extra>SoC at the slot's end</extra>",
      });
    }
    const { shapes, annotations } = this.marks(x, colours);
    const layout = themed({
      height: 420,
      margin: { l: 56, r: 50, t: 30, b: 36 },
      legend: LEGEND_ON_TOP,
      hovermode: "x unified",
      shapes,
      annotations,
      xaxis: { type: "date", fixedrange: true, anchor: "y" },
      yaxis: { title: { text: "W" }, domain: PLAN_DOMAIN, fixedrange: true, zeroline: true },
      yaxis2: { title: { text: "SoC %" }, overlaying: "y", side: "right", range: [0, 100],
        tickvals: [0, 25, 50, 75, 100], showgrid: false, fixedrange: true },
      yaxis3: { title: { text: `${currency}/kWh` }, domain: PRICE_DOMAIN, anchor: "x",
        fixedrange: true, rangemode: "tozero" },
    });
    window.Plotly.react(this.el.chart, traces, layout, { ...PLOT_CONFIG, displayModeBar: false });
    registerThemed(this.el.chart);
  }

  /** The cars' and boosts' runs as shaded blocks, each program's start as a dashed line. */
  marks(x, colours) {
    const { blocks, starts } = planMarks(this.plan);
    const top = PLAN_DOMAIN[1];
    const label = (at, text) => ({
      x: at, xref: "x", y: top, yref: "paper", yanchor: "bottom", xanchor: "left",
      text: plotlyText(text), showarrow: false, font: { size: 11, color: colours.muted },
    });
    const shapes = [
      ...blocks.map((block) => ({
        type: "rect", name: `run:${block.device}`, xref: "x", yref: "paper", layer: "below",
        x0: x(block.start), x1: x(block.end), y0: 0, y1: top, line: { width: 0 },
        fillcolor: colours.accent, opacity: 0.12,
      })),
      ...starts.map((start) => ({
        type: "line", name: `start:${start.device}`, xref: "x", yref: "paper",
        x0: x(start.at), x1: x(start.at), y0: 0, y1: top,
        line: { color: colours.muted, width: 1.5, dash: "dash" },
      })),
    ];
    const annotations = [
      ...blocks.map((block) => label(x(block.start), this.name(block.device))),
      ...starts.map((start) => label(x(start.at), `▶ ${this.name(start.device)}`)),
    ];
    return { shapes, annotations };
  }
}
