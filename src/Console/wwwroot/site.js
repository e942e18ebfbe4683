// One hall: cameras with live snapshots, windows with state and time in state, today's occupancy timeline per window.
import { t } from './i18n.js';
import { el } from './dom.js';
import { defaultZone, fmtInZone, localMidnight } from './zone.js';
import { absenceText } from './absence.js';
import { signedInUser, connectMonitor, getJson, navLink, siteDirectory } from './shell.js';
import { eventsOfDay, stateBars, windowStep } from './timeline.js';
import * as seats from './seats.js';

const siteId = new URLSearchParams(location.search).get('site') ?? '';
const windows = new Map(); // windowId -> WindowStateChanged
const timeline = new Map(); // windowId -> [{ state, at }] in time order, today only
let site = null;
let zone = defaultZone;
let dayStart = 0;
const snapshotUrl = (cameraId, at) =>
  `/api/sites/${encodeURIComponent(siteId)}/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg?t=${encodeURIComponent(at ?? '')}`;

const duration = (ms) => {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  return minutes < 60 ? `${minutes} ${t('minutes')}` : `${Math.floor(minutes / 60)} ${t('hours')} ${minutes % 60} ${t('minutes')}`;
};

function renderCameras() {
  const box = document.getElementById('cameras');
  box.replaceChildren(...(site?.cameras ?? []).map((cam) => {
    const behind = cam.online && cam.skippedFramesLastMinute > 0;
    const fig = el('figure', `camera ${cam.online ? 'ok' : 'down'}${behind ? ' behind' : ''}`);
    fig.dataset.camera = cam.cameraId;
    if (cam.snapshotAt) {
      const img = el('img');
      img.alt = cam.name || cam.cameraId;
      img.src = snapshotUrl(cam.cameraId, cam.snapshotAt);
      fig.append(img);
    } else {
      fig.append(el('div', 'placeholder', t('noSnapshot')));
    }
    const caption = el('figcaption', null, `${cam.name || cam.cameraId}${cam.online ? '' : ` · ${downReason(cam)}`}${cam.snapshotAt ? ` · ${fmtInZone(cam.snapshotAt, zone)}` : ''}`);
    const live = el('a', 'live-link', t('liveVideo'));
    live.href = `live.html?site=${encodeURIComponent(siteId)}&camera=${encodeURIComponent(cam.cameraId)}`;
    caption.append(live);
    fig.append(caption);
    if (behind) fig.append(el('div', 'analysis-behind', t('analysisBehind').replace('{n}', cam.skippedFramesLastMinute)));
    const decoding = analysisDecoding(cam);
    if (decoding) fig.append(decoding);
    fig.append(...streamLines(cam));
    seats.decorate(fig, cam.cameraId);
    return fig;
  }));
  document.getElementById('site-meta').replaceChildren(
    el('span', `pill ${site?.online ? 'pill-on' : 'pill-off'}`, site?.online ? t('online') : t('offline')),
    el('span', null, `${t('district')} ${site?.district ?? ''}`),
    el('span', null, `${t('timeZone')} ${zone}`),
  );
}

/** Why a camera is down: a refused password says so (the Recorder's reason starts with it), anything else is a plain fault. */
const downReason = (cam) => (cam.error ?? '').startsWith('authentication failed') ? t('authFailed') : t('cameraDown');

/** How the Recorder decodes this camera for analysis: key frames at the GOP rate, or every frame with what that costs. */
function analysisDecoding(cam) {
  const gop = cam.keyFrameIntervalSeconds != null ? `${Number(cam.keyFrameIntervalSeconds).toFixed(1)} ${t('seconds')}` : t('gopUnknown');
  if (cam.analysisWarning) {
    const warn = el('div', 'analysis-behind full-decode', t('fullDecode').replace('{gop}', gop));
    warn.title = cam.analysisWarning;
    return warn;
  }
  return cam.online && cam.keyFramesOnly ? el('div', 'key-frames', t('keyFramesOnly').replace('{gop}', gop)) : null;
}

/** One line per stream of the camera (main, and sub when it has one): state, codec, size, GOP, bitrate as far as known; the sub stream's trouble in its title. */
function streamLines(cam) {
  const lines = (cam.streams ?? []).map((s) => {
    const parts = [t(s.role === 'sub' ? 'streamSub' : 'streamMain'), t(`stream.${s.state}`)];
    if (s.codec) parts.push(s.codec.toUpperCase());
    if (s.width && s.height) parts.push(`${s.width}×${s.height}`);
    if (s.keyFrameIntervalSeconds != null) parts.push(`GOP ${Number(s.keyFrameIntervalSeconds).toFixed(1)} ${t('seconds')}`);
    if (s.bitrateKbps != null) parts.push(`${s.bitrateKbps} ${t('kbps')}`);
    const line = el('div', `stream stream-${s.role} ${s.state}`, parts.join(' · '));
    if (s.error) line.title = s.error;
    return line;
  });
  if (cam.analysisSource === 'main') {
    const sub = (cam.streams ?? []).find((s) => s.role === 'sub');
    const warn = el('div', 'analysis-behind sub-fallback', t('analysisFromMain'));
    if (sub?.error) warn.title = sub.error;
    lines.push(warn);
  }
  return lines;
}

/** A window's state, marked single-signal when the Recorder judges seats by segmentation alone (no face or pose model). */
function stateCell(w) {
  const td = el('td', 'state', t(`ws.${w.state}`));
  if (site?.singleSignal) {
    const mark = el('span', 'pill pill-warn single-signal', t('singleSignal'));
    mark.title = t('singleSignalHint');
    td.append(' ', mark);
  }
  return td;
}

function renderWindows() {
  const now = Date.now();
  const rows = [...windows.values()].sort((a, b) => a.windowId.localeCompare(b.windowId)).map((w) => {
    const tr = el('tr', `window ${w.state.toLowerCase()}`);
    tr.dataset.window = w.windowId;
    tr.append(
      el('td', null, w.windowId),
      stateCell(w),
      el('td', 'time', fmtInZone(w.since, zone)),
      el('td', 'in-state', duration(now - Date.parse(w.since))),
      el('td', 'absence', absenceText(w.absence, zone)),
    );
    return tr;
  });
  document.getElementById('windows').replaceChildren(...rows);
}

function renderTimeline() {
  const now = Date.now();
  const ids = [...new Set([...timeline.keys(), ...windows.keys()])].sort();
  document.getElementById('timeline').replaceChildren(...ids.map((id) => {
    const line = el('div', 'line');
    line.dataset.window = id;
    const track = el('div', 'track');
    track.append(...stateBars(timeline.get(id) ?? [], dayStart, now, zone));
    line.append(el('span', 'label', id), track);
    return line;
  }));
}

function addStep(windowId, step) {
  const steps = timeline.get(windowId) ?? [];
  steps.push(step);
  steps.sort((a, b) => a.at - b.at);
  timeline.set(windowId, steps);
}

function renderAll() { renderCameras(); renderWindows(); renderTimeline(); }

async function start() {
  const user = await signedInUser();
  if (!user) return;
  await connectMonitor({
    SiteStatusesChanged: (m) => m.sites.forEach((s) => { if (s.siteId === siteId) { site = s; renderCameras(); renderWindows(); } }),
    SnapshotUpdated: (snap) => {
      const cam = site?.cameras.find((c) => c.cameraId === snap.cameraId);
      if (cam) { cam.snapshotAt = snap.takenAt; renderCameras(); }
    },
    WindowStatesChanged: (m) => {
      for (const w of m.windows.filter((c) => c.siteId === siteId)) {
        windows.set(w.windowId, w);
        addStep(w.windowId, { state: w.state, at: Date.parse(w.since) });
      }
      renderWindows();
      renderTimeline();
      seats.recolour();
    },
    SiteSeatsChanged: (changed) => seats.update(changed),
  }, async (hub) => {
    const [status] = await hub.invoke('WatchSite', siteId);
    site = status;
    zone = (await siteDirectory()).zone(siteId) ?? zone;
    document.getElementById('site-name').textContent = site.name;
    document.title = `ServiceHall ${site.name}`;
    const now = new Date();
    dayStart = localMidnight(now, zone);
    document.getElementById('day').textContent = fmtInZone(new Date(dayStart).toISOString(), zone).slice(0, 10);
    navLink('review.html').href = `review.html?site=${encodeURIComponent(siteId)}`;
    // The state at midnight comes from the last event before it, so read from a day earlier.
    const [current, events] = await Promise.all([
      getJson(`/api/sites/${encodeURIComponent(siteId)}/windows`),
      eventsOfDay(siteId, dayStart, now.getTime() + 60000),
    ]);
    windows.clear();
    current.forEach((w) => windows.set(w.windowId, w));
    await seats.init({ siteId, admin: user.role === 'Admin', stateOf: (id) => windows.get(id)?.state ?? 'Unknown', render: renderCameras });
    timeline.clear();
    for (const e of events) {
      const step = windowStep(e);
      if (step) addStep(e.windowId, step);
    }
    renderAll();
  });
  setInterval(() => { document.getElementById('clock').textContent = fmtInZone(new Date().toISOString(), zone); renderWindows(); }, 1000);
}

document.addEventListener('langchange', renderAll);
start();
