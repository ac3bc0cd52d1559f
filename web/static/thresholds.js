// Settings: the alert thresholds editor (GET/PUT /api/thresholds).
//
// The hub validates; this form only shapes rows into the TOML-shaped dicts the
// API takes and shows the hub's message as is when it refuses them. Which rules
// exist, the keys and unit of each and the default "clear below" are the hub's
// rule table, sent with the page (web.pages.threshold_rules): none is typed here.

import { api } from "./api.js";
import {
  cell, numberInput, removeButton, select, setOptions, showMessage, wireEditor,
} from "./forms.js";
import { errorText, make } from "./util.js";

// A row whose "clear below" is the hub's default fraction of "above" shows it
// blank ("auto"), so that changing "above" alone keeps a valid pair.
function isDefaultClear(above, clear, fraction) {
  const expected = above * fraction;
  return typeof clear === "number" && Math.abs(clear - expected) <= 1e-9 * Math.max(1, above);
}

export class ThresholdsEditor {
  /**
   * `table` is the hub's rule table ({rules, levels, clear_fraction, for_s, level});
   * `devices()` lists the home's devices for the picker of a rule that takes one.
   */
  constructor(form, { table, rows, message, addButton, devices }) {
    // The rules by name, in the hub's order (the order of the Rule picker).
    this.table = { ...table, rules: Object.fromEntries(table.rules.map((r) => [r.name, r])) };
    this.form = form;
    this.rows = rows;
    this.message = message;
    this.devices = devices;
    this.dirty = false; // unsaved edits are never overwritten by a resync
    wireEditor(this, form, addButton, () => {
      this.addRow({ rule: table.rules[0].name, for_s: table.for_s, level: table.level });
      this.renumber();
    });
  }

  /** Show the hub's rules unless the person is in the middle of editing. */
  load(thresholds, force = false) {
    if (this.dirty && !force) return;
    this.rows.replaceChildren();
    for (const threshold of thresholds || []) this.addRow(threshold);
    this.renumber();
    this.dirty = false;
  }

  addRow(threshold) {
    const { rules, levels, clear_fraction: fraction } = this.table;
    const spec = rules[threshold.rule] || Object.values(rules)[0];
    const above = threshold[spec.above];
    const clear = threshold[spec.clear];
    const row = make("tr");
    const rule = select(Object.keys(rules).map((name) => [name, name]), threshold.rule, "Rule");
    const device = select([], "", "Device");
    const aboveInput = numberInput(above, "Above", { required: "" });
    const clearInput = numberInput(isDefaultClear(above, clear, fraction) ? "" : clear,
      "Clear below");
    const forInput = numberInput(threshold.for_s, "For seconds", { min: "0" });
    const level = select(levels.map((name) => [name, name]), threshold.level || this.table.level,
      "Level");
    const remove = removeButton();
    remove.addEventListener("click", () => {
      row.remove();
      this.dirty = true;
      this.renumber();
    });
    row.append(cell(rule), cell(device), cell(aboveInput), cell(clearInput), cell(forInput),
      cell(level), cell(remove));
    Object.assign(row, { fields: { rule, device, aboveInput, clearInput, forInput, level } });
    rule.addEventListener("change", () => this.fitRow(row));
    aboveInput.addEventListener("input", () => this.fitRow(row));
    this.rows.append(row);
    this.fillDevices(row, threshold.device || "");
    this.fitRow(row);
  }

  /** Units, the device picker and the "auto" hint follow the row's rule. */
  fitRow(row) {
    const { rule, device, aboveInput, clearInput } = row.fields;
    const spec = this.table.rules[rule.value];
    const fraction = this.table.clear_fraction;
    device.disabled = !spec.device;
    aboveInput.title = `above, in ${spec.unit}`;
    const auto = +(Number(aboveInput.value) * fraction).toPrecision(6);
    const hint = `blank: ${+(fraction * 100).toPrecision(6)}% of above`;
    clearInput.placeholder = "auto";
    clearInput.title = aboveInput.value === "" ? hint : `${hint} (${auto} ${spec.unit})`;
  }

  fillDevices(row, wanted) {
    const { device } = row.fields;
    const chosen = wanted || device.value;
    const options = this.devices().map((d) => [d.id, d.name === d.id ? d.id : `${d.name} (${d.id})`]);
    if (chosen && !options.some(([id]) => id === chosen)) options.push([chosen, chosen]);
    setOptions(device, [["", "—"], ...options], chosen);
  }

  /** New or renamed devices appear in every row's picker; choices are kept. */
  refreshDevices() {
    for (const row of this.rows.children) this.fillDevices(row, "");
  }

  renumber() {
    [...this.rows.children].forEach((row, index) => {
      row.fields.aboveInput.dataset.testid = `threshold-above-${index}`;
      row.querySelector(".remove").setAttribute("aria-label", `Remove rule ${index + 1}`);
    });
  }

  /** The rows as the API's dicts; blanks are left out so the hub's defaults apply. */
  collect() {
    return [...this.rows.children].map((row) => {
      const { rule, device, aboveInput, clearInput, forInput, level } = row.fields;
      const spec = this.table.rules[rule.value];
      const item = { rule: rule.value };
      if (spec.device) item.device = device.value;
      if (aboveInput.value !== "") item[spec.above] = Number(aboveInput.value);
      if (clearInput.value !== "") item[spec.clear] = Number(clearInput.value);
      if (forInput.value !== "") item.for_s = Number(forInput.value);
      item.level = level.value;
      return item;
    });
  }

  async save() {
    showMessage(this.message, "Saving…", "pending");
    try {
      const saved = await api("/api/thresholds", { method: "PUT", body: this.collect() });
      this.load(Array.isArray(saved) ? saved : await api("/api/thresholds"), true);
      showMessage(this.message, "Saved ✓", "ok");
    } catch (error) {
      showMessage(this.message, errorText(error), "error");
    }
  }
}
