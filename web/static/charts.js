// Plotly plumbing shared by every chart (theme, config), and the "today per device" bars.

import {
  deviceColour, formatEnergy, formatMoney, onThemeChange, plotlyText, themeColours,
} from "./util.js";

/** No Plotly logo link (it points off-site) and charts follow their container's size. */
export const PLOT_CONFIG = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ["lasso2d", "select2d"],
};

const themedCharts = new Set();
const legendCharts = new Set();
// On a phone a legend of many devices would leave no room for the plot; the
// device cards carry each device's colour instead.
const narrowScreen = window.matchMedia("(max-width: 640px)");

export function legendFits() {
  return !narrowScreen.matches;
}

/** Show or hide a chart's legend as the screen crosses the phone width. */
export function registerLegend(element) {
  legendCharts.add(element);
}

narrowScreen.addEventListener("change", () => {
  for (const element of legendCharts) {
    if (element.layout) window.Plotly.relayout(element, { showlegend: legendFits() });
  }
});

/** Above the plot: below it, a legend collides with the date labels of the time axis. */
export const LEGEND_ON_TOP = { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" };

/**
 * The mode bar stood upright in the chart's right margin (give it MODE_BAR_MARGIN
 * px there), so it never overlaps a legend above the plot.
 */
export const MODE_BAR_MARGIN = 40;

export function modeBarUpright() {
  return { orientation: "v", ...modeBarColours(themeColours()) };
}

function modeBarColours(colours) {
  return { bgcolor: "rgba(0,0,0,0)", color: colours.muted, activecolor: colours.text };
}

/** Plotly cannot read CSS variables, so the current theme's colours are passed in. */
export function themed(layout) {
  const colours = themeColours();
  const result = {
    ...layout,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: "system-ui, sans-serif", size: 12, ...layout.font, color: colours.text },
    hoverlabel: { namelength: -1 },
  };
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key)) result[key] = { ...layout[key], ...axisColours(colours) };
  }
  if (layout.legend) result.legend = { ...layout.legend, font: { color: colours.text } };
  return result;
}

function axisColours(colours) {
  return { gridcolor: colours.grid, linecolor: colours.grid, zerolinecolor: colours.muted };
}

/** Remember a chart so a light/dark switch recolours it in place. */
export function registerThemed(element) {
  themedCharts.add(element);
}

onThemeChange(() => {
  const colours = themeColours();
  for (const element of themedCharts) {
    if (!element.layout) continue;
    const update = { "font.color": colours.text, "legend.font.color": colours.text };
    if (element.layout.modebar) {
      for (const [name, value] of Object.entries(modeBarColours(colours))) {
        update[`modebar.${name}`] = value;
      }
    }
    for (const key of Object.keys(element.layout)) {
      if (!/^[xy]axis\d*$/.test(key)) continue;
      for (const [name, value] of Object.entries(axisColours(colours))) {
        update[`${key}.${name}`] = value;
      }
    }
    window.Plotly.relayout(element, update);
  }
});

const UNACCOUNTED = "unaccounted (no device)"; // a space: never a valid device id

/** The bars: one per device (energy, cost in the label) and the unaccounted remainder. */
function todayRows(devices, unaccountedWh, currency) {
  const rows = devices.map((device) => ({
    key: device.id,
    name: device.role === "producer" ? `${device.name} (generated)` : device.name,
    wh: device.energy_today_wh || 0,
    cost: device.cost_today,
    colour: deviceColour(device.id),
  }));
  if (unaccountedWh > 0) {
    rows.push({ key: UNACCOUNTED, name: "Unaccounted", wh: unaccountedWh, cost: null,
      colour: themeColours().muted });
  }
  // Plotly draws horizontal categories bottom-up: ascending puts the largest on top.
  rows.sort((a, b) => a.wh - b.wh);
  for (const row of rows) {
    row.label = row.cost === null || row.cost === undefined
      ? formatEnergy(row.wh) : `${formatEnergy(row.wh)} · ${formatMoney(row.cost, currency)}`;
  }
  return rows;
}

let lastTodayKey = "";
const TICK_CHARS = 24;

function shorten(name) {
  return name.length > TICK_CHARS ? `${name.slice(0, TICK_CHARS - 1)}…` : name;
}

/** Redraw the bar chart only when something shown on it changed. */
export function renderToday(element, devices, summary, currency) {
  const rows = todayRows(devices, summary?.unaccounted_today_wh || 0, currency);
  const key = JSON.stringify([rows, themeColours().text]);
  if (key === lastTodayKey && element.data) return;
  lastTodayKey = key;
  // Wh until something passes 1 kWh: a fresh day's tiny values would read "0.5µ" in kWh.
  const largest = Math.max(0, ...rows.map((row) => row.wh));
  const perUnit = largest >= 1000 ? 1000 : 1;
  const trace = {
    type: "bar",
    orientation: "h",
    y: rows.map((row) => row.key),
    x: rows.map((row) => row.wh / perUnit),
    hovertext: rows.map((row) => plotlyText(`${row.name}: ${row.label}`)),
    hoverinfo: "text",
    marker: { color: rows.map((row) => row.colour) },
  };
  // Figures go under each name rather than beside the bar: beside it they
  // overflow a phone-width chart.
  const ticks = rows.map((row) => `${plotlyText(shorten(row.name))}<br>${plotlyText(row.label)}`);
  const layout = themed({
    height: Math.max(220, 70 + 40 * rows.length),
    margin: { l: 10, r: 16, t: 8, b: 40 },
    bargap: 0.3,
    xaxis: {
      title: { text: perUnit === 1 ? "Wh today" : "kWh today" }, fixedrange: true,
      range: [0, Math.max(largest / perUnit, 10 / perUnit) * 1.05],
    },
    yaxis: { tickvals: rows.map((row) => row.key), ticktext: ticks, automargin: true,
      fixedrange: true },
    annotations: rows.length ? [] : [{
      text: "No energy recorded today yet", showarrow: false, xref: "paper", yref: "paper",
      x: 0.5, y: 0.5,
    }],
  });
  window.Plotly.react(element, [trace], layout, { ...PLOT_CONFIG, displayModeBar: false });
  registerThemed(element);
}
