// Clock times in the home's time zone, not the browser's: a car needed at 07:30 and a
// washer finishing by 07:00 mean 07:30 and 07:00 at home (protocol 1.1: a departure's
// "HH:MM" is home-local), so a phone abroad shows the same times as one in the kitchen.
// `zone` is an IANA name from the hub's snapshot; without one the browser's zone is used.

const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const clocks = new Map();
const walls = new Map();

function cached(cache, zone, make) {
  const key = zone || "";
  if (!cache.has(key)) cache.set(key, make(zone || undefined));
  return cache.get(key);
}

/** "07:30": a simulation time (Unix seconds) on the home's 24-hour clock. */
export function clockTime(ts, zone) {
  const format = cached(clocks, zone, (timeZone) => new Intl.DateTimeFormat("en-GB",
    { ...CLOCK, timeZone }));
  return format.format(new Date(ts * 1000));
}

/** The wall clock in `zone` at `ms` (ms since the epoch), read as if it were UTC. */
function wallAsUtc(ms, zone) {
  const format = cached(walls, zone, (timeZone) => new Intl.DateTimeFormat("en-GB", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }));
  const part = Object.fromEntries(format.formatToParts(new Date(ms))
    .map(({ type, value }) => [type, Number(value)]));
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
}

/** "2026-12-02T07:30" for a datetime-local input: `ts` on the home's clock, as the hub
 * reads a date-time without an offset (in the home's zone). */
export function dateTimeInput(ts, zone) {
  return new Date(wallAsUtc(ts * 1000, zone)).toISOString().slice(0, 16);
}

const DAY_MS = 24 * 3600 * 1000;

/** The instant (ms) the home's clock shows `wall` (a wall clock read as UTC), as Python's
 * zoneinfo takes it (fold 0): the earlier of a time shown twice in autumn, and a time the
 * clocks skip in spring at the offset before the change. */
function instantOf(wall, zone) {
  // the zone's offsets a day either side: one of them (both, in an hour shown twice) holds
  const offsets = [wall - DAY_MS, wall + DAY_MS].map((ms) => wallAsUtc(ms, zone) - ms);
  const shown = offsets.map((offset) => wall - offset)
    .filter((ms) => wallAsUtc(ms, zone) === wall);
  return shown.length ? Math.min(...shown) : wall - offsets[0];
}

/**
 * The first time after `after` (Unix seconds) that the home's clock shows `hhmm`
 * ("02:30"), as Unix seconds: today's if it is still to come, else tomorrow's; the
 * devices read a departure's "HH:MM" the same way.
 */
export function nextClockTime(hhmm, after, zone) {
  const [hour, minute] = hhmm.split(":").map(Number);
  const today = new Date(wallAsUtc(after * 1000, zone));
  const on = (days) => instantOf(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(),
    today.getUTCDate() + days, hour, minute), zone) / 1000;
  const ts = on(0);
  return ts > after ? ts : on(1);
}

/** "2026-12-02 07:30:00": a simulation time as the home's clock reads it, for Plotly (which
 * shows a date string as given), so a chart's time axis agrees with `clockTime`. */
export function homeWallDate(ts, zone) {
  return new Date(wallAsUtc(ts * 1000, zone)).toISOString().slice(0, 19).replace("T", " ");
}
