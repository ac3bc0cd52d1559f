// The page's form parts: the labelled inputs and pickers in table cells that
// the settings editors (tariff.js, thresholds.js) build their rows from, and
// the status line every form has. Values go in as properties and attributes,
// never as markup.

import { make, setText } from "./util.js";

/** An <input> named for screen readers by `label`; a missing value shows blank. */
export function input(type, value, label, extra = {}) {
  const element = make("input", { attrs: { type, "aria-label": label, ...extra } });
  element.value = value ?? "";
  return element;
}

/** Any decimal is accepted here: the hub is the one that says what is out of range. */
export function numberInput(value, label, extra = {}) {
  return input("number", value, label, { step: "any", ...extra });
}

/** A <select> of `options` ([value, text] pairs) showing `value`. */
export function select(options, value, label) {
  const element = make("select", { attrs: { "aria-label": label } });
  setOptions(element, options, value);
  return element;
}

/** A <select>'s choices replaced, for pickers whose list changes (the home's devices). */
export function setOptions(element, options, value) {
  element.replaceChildren(...options.map(
    ([optionValue, text]) => make("option", { text, attrs: { value: optionValue } })));
  element.value = value;
}

export function cell(...children) {
  const td = make("td");
  td.append(...children);
  return td;
}

/** A row's ✕; without a `label` the caller names it (rows renumbered as they go). */
export function removeButton(label) {
  const attrs = label ? { type: "button", "aria-label": label } : { type: "button" };
  return make("button", { text: "✕", className: "remove", attrs });
}

/** A form's status line; `kind` (ok, error, pending) colours it, none leaves it plain. */
export function showMessage(element, text, kind) {
  setText(element, text);
  element.className = kind ? `message message-${kind}` : "message";
}

/**
 * A settings editor's form: any input marks it dirty (so a resync never
 * overwrites unsaved edits), submit saves, the add button adds a row.
 */
export function wireEditor(editor, form, addButton, addRow) {
  form.addEventListener("input", () => { editor.dirty = true; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    editor.save();
  });
  addButton.addEventListener("click", () => {
    editor.dirty = true;
    addRow();
  });
}

/**
 * Call `commit(value)` once a person has finished entering a time in a time `element`.
 * Chromium fires `change` at each digit typed into one (06:00, 06:03, 06:30 for "0630"),
 * so a command per `change` would send the half-typed times and, disabling the field
 * while it is sent, cut the typing short. The time goes on Enter, when the field loses
 * focus, or after `quietMs` without another edit (a phone's picker sets it in one go).
 */
export function onTimeEntered(element, commit, quietMs = 1500) {
  let timer = null;
  const flush = () => {
    if (timer === null) return; // nothing entered since the last commit
    clearTimeout(timer);
    timer = null;
    if (element.value) commit(element.value);
  };
  element.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(flush, quietMs);
  });
  element.addEventListener("blur", flush);
  element.addEventListener("keydown", (event) => {
    if (event.key === "Enter") flush();
  });
}
