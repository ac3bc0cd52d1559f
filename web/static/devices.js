// Device cards: live power, status, on/off switch, level slider, last command result.
//
// Names and every other device-supplied string go in with textContent only:
// a device may call itself "<img src=x onerror=...>" and must show as exactly that.

import { flexibleLine, isCharger, isWaiting, modeCommand, modesOf } from "./flexible.js";
import { onTimeEntered } from "./forms.js";
import { clockTime, nextClockTime } from "./home-clock.js";
import {
  cloneTemplate, deviceColour, errorText, formatEnergy, formatMoney, formatPower, formatTime, frameThrottle,
  make, setText,
} from "./util.js";

const STATUS_TEXT = { online: "online", offline: "offline", stale: "stale", unknown: "unknown" };

/** A few words for what a command asked, for the result line; times on the home's clock. */
function describe(command, zone) {
  if (typeof command === "string") return command.toLowerCase();
  const parts = [];
  if ("on" in command) parts.push(command.on ? "turn on" : "turn off");
  if ("level" in command) parts.push(`level ${command.level}%`);
  if ("interval_s" in command) parts.push(`report every ${command.interval_s} s`);
  if ("mode" in command) parts.push(`mode ${command.mode}`);
  if ("target_soc" in command) parts.push(`charge to ${command.target_soc}%`);
  if ("departure" in command) parts.push(`needed by ${command.departure}`);
  if ("boost" in command) parts.push(command.boost ? "boost" : "end boost");
  if ("start_at" in command) {
    const at = command.start_at;
    parts.push(at === null ? "start by itself" : `start at ${clockTime(at, zone)}`);
  }
  return parts.join(", ") || "command";
}

export class DeviceCards {
  /**
   * The cards are DOM only: each reads its device from `store` when it draws.
   * `sendCommand(id, command)` resolves to the acknowledgement {ok, result, error}.
   */
  constructor(container, emptyNote, { store, sendCommand }) {
    this.container = container;
    this.emptyNote = emptyNote;
    this.store = store;
    this.sendCommand = sendCommand;
    this.cards = new Map(); // device id -> {id, pending, parts...}
    this.dirty = new Set();
    this.scheduleRender = frameThrottle(() => this.renderDirty());
  }

  /** Rebuild from the store after a snapshot (every (re)connection). */
  reset() {
    const { devices } = this.store;
    for (const id of [...this.cards.keys()]) if (!devices.has(id)) this.remove(id);
    for (const device of this.store.deviceList()) this.show(device.id);
  }

  /** A device's card, made if it has none yet, drawn now. */
  show(id) {
    let card = this.cards.get(id);
    if (!card) {
      card = this.build(id);
      this.cards.set(id, card);
      this.container.append(card.root);
    }
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

  /** Devices whose readings or totals moved: drawn on the next frame (readings come in bursts). */
  refresh(ids) {
    for (const id of ids) if (this.cards.has(id)) this.dirty.add(id);
    if (this.dirty.size) this.scheduleRender();
  }

  renderDirty() {
    for (const id of this.dirty) {
      const card = this.cards.get(id);
      if (card) this.render(card);
    }
    this.dirty.clear();
  }

  build(id) {
    const root = cloneTemplate("device-card-template");
    const find = (selector) => root.querySelector(selector);
    const card = {
      id, root, pending: false,
      name: find(".device-name"), badge: find(".badge"), kind: find(".device-kind"),
      power: find(".power"), phase: find(".phase"), today: find(".device-today"),
      switch: find(".switch"), switchText: find(".switch-text"), levelLabel: find(".level"),
      level: find(".level input"), levelOut: find(".level output"), result: find(".result"),
      flex: find(".device-flex"), modeLabel: find(".mode"), mode: find(".mode select"),
      targetLabel: find(".target"), target: find(".target input"),
      departureLabel: find(".departure"), departure: find(".departure input"),
      boost: find(".boost"), startLabel: find(".start-at"), start: find(".start-at input"),
      startCancel: find(".start-cancel"),
      planned: null, // {at, finishBy}: the start this page set for the load now waiting
    };
    // Ids are validated by the hub ([a-z0-9_-]), so they are safe in attribute values.
    root.dataset.testid = `device-card-${id}`;
    // The same colour as the device's trace on the charts, which hide their legend on phones.
    root.style.setProperty("--device-colour", deviceColour(id));
    card.name.dataset.testid = `device-name-${id}`;
    card.switch.dataset.testid = `switch-${id}`;
    card.result.dataset.testid = `result-${id}`;
    card.power.dataset.testid = `power-${id}`;
    card.badge.dataset.testid = `status-${id}`;
    card.today.dataset.testid = `today-${id}`;
    card.level.dataset.testid = `level-${id}`;
    card.flex.dataset.testid = `flex-${id}`;
    card.mode.dataset.testid = `mode-${id}`;
    card.target.dataset.testid = `target-${id}`;
    card.departure.dataset.testid = `departure-${id}`;
    card.boost.dataset.testid = `boost-${id}`;
    card.start.dataset.testid = `start-${id}`;
    card.startCancel.dataset.testid = `start-cancel-${id}`;
    card.mode.addEventListener("change", () => {
      const device = this.store.devices.get(id);
      if (device) this.command(card, modeCommand(device, card.mode.value));
    });
    card.target.addEventListener("change", () => {
      this.command(card, { target_soc: Number(card.target.value) });
    });
    onTimeEntered(card.departure, (hhmm) => this.command(card, { departure: hhmm }));
    onTimeEntered(card.start, (hhmm) => {
      const device = this.store.devices.get(id);
      if (!device) return;
      // the next such time on the home's clock after the hub's simulated now
      const now = Math.max(device.ts || 0, this.store.summary?.ts || 0);
      this.command(card, { start_at: nextClockTime(hhmm, now, this.store.timezone) });
    });
    card.startCancel.addEventListener("click", () => this.command(card, { start_at: null }));
    card.boost.addEventListener("click", () => {
      this.command(card, { boost: this.store.devices.get(id)?.phase !== "boost" });
    });
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
    const device = this.store.devices.get(card.id);
    if (!device) return; // gone: its card goes with the same change
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
    const cost = formatMoney(device.cost_today, this.store.currency);
    setText(card.today, `Today ${formatEnergy(device.energy_today_wh)} · ${cost}`);
    this.renderControls(card, device);
  }

  renderControls(card, device) {
    const name = device.name ?? device.id;
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
    this.renderFlexible(card, device, unreachable);
    const dragging = document.activeElement === card.level;
    if (device.dimmable && !card.pending && !dragging && typeof device.level === "number") {
      card.level.value = String(device.level);
      setText(card.levelOut, `${device.level}%`);
    }
  }

  /** The 1.1 line and controls: shown only for the devices that report them. */
  renderFlexible(card, device, unreachable) {
    const zone = this.store.timezone;
    const waiting = isWaiting(device);
    if (card.planned && !(waiting && card.planned.finishBy === device.finish_by)) card.planned = null;
    const line = flexibleLine(device, { zone, plannedStart: card.planned?.at });
    card.flex.hidden = !line;
    setText(card.flex, line);
    const modes = modesOf(device);
    card.modeLabel.hidden = modes.length === 0;
    if (modes.length && card.mode.options.length !== modes.length) {
      card.mode.replaceChildren(...modes.map((mode) => make("option", { text: mode, attrs: { value: mode } })));
    }
    const charger = isCharger(device);
    card.targetLabel.hidden = !charger;
    card.departureLabel.hidden = !charger;
    card.startLabel.hidden = !waiting;
    card.startCancel.hidden = !card.planned;
    card.boost.hidden = !(device.flexible || []).includes("boost");
    setText(card.boost, device.phase === "boost" ? "End boost" : "Boost");
    const inputs = [card.mode, card.target, card.departure, card.start];
    const editing = inputs.includes(document.activeElement);
    if (!card.pending && !editing) {
      if (modes.length && device.mode) card.mode.value = device.mode;
      if (charger && typeof device.target_soc === "number") card.target.value = String(device.target_soc);
      if (charger && typeof device.departure === "number") {
        card.departure.value = clockTime(device.departure, zone);
      }
      if (waiting) card.start.value = card.planned ? clockTime(card.planned.at, zone) : "";
    }
    for (const control of [...inputs, card.startCancel, card.boost]) {
      control.disabled = card.pending || unreachable;
    }
  }

  async command(card, command) {
    card.pending = true;
    card.root.classList.add("pending");
    const said = describe(command, this.store.timezone);
    this.showResult(card, `${said}: sending…`, "pending");
    const device = this.store.devices.get(card.id);
    if (device) this.renderControls(card, device);
    let reply;
    try {
      reply = await this.sendCommand(card.id, command);
    } catch (error) {
      reply = { ok: false, error: errorText(error) };
    }
    card.pending = false;
    card.root.classList.remove("pending");
    if (reply && reply.ok) {
      this.plannedStart(card, reply.result?.request ?? command);
      this.showResult(card, `${said}: done ✓ ${formatTime(Date.now() / 1000)}`, "ok");
    } else {
      this.showResult(card, `${said} failed: ${errorText(reply?.error)}`, "error");
    }
    this.render(card);
  }

  /** What an accepted start_at means for the card: the device's state does not say it. */
  plannedStart(card, request) {
    if (typeof request !== "object" || !("start_at" in request)) return;
    const device = this.store.devices.get(card.id);
    const at = request.start_at;
    card.planned = typeof at === "number" && device ? { at, finishBy: device.finish_by } : null;
  }

  showResult(card, text, kind) {
    setText(card.result, text);
    card.result.className = `result result-${kind}`;
  }
}
