// The 1.1 flexible appliances on a device card: what a battery, a car charger or a
// loaded machine says about itself (one line), and the commands each takes (a mode,
// a car's target and departure, a heat store's boost). The device computes every
// number; this picks and words them.

import { formatPower, toDate } from "./util.js";

const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const BATTERY_MODES = ["auto", "hold", "charge", "discharge"];
const CAR_MODES = ["off", "now", "minpv", "pv", "smart"];

/** A simulation time as the home's clock shows it on the page (24-hour, like the charts). */
export function clockTime(ts) {
  return toDate(ts).toLocaleTimeString([], CLOCK);
}

export function isCharger(device) {
  return typeof device.plugged === "boolean";
}

/** The modes a device takes from the page, or none. */
export function modesOf(device) {
  if (device.role === "storage") return BATTERY_MODES;
  return isCharger(device) ? CAR_MODES : [];
}

/** The mode command for the page's choice: a battery charges or discharges flat out. */
export function modeCommand(device, mode) {
  if (device.role === "storage" && (mode === "charge" || mode === "discharge")) {
    return { mode, power_w: device.rated_w };
  }
  return { mode };
}

/** One line on what the device is doing beyond its power, or "" when it says nothing more. */
export function flexibleLine(device) {
  if (device.role === "storage" && typeof device.soc_pct === "number") {
    const flow = device.discharge_w > 0 ? `delivering ${formatPower(device.discharge_w)}`
      : device.power_w > 0 ? `charging ${formatPower(device.power_w)}` : "idle";
    return `${Math.round(device.soc_pct)} % full · ${flow} · ${device.mode}`;
  }
  if (isCharger(device)) {
    if (!device.plugged) return `no car · ${device.mode}`;
    const ready = typeof device.departure === "number" ? ` · needed ${clockTime(device.departure)}` : "";
    return `car ${Math.round(device.soc_pct)} % → ${Math.round(device.target_soc)} %${ready} · ${device.mode}`;
  }
  if (typeof device.finish_by === "number") {
    const minutes = Math.round((device.program_s || 0) / 60);
    const waiting = device.phase === "ready" ? "ready, finishes" : "finishes";
    return `${waiting} by ${clockTime(device.finish_by)} · ${minutes} min program`;
  }
  return "";
}
