// The header's live figures: power, today's energy, cost and rate, CO2, devices online.

import { flowNumbers } from "./flow.js";
import {
  byId, formatEnergy, formatMass, formatMoney, formatPower, setText,
} from "./util.js";

export function renderHeader(summary) {
  if (!summary) return;
  const currency = summary.currency;
  if (summary.home_name) {
    setText(byId("home-name"), summary.home_name);
    document.title = `${summary.home_name} · energy`;
  }
  // What the home's appliances draw (the flow panel's home: load_w less a battery's
  // charging), and the net at the grid meter by its two halves.
  setText(byId("stat-power"), formatPower(flowNumbers(summary).home));
  const grid = summary.export_w > 0
    ? `exporting ${formatPower(summary.export_w)}`
    : `importing ${formatPower(summary.import_w)}`;
  setText(byId("stat-grid"), grid);
  setText(byId("stat-energy"), formatEnergy(summary.energy_today_wh));
  setText(byId("stat-month"), typeof summary.energy_month_wh === "number"
    ? `month ${formatEnergy(summary.energy_month_wh)}` : "");
  setText(byId("stat-cost"), formatMoney(summary.cost_today, currency));
  const period = summary.tariff_period ? ` (${summary.tariff_period})` : "";
  setText(byId("stat-rate"), `${formatMoney(summary.tariff_rate, currency, 3)}/kWh${period}`);
  // Older hubs called it carbon_today_g.
  setText(byId("stat-co2"), formatMass(summary.co2_today_g ?? summary.carbon_today_g));
  setText(byId("stat-devices"), `${summary.devices_online} / ${summary.devices_total}`);
  renderProblems(summary.problems || []);
}

// The hub's own troubles (its log cannot be written, the broker is gone), in words.
function renderProblems(problems) {
  const box = document.querySelector('[data-testid="problems"]');
  if (!box) return;
  box.hidden = problems.length === 0;
  box.textContent = problems.join(" ");
}
