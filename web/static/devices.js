// Device cards: live power, status, on/off switch, level slider, last command result.
//
// Names and every other device-supplied string go in with textContent only:
// a device may call itself "<img src=x onerror=...>" and must show as exactly that.

import {
  cloneTemplate, deviceColour, errorText, formatEnergy, formatMoney, formatPower, formatTime, frameThrottle,
  setText,
} from "./util.js";

const STATUS_TEXT = { online: "online", offline: "offline", stale: "stale", unknown: "unknown" };

/** A few words for what a command asked, for the result line. */
function describe(command) {
  if (typeof command === "string") return command.toLowerCase();
  const parts = [];
  if ("on" in command) parts.push(command.on ? "turn on" : "turn off");
  if ("level" in command) parts.push(`level ${command.level}%`);
  if ("interval_s" in command) parts.push(`report every ${command.interval_s} s`);
  return parts.join(", ") || "command";
}

export class DeviceCards {
  /** `sendCommand(id, command)` resolves to the acknowledgement {ok, result, error}. */
  constructor(container, emptyNote, { sendCommand, currency }) {
    this.container = container;
    this.emptyNote = emptyNote;
    this.sendCommand = sendCommand;
    this.currency = currency;
    this.cards = new Map(); // device id -> {device, parts...}
    this.dirty = new Set();
    this.scheduleRender = frameThrottle(() => this.renderDirty());
  }

  /** Rebuild from a snapshot's devices (every (re)connection). */
  reset(devices) {
    for (const id of [...this.cards.keys()]) if (!devices.has(id)) this.remove(id);
    const sorted = [...devices.values()].sort((a, b) => String(a.name).localeCompare(b.name));
    for (const device of sorted) this.upsert(device);
  }

  upsert(device) {
    if (device.removed) {
      this.remove(device.id);
      return;
    }
    let card = this.cards.get(device.id);
    if (!card) {
      card = this.build(device);
      this.cards.set(device.id, card);
      this.container.append(card.root);
    }
    card.device = { ...card.device, ...device };
    this.render(card);
    this.emptyNote.hidden = this.cards.size > 0;
  }

  remove(id) {
    const card = this.cards.get(id);
    if (!card) return;
    card.root.remove();
    this.cards.delete(id);
    this.emptyNote.hidden = this.cards.size > 0;
  }

  /** Live readings: merged now, drawn on the next frame (readings come in bursts). */
  applyReadings(readings) {
    for (const reading of readings) {
      const card = this.cards.get(reading.id);
      if (!card) continue;
      const { id, ...fields } = reading;
      Object.assign(card.device, fields);
      this.dirty.add(id);
    }
    if (this.dirty.size) this.scheduleRender();
  }

  /** Today's energy and cost per device, from each summary: a card redraws when they moved. */
  applyTotals(devices) {
    for (const device of devices) {
      const card = this.cards.get(device.id);
      if (!card) continue;
      const { energy_today_wh: energy, cost_today: cost } = device;
      if (card.device.energy_today_wh === energy && card.device.cost_today === cost) continue;
      Object.assign(card.device, { energy_today_wh: energy, cost_today: cost });
      this.dirty.add(device.id);
    }
    if (this.dirty.size) this.scheduleRender();
  }

  renderDirty() {
    for (const id of this.dirty) {
      const card = this.cards.get(id);
      if (card) this.render(card);
    }
    this.dirty.clear();
  }

  build(device) {
    const root = cloneTemplate("device-card-template");
    const find = (selector) => root.querySelector(selector);
    const card = {
      device, root, pending: false,
      name: find(".device-name"), badge: find(".badge"), kind: find(".device-kind"),
      power: find(".power"), phase: find(".phase"), today: find(".device-today"),
      switch: find(".switch"), switchText: find(".switch-text"), levelLabel: find(".level"),
      level: find(".level input"), levelOut: find(".level output"), result: find(".result"),
    };
    // Ids are validated by the hub ([a-z0-9_-]), so they are safe in attribute values.
    root.dataset.testid = `device-card-${device.id}`;
    // The same colour as the device's trace on the charts, which hide their legend on phones.
    root.style.setProperty("--device-colour", deviceColour(device.id));
    card.name.dataset.testid = `device-name-${device.id}`;
    card.switch.dataset.testid = `switch-${device.id}`;
    card.result.dataset.testid = `result-${device.id}`;
    card.power.dataset.testid = `power-${device.id}`;
    card.badge.dataset.testid = `status-${device.id}`;
    card.today.dataset.testid = `today-${device.id}`;
    card.level.dataset.testid = `level-${device.id}`;
    card.switch.addEventListener("change", () => {
      this.command(card, { on: card.switch.checked });
    });
    card.level.addEventListener("input", () => setText(card.levelOut, `${card.level.value}%`));
    card.level.addEventListener("change", () => {
      this.command(card, { level: Number(card.level.value) });
    });
    return card;
  }

  render(card) {
    const { device } = card;
    const name = device.name ?? device.id;
    setText(card.name, name);
    card.root.title = `${name} (${device.id})`;
    setText(card.badge, STATUS_TEXT[device.status] || device.status || "unknown");
    card.badge.className = `badge status-${STATUS_TEXT[device.status] || "unknown"}`;
    card.root.classList.toggle("offline", device.status === "offline");
    const rated = device.rated_w ? ` · rated ${formatPower(device.rated_w)}` : "";
    setText(card.kind, `${device.kind || "unknown"} · ${device.role || "consumer"}${rated}`);
    setText(card.power, formatPower(device.status === "offline" ? 0 : device.power_w));
    setText(card.phase, device.phase || "");
    const cost = formatMoney(device.cost_today, this.currency());
    setText(card.today, `Today ${formatEnergy(device.energy_today_wh)} · ${cost}`);
    this.renderControls(card, name);
  }

  renderControls(card, name) {
    const { device } = card;
    card.switch.setAttribute("aria-label", `Switch ${name}`);
    card.level.setAttribute("aria-label", `Level ${name}`);
    const unreachable = device.status === "offline";
    card.switch.disabled = card.pending || unreachable;
    card.level.disabled = card.pending || unreachable;
    if (!card.pending) {
      // While a command is pending the switch shows what was asked, not the last reading.
      card.switch.checked = device.on === true;
      card.switch.indeterminate = device.on === null || device.on === undefined;
      setText(card.switchText, device.on === true ? "on" : device.on === false ? "off" : "?");
    }
    card.levelLabel.hidden = !device.dimmable;
    const dragging = document.activeElement === card.level;
    if (device.dimmable && !card.pending && !dragging && typeof device.level === "number") {
      card.level.value = String(device.level);
      setText(card.levelOut, `${device.level}%`);
    }
  }

  async command(card, command) {
    card.pending = true;
    card.root.classList.add("pending");
    this.showResult(card, `${describe(command)}: sending…`, "pending");
    this.renderControls(card, card.device.name ?? card.device.id);
    let reply;
    try {
      reply = await this.sendCommand(card.device.id, command);
    } catch (error) {
      reply = { ok: false, error: errorText(error) };
    }
    card.pending = false;
    card.root.classList.remove("pending");
    if (reply && reply.ok) {
      // The device's own reply carries its new state: show it without waiting for a reading.
      const state = reply.result?.state;
      if (state) Object.assign(card.device, pickState(state));
      this.showResult(card, `${describe(command)}: done ✓ ${formatTime(Date.now() / 1000)}`, "ok");
    } else {
      this.showResult(card, `${describe(command)} failed: ${errorText(reply?.error)}`, "error");
    }
    this.render(card);
  }

  showResult(card, text, kind) {
    setText(card.result, text);
    card.result.className = `result result-${kind}`;
  }
}

function pickState(state) {
  const fields = {};
  for (const key of ["on", "power_w", "level", "phase", "energy_wh", "ts"]) {
    if (key in state) fields[key] = state[key];
  }
  return fields;
}
