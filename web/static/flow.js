// The power flow diagram (like Home Assistant's energy distribution card):
// where the home's power comes from right now and where the solar goes.

import { byId, formatEnergy, formatPower, setText } from "./util.js";

const IDLE_W = 5; // below this a line is drawn idle: meters jitter around zero

/**
 * The flows, straight from the summary (contract 1.1), which the hub computed
 * from one instant: solar is generation_w, home is load_w, the grid's halves
 * are import_w and export_w. Solar that is not exported is used at home (there
 * is no storage yet), so generation + import = load + export holds at every
 * update: solarHome + gridHome = home and solarHome + exportW = solar.
 */
export function flowNumbers(summary) {
  const solar = summary.generation_w || 0;
  const exportW = summary.export_w || 0;
  const importW = summary.import_w || 0;
  return { solar, home: summary.load_w || 0, importW, exportW, solarHome: solar - exportW,
    gridHome: importW };
}

function drawLine(id, watts, largest) {
  const line = byId(id);
  const active = watts > IDLE_W;
  line.classList.toggle("active", active);
  const width = active ? 2 + 6 * Math.min(1, watts / Math.max(largest, 1)) : 1.5;
  line.style.strokeWidth = `${width.toFixed(1)}px`;
}

export function renderFlow(summary) {
  if (!summary) return;
  const flow = flowNumbers(summary);
  setText(byId("flow-solar"), formatPower(flow.solar));
  setText(byId("flow-home"), formatPower(flow.home));
  const exporting = flow.exportW > IDLE_W;
  const importing = flow.importW > IDLE_W;
  setText(byId("flow-grid"), formatPower(exporting ? flow.exportW : flow.importW));
  setText(byId("flow-grid-dir"), exporting ? "exporting" : importing ? "importing" : "idle");
  const largest = Math.max(flow.solarHome, flow.exportW, flow.gridHome);
  drawLine("flow-solar-home", flow.solarHome, largest);
  drawLine("flow-solar-grid", flow.exportW, largest);
  drawLine("flow-grid-home", flow.gridHome, largest);
  const share = flow.solar > IDLE_W ? ` (${Math.round((100 * flow.solarHome) / flow.solar)}%)` : "";
  setText(byId("flow-self"), `${formatPower(flow.solarHome)}${share}`);
  setText(byId("flow-export"), formatPower(flow.exportW));
  setText(byId("flow-from-grid"), formatPower(flow.gridHome));
  setText(byId("flow-produced-today"), formatEnergy(summary.generation_today_wh));
}
