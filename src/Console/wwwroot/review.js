// Complaint review: pick a site, window or camera and a day (in the hall's zone); see occupancy, events and recording
// coverage; request a clip, follow its upload, play it, keep it as a case and download the case package.
(function () {
  const { t } = window.i18n;
  const { el, getJson, fmtInZone, zonedToUtc } = window.session;
  const query = new URLSearchParams(location.search);
  const dayMs = 24 * 3600 * 1000;
  const stateOf = {
    WindowStaffed: 'Staffed', WindowRestaffed: 'Staffed', WindowVacated: 'Away', WindowUnstaffed: 'Unstaffed', WindowUnknown: 'Unknown',
  };
  const $ = (id) => document.getElementById(id);
  let sites = [];
  let zone = 'Asia/Shanghai';
  let cameras = [];
  let windows = [];
  let events = [];
  let dayStart = 0;
  let hub = null;
  let clip = null;

  const siteId = () => $('site').value;
  const cameraId = () => $('camera').value;
  const windowId = () => $('window').value;
  const inZone = (ms) => fmtInZone(new Date(ms).toISOString(), zone);
  const timeOfDay = (ms) => inZone(ms).slice(-8);

  function option(value, label, selected) {
    const o = el('option', null, label);
    o.value = value;
    o.selected = selected;
    return o;
  }

  /** The hall's calendar day now, as yyyy-mm-dd. */
  function todayInZone() {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date()).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  function dayBounds() {
    const [y, m, d] = $('day').value.split('-').map(Number);
    return [zonedToUtc(zone, y, m, d), zonedToUtc(zone, y, m, d + 1)];
  }

  /** UTC ms of an hh:mm[:ss] on the chosen day in the hall's zone. */
  function atTime(value) {
    const [y, m, d] = $('day').value.split('-').map(Number);
    const [hh, mm, ss] = value.split(':').map(Number);
    return zonedToUtc(zone, y, m, d, hh, mm, ss || 0);
  }

  function fillPickers() {
    const wanted = $('window').value || query.get('window') || '';
    $('window').replaceChildren(option('', t('anyWindow'), wanted === ''), ...windows.map((w) => option(w.windowId, w.windowId, w.windowId === wanted)));
    const camera = $('camera').value || query.get('camera') || '';
    const ids = [...new Set([...cameras.map((c) => c.cameraId), ...windows.map((w) => w.cameraId), ...(query.get('camera') ? [query.get('camera')] : [])])].sort();
    $('camera').replaceChildren(...ids.map((id) => option(id, cameras.find((c) => c.cameraId === id)?.name || id, id === camera)));
  }

  function bar(cls, from, to, title) {
    const b = el('span', `bar ${cls}`);
    b.style.left = `${((from - dayStart) / dayMs) * 100}%`;
    b.style.width = `${Math.max(0.1, ((to - from) / dayMs) * 100)}%`;
    b.title = title;
    return b;
  }

  function line(label, cls, bars) {
    const row = el('div', `line ${cls}`);
    const track = el('div', 'track');
    track.append(...bars);
    // A click picks a minute around that moment for the clip.
    track.addEventListener('click', (e) => {
      const at = dayStart + ((e.clientX - track.getBoundingClientRect().left) / track.clientWidth) * dayMs;
      $('from').value = timeOfDay(at - 30000);
      $('to').value = timeOfDay(at + 30000);
      renderTimeline();
    });
    const from = $('from').value && atTime($('from').value);
    const to = $('to').value && atTime($('to').value);
    if (from && to > from) track.append(bar('pick', from, to, `${timeOfDay(from)} – ${timeOfDay(to)}`));
    row.append(el('span', 'label', label), track);
    return row;
  }

  function renderTimeline() {
    const end = Math.min(Date.now(), dayStart + dayMs);
    const shownWindows = windows.filter((w) => (windowId() ? w.windowId === windowId() : w.cameraId === cameraId())).map((w) => w.windowId);
    for (const e of events) if (e.windowId && stateOf[e.type] && !shownWindows.includes(e.windowId) && (!windowId() || e.windowId === windowId()) && e.cameraId === cameraId()) shownWindows.push(e.windowId);
    const rows = shownWindows.sort().map((id) => {
      const steps = events.filter((e) => e.windowId === id && stateOf[e.type])
        .map((e) => ({ state: stateOf[e.type], at: Date.parse(e.type === 'WindowUnstaffed' && e.event.awaySince ? e.event.awaySince : e.occurredAt) }))
        .sort((a, b) => a.at - b.at);
      const bars = [];
      steps.forEach((s, i) => {
        const from = Math.max(dayStart, s.at);
        const to = Math.min(end, i + 1 < steps.length ? steps[i + 1].at : end);
        if (to > from) bars.push(bar(s.state.toLowerCase(), from, to, `${t(`ws.${s.state}`)} ${inZone(from)} – ${inZone(to)}`));
      });
      const row = line(id, 'window', bars);
      row.dataset.window = id;
      return row;
    });
    // Coverage: recorded unless the Recorder reported a gap for this camera.
    const gaps = events.filter((e) => e.type === 'RecordingGap' && e.cameraId === cameraId())
      .map((e) => [Math.max(dayStart, Date.parse(e.event.from)), Math.min(end, Date.parse(e.event.to))]).filter(([a, b]) => b > a);
    const coverage = [bar('recorded', dayStart, end, t('recordingTrack')), ...gaps.map(([a, b]) => bar('gap', a, b, `${t('gap')} ${inZone(a)} – ${inZone(b)}`))];
    const recording = line(`${t('recordingTrack')}`, 'recording', end > dayStart ? coverage : []);
    recording.dataset.camera = cameraId();
    $('timeline').replaceChildren(...rows, recording);
  }

  function renderEvents() {
    const shown = events.filter((e) => Date.parse(e.occurredAt) >= dayStart && e.cameraId === cameraId() && (!windowId() || !e.windowId || e.windowId === windowId()));
    $('events').replaceChildren(...(shown.length ? shown.map((e) => {
      const tr = el('tr', 'event');
      tr.dataset.type = e.type;
      const detail = e.type === 'RecordingGap' ? `${inZone(Date.parse(e.event.from))} – ${inZone(Date.parse(e.event.to))} ${e.event.cause}` : '';
      const pick = el('td');
      if (e.hasSnapshot) {
        const a = el('a', null, '📷');
        a.href = `/api/events/${encodeURIComponent(e.siteId)}/${e.sequence}/snapshot.jpg`;
        a.target = '_blank';
        pick.append(a);
      }
      tr.append(el('td', 'time', inZone(Date.parse(e.occurredAt))), el('td', null, t(`type.${e.type}`) === `type.${e.type}` ? e.type : t(`type.${e.type}`)),
        el('td', null, e.windowId ?? ''), el('td', null, detail), pick);
      return tr;
    }) : [el('tr', null, t('noEvents'))]));
  }

  async function loadDay() {
    if (!siteId() || !$('day').value) return;
    [dayStart] = dayBounds();
    const [, dayEnd] = dayBounds();
    // The state at midnight comes from the last event before it, so read from a day earlier.
    events = await getJson(`/api/events?site=${encodeURIComponent(siteId())}&from=${encodeURIComponent(new Date(dayStart - dayMs).toISOString())}&to=${encodeURIComponent(new Date(dayEnd).toISOString())}&limit=5000`);
    renderTimeline();
    renderEvents();
  }

  async function loadSite() {
    const site = sites.find((s) => s.siteId === siteId());
    zone = site?.timeZone ?? zone;
    $('zone').textContent = `${t('timeZone')} ${zone}`;
    if (!$('day').value) $('day').value = query.get('day') || todayInZone();
    windows = await getJson(`/api/sites/${encodeURIComponent(siteId())}/windows`);
    if (hub) cameras = (await hub.invoke('WatchSite', siteId()))[0]?.cameras ?? [];
    fillPickers();
    await Promise.all([loadDay(), loadHolds()]);
  }

  function showClip(view) {
    clip = view;
    $('clip').hidden = false;
    const status = $('clip-status');
    status.textContent = t(`clip.${view.status}`) + (view.error ? `: ${view.error}` : '');
    status.className = `pill ${view.status === 'Complete' ? 'pill-on' : 'pill-off'}`;
    status.dataset.status = view.status;
    const progress = $('clip-progress');
    if (view.status === 'Complete') progress.value = 1; else progress.removeAttribute('value');
    $('clip-bytes').textContent = view.receivedBytes ? `${(view.receivedBytes / 1048576).toFixed(1)} MB` : '';
    if (view.status === 'Complete' && $('player').hidden) {
      const player = $('player');
      player.src = `/api/clips/${view.clipId}/file`;
      player.hidden = false;
      player.play().catch(() => { /* the user can press play */ });
      $('keep').hidden = false;
    }
  }

  // Progress is pushed over the monitor hub (ClipProgressed); a fetch starts it and catches up after a reconnect.
  // A push and a fetch may cross, so only a view at least as far along as the shown one replaces it.
  const progressOf = (view) => ({ Requested: 0, Uploading: 1, Complete: 2, Failed: 2 }[view.status] ?? 0) * 1e15 + (view.receivedBytes ?? 0);

  function advance(view) {
    if (!clip || clip.clipId !== view.clipId || progressOf(view) >= progressOf(clip)) showClip({ ...(clip?.clipId === view.clipId ? clip : {}), ...view });
  }

  async function follow(clipId) {
    clip = { clipId, status: 'Requested' };
    advance(await getJson(`/api/clips/${clipId}`));
  }

  /** POSTs the chosen camera and time range with a reason to one of the site's collections (clips, holds). */
  function postRange(collection, reason) {
    const body = { cameraId: cameraId(), from: new Date(atTime($('from').value)).toISOString(), to: new Date(atTime($('to').value)).toISOString(), reason };
    return fetch(`/api/sites/${encodeURIComponent(siteId())}/${collection}`, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
  }

  /** What a refused request says: its validation messages, its detail, or at least its status. */
  async function problemText(response) {
    const problem = await response.json().catch(() => ({}));
    return `${t('failed')}: ${Object.values(problem.errors ?? {}).flat().join('; ') || problem.detail || response.status}`;
  }

  async function requestClip(e) {
    e.preventDefault();
    $('request-error').textContent = '';
    const reason = $('reason').value.trim();
    if (!reason) { $('request-error').textContent = t('reasonRequired'); return; }
    const response = await postRange('clips', reason);
    if (!response.ok) {
      $('request-error').textContent = await problemText(response);
      return;
    }

    $('player').hidden = true;
    $('player').removeAttribute('src');
    $('keep').hidden = true;
    $('keep-result').replaceChildren();
    $('case-reason').value = reason;
    await follow((await response.json()).clipId);
  }

  // Evidence holds of the site: the Recorder keeps a held range through retention until it is released.
  async function loadHolds() {
    if (!siteId()) return;
    const holds = await getJson(`/api/sites/${encodeURIComponent(siteId())}/holds`);
    $('holds').replaceChildren(...(holds.length ? holds.map((h) => {
      const tr = el('tr', 'hold');
      tr.dataset.hold = h.holdId;
      tr.dataset.status = h.status;
      const actions = el('td');
      if (h.status === 'Requested' || h.status === 'Held') {
        const release = el('button', 'release', t('holdRelease'));
        release.type = 'button';
        release.addEventListener('click', () => changeHold(fetch(`/api/sites/${encodeURIComponent(siteId())}/holds/${h.holdId}`, { method: 'DELETE', credentials: 'same-origin' }))
          .catch((err) => { $('hold-error').textContent = `${t('failed')}: ${err.message}`; }));
        actions.append(release);
      }
      tr.append(el('td', null, cameras.find((c) => c.cameraId === h.cameraId)?.name || h.cameraId),
        el('td', 'time', `${inZone(Date.parse(h.from))} – ${inZone(Date.parse(h.to)).slice(-8)}`), el('td', null, h.reason), el('td', null, h.placedBy),
        el('td', 'hold-status', t(`hold.${h.status}`) + (h.releasedBy ? ` (${h.releasedBy})` : '')), actions);
      return tr;
    }) : [el('tr', null, t('noHolds'))]));
  }

  async function changeHold(request) {
    $('hold-error').textContent = '';
    const response = await request;
    if (!response.ok) $('hold-error').textContent = await problemText(response);
    await loadHolds();
  }

  function holdRange() {
    const reason = $('reason').value.trim();
    if (!reason) { $('hold-error').textContent = t('reasonRequired'); return Promise.resolve(); }
    return changeHold(postRange('holds', reason));
  }

  function downloadLink(caseId) {
    const a = el('a', 'download', t('downloadPackage'));
    a.href = `/api/cases/${caseId}/package.zip`;
    a.download = '';
    return a;
  }

  async function keepCase(e) {
    e.preventDefault();
    const reason = $('case-reason').value.trim();
    if (!reason) { $('keep-result').textContent = t('reasonRequired'); return; }
    const response = await fetch(`/api/clips/${clip.clipId}/case`, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason }),
    });
    if (!response.ok) { $('keep-result').textContent = `${t('failed')} (${response.status})`; return; }
    const kept = await response.json();
    $('keep-result').replaceChildren(el('span', 'muted', `${t('caseKept')} `), downloadLink(kept.caseId));
    await loadCases();
  }

  async function loadCases() {
    const cases = await getJson('/api/cases');
    $('cases').replaceChildren(...(cases.length ? cases.map((c) => {
      const tr = el('tr', 'case');
      tr.dataset.case = c.caseId;
      const zoneOf = sites.find((s) => s.siteId === c.siteId)?.timeZone ?? zone;
      const link = el('td');
      link.append(downloadLink(c.caseId));
      tr.append(el('td', 'time', fmtInZone(c.keptAt, zoneOf)), el('td', null, sites.find((s) => s.siteId === c.siteId)?.name ?? c.siteId), el('td', null, c.cameraId),
        el('td', 'time', `${fmtInZone(c.from, zoneOf)} – ${fmtInZone(c.to, zoneOf).slice(-8)}`), el('td', null, c.reason), el('td', null, c.keptBy), link);
      return tr;
    }) : [el('tr', null, t('noCases'))]));
  }

  async function start() {
    if (!await window.session.signedInUser()) return;
    sites = await getJson('/api/wall/sites');
    const wanted = query.get('site');
    $('site').replaceChildren(...sites.map((s) => option(s.siteId, s.name, s.siteId === wanted)));
    $('site').addEventListener('change', () => { $('window').value = ''; $('camera').value = ''; loadSite(); });
    $('window').addEventListener('change', () => {
      const w = windows.find((x) => x.windowId === windowId());
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
    hub = await window.session.connectMonitor({
      SiteStatusesChanged: (m) => m.sites.forEach((s) => { if (s.siteId === siteId()) { cameras = s.cameras; fillPickers(); loadHolds(); } }),
      ClipProgressed: (p) => { if (clip?.clipId === p.clipId) advance(p); },
    }, async (h) => {
      hub = h;
      if (siteId()) await loadSite();
      if (clip) advance(await getJson(`/api/clips/${clip.clipId}`));
    });
    await loadCases();
  }

  document.addEventListener('langchange', () => { fillPickers(); renderTimeline(); renderEvents(); if (clip) showClip(clip); loadCases(); loadHolds(); });
  start();
})();
