// The dashboard's wiring: one Socket.IO connection feeding every panel.
//
// The hub sends a full `snapshot` on every (re)connection, so recovering
// from a dropped connection or a hub restart is just "apply the snapshot
// again": socket.io reconnects by itself and no reload is ever needed.
//
// Boot order: the numbers first, the charts when Plotly is here. Plotly is
// only asked for once the first snapshot is shown (loadPlotly), and the
// charts' calls wait for it (afterPlotly, in plotly-loader.js).

import { AlertsPanel } from "./alerts.js";
import { api, askForToken, isTokenError, onTokenChange, token } from "./api.js";
import { renderToday } from "./charts.js";
import { DeviceCards } from "./devices.js";
import { EnergyView } from "./energy.js";
import { renderFlow } from "./flow.js";
import { renderHeader } from "./header.js";
import { HistoryView } from "./history.js";
import { LiveChart } from "./live-chart.js";
import { afterPlotly, loadPlotly } from "./plotly-loader.js";
import { TariffEditor } from "./tariff.js";
import { ThresholdsEditor } from "./thresholds.js";
import { byId, errorText, frameThrottle, setText } from "./util.js";

const COMMAND_TIMEOUT_MS = 8000; // the hub waits 5 s for the device; allow for the round trip
const ENERGY_PERIOD_MS = 3000; // the energy view trails the live header by a few seconds at most
const ATTEMPTS_BEFORE_OFFLINE = 3;

// The one copy of what the page knows; panels read from it and never keep their own.
const home = { devices: new Map(), summary: null, currency: "GBP", synced: false, live: false };
const deviceList = () => [...home.devices.values()]
  .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));

const socket = window.io({
  // A function, so each reconnection sends the token as it is now.
  auth: (send) => send({ token: token() || null }),
  reconnectionDelayMax: 5000,
});

const liveChart = afterPlotly(new LiveChart(byId("live-chart")));
const drawToday = afterPlotly(renderToday);
const cards = new DeviceCards(byId("device-cards"), byId("devices-empty"), {
  sendCommand, currency: () => home.currency,
});
const alerts = new AlertsPanel({
  openList: byId("alerts-open"), recentList: byId("alerts-recent"),
  emptyNote: byId("alerts-empty"), count: byId("alerts-count"),
});
const thresholds = new ThresholdsEditor(byId("thresholds-form"), {
  table: JSON.parse(byId("threshold-rules").textContent),
  rows: byId("thresholds-rows"), message: byId("thresholds-message"),
  addButton: byId("threshold-add"), devices: deviceList,
});
const tariff = new TariffEditor(byId("tariff-form"), {
  rows: byId("periods-rows"), message: byId("tariff-message"), addButton: byId("period-add"),
});
const history = new HistoryView({
  form: byId("history-form"), deviceBox: byId("history-devices"), chart: byId("history-chart"),
  download: byId("history-download"), message: byId("history-message"),
  custom: byId("history-custom"), from: byId("history-from"), to: byId("history-to"),
  now: () => home.summary?.ts || Date.now() / 1000, devices: deviceList,
});
const energy = new EnergyView(byId("energy-panel"));
const drawFlow = frameThrottle(() => renderFlow(home.summary));

// ---- connection state -------------------------------------------------------

const indicator = document.querySelector('[data-testid="connection"]');

/** "connected" only once the snapshot is applied: before that the page is not live yet. */
function showConnection(state, text) {
  indicator.dataset.state = state;
  setText(indicator, text);
}

// socket.io delivers events that arrived with the handshake before "connect",
// so the snapshot may already be applied when "connect" fires.
socket.on("connect", () => { if (!home.live) showConnection("syncing", "syncing"); });
socket.on("disconnect", () => {
  home.live = false;
  showConnection("reconnecting", "reconnecting");
});
socket.io.on("reconnect_attempt", (attempt) => {
  if (attempt > ATTEMPTS_BEFORE_OFFLINE) showConnection("offline", "offline, retrying");
  else showConnection("reconnecting", "reconnecting");
});
socket.on("connect_error", () => {
  // A refusal by the server (not a network failure) stops socket.io's own retries.
  if (!socket.active) setTimeout(() => socket.connect(), 3000);
});

// ---- server events ----------------------------------------------------------

socket.on("snapshot", (snapshot) => {
  home.devices.clear(); // the same Map object: panels hold a reference to it
  for (const device of snapshot.devices || []) home.devices.set(device.id, device);
  home.summary = snapshot.summary || null;
  home.currency = snapshot.currency || home.summary?.currency || home.currency;
  renderHeader({ home_name: snapshot.home_name, ...home.summary });
  cards.reset(home.devices);
  liveChart.reset(home.devices, snapshot.series, home.summary);
  alerts.reset(snapshot.alerts);
  thresholds.load(snapshot.thresholds);
  devicesChanged();
  drawFlow();
  home.live = true;
  showConnection("connected", "connected");
  loadPlotly();
  const first = !home.synced;
  home.synced = true;
  showToday(home.summary);
  refreshRecentAlerts();
  tariff.refresh();
  if (first) history.show();
  energy.refresh();
});

socket.on("readings", (readings) => {
  for (const reading of readings) {
    const device = home.devices.get(reading.id);
    if (device) Object.assign(device, reading);
  }
  cards.applyReadings(readings);
});

socket.on("summary", (summary) => {
  home.summary = summary;
  if (summary.currency) home.currency = summary.currency;
  renderHeader(summary);
  liveChart.addSummary(summary);
  drawFlow();
  showToday(summary);
});

socket.on("alert", (alert) => alerts.apply(alert));

socket.on("device", (device) => {
  if (device.removed) home.devices.delete(device.id);
  else home.devices.set(device.id, { ...home.devices.get(device.id), ...device });
  cards.upsert(device.removed ? device : home.devices.get(device.id));
  liveChart.updateDevice(device);
  devicesChanged();
});

/** Each device's energy and cost today come in the summary, from the same totals as its
 * energy_today_wh: the cards and the bars agree with the header at every update. */
function showToday(summary) {
  const energy = summary?.device_energy_today_wh || {};
  const cost = summary?.device_cost_today || {};
  for (const device of home.devices.values()) {
    device.energy_today_wh = energy[device.id] ?? 0;
    device.cost_today = cost[device.id] ?? 0;
  }
  const devices = deviceList();
  cards.applyTotals(devices);
  drawToday(byId("today-chart"), devices, summary, home.currency);
}

function devicesChanged() {
  history.refreshDevices();
  thresholds.refreshDevices();
}

// ---- REST refreshes -----------------------------------------------------------

async function refreshRecentAlerts() {
  try {
    alerts.setRecent((await api("/api/alerts")).recent);
  } catch (error) {
    console.warn("could not load recent alerts:", error.message);
  }
}

setInterval(() => {
  if (socket.connected) energy.refresh();
}, ENERGY_PERIOD_MS);

// ---- commands and the token ---------------------------------------------------

/** A failed acknowledgement made here, in the hub's shape ({ok, error: {code, message}}). */
function failed(code, message) {
  return { ok: false, error: { code, message } };
}

function emitCommand(deviceId, command) {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve(failed("not_connected", "not connected to the hub"));
      return;
    }
    socket.timeout(COMMAND_TIMEOUT_MS).emit("command", { device: deviceId, command },
      (timedOut, reply) => resolve(timedOut
        ? failed("no_answer", `no answer within ${COMMAND_TIMEOUT_MS / 1000} s`)
        : reply || failed("empty_reply", "empty reply from the hub")));
  });
}

/** Send a command; if the hub wants a token, ask once, reconnect with it and try again. */
async function sendCommand(deviceId, command) {
  const reply = await emitCommand(deviceId, command);
  const needsToken = !reply.ok && isTokenError(reply.error);
  if (!needsToken || !(await askForToken(errorText(reply.error)))) return reply;
  await resynced();
  return emitCommand(deviceId, command);
}

/** Resolves after the next snapshot (the reconnection with the new token has happened). */
function resynced() {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => { socket.off("snapshot", done); resolve(); }, 10000);
    socket.once("snapshot", done);
  });
}

// The socket's token is fixed per connection: reconnect so a new one takes effect.
onTokenChange(() => {
  socket.disconnect();
  socket.connect();
});
