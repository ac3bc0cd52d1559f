// The power flow diagram (like Home Assistant's energy distribution card):
// where the home's power comes from right now and where the solar goes.

import { byId, formatEnergy, formatPower, setText } from "./util.js";

const IDLE_W = 5; // below this a line is drawn idle: meters jitter around zero

/**
 * The summary gives net power (negative while exporting) and its import and
 * export halves; generation is the producers' live power. From the balance
 * home = import + solar - export = net + solar.
 */
export function flowNumbers(summary, devices) {
  let solar = 0;
  for (const device of devices.values()) {
    if (device.role === "producer" && device.status !== "offline") solar += device.power_w || 0;
  }
  const importW = summary.import_w || 0;
  const exportW = summary.export_w || 0;
  const home = Math.max(0, (summary.power_w || 0) + solar);
  const selfUse = Math.max(0, solar - exportW);
  return { solar, importW, exportW, home, selfUse };
}

function drawLine(id, watts, largest) {
  const line = byId(id);
  const active = watts > IDLE_W;
  line.classList.toggle("active", active);
  const width = active ? 2 + 6 * Math.min(1, watts / Math.max(largest, 1)) : 1.5;
  line.style.strokeWidth = `${width.toFixed(1)}px`;
}

export function renderFlow(summary, devices) {
  if (!summary) return;
  const flow = flowNumbers(summary, devices);
  setText(byId("flow-solar"), formatPower(flow.solar));
  setText(byId("flow-home"), formatPower(flow.home));
  const exporting = flow.exportW > IDLE_W;
  const importing = flow.importW > IDLE_W;
  setText(byId("flow-grid"), formatPower(exporting ? flow.exportW : flow.importW));
  setText(byId("flow-grid-dir"), exporting ? "exporting" : importing ? "importing" : "idle");
  const largest = Math.max(flow.selfUse, flow.exportW, flow.importW);
  drawLine("flow-solar-home", flow.selfUse, largest);
  drawLine("flow-solar-grid", flow.exportW, largest);
  drawLine("flow-grid-home", flow.importW, largest);
  const share = flow.solar > IDLE_W ? ` (${Math.round((100 * flow.selfUse) / flow.solar)}%)` : "";
  setText(byId("flow-self"), `${formatPower(flow.selfUse)}${share}`);
  setText(byId("flow-export"), formatPower(flow.exportW));
  setText(byId("flow-produced-today"), formatEnergy(summary.production_today_wh));
}
