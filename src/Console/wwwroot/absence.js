// The three moments of an absence (AbsenceTimes on the server), labelled and formatted the same on every page:
// the alert feed, the wall, the site page, the review page's events and the attendance drill-down.
import { t } from './i18n.js';
import { fmtInZone } from './zone.js';

/** [label, time] pairs of the moments an absence carries, in order; empty for null. */
export function absenceMoments(times, zone) {
  if (!times) return [];
  return [['absence.lastSeen', times.lastSeenAt], ['absence.vacated', times.vacatedAt], ['absence.unstaffed', times.unstaffedAt]]
    .filter(([, at]) => at)
    .map(([key, at]) => [t(key), fmtInZone(at, zone)]);
}

/** "最后在座 … · 确认离岗 … · 判定缺岗 …" of an absence, or '' for null. */
export function absenceText(times, zone) {
  return absenceMoments(times, zone).map(([label, at]) => `${label} ${at}`).join(' · ');
}

/** The absence moments an occupancy event (as /api/events returns it) carries, like AbsenceTimes.Of on the server. */
export function eventAbsence(e) {
  const ev = e.event ?? {};
  switch (e.type) {
    case 'WindowVacated': return { lastSeenAt: ev.lastSeenAt, vacatedAt: e.occurredAt };
    case 'WindowUnstaffed': return { lastSeenAt: ev.lastSeenAt, vacatedAt: ev.vacatedAt, unstaffedAt: e.occurredAt };
    case 'WindowRestaffed': return { lastSeenAt: ev.lastSeenAt, vacatedAt: ev.vacatedAt, unstaffedAt: ev.unstaffedAt };
    default: return null;
  }
}
