// The power flow diagram (like Home Assistant's energy distribution card):
// where the home's power comes from right now, where the solar goes and, with
// a home battery, what goes into it and what comes out.

import { byId, formatEnergy, formatPower, setText } from "./util.js";

const IDLE_W = 5; // below this a line is drawn idle: meters jitter around zero
const VIEW_WITHOUT_BATTERY = "0 0 320 210";
const VIEW_WITH_BATTERY = "0 0 320 344"; // the battery node sits below, mirroring solar

/**
 * Every flow of the picture, from one summary (contract 1.1), each >= 0.
 *
 * The summary gives the nodes: solar is generation_w; the battery's charge and
 * discharge are battery_w's positive and negative parts (storage netted by
 * the hub, so at most one of them is non-zero); the grid is import_w and
 * export_w. The home is load_w less the charge: the hub's load_w counts
 * storage charging as load (as the ledger's consumption does), but on this
 * picture that power goes to the battery node, so "home" is what the
 * appliances draw. The hub only says how much each node makes or takes, not
 * which source feeds which sink, so the split is ours, in this order:
 *
 *   1. solar feeds the home first, then charges the battery, and the rest
 *      is exported;
 *   2. the battery's discharge feeds what of the home solar left, and the
 *      rest (a forced discharge beyond the load) is exported;
 *   3. the grid covers what of the home is still unfed, and the battery's
 *      charge that solar did not cover.
 *
 * Then the nodes add up: solar = solarHome + solarBattery + solarGrid,
 * home = solarHome + batteryHome + gridHome, charge = solarBattery +
 * gridBattery, discharge = batteryHome + batteryGrid; and since the hub's
 * figures balance (generation + import + discharge = load + export), import
 * = gridHome + gridBattery and export = solarGrid + batteryGrid, with grid
 * flows one way only. Without storage the battery's flows are all 0 and the
 * split is what it always was: solarHome = solar - export, gridHome = import.
 * `hasBattery`, when the battery node shows, is the summary's word that the home
 * has storage: battery_soc_pct is null without (and while no battery reports).
 * The flows add up exactly; the page rounds each figure on its own (to the watt,
 * to 10 W above 1 kW), so a sum read off the page can be out in its last digit.
 */
export function flowNumbers(summary) {
  const solar = summary.generation_w || 0;
  const battery = summary.battery_w || 0;
  const charge = Math.max(0, battery);
  const discharge = Math.max(0, -battery);
  const home = Math.max(0, (summary.load_w || 0) - charge);
  const solarHome = Math.min(solar, home);
  const solarBattery = Math.min(solar - solarHome, charge);
  const batteryHome = Math.min(discharge, home - solarHome);
  return {
    solar, home, charge, discharge,
    importW: summary.import_w || 0,
    exportW: summary.export_w || 0,
    soc: summary.battery_soc_pct ?? null,
    hasBattery: summary.battery_soc_pct != null,
    solarHome, solarBattery, batteryHome,
    solarGrid: solar - solarHome - solarBattery,
    batteryGrid: discharge - batteryHome,
    gridHome: home - solarHome - batteryHome,
    gridBattery: charge - solarBattery,
  };
}

function drawLine(id, watts, largest) {
  const line = byId(id);
  const active = watts > IDLE_W;
  line.classList.toggle("active", active);
  const width = active ? 2 + 6 * Math.min(1, watts / Math.max(largest, 1)) : 1.5;
  line.style.strokeWidth = `${width.toFixed(1)}px`;
}

function renderBattery(flow, largest) {
  const panel = byId("flow-panel");
  for (const part of panel.querySelectorAll(".battery-only")) {
    part.toggleAttribute("hidden", !flow.hasBattery);
  }
  byId("flow").setAttribute("viewBox", flow.hasBattery ? VIEW_WITH_BATTERY : VIEW_WITHOUT_BATTERY);
  if (!flow.hasBattery) return;
  setText(byId("flow-battery"), formatPower(Math.max(flow.charge, flow.discharge)));
  setText(byId("flow-battery-soc"), `${Math.round(flow.soc)} %`);
  const charging = flow.charge > IDLE_W;
  const discharging = flow.discharge > IDLE_W;
  setText(byId("flow-battery-dir"), charging ? "charging" : discharging ? "discharging" : "idle");
  drawLine("flow-solar-battery", flow.solarBattery, largest);
  drawLine("flow-battery-home", flow.batteryHome, largest);
  drawLine("flow-grid-battery", flow.gridBattery, largest);
  drawLine("flow-battery-grid", flow.batteryGrid, largest);
  setText(byId("flow-to-battery"), formatPower(flow.solarBattery));
  setText(byId("flow-from-battery"), formatPower(flow.batteryHome));
  setText(byId("flow-grid-to-battery"), formatPower(flow.gridBattery));
  setText(byId("flow-battery-export"), formatPower(flow.batteryGrid));
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
  const largest = Math.max(flow.solarHome, flow.solarGrid, flow.gridHome, flow.solarBattery,
    flow.batteryHome, flow.gridBattery, flow.batteryGrid);
  drawLine("flow-solar-home", flow.solarHome, largest);
  drawLine("flow-solar-grid", flow.solarGrid, largest);
  drawLine("flow-grid-home", flow.gridHome, largest);
  renderBattery(flow, largest);
  const share = flow.solar > IDLE_W ? ` (${Math.round((100 * flow.solarHome) / flow.solar)}%)` : "";
  setText(byId("flow-self"), `${formatPower(flow.solarHome)}${share}`);
  setText(byId("flow-export"), formatPower(flow.solarGrid));
  setText(byId("flow-from-grid"), formatPower(flow.gridHome));
  setText(byId("flow-produced-today"), formatEnergy(summary.generation_today_wh));
}
