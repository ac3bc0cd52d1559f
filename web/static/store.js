// The one copy of what the page knows: the home's devices, its latest summary,
// its alerts and thresholds, its name and currency, and whether the page is in
// step with the hub. Socket events come in through its methods; panels read
// from it and keep only their DOM. Each change is announced (`on`) with what
// it touched, so a panel redraws that much and no more.

const RECENT_ALERTS = 20;
// What a reading carries; a command's reply names the device's new state the same way.
const STATE_FIELDS = [
  "on", "power_w", "level", "phase", "energy_wh", "ts",
  // 1.1: a battery's, a car charger's, a loaded machine's
  "discharge_w", "soc_pct", "mode", "energy_out_wh", "plugged", "departure", "target_soc",
  "finish_by", "program_s",
];

const byName = (a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id));

export class PageStore {
  constructor() {
    // The same Map for the page's life (a snapshot refills it), so a panel may hold it.
    this.devices = new Map(); // device id -> the device, as last heard
    this.summary = null;
    this.currency = "GBP";
    this.homeName = null;
    this.timezone = undefined; // the home's IANA zone: clock times are shown in it
    this.thresholds = [];
    this.openAlerts = new Map(); // alert id -> alert, as last seen
    this.raisedAt = new Map();   // alert id -> ts of its raise: the order does not jump on ack
    this.recentAlerts = [];      // newest first
    this.synced = false; // a snapshot has been applied, on this connection or an earlier one
    this.live = false;   // connected, and this connection's snapshot applied
    this.listeners = new Map();
    this.sorted = null;  // deviceList(), until a device comes, goes or changes
  }

  /**
   * Call `listener(detail)` after each change of one kind: "snapshot" ({first, series}),
   * "readings" (the ids that moved), "summary" (the ids whose totals today moved),
   * "device" (the device, or {id, removed}) and "alerts" ({open}: whether open ones changed).
   */
  on(change, listener) {
    if (!this.listeners.has(change)) this.listeners.set(change, []);
    this.listeners.get(change).push(listener);
  }

  emit(change, detail) {
    for (const listener of this.listeners.get(change) || []) listener(detail);
  }

  /** The devices by name, for pickers and bars; sorted once per change of the devices. */
  deviceList() {
    this.sorted ??= [...this.devices.values()].sort(byName);
    return this.sorted;
  }

  /**
   * A (re)connection's full state replaces what was known. The live chart's frames
   * (`series`) are passed on to it as they came: only the chart keeps them.
   */
  applySnapshot(snapshot) {
    const first = !this.synced;
    this.devices.clear();
    for (const device of snapshot.devices || []) this.devices.set(device.id, device);
    this.sorted = null;
    this.summary = snapshot.summary || null;
    this.currency = snapshot.currency || this.summary?.currency || this.currency;
    this.homeName = snapshot.home_name ?? this.homeName;
    this.timezone = snapshot.timezone ?? this.timezone;
    this.thresholds = snapshot.thresholds || [];
    this.openAlerts.clear();
    for (const alert of snapshot.alerts || []) this.rememberAlert(alert);
    for (const id of this.raisedAt.keys()) if (!this.openAlerts.has(id)) this.raisedAt.delete(id);
    this.applyTotals();
    this.synced = true;
    this.live = true;
    this.emit("snapshot", { first, series: snapshot.series });
  }

  disconnected() {
    this.live = false;
  }

  /** The `readings` event: live values merged into their devices. */
  mergeReadings(readings) {
    const moved = new Set();
    for (const reading of readings) {
      const device = this.devices.get(reading.id);
      if (!device) continue;
      Object.assign(device, reading);
      moved.add(reading.id);
    }
    if (moved.size) this.emit("readings", moved);
  }

  /** A command's reply carries the device's new state: shown without waiting for a reading. */
  mergeState(id, state) {
    const reading = { id };
    for (const key of STATE_FIELDS) if (key in state) reading[key] = state[key];
    this.mergeReadings([reading]);
  }

  /** The `device` event: one device appeared, changed or went away. */
  applyDevice(device) {
    const known = this.devices.get(device.id);
    if (device.removed) this.devices.delete(device.id);
    else if (known) Object.assign(known, device);
    else this.devices.set(device.id, device);
    this.sorted = null;
    this.emit("device", device.removed ? device : this.devices.get(device.id));
  }

  /** The `summary` event: the header's, the flow's and the live chart's frame. */
  setSummary(summary) {
    this.summary = summary;
    if (summary.currency) this.currency = summary.currency;
    this.emit("summary", this.applyTotals());
  }

  /**
   * Each device's energy and cost today come in the summary, from the same totals as its
   * energy_today_wh: the cards and the bars agree with the header at every update.
   */
  applyTotals() {
    const energy = this.summary?.device_energy_today_wh || {};
    const cost = this.summary?.device_cost_today || {};
    const moved = new Set();
    for (const device of this.devices.values()) {
      const wh = energy[device.id] ?? 0;
      const money = cost[device.id] ?? 0;
      if (device.energy_today_wh === wh && device.cost_today === money) continue;
      device.energy_today_wh = wh;
      device.cost_today = money;
      moved.add(device.id);
    }
    return moved;
  }

  /** The open alerts, most recently raised first. */
  openAlertList() {
    return [...this.openAlerts.values()].sort(
      (a, b) => this.raisedAt.get(b.id) - this.raisedAt.get(a.id));
  }

  /** An `alert` event, or an acknowledgement's reply: a raise, an ack or a clear. */
  applyAlert(alert) {
    if (alert.state === "cleared") {
      this.openAlerts.delete(alert.id);
      this.raisedAt.delete(alert.id);
    } else {
      this.rememberAlert(alert);
    }
    // The ack's reply and the `alert` event describe the same event: list it once.
    const same = (other) => other.id === alert.id && other.state === alert.state;
    this.recentAlerts = [alert, ...this.recentAlerts.filter((other) => !same(other))]
      .slice(0, RECENT_ALERTS);
    this.emit("alerts", { open: true });
  }

  /** GET /api/alerts's event history, newest first. */
  setRecentAlerts(events) {
    this.recentAlerts = (events || []).slice(0, RECENT_ALERTS);
    this.emit("alerts", { open: false });
  }

  rememberAlert(alert) {
    if (!this.raisedAt.has(alert.id)) this.raisedAt.set(alert.id, alert.ts);
    this.openAlerts.set(alert.id, alert);
  }
}
