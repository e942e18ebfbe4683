// Times are shown in the site's own zone (a hall's clock), whatever the browser's zone is.
import { lang } from './i18n.js';

/** The zone of a hall that does not say otherwise, as on the Console. */
export const defaultZone = 'Asia/Shanghai';

const formats = new Map();

/** yyyy/mm/dd hh:mm:ss (in the UI language's order) of an ISO time in `timeZone`. */
export function fmtInZone(iso, timeZone) {
  const zone = timeZone || defaultZone;
  const key = `${lang()}|${zone}`;
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat(lang(), {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }));
  }
  return formats.get(key).format(new Date(iso));
}

/** Milliseconds the zone is ahead of UTC at `date`. */
function offsetMs(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(date).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(date.getTime() / 1000) * 1000;
}

/** UTC milliseconds of a wall-clock time in the zone (month 1-12). */
export function zonedToUtc(timeZone, year, month, day, hour = 0, minute = 0, second = 0) {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = asUtc - offsetMs(new Date(asUtc), timeZone);
  return asUtc - offsetMs(new Date(first), timeZone);
}

/** UTC milliseconds of the zone's last local midnight before `now`. */
export function localMidnight(now, timeZone) {
  const local = new Date(now.getTime() + offsetMs(now, timeZone));
  return zonedToUtc(timeZone, local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** The zone's calendar day now, as yyyy-mm-dd (the value of a date input). */
export function todayIn(timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
