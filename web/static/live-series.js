// The live chart's series arithmetic, apart from Plotly: signs, frames and
// thinning. Plotly's x values are plotlyDate strings, which sort as text.
//
// The chart draws frames: each point in time holds every device's power and
// the home's net from the same instant of the hub (its summary), so the net
// line is the stack's sum at every point.

const TEN_SECONDS = "YYYY-MM-DD HH:MM:S".length; // plotlyDate's prefix that names a 10 s step

export const TOTAL = "\u0000total"; // the net line's key: no device id can take it

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

/** A trace's points before `cutoff` dropped and those before `detail` thinned, in place. */
export function trimTrace(trace, cutoff, detail) {
  const keep = trace.x.findIndex((x) => x >= cutoff);
  const drop = keep < 0 ? trace.x.length : keep;
  if (drop > 0) {
    trace.x.splice(0, drop);
    trace.y.splice(0, drop);
  }
  const recent = trace.x.findIndex((x) => x >= detail);
  thinBefore(trace, recent < 0 ? trace.x.length : recent);
}

/** `points` ({x, y}) added at a trace's end, in place, keeping its last `limit`. */
export function extend(trace, points, limit) {
  trace.x.push(...points.x);
  trace.y.push(...points.y);
  const over = trace.x.length - limit;
  if (over > 0) {
    trace.x.splice(0, over);
    trace.y.splice(0, over);
  }
}

/** Producers are drawn below zero in their own stack, so generation never hides consumption. */
export function signed(device, watts) {
  return isProducer(device) ? -Math.abs(watts) : watts;
}

/**
 * One frame (a summary) as the chart draws it: trace key -> watts, for the net
 * (TOTAL) and each device, signed. A device with a trace (`drawn`) that is not
 * in the frame drew nothing then: 0, so every trace gets a point at every frame.
 */
export function framePoints(frame, devices, drawn = []) {
  const points = new Map([[TOTAL, frame.power_w]]);
  for (const id of drawn) if (id !== TOTAL) points.set(id, 0);
  for (const [id, watts] of Object.entries(frame.device_power_w || {})) {
    points.set(id, signed(devices.get(id), watts));
  }
  return points;
}

/**
 * The snapshot's frames (columns, as web/live/relay.py keeps them) and its summary
 * as the newest frame: their times `t`, the net, each device's signed power
 * (`ids` are the devices drawn; one missing from the frames drew nothing then)
 * and the load, all on the same times.
 */
export function snapshotFrames(series, summary, devices, ids) {
  const t = [...(series?.t || [])];
  const net = [...(series?.power_w || [])];
  const load = [...(series?.load_w || [])];
  const columns = series?.device_power_w || {};
  const byDevice = new Map(ids.map((id) => [id,
    (columns[id] || t.map(() => 0)).map((watts) => signed(devices.get(id), watts))]));
  if (typeof summary?.ts === "number" && !(summary.ts <= t[t.length - 1])) {
    const points = framePoints(summary, devices, ids);
    t.push(summary.ts);
    net.push(summary.power_w);
    load.push(summary.load_w);
    for (const [id, watts] of byDevice) watts.push(points.get(id));
  }
  return { t, net, load, byDevice };
}
