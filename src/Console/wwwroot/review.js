// Complaint review: pick a site, window or camera and a day (in the hall's zone); see occupancy, events and recording
// coverage; request a clip, follow its upload, play it, keep it as a case and download the case package. This module
// holds the pickers and what they load; the parts of the page are in review/.
import { t } from './i18n.js';
import { option } from './dom.js';
import { todayIn } from './zone.js';
import { signedInUser, connectMonitor, getJson, siteDirectory } from './shell.js';
import { eventsOfDay } from './timeline.js';
import { $, query, loaded, siteId, windowId, siteApi, cameraName, dayBounds } from './review/choice.js';
import { renderTimeline } from './review/timeline.js';
import { renderEvents } from './review/events.js';
import { requestClip, keepCase, clipProgressed, catchUp, relabel } from './review/clips.js';
import { loadHolds, holdRange } from './review/holds.js';
import { loadCases } from './review/cases.js';

let hub = null;

function fillPickers() {
  const { cameras, windows } = loaded;
  const wanted = $('window').value || query.get('window') || '';
  $('window').replaceChildren(option('', t('anyWindow'), wanted === ''), ...windows.map((w) => option(w.windowId, w.windowId, w.windowId === wanted)));
  const camera = $('camera').value || query.get('camera') || '';
  const ids = [...new Set([...cameras.map((c) => c.cameraId), ...windows.map((w) => w.cameraId), ...(query.get('camera') ? [query.get('camera')] : [])])].sort();
  $('camera').replaceChildren(...ids.map((id) => option(id, cameraName(id), id === camera)));
}

async function loadDay() {
  if (!siteId() || !$('day').value) return;
  const [dayStart, dayEnd] = dayBounds();
  loaded.dayStart = dayStart;
  loaded.events = await eventsOfDay(siteId(), dayStart, dayEnd);
  renderTimeline();
  renderEvents();
}

async function loadSite() {
  loaded.zone = loaded.sites.zone(siteId()) ?? loaded.zone;
  $('zone').textContent = `${t('timeZone')} ${loaded.zone}`;
  if (!$('day').value) $('day').value = query.get('day') || todayIn(loaded.zone);
  loaded.windows = await getJson(siteApi('windows'));
  if (hub) loaded.cameras = (await hub.invoke('WatchSite', siteId()))[0]?.cameras ?? [];
  fillPickers();
  await Promise.all([loadDay(), loadHolds()]);
}

async function start() {
  if (!await signedInUser()) return;
  loaded.sites = await siteDirectory();
  const wanted = query.get('site');
  $('site').replaceChildren(...loaded.sites.list.map((s) => option(s.siteId, s.name, s.siteId === wanted)));
  $('site').addEventListener('change', () => { $('window').value = ''; $('camera').value = ''; loadSite(); });
  $('window').addEventListener('change', () => {
    const w = loaded.windows.find((x) => x.windowId === windowId());
    if (w) $('camera').value = w.cameraId;
    renderTimeline();
    renderEvents();
  });
  $('camera').addEventListener('change', () => { $('window').value = ''; renderTimeline(); renderEvents(); });
  $('day').addEventListener('change', loadDay);
  for (const id of ['from', 'to']) $(id).addEventListener('change', renderTimeline);
  $('request').addEventListener('submit', (e) => requestClip(e).catch((err) => { $('request-error').textContent = `${t('failed')}: ${err.message}`; }));
  $('keep').addEventListener('submit', (e) => keepCase(e).catch((err) => { $('keep-result').textContent = `${t('failed')}: ${err.message}`; }));
  $('hold-range').addEventListener('click', () => holdRange().catch((err) => { $('hold-error').textContent = `${t('failed')}: ${err.message}`; }));
  hub = await connectMonitor({
    SiteStatusesChanged: (m) => m.sites.forEach((s) => { if (s.siteId === siteId()) { loaded.cameras = s.cameras; fillPickers(); loadHolds(); } }),
    ClipProgressed: clipProgressed,
  }, async (h) => {
    hub = h;
    if (siteId()) await loadSite();
    await catchUp();
  });
  await loadCases();
}

document.addEventListener('langchange', () => { fillPickers(); renderTimeline(); renderEvents(); relabel(); loadCases(); loadHolds(); });
start();
