// The alerts panel: open alerts newest first with Acknowledge, and a short recent history.

import { api } from "./api.js";
import { cloneTemplate, errorText, formatDateTime, setText } from "./util.js";

const RECENT_LIMIT = 20;

export class AlertsPanel {
  constructor({ openList, recentList, emptyNote, count }) {
    this.openList = openList;
    this.recentList = recentList;
    this.emptyNote = emptyNote;
    this.count = count;
    this.open = new Map();     // alert id -> alert, as last seen
    this.firstSeen = new Map(); // alert id -> ts of its raise: the order does not jump on ack
    this.problems = new Map();  // alert id -> why acknowledging failed
    this.recent = [];
  }

  /** The open alerts from a snapshot (every (re)connection). */
  reset(openAlerts) {
    this.open.clear();
    for (const alert of openAlerts || []) this.remember(alert);
    this.render();
  }

  /** GET /api/alerts's event history, newest first. */
  setRecent(events) {
    this.recent = (events || []).slice(0, RECENT_LIMIT);
    this.renderRecent();
  }

  /** An `alert` event: a raise, an acknowledgement or a clear. */
  apply(alert) {
    if (alert.state === "cleared") {
      this.open.delete(alert.id);
      this.problems.delete(alert.id);
    } else {
      this.remember(alert);
    }
    // The ack's reply and the `alert` event describe the same event: list it once.
    const same = (other) => other.id === alert.id && other.state === alert.state;
    this.recent = [alert, ...this.recent.filter((other) => !same(other))].slice(0, RECENT_LIMIT);
    this.render();
    this.renderRecent();
  }

  remember(alert) {
    if (!this.firstSeen.has(alert.id)) this.firstSeen.set(alert.id, alert.ts);
    this.open.set(alert.id, alert);
  }

  render() {
    const alerts = [...this.open.values()].sort(
      (a, b) => this.firstSeen.get(b.id) - this.firstSeen.get(a.id));
    this.openList.replaceChildren(...alerts.map((alert) => this.item(alert, true)));
    this.emptyNote.hidden = alerts.length > 0;
    setText(this.count, alerts.length ? `(${alerts.length})` : "");
  }

  renderRecent() {
    this.recentList.replaceChildren(...this.recent.map((alert) => this.item(alert, false)));
  }

  item(alert, open) {
    const item = cloneTemplate("alert-template");
    const find = (selector) => item.querySelector(selector);
    if (open) item.dataset.testid = `alert-${alert.id}`;
    item.classList.add(`level-${alert.level}`, `state-${alert.state}`);
    setText(find(".alert-level"), alert.level);
    setText(find(".alert-rule"), alert.device ? `${alert.rule} · ${alert.device}` : alert.rule);
    const time = find("time");
    setText(time, formatDateTime(alert.ts));
    time.dateTime = new Date(alert.ts * 1000).toISOString();
    setText(find(".alert-message"), alert.message);
    const problem = open ? this.problems.get(alert.id) : "";
    setText(find(".alert-state"), problem || alert.state);
    find(".alert-state").classList.toggle("error", Boolean(problem));
    const button = find(".ack");
    button.hidden = !open || alert.state !== "raised";
    button.addEventListener("click", () => this.acknowledge(alert, button));
    return item;
  }

  async acknowledge(alert, button) {
    button.disabled = true;
    try {
      const updated = await api(`/api/alerts/${encodeURIComponent(alert.id)}/ack`,
        { method: "POST" });
      this.problems.delete(alert.id);
      // The `alert` event will say the same; applying it now makes the click feel instant.
      if (updated && updated.id) this.apply(updated);
    } catch (error) {
      this.problems.set(alert.id, `could not acknowledge: ${errorText(error)}`);
      this.render();
    }
  }
}
