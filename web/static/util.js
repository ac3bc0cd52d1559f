// Small helpers shared by the dashboard's modules: formatting, DOM, timing.

/** Clone a <template> by id; its content is static markup, data goes in with textContent. */
export function cloneTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

/** Set an element's text (never its HTML) if it changed, to avoid needless layout work. */
export function setText(element, text) {
  const value = String(text ?? "");
  if (element && element.textContent !== value) element.textContent = value;
}

export function byId(id) {
  return document.getElementById(id);
}

/** A plain element with text content and attributes, for the few places templates are overkill. */
export function make(tag, { text, className, attrs } = {}) {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  for (const [name, value] of Object.entries(attrs || {})) element.setAttribute(name, value);
  return element;
}

const isNumber = (value) => typeof value === "number" && Number.isFinite(value);

export function formatPower(watts) {
  if (!isNumber(watts)) return "–";
  const abs = Math.abs(watts);
  if (abs >= 1000) return `${(watts / 1000).toFixed(abs >= 10000 ? 1 : 2)} kW`;
  return `${Math.round(watts)} W`;
}

export function formatEnergy(wattHours) {
  if (!isNumber(wattHours)) return "–";
  if (Math.abs(wattHours) < 1000) return `${Math.round(wattHours)} Wh`;
  return `${(wattHours / 1000).toFixed(2)} kWh`;
}

export function formatMass(grams) {
  if (!isNumber(grams)) return "–";
  return grams >= 1000 ? `${(grams / 1000).toFixed(2)} kg` : `${Math.round(grams)} g`;
}

const moneyFormats = new Map();

/** Money in the home's currency; an unknown code falls back to "1.23 XYZ" rather than throwing. */
export function formatMoney(amount, currency, digits = 2) {
  if (!isNumber(amount)) return "–";
  const key = `${currency}:${digits}`;
  if (!moneyFormats.has(key)) {
    try {
      moneyFormats.set(key, new Intl.NumberFormat(undefined, {
        style: "currency", currency: currency || "GBP",
        minimumFractionDigits: digits, maximumFractionDigits: digits,
      }));
    } catch {
      moneyFormats.set(key, { format: (n) => `${n.toFixed(digits)} ${currency || ""}`.trim() });
    }
  }
  // Rounded first, so a credit of a fraction of a penny reads 0.00, never -0.00.
  return moneyFormats.get(key).format(Number(amount.toFixed(digits)) || 0);
}

/** Simulation timestamps are Unix seconds. */
export function toDate(ts) {
  return new Date(ts * 1000);
}

/** Plotly shows date strings as given, so local time is spelled out (ms since epoch is UTC). */
export function plotlyDate(ts) {
  const date = toDate(ts);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.` +
    pad(date.getMilliseconds(), 3);
}

export function formatTime(ts) {
  return isNumber(ts) ? toDate(ts).toLocaleTimeString() : "";
}

export function formatDateTime(ts) {
  return isNumber(ts) ? toDate(ts).toLocaleString() : "";
}

/**
 * Plotly parses a small HTML subset in names, labels and hover text, so a
 * device called "<b>x</b>" would render bold; escaping makes it literal text.
 */
export function plotlyText(text) {
  return String(text ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Run `fn` at most once per animation frame however often it is asked for. */
export function frameThrottle(fn) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}

/**
 * Like frameThrottle, and also at most once every `gapMs`: for redraws that are
 * costly and need not be frequent (a 15-minute chart moves a pixel a second).
 */
export function throttle(fn, gapMs) {
  let scheduled = false;
  let last = 0;
  return () => {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, last + gapMs - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      scheduled = false;
      last = performance.now();
      fn();
    }), wait);
  };
}

// A palette readable on light and dark backgrounds; a device keeps its colour
// across charts and reloads because it is chosen from a hash of its id.
const PALETTE = [
  "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8",
];

export function deviceColour(id) {
  let hash = 0;
  for (const char of String(id)) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** Current theme colours from the CSS variables, for Plotly (which cannot read CSS). */
export function themeColours() {
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(name).trim();
  return {
    text: read("--fg"), muted: read("--muted"), grid: read("--grid"),
    panel: read("--panel"), danger: read("--danger"), accent: read("--accent"),
    solar: read("--solar"), grid_line: read("--line"),
  };
}

/** Call `fn` whenever the system switches between light and dark. */
export function onThemeChange(fn) {
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", fn);
}

/** The message of an error-ish value, for showing to a person. */
export function errorText(error) {
  if (!error) return "unknown error";
  return typeof error === "string" ? error : error.message || String(error);
}
