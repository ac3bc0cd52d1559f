// Settings: the tariff editor (GET/PUT /api/tariff): charges, carbon and time-of-use periods.
// A price series (a file's slots or the agile-like generator) is named in home.toml: the
// editor shows which, read-only, and saves it back unchanged with the rest.

import { api } from "./api.js";
import {
  cell, input, numberInput, removeButton, showMessage, wireEditor,
} from "./forms.js";
import { byId, errorText, make } from "./util.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function dayPicker(days, rowLabel) {
  const box = make("span", { className: "days" });
  const checks = DAYS.map((day) => {
    const check = input("checkbox", day, `${rowLabel} ${day}`);
    check.checked = days.includes(day);
    const label = make("label", { className: "day" });
    label.append(check, make("span", { text: day.slice(0, 2) }));
    box.append(label);
    return check;
  });
  return { box, checks };
}

/** What the periods and rates below mean beside the series in force. */
function seriesText(tariff) {
  if (tariff.prices === "agile-like") {
    return `Prices: the agile-like generator (seed ${tariff.prices_seed ?? 1}), set in `
      + "home.toml. The periods, export rate and carbon below are not used.";
  }
  if (tariff.prices) {
    return `Prices: from ${tariff.prices}, set in home.toml. The periods, export rate and `
      + "carbon below apply outside its slots (and carbon to rows without any).";
  }
  return "";
}

export class TariffEditor {
  constructor(form, { rows, message, addButton, series, onSaved = () => {} }) {
    this.form = form;
    this.rows = rows;
    this.message = message;
    this.series = series;
    this.onSaved = onSaved;
    this.prices = {}; // the series in force, carried through a save unchanged
    this.fields = {
      standing: byId("tariff-standing"), exportRate: byId("tariff-export"),
      carbon: byId("tariff-carbon"),
    };
    this.dirty = false;
    wireEditor(this, form, addButton,
      () => this.addRow({ name: "", start: "00:00", end: "00:00", rate: "", days: DAYS }));
  }

  /** Fetch the hub's tariff, unless the person has unsaved edits. */
  async refresh() {
    if (this.dirty) return;
    try {
      this.load(await api("/api/tariff"), true);
    } catch (error) {
      showMessage(this.message, `could not load the tariff: ${errorText(error)}`, "error");
    }
  }

  load(tariff, force = false) {
    if (this.dirty && !force) return;
    this.fields.standing.value = tariff.standing_charge_per_day ?? "";
    this.fields.exportRate.value = tariff.export_rate ?? "";
    this.fields.carbon.value = tariff.carbon_g_per_kwh ?? "";
    this.prices = Object.fromEntries(["prices", "prices_seed"]
      .filter((key) => tariff[key] !== undefined).map((key) => [key, tariff[key]]));
    this.series.textContent = seriesText(tariff);
    this.series.hidden = !this.series.textContent;
    this.rows.replaceChildren();
    for (const period of tariff.periods || []) this.addRow(period);
    this.dirty = false;
  }

  addRow(period) {
    const index = this.rows.children.length + 1;
    const row = make("tr");
    const name = input("text", period.name, `Period ${index} name`, { size: "8" });
    const start = input("time", period.start, `Period ${index} start`);
    const end = input("time", period.end, `Period ${index} end`);
    const rate = numberInput(period.rate, `Period ${index} rate`);
    const days = dayPicker(period.days || DAYS, `Period ${index}`);
    const remove = removeButton(`Remove period ${index}`);
    remove.addEventListener("click", () => {
      row.remove();
      this.dirty = true;
    });
    row.append(cell(name), cell(start), cell(end), cell(rate), cell(days.box), cell(remove));
    row.fields = { name, start, end, rate, days: days.checks };
    this.rows.append(row);
  }

  /** The form as the API's dict; blank numbers are left out so the hub says what is missing. */
  collect() {
    const number = (element) => (element.value === "" ? undefined : Number(element.value));
    const periods = [...this.rows.children].map(({ fields }) => ({
      name: fields.name.value,
      start: fields.start.value,
      end: fields.end.value,
      rate: number(fields.rate),
      days: fields.days.filter((check) => check.checked).map((check) => check.value),
    }));
    return {
      standing_charge_per_day: number(this.fields.standing),
      export_rate: number(this.fields.exportRate),
      carbon_g_per_kwh: number(this.fields.carbon),
      periods,
      ...this.prices,
    };
  }

  async save() {
    showMessage(this.message, "Saving…", "pending");
    try {
      const saved = await api("/api/tariff", { method: "PUT", body: this.collect() });
      this.dirty = false;
      if (saved && Array.isArray(saved.periods)) this.load(saved, true);
      else await this.refresh();
      showMessage(this.message, "Saved ✓", "ok");
      this.onSaved();
    } catch (error) {
      showMessage(this.message, errorText(error), "error");
    }
  }
}
