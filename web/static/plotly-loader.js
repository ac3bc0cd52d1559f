// Plotly (4.8 MB, 1.5 MB gzipped) without holding up the page's first numbers.
//
// As a `defer` script it had to be parsed before any module ran, so a cold
// page showed nothing for 2-3 s on a 2-core box. Now the page asks for it
// (`loadPlotly`) once the first snapshot is on screen, and every chart call
// waits for it: `plotlyReady()` for code that can await, `afterPlotly(chart)`
// for code that cannot. Calls made through `afterPlotly` before Plotly is here
// run when it arrives, in the order they were made, so readings that came
// early are still drawn. If it cannot load, the charts say so and the rest of
// the page carries on.

import { errorText, make } from "./util.js";

const source = document.querySelector('meta[name="plotly-src"]').content;
let settle;
const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
let requested = false;

/** Resolves with window.Plotly once loaded; rejects if it cannot be. */
export function plotlyReady() {
  return ready;
}

/** Start loading Plotly, after the next paint (idempotent). */
export function loadPlotly() {
  if (requested) return;
  requested = true;
  afterPaint(() => {
    const script = document.createElement("script");
    script.src = source;
    script.onload = () => (window.Plotly
      ? settle.resolve(window.Plotly)
      : settle.reject(new Error("the charts' script loaded but defined no Plotly")));
    script.onerror = () => settle.reject(
      new Error("the charts' script (Plotly) could not be loaded: reload the page to try again"));
    document.head.append(script);
  });
}

/** Let the browser paint what is ready before parsing 4.8 MB (a hidden tab paints nothing). */
function afterPaint(start) {
  if (document.hidden) start();
  else requestAnimationFrame(() => setTimeout(start));
}

/**
 * `target` (a function, or an object whose methods draw) with every call put
 * off until Plotly is here; once it is, calls still go through the same queue
 * so their order is kept. Return values are dropped: chart calls return none.
 */
export function afterPlotly(target) {
  const later = (call) => { ready.then(call, () => {}); };
  if (typeof target === "function") return (...args) => later(() => target(...args));
  return new Proxy(target, {
    get(object, key) {
      const value = Reflect.get(object, key);
      if (typeof value !== "function") return value;
      return (...args) => later(() => value.apply(object, args));
    },
  });
}

ready.catch((error) => {
  console.warn(errorText(error));
  for (const chart of document.querySelectorAll(".chart")) {
    chart.replaceChildren(make("p", { className: "empty", text: errorText(error) }));
  }
});
