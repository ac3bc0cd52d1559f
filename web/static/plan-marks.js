// What the plan panel (plan.js) reads off a plan's actions, kept free of the page so a
// test can import it alone: a command in words, the runs and starts the chart marks, and
// each slot's import price.

import { clockTime } from "./home-clock.js";
import { formatPower } from "./util.js";

/** A command as a person reads it: "charge 2.00 kW", "on at 60 %", "start at 02:30". */
export function commandText(command, zone) {
  if (command.mode) {
    return command.power_w ? `${command.mode} ${formatPower(command.power_w)}` : command.mode;
  }
  if (command.start_at !== undefined) return `start at ${clockTime(command.start_at, zone)}`;
  if (command.boost !== undefined) return command.boost ? "boost on" : "boost off";
  if (command.on === false) return "off";
  if (command.level !== undefined) return `on at ${command.level} %`;
  if (command.on === true) return "start now";
  return JSON.stringify(command);
}

/**
 * What the chart marks from the actions: a block for each run of a car's charging (an `on`
 * with a level; a new level goes on with the run, so one run has one block and one label)
 * or a boost, to the device's next stop (or the horizon's end), and a start for each
 * program (`start_at`, or `on` with no level: it starts now).
 */
export function planMarks(plan) {
  const blocks = [];
  const starts = [];
  const open = new Map(); // device -> the start of its run in progress
  const close = (device, at) => {
    if (open.has(device)) blocks.push({ device, start: open.get(device), end: at });
    open.delete(device);
  };
  for (const { device, at, command } of plan.actions) {
    if (command.start_at !== undefined) starts.push({ device, at: command.start_at });
    else if (command.on === true && command.level === undefined) starts.push({ device, at });
    else if (command.boost === true || command.on === true) {
      if (!open.has(device)) open.set(device, at);
    } else if (command.boost !== undefined || command.on !== undefined) close(device, at);
  }
  for (const device of [...open.keys()]) close(device, plan.horizon_end);
  return { blocks, starts };
}

/** The import price in force at each slot's start, from GET /api/prices's slots. */
export function slotPrices(slots, priceSlots) {
  return slots.map(({ start }) => priceSlots.find((p) => p.start <= start && start < p.end)
    ?.import ?? null);
}
