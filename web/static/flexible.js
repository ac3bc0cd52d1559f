// The 1.1 flexible appliances on a device card: what a battery, a car charger or a
// loaded machine says about itself (one line), and the commands each takes (a mode,
// a car's target and departure, a loaded machine's start, a heat store's boost). The
// device computes every number; this picks and words them, clock times in the home's
// zone (home-clock.js).

import { clockTime } from "./home-clock.js";
import { formatPower } from "./util.js";

const BATTERY_MODES = ["auto", "hold", "charge", "discharge"];
const CAR_MODES = ["off", "now", "minpv", "pv", "smart"];

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

/** A loaded machine waiting for its start (phase `ready`): it takes a `start_at`. */
export function isWaiting(device) {
  return device.phase === "ready" && typeof device.finish_by === "number";
}

/**
 * One line on what the device is doing beyond its power, or "" when it says nothing more.
 * `plannedStart` is the start this page set for a waiting machine (the state carries none).
 */
export function flexibleLine(device, { zone, plannedStart } = {}) {
  if (device.role === "storage" && typeof device.soc_pct === "number") {
    const flow = device.discharge_w > 0 ? `delivering ${formatPower(device.discharge_w)}`
      : device.power_w > 0 ? `charging ${formatPower(device.power_w)}` : "idle";
    return `${Math.round(device.soc_pct)} % full · ${flow} · ${device.mode}`;
  }
  if (isCharger(device)) return carLine(device, zone);
  if (typeof device.finish_by === "number") {
    const minutes = Math.round((device.program_s || 0) / 60);
    const finishes = `finishes by ${clockTime(device.finish_by, zone)} · ${minutes} min program`;
    if (!isWaiting(device)) return finishes;
    const planned = typeof plannedStart === "number";
    const starts = planned ? `starts ${clockTime(plannedStart, zone)}, ` : "";
    return `ready, ${starts}${finishes}`;
  }
  return "";
}

/** A charger knows the car's charge only while it is plugged in: none is shown otherwise. */
function carLine(device, zone) {
  if (!device.plugged) return `no car plugged in · ${device.mode}`;
  const known = (value) => typeof value === "number";
  const charge = known(device.soc_pct) ? `${Math.round(device.soc_pct)} %` : "plugged in";
  const needed = known(device.departure) ? ` · needed ${clockTime(device.departure, zone)}` : "";
  return `car ${charge} → ${Math.round(device.target_soc)} %${needed} · ${device.mode}`;
}
