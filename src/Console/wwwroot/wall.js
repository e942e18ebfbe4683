// The wall: every site grouped by district, live through the monitor hub. Built for 5,500 tiles: the first
// render is one pass into fragments, later pushes only replace the tiles they touch (batched per frame), and
// CSS content-visibility keeps off-screen tiles out of layout and paint.
import { t } from './i18n.js';
import { el, option } from './dom.js';
import { fmtInZone } from './zone.js';
import { beep } from './alertsound.js';
import { signedInUser, connectMonitor, getJson, siteDirectory, SiteDirectory } from './shell.js';

const sites = new Map(); // siteId -> SiteStatusChanged
const windows = new Map(); // siteId -> Map(windowId -> WindowStateChanged)
const alerts = new Map(); // alertId -> AlertView, unresolved only
const tiles = new Map(); // siteId -> element
const districts = new Map(); // district -> { section, heading }
const wall = document.getElementById('wall');
const summary = document.getElementById('summary');
const search = document.getElementById('search');
const districtFilter = document.getElementById('district-filter');
const stateFilter = document.getElementById('state-filter');
// Read by the UI tests and the wall benchmark: time to first full render and the cost of each batched update.
const stats = { firstRenderAt: null, firstRenderMs: null, flushes: [] };
window.wallStats = stats;

let directory = new SiteDirectory([]);
const fmtTime = (iso, siteId) => (iso ? fmtInZone(iso, directory.zone(siteId)) : t('never'));
const fmtBytes = (n) => (n == null ? '–' : `${(n / 1024 ** 3).toFixed(1)} GB`);
const snapshotUrl = (siteId, cameraId, at) =>
  `/api/sites/${encodeURIComponent(siteId)}/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg?t=${encodeURIComponent(at ?? '')}`;

/** Windows staffed, windows open (reporting and not Unknown), windows unstaffed, windows away, for one site. */
function windowCounts(siteId) {
  const counts = { staffed: 0, open: 0, unstaffed: 0, away: 0 };
  for (const w of (windows.get(siteId) ?? new Map()).values()) {
    if (w.state === 'Unknown') continue;
    counts.open++;
    if (w.state === 'Staffed') counts.staffed++;
    else if (w.state === 'Unstaffed') counts.unstaffed++;
    else if (w.state === 'Away') counts.away++;
  }
  return counts;
}

const openAlerts = (siteId) => {
  let n = 0;
  for (const a of alerts.values()) if (a.siteId === siteId) n++;
  return n;
};

/** down (offline), bad (a window unstaffed), warn (open alerts or a clerk away), ok. */
function stateOf(site, counts, alertCount) {
  if (!site.online) return 'down';
  if (counts.unstaffed > 0) return 'bad';
  if (alertCount > 0 || counts.away > 0) return 'warn';
  return 'ok';
}

function tile(site) {
  const counts = windowCounts(site.siteId);
  const alertCount = openAlerts(site.siteId);
  const state = stateOf(site, counts, alertCount);
  const card = el('article', `tile ${state}`);
  card.dataset.site = site.siteId;
  card.dataset.state = state;
  card.dataset.alerts = String(alertCount);
  const head = el('header');
  const title = el('h3');
  const link = el('a', null, site.name);
  link.href = `site.html?site=${encodeURIComponent(site.siteId)}`;
  title.append(link);
  head.append(title, el('span', `pill ${site.online ? 'pill-on' : 'pill-off'}`, site.online ? t(site.reconnecting ? 'reconnecting' : 'online') : t('offline')));
  card.append(head);
  const figures = el('p', 'figures');
  const staffed = el('span', 'staffed', `${t('staffed')} ${counts.open ? `${counts.staffed}/${counts.open}` : '–'}`);
  staffed.title = t('staffedHint');
  const alertBadge = el('span', `alerts${alertCount ? ' has' : ''}`, `${t('openAlerts')} ${alertCount}`);
  figures.append(staffed, alertBadge);
  card.append(figures);
  const meta = el('p', 'meta');
  meta.textContent = `${t('lastHeartbeat')} ${fmtTime(site.lastHeartbeatAt, site.siteId)} · ${t('freeDisk')} ${fmtBytes(site.freeDiskBytes)}`
    + (site.clockSkewSeconds != null && Math.abs(site.clockSkewSeconds) > 5 ? ` · ${t('clockSkew')} ${site.clockSkewSeconds.toFixed(0)} s` : '');
  card.append(meta);
  if (site.cameras.length) {
    const cams = el('div', 'cameras');
    for (const cam of site.cameras) {
      const fig = el('figure', `camera ${cam.online ? 'ok' : 'down'}`);
      fig.dataset.camera = cam.cameraId;
      if (cam.snapshotAt) {
        const img = el('img');
        img.alt = cam.name || cam.cameraId;
        img.loading = 'lazy';
        img.src = snapshotUrl(site.siteId, cam.cameraId, cam.snapshotAt);
        if (cam.width && cam.height) img.style.aspectRatio = `${cam.width} / ${cam.height}`;
        fig.append(img);
      } else {
        fig.append(el('div', 'placeholder', t('noSnapshot')));
      }
      const behind = cam.online && cam.skippedFramesLastMinute > 0;
      const caption = el('figcaption', null, `${cam.name || cam.cameraId}${cam.online ? '' : ` · ${t('cameraDown')}`}${behind ? ` · ${t('analysisBehindShort')}` : ''}`);
      if (!cam.online && cam.error) caption.title = cam.error;
      if (behind) caption.title = t('analysisBehind').replace('{n}', cam.skippedFramesLastMinute);
      fig.append(caption);
      cams.append(fig);
    }
    card.append(cams);
  }
  card.hidden = !matches(site, state, alertCount);
  return card;
}

function matches(site, state, alertCount) {
  const q = search.value.trim().toLowerCase();
  if (q && !site.name.toLowerCase().includes(q) && !site.siteId.includes(q) && !(site.district || '').toLowerCase().includes(q)) return false;
  if (districtFilter.value && (site.district || '—') !== districtFilter.value) return false;
  switch (stateFilter.value) {
    case 'bad': case 'warn': case 'down': case 'ok': return state === stateFilter.value;
    case 'alerts': return alertCount > 0;
    default: return true;
  }
}

const districtOf = (s) => s.district || '—';

/** Rebuilds everything: at start, when a site or district appears, and on a language switch. */
function renderAll() {
  const started = performance.now();
  const byDistrict = new Map();
  for (const s of [...sites.values()].sort((a, b) => a.siteId.localeCompare(b.siteId))) {
    const d = districtOf(s);
    if (!byDistrict.has(d)) byDistrict.set(d, []);
    byDistrict.get(d).push(s);
  }
  tiles.clear();
  districts.clear();
  const fragment = document.createDocumentFragment();
  if (sites.size === 0) fragment.append(el('p', 'empty', t('noSites')));
  const names = [...byDistrict.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  for (const district of names) {
    const section = el('section', 'district');
    section.dataset.district = district;
    const heading = el('h2');
    const grid = el('div', 'grid');
    for (const s of byDistrict.get(district)) {
      const card = tile(s);
      tiles.set(s.siteId, card);
      grid.append(card);
    }
    section.append(heading, grid);
    districts.set(district, { section, heading, grid });
    fragment.append(section);
  }
  wall.replaceChildren(fragment);
  fillDistrictFilter(names);
  refreshHeadings();
  if (stats.firstRenderMs === null && sites.size > 0) {
    stats.firstRenderAt = performance.now();
    stats.firstRenderMs = stats.firstRenderAt - started;
  }
}

function fillDistrictFilter(names) {
  const chosen = districtFilter.value;
  districtFilter.replaceChildren(option('', t('allDistricts')), ...names.map((name) => option(name, name)));
  districtFilter.value = names.includes(chosen) ? chosen : '';
}

/** District headings (online/total, unstaffed), section visibility and the summary line. */
function refreshHeadings() {
  const perDistrict = new Map();
  let online = 0; let bad = 0; let alertSites = 0; let camsUp = 0; let cams = 0;
  for (const s of sites.values()) {
    const card = tiles.get(s.siteId);
    const d = perDistrict.get(districtOf(s)) ?? { total: 0, online: 0, bad: 0, shown: 0 };
    d.total++;
    if (s.online) { d.online++; online++; }
    if (card?.dataset.state === 'bad') { d.bad++; bad++; }
    if (card && card.dataset.alerts !== '0') alertSites++;
    if (card && !card.hidden) d.shown++;
    perDistrict.set(districtOf(s), d);
    for (const c of s.cameras) { cams++; if (c.online) camsUp++; }
  }
  for (const [name, { section, heading }] of districts) {
    const d = perDistrict.get(name) ?? { total: 0, online: 0, bad: 0, shown: 0 };
    heading.textContent = `${name} · ${t('online')} ${d.online}/${d.total}${d.bad ? ` · ${t('unstaffedSites')} ${d.bad}` : ''}`;
    section.hidden = d.shown === 0;
  }
  summary.replaceChildren(
    el('span', null, `${t('sites')} ${sites.size}`),
    el('span', null, `${t('sitesOnline')} ${online}`),
    el('span', 'bad', `${t('unstaffedSites')} ${bad}`),
    el('span', null, `${t('sitesWithAlerts')} ${alertSites}`),
    el('span', null, `${t('camerasUp')} ${camsUp}/${cams}`),
  );
}

// Pushes mark sites dirty; one animation frame applies them all.
const dirty = new Set();
let structural = false;
let pending = false;
function touch(siteId) {
  if (!tiles.has(siteId)) structural = true;
  dirty.add(siteId);
  if (pending) return;
  pending = true;
  requestAnimationFrame(flush);
}

function flush() {
  pending = false;
  const started = performance.now();
  const count = dirty.size;
  if (structural) {
    structural = false;
    renderAll();
  } else {
    for (const siteId of dirty) {
      const site = sites.get(siteId);
      const old = tiles.get(siteId);
      if (!site || !old) continue;
      const card = tile(site);
      old.replaceWith(card);
      tiles.set(siteId, card);
    }
    refreshHeadings();
  }
  dirty.clear();
  stats.flushes.push({ tiles: count, ms: performance.now() - started });
  if (stats.flushes.length > 1000) stats.flushes.shift();
}

function applyFilter() {
  for (const s of sites.values()) {
    const card = tiles.get(s.siteId);
    if (card) card.hidden = !matches(s, card.dataset.state, Number(card.dataset.alerts));
  }
  refreshHeadings();
}

function onWindow(w) {
  const list = windows.get(w.siteId) ?? new Map();
  const current = list.get(w.windowId);
  if (current && current.since > w.since) return;
  list.set(w.windowId, w);
  windows.set(w.siteId, list);
  if (sites.has(w.siteId)) touch(w.siteId);
}

function onAlert(a) {
  if (a.state === 'Resolved') alerts.delete(a.alertId);
  else alerts.set(a.alertId, a);
  if (sites.has(a.siteId)) touch(a.siteId);
}

function onSnapshot(snap) {
  const site = sites.get(snap.siteId);
  if (!site) return;
  const cam = site.cameras.find((c) => c.cameraId === snap.cameraId);
  if (cam) cam.snapshotAt = snap.takenAt;
  const img = tiles.get(snap.siteId)?.querySelector(`[data-camera="${CSS.escape(snap.cameraId)}"] img`);
  if (img) img.src = snapshotUrl(snap.siteId, snap.cameraId, snap.takenAt);
  else touch(snap.siteId);
}

async function start() {
  if (!await signedInUser()) return;
  await connectMonitor({
    SiteStatusesChanged: (m) => m.sites.forEach((s) => { sites.set(s.siteId, s); touch(s.siteId); }),
    SnapshotUpdated: onSnapshot,
    WindowStatesChanged: (m) => m.windows.forEach(onWindow),
    AlertRaised: (m) => { beep(); onAlert(m.alert); },
    AlertChanged: (m) => onAlert(m.alert),
  }, async (hub) => {
    // Subscribe first so nothing pushed while the lists load is missed; pushes and lists merge by time and id.
    const all = await hub.invoke('WatchAll');
    let windowList;
    let alertList;
    [directory, windowList, alertList] = await Promise.all([siteDirectory(), getJson('/api/wall/windows'), getJson('/api/alerts')]);
    sites.clear();
    all.forEach((s) => sites.set(s.siteId, s));
    windowList.forEach(onWindow);
    alerts.clear();
    alertList.forEach(onAlert);
    dirty.clear();
    structural = false;
    renderAll();
  });
}

search.addEventListener('input', applyFilter);
districtFilter.addEventListener('change', applyFilter);
stateFilter.addEventListener('change', applyFilter);
document.addEventListener('langchange', renderAll);
start();
