// Video patrol: cycle through the chosen sites' cameras at a set interval, watching each one's live snapshot, and
// record a finding at any stop (fine, or a problem with a note; the Console keeps the snapshot with a problem).
import { t } from './i18n.js';
import { el } from './dom.js';
import { fmtInZone } from './zone.js';
import { signedInUser, connectMonitor, getJson, postJson, RequestFailed, siteDirectory, SiteDirectory } from './shell.js';

let sites = new SiteDirectory([]);
let hub = null;
let patrol = null; // the running patrol (PatrolView)
let index = 0;
let round = 1;
let remaining = 0;
let paused = false;

const zoneOf = (siteId) => sites.zone(siteId);
const current = () => patrol?.stops[index];
const snapshotUrl = (stop, at) =>
  `/api/sites/${encodeURIComponent(stop.siteId)}/cameras/${encodeURIComponent(stop.cameraId)}/snapshot.jpg?t=${encodeURIComponent(at)}`;

// What a failed patrol request says: the Console's reason, or that it failed.
const failure = (err) => (err instanceof RequestFailed ? err.reason || t('failed') : err.message);

function renderSiteChoice() {
  const districts = new Map();
  sites.list.forEach((s) => { districts.set(s.district, [...(districts.get(s.district) ?? []), s]); });
  document.getElementById('site-choice').replaceChildren(...[...districts.keys()].sort().map((district) => {
    const box = el('fieldset');
    const all = el('input');
    all.type = 'checkbox';
    all.dataset.district = district;
    const legend = el('legend');
    legend.append(all, ` ${district}`);
    box.append(legend);
    const sites = districts.get(district).sort((a, b) => a.name.localeCompare(b.name)).map((s) => {
      const input = el('input');
      input.type = 'checkbox';
      input.name = 'site';
      input.value = s.siteId;
      const label = el('label');
      label.append(input, ` ${s.name}`);
      box.append(label);
      return input;
    });
    all.addEventListener('change', () => sites.forEach((i) => { i.checked = all.checked; }));
    return box;
  }));
}

function showImage(stop, at) {
  const img = document.getElementById('patrol-image');
  const placeholder = document.getElementById('patrol-placeholder');
  img.hidden = !at;
  placeholder.hidden = !!at;
  if (at) img.src = snapshotUrl(stop, at);
  img.alt = stop.cameraName || stop.cameraId;
  document.getElementById('snapshot-time').textContent = at ? fmtInZone(at, zoneOf(stop.siteId)) : '';
}

async function showStop() {
  const stop = current();
  const run = document.getElementById('run');
  run.dataset.stop = String(index);
  run.dataset.camera = `${stop.siteId}/${stop.cameraId}`;
  document.getElementById('stop-title').textContent = `${stop.siteName} · ${stop.cameraName || stop.cameraId}`;
  document.getElementById('stop-index').textContent = `${index + 1}/${patrol.stops.length}`;
  document.getElementById('round').textContent = String(round);
  document.getElementById('finding-result').textContent = '';
  remaining = patrol.intervalSeconds;
  document.getElementById('countdown').textContent = String(remaining);
  // Watching this one camera makes its Recorder send its snapshots often, for as long as the stop lasts.
  const [site] = await hub.invoke('WatchCamera', stop.siteId, stop.cameraId);
  if (current() !== stop) return;
  showImage(stop, site.cameras.find((c) => c.cameraId === stop.cameraId)?.snapshotAt);
}

function advance() {
  index += 1;
  if (index >= patrol.stops.length) { index = 0; round += 1; }
  showStop();
}

function run(view) {
  patrol = view;
  index = 0;
  round = 1;
  paused = false;
  document.getElementById('pause').textContent = t('patrolPause');
  document.getElementById('run').hidden = false;
  document.getElementById('start').hidden = true;
  history.replaceState(null, '', `patrol.html?patrol=${encodeURIComponent(view.patrolId)}`);
  showStop();
}

async function stopRunning() {
  patrol = null;
  document.getElementById('run').hidden = true;
  document.getElementById('start').hidden = false;
  history.replaceState(null, '', 'patrol.html');
  await hub.invoke('WatchAll');
}

function renderFindings(view) {
  document.getElementById('findings').replaceChildren(...view.findings.map((f) => {
    const tr = el('tr', `finding ${f.verdict.toLowerCase()}`);
    tr.dataset.verdict = f.verdict;
    const stop = view.stops[f.stop];
    const picture = el('td', 'findings');
    if (f.snapshotUrl) {
      const img = el('img');
      img.src = f.snapshotUrl;
      img.alt = stop?.cameraName ?? f.cameraId;
      picture.append(img);
    }
    tr.append(
      el('td', null, fmtInZone(f.at, zoneOf(f.siteId))),
      el('td', null, `${stop?.siteName ?? f.siteId} · ${stop?.cameraName ?? f.cameraId}`),
      el('td', 'verdict', t(`verdict.${f.verdict}`)),
      el('td', 'note', f.note),
      el('td', null, f.by),
      picture,
    );
    return tr;
  }));
}

async function loadHistory() {
  const patrols = await getJson('/api/patrols');
  const body = document.getElementById('patrols');
  if (patrols.length === 0) { body.replaceChildren(el('tr', null, t('noPatrols'))); return; }
  body.replaceChildren(...patrols.map((p) => {
    const tr = el('tr', 'patrol');
    tr.dataset.patrol = p.patrolId;
    const zone = zoneOf(p.stops[0]?.siteId);
    tr.append(
      el('td', null, fmtInZone(p.startedAt, zone)),
      el('td', null, p.startedBy),
      el('td', null, String(p.stops.length)),
      el('td', 'findings-count', String(p.findings.length)),
      el('td', 'problems', String(p.problems)),
      el('td', null, p.endedAt ? fmtInZone(p.endedAt, zone) : t('patrolRunning')),
    );
    tr.addEventListener('click', () => renderFindings(p));
    return tr;
  }));
}

document.getElementById('start').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('start-error');
  const siteIds = [...document.querySelectorAll('#site-choice input[name=site]:checked')].map((i) => i.value);
  if (siteIds.length === 0) { error.textContent = t('patrolPickSites'); return; }
  try {
    error.textContent = '';
    run(await postJson('/api/patrols', { siteIds, intervalSeconds: Number(document.getElementById('interval').value) }));
    await loadHistory();
  } catch (err) { error.textContent = failure(err); }
});

document.getElementById('finding').addEventListener('submit', async (e) => {
  e.preventDefault();
  const verdict = e.submitter?.value ?? 'Fine';
  const note = document.getElementById('note').value.trim();
  const result = document.getElementById('finding-result');
  result.className = '';
  if (verdict === 'Problem' && !note) { result.className = 'error'; result.textContent = t('patrolNoteRequired'); return; }
  try {
    const finding = await postJson(`/api/patrols/${encodeURIComponent(patrol.patrolId)}/findings`, { stop: index, verdict, note });
    result.textContent = `${t('findingSaved')}: ${t(`verdict.${finding.verdict}`)}`;
    result.dataset.number = String(finding.number);
    document.getElementById('note').value = '';
    await loadHistory();
  } catch (err) { result.className = 'error'; result.textContent = failure(err); }
});

document.getElementById('pause').addEventListener('click', (e) => {
  paused = !paused;
  e.target.textContent = t(paused ? 'patrolResume' : 'patrolPause');
});
document.getElementById('next').addEventListener('click', () => advance());
document.getElementById('end').addEventListener('click', async () => {
  try {
    await postJson(`/api/patrols/${encodeURIComponent(patrol.patrolId)}/end`);
    await stopRunning();
    await loadHistory();
  } catch (err) { document.getElementById('finding-result').textContent = failure(err); }
});

setInterval(() => {
  if (!patrol || paused) return;
  remaining -= 1;
  document.getElementById('countdown').textContent = String(Math.max(0, remaining));
  if (remaining <= 0) advance();
}, 1000);

async function start() {
  if (!await signedInUser()) return;
  sites = await siteDirectory();
  renderSiteChoice();
  hub = await connectMonitor({
    SnapshotUpdated: (snap) => {
      const stop = current();
      if (stop && snap.siteId === stop.siteId && snap.cameraId === stop.cameraId) showImage(stop, snap.takenAt);
    },
  }, async (h) => {
    const stop = current();
    if (stop) await h.invoke('WatchCamera', stop.siteId, stop.cameraId);
  });
  await loadHistory();
  const resume = new URLSearchParams(location.search).get('patrol');
  if (resume) {
    const view = await getJson(`/api/patrols/${encodeURIComponent(resume)}`).catch(() => null);
    if (view && !view.endedAt) run(view);
  }
}

document.addEventListener('langchange', () => { if (patrol) document.getElementById('pause').textContent = t(paused ? 'patrolResume' : 'patrolPause'); loadHistory(); });
start();
