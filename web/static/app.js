// The dashboard's wiring: one Socket.IO connection feeding the page's store
// (store.js), and each change of the store redrawing the panels it touches.
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
import { ManagerPanel } from "./plan.js";
import { afterPlotly, loadPlotly } from "./plotly-loader.js";
import { PricesPanel } from "./prices.js";
import { PageStore } from "./store.js";
import { TariffEditor } from "./tariff.js";
import { ThresholdsEditor } from "./thresholds.js";
import { byId, errorText, frameThrottle, setText } from "./util.js";

const COMMAND_TIMEOUT_MS = 8000; // the hub waits 5 s for the device; allow for the round trip
const ENERGY_PERIOD_MS = 3000; // the energy view trails the live header by a few seconds at most
const ATTEMPTS_BEFORE_OFFLINE = 3;

// The one copy of what the page knows; panels read from it and never keep their own.
const home = new PageStore();
const deviceList = () => home.deviceList();

const socket = window.io({
  // A function, so each reconnection sends the token as it is now.
  auth: (send) => send({ token: token() || null }),
  reconnectionDelayMax: 5000,
});

const liveChart = afterPlotly(new LiveChart(byId("live-chart"), home.devices));
const drawToday = afterPlotly(renderToday);
const cards = new DeviceCards(byId("device-cards"), byId("devices-empty"), {
  store: home, sendCommand,
});
const alerts = new AlertsPanel(home, {
  openList: byId("alerts-open"), recentList: byId("alerts-recent"),
  emptyNote: byId("alerts-empty"), count: byId("alerts-count"),
});
const thresholds = new ThresholdsEditor(byId("thresholds-form"), {
  table: JSON.parse(byId("threshold-rules").textContent),
  rows: byId("thresholds-rows"), message: byId("thresholds-message"),
  addButton: byId("threshold-add"), devices: deviceList,
});
const prices = new PricesPanel(byId("prices-panel"), () => home.summary?.ts || Date.now() / 1000);
const tariff = new TariffEditor(byId("tariff-form"), {
  rows: byId("periods-rows"), message: byId("tariff-message"), addButton: byId("period-add"),
  series: byId("tariff-series"), onSaved: () => prices.refresh(),
});
const history = new HistoryView({
  form: byId("history-form"), deviceBox: byId("history-devices"), chart: byId("history-chart"),
  download: byId("history-download"), message: byId("history-message"),
  custom: byId("history-custom"), from: byId("history-from"), to: byId("history-to"),
  now: () => home.summary?.ts || Date.now() / 1000, zone: () => home.timezone, devices: deviceList,
});
const energy = new EnergyView(byId("energy-panel"));
const manager = new ManagerPanel(byId("manager-panel"), home,
  () => home.summary?.ts || Date.now() / 1000);
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
  home.disconnected();
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

// ---- server events, into the store ------------------------------------------

socket.on("snapshot", (snapshot) => home.applySnapshot(snapshot));
socket.on("readings", (readings) => home.mergeReadings(readings));
socket.on("summary", (summary) => home.setSummary(summary));
socket.on("device", (device) => home.applyDevice(device));
socket.on("alert", (alert) => home.applyAlert(alert));

// ---- the store's changes, onto the panels -------------------------------------

home.on("snapshot", ({ first, series }) => {
  renderHeader({ home_name: home.homeName, ...home.summary });
  cards.reset();
  liveChart.reset(series, home.summary);
  alerts.render();
  thresholds.load(home.thresholds);
  devicesChanged();
  drawFlow();
  showConnection("connected", "connected");
  loadPlotly();
  showToday();
  refreshRecentAlerts();
  tariff.refresh();
  prices.refresh();
  manager.refresh();
  if (first) history.show();
  energy.refresh();
});

home.on("readings", (moved) => cards.refresh(moved));

home.on("summary", (moved) => {
  renderHeader(home.summary);
  liveChart.addSummary(home.summary);
  drawFlow();
  cards.refresh(moved);
  showToday();
  prices.tick();
  manager.tick();
});

home.on("device", (device) => {
  if (device.removed) cards.remove(device.id);
  else cards.show(device.id);
  liveChart.updateDevice(device);
  devicesChanged();
});

home.on("alerts", (change) => alerts.render(change));

/** The bars of each device's energy and cost today (the store has them from the summary). */
function showToday() {
  drawToday(byId("today-chart"), deviceList(), home.summary, home.currency);
}

function devicesChanged() {
  history.refreshDevices();
  thresholds.refreshDevices();
}

// ---- REST refreshes -----------------------------------------------------------

async function refreshRecentAlerts() {
  try {
    home.setRecentAlerts((await api("/api/alerts")).recent);
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

/** Send a command; the device's new state in its reply goes into the store at once. */
async function sendCommand(deviceId, command) {
  const reply = await commandWithToken(deviceId, command);
  const state = reply.ok && reply.result?.state;
  if (state) home.mergeState(deviceId, state);
  return reply;
}

/** If the hub wants a token, ask once, reconnect with it and try again. */
async function commandWithToken(deviceId, command) {
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
