// A day's occupancy timeline of a window, drawn from its state events: the site page (today) and the review page (a chosen day).
import { t } from './i18n.js';
import { el } from './dom.js';
import { fmtInZone } from './zone.js';
import { getJson } from './shell.js';

export const dayMs = 24 * 3600 * 1000;

const stateOf = {
  WindowStaffed: 'Staffed', WindowRestaffed: 'Staffed', WindowVacated: 'Away', WindowUnstaffed: 'Unstaffed', WindowUnknown: 'Unknown',
};

/**
 * The window state an event begins and when; null for other events. An absence is drawn from the moment its clerk was
 * last seen (the first empty frame from an older Recorder) and turns unstaffed when it was judged so: the same moments
 * the alert, the event list and the attendance drill-down show.
 */
export function windowStep(e) {
  const state = stateOf[e.type];
  if (!state || !e.windowId) return null;
  const absenceBegan = e.type === 'WindowVacated' ? e.event.lastSeenAt ?? e.event.awaySince : null;
  return { state, at: Date.parse(absenceBegan ?? e.occurredAt) };
}

/** A bar of the track from `from` to `to` (UTC ms), placed on the day that starts at `dayStart`. */
export function bar(cls, from, to, dayStart, title) {
  const b = el('span', `bar ${cls}`);
  b.style.left = `${((from - dayStart) / dayMs) * 100}%`;
  b.style.width = `${Math.max(0.1, ((to - from) / dayMs) * 100)}%`;
  b.title = title;
  return b;
}

/** One bar per state of a window's steps (in time order), each lasting until the next step or `end`, clipped to the day. */
export function stateBars(steps, dayStart, end, zone) {
  const inZone = (ms) => fmtInZone(new Date(ms).toISOString(), zone);
  const bars = [];
  steps.forEach((step, i) => {
    const from = Math.max(dayStart, step.at);
    const to = Math.min(end, i + 1 < steps.length ? steps[i + 1].at : end);
    if (to > from) bars.push(bar(step.state.toLowerCase(), from, to, dayStart, `${t(`ws.${step.state}`)} ${inZone(from)} – ${inZone(to)}`));
  });
  return bars;
}

/** A site's events from a day before `dayStart` (the state at midnight comes from the last event before it) until `end`. */
export function eventsOfDay(siteId, dayStart, end) {
  const query = new URLSearchParams({ site: siteId, from: new Date(dayStart - dayMs).toISOString(), to: new Date(end).toISOString(), limit: '5000' });
  return getJson(`/api/events?${query}`);
}
