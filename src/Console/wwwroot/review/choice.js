// What the review page shows: the site, window, camera, day and clip range chosen in its forms, read in the hall's
// zone, and what it loaded for them. Each part of the page reads the choice from here.
import { t } from '../i18n.js';
import { defaultZone, fmtInZone, zonedToUtc } from '../zone.js';
import { postJson, SiteDirectory } from '../shell.js';

export const $ = (id) => document.getElementById(id);
export const query = new URLSearchParams(location.search);

/** What the page loaded: the sites, and for the chosen site its zone, cameras and windows, for the chosen day its events. */
export const loaded = { sites: new SiteDirectory([]), zone: defaultZone, cameras: [], windows: [], events: [], dayStart: 0 };

export const siteId = () => $('site').value;
export const cameraId = () => $('camera').value;
export const windowId = () => $('window').value;
export const cameraName = (id) => loaded.cameras.find((c) => c.cameraId === id)?.name || id;

/** hh:mm:ss-and-date of UTC ms in the hall's zone; timeOfDay keeps only hh:mm:ss. */
export const inZone = (ms) => fmtInZone(new Date(ms).toISOString(), loaded.zone);
export const timeOfDay = (ms) => inZone(ms).slice(-8);

/** Start and end (UTC ms) of the chosen day in the hall's zone. */
export function dayBounds() {
  const [y, m, d] = $('day').value.split('-').map(Number);
  return [zonedToUtc(loaded.zone, y, m, d), zonedToUtc(loaded.zone, y, m, d + 1)];
}

/** UTC ms of an hh:mm[:ss] on the chosen day in the hall's zone. */
export function atTime(value) {
  const [y, m, d] = $('day').value.split('-').map(Number);
  const [hh, mm, ss] = value.split(':').map(Number);
  return zonedToUtc(loaded.zone, y, m, d, hh, mm, ss || 0);
}

/** The chosen clip range (UTC ms), or null while it is not a range. */
export function chosenRange() {
  const from = $('from').value && atTime($('from').value);
  const to = $('to').value && atTime($('to').value);
  return from && to > from ? [from, to] : null;
}

/** An address under the chosen site's API. */
export const siteApi = (path) => `/api/sites/${encodeURIComponent(siteId())}/${path}`;

/** POSTs the chosen camera and clip range with a reason to one of the site's collections (clips, holds). */
export function postRange(collection, reason) {
  const body = { cameraId: cameraId(), from: new Date(atTime($('from').value)).toISOString(), to: new Date(atTime($('to').value)).toISOString(), reason };
  return postJson(siteApi(collection), body);
}

/** What a refused request says on this page: its validation messages, its detail, or at least its status. */
export const refusalText = (err) => `${t('failed')}: ${err.reason || err.status}`;
