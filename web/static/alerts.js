// The alerts panel: open alerts newest first with Acknowledge, and a short recent history.

import { api } from "./api.js";
import { cloneTemplate, errorText, formatDateTime, setText } from "./util.js";

export class AlertsPanel {
  /** Draws the store's alerts (`render` after each change); an acknowledgement goes into it. */
  constructor(store, { openList, recentList, emptyNote, count }) {
    this.store = store;
    this.openList = openList;
    this.recentList = recentList;
    this.emptyNote = emptyNote;
    this.count = count;
    this.problems = new Map(); // alert id -> why acknowledging failed
  }

  /** The recent history, and the open alerts too when they changed. */
  render({ open = true } = {}) {
    if (open) this.renderOpen();
    this.renderRecent();
  }

  renderOpen() {
    const alerts = this.store.openAlertList();
    for (const id of this.problems.keys()) {
      if (!this.store.openAlerts.has(id)) this.problems.delete(id);
    }
    this.openList.replaceChildren(...alerts.map((alert) => this.item(alert, true)));
    this.emptyNote.hidden = alerts.length > 0;
    setText(this.count, alerts.length ? `(${alerts.length})` : "");
  }

  renderRecent() {
    const recent = this.store.recentAlerts;
    this.recentList.replaceChildren(...recent.map((alert) => this.item(alert, false)));
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
      if (updated && updated.id) this.store.applyAlert(updated);
    } catch (error) {
      this.problems.set(alert.id, `could not acknowledge: ${errorText(error)}`);
      this.renderOpen();
    }
  }
}
