// The live chart's series arithmetic, apart from Plotly: signs, the net total
// and thinning. Plotly's x values are plotlyDate strings, which sort as text.

const TOTAL_STEP_S = 1; // the summary comes about once a second
const TEN_SECONDS = "YYYY-MM-DD HH:MM:S".length; // plotlyDate's prefix that names a 10 s step

export const isProducer = (device) => device?.role === "producer";

/** Keep the last point of each 10 s step among a trace's first `limit` points, in place. */
export function thinBefore(trace, limit) {
  const x = [];
  const y = [];
  for (let i = 0; i < limit; i++) {
    const step = trace.x[i].slice(0, TEN_SECONDS);
    if (i + 1 < limit && trace.x[i + 1].slice(0, TEN_SECONDS) === step) continue;
    x.push(trace.x[i]);
    y.push(trace.y[i]);
  }
  if (x.length < limit) {
    trace.x.splice(0, limit, ...x);
    trace.y.splice(0, limit, ...y);
  }
}

/** Producers are drawn below zero in their own stack, so generation never hides consumption. */
export function signed(device, watts) {
  return isProducer(device) ? -Math.abs(watts) : watts;
}

/** The net total over a snapshot, holding each device's last reading, one point per second. */
export function netTotalFrom(series, devices) {
  const events = [];
  for (const [id, points] of Object.entries(series || {})) {
    const device = devices.get(id);
    points.t.forEach((t, i) => events.push([t, id, signed(device, points.power_w[i] || 0)]));
  }
  events.sort((a, b) => a[0] - b[0]);
  const latest = new Map();
  let total = 0;
  const t = [];
  const y = [];
  for (const [time, id, watts] of events) {
    total += watts - (latest.get(id) || 0);
    latest.set(id, watts);
    if (t.length && time - t[t.length - 1] < TOTAL_STEP_S) {
      t[t.length - 1] = time; // same second: keep the latest sum only
      y[y.length - 1] = total;
    } else {
      t.push(time);
      y.push(total);
    }
  }
  return { t, y };
}
