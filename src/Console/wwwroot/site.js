// One hall: cameras with live snapshots, windows with state and time in state, today's occupancy timeline per window.
(function () {
  const { t } = window.i18n;
  const { el, getJson, fmtInZone } = window.session;
  const localMidnight = (now) => window.session.localMidnight(now, zone);
  const siteId = new URLSearchParams(location.search).get('site') ?? '';
  const windows = new Map(); // windowId -> WindowStateChanged
  const timeline = new Map(); // windowId -> [{ state, at }] in time order, today only
  let site = null;
  let zone = 'Asia/Shanghai';
  let dayStart = 0;
  const stateOf = {
    WindowStaffed: 'Staffed', WindowRestaffed: 'Staffed', WindowVacated: 'Away', WindowUnstaffed: 'Unstaffed', WindowUnknown: 'Unknown',
  };
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
      const caption = el('figcaption', null, `${cam.name || cam.cameraId}${cam.online ? '' : ` · ${t('cameraDown')}`}${cam.snapshotAt ? ` · ${fmtInZone(cam.snapshotAt, zone)}` : ''}`);
      const live = el('a', 'live-link', t('liveVideo'));
      live.href = `live.html?site=${encodeURIComponent(siteId)}&camera=${encodeURIComponent(cam.cameraId)}`;
      caption.append(live);
      fig.append(caption);
      if (behind) fig.append(el('div', 'analysis-behind', t('analysisBehind').replace('{n}', cam.skippedFramesLastMinute)));
      window.seats.decorate(fig, cam.cameraId);
      return fig;
    }));
    document.getElementById('site-meta').replaceChildren(
      el('span', `pill ${site?.online ? 'pill-on' : 'pill-off'}`, site?.online ? t('online') : t('offline')),
      el('span', null, `${t('district')} ${site?.district ?? ''}`),
      el('span', null, `${t('timeZone')} ${zone}`),
    );
  }

  function renderWindows() {
    const now = Date.now();
    const rows = [...windows.values()].sort((a, b) => a.windowId.localeCompare(b.windowId)).map((w) => {
      const tr = el('tr', `window ${w.state.toLowerCase()}`);
      tr.dataset.window = w.windowId;
      tr.append(
        el('td', null, w.windowId),
        el('td', 'state', t(`ws.${w.state}`)),
        el('td', 'time', fmtInZone(w.since, zone)),
        el('td', 'in-state', duration(now - Date.parse(w.since))),
      );
      return tr;
    });
    document.getElementById('windows').replaceChildren(...rows);
  }

  function renderTimeline() {
    const now = Date.now();
    const dayLength = 24 * 3600 * 1000;
    const ids = [...new Set([...timeline.keys(), ...windows.keys()])].sort();
    document.getElementById('timeline').replaceChildren(...ids.map((id) => {
      const line = el('div', 'line');
      line.dataset.window = id;
      const track = el('div', 'track');
      const steps = timeline.get(id) ?? [];
      steps.forEach((step, i) => {
        const from = Math.max(dayStart, step.at);
        const to = Math.min(now, i + 1 < steps.length ? steps[i + 1].at : now);
        if (to <= from) return;
        const bar = el('span', `bar ${step.state.toLowerCase()}`);
        bar.style.left = `${((from - dayStart) / dayLength) * 100}%`;
        bar.style.width = `${Math.max(0.1, ((to - from) / dayLength) * 100)}%`;
        bar.title = `${t(`ws.${step.state}`)} ${fmtInZone(new Date(from).toISOString(), zone)} – ${fmtInZone(new Date(to).toISOString(), zone)}`;
        track.append(bar);
      });
      line.append(el('span', 'label', id), track);
      return line;
    }));
  }

  function addStep(windowId, state, at) {
    const steps = timeline.get(windowId) ?? [];
    steps.push({ state, at });
    steps.sort((a, b) => a.at - b.at);
    timeline.set(windowId, steps);
  }

  function renderAll() { renderCameras(); renderWindows(); renderTimeline(); }

  async function start() {
    const user = await window.session.signedInUser();
    if (!user) return;
    await window.session.connectMonitor({
      SiteStatusesChanged: (m) => m.sites.forEach((s) => { if (s.siteId === siteId) { site = s; renderCameras(); } }),
      SnapshotUpdated: (snap) => {
        const cam = site?.cameras.find((c) => c.cameraId === snap.cameraId);
        if (cam) { cam.snapshotAt = snap.takenAt; renderCameras(); }
      },
      WindowStatesChanged: (m) => {
        for (const w of m.windows.filter((c) => c.siteId === siteId)) {
          windows.set(w.windowId, w);
          addStep(w.windowId, w.state, Date.parse(w.since));
        }
        renderWindows();
        renderTimeline();
        window.seats.recolour();
      },
      SiteSeatsChanged: (seats) => window.seats.update(seats),
    }, async (hub) => {
      const [status] = await hub.invoke('WatchSite', siteId);
      site = status;
      const label = (await getJson('/api/wall/sites')).find((s) => s.siteId === siteId);
      zone = label?.timeZone ?? zone;
      document.getElementById('site-name').textContent = site.name;
      document.title = `ServiceHall ${site.name}`;
      const now = new Date();
      dayStart = localMidnight(now);
      document.getElementById('day').textContent = fmtInZone(new Date(dayStart).toISOString(), zone).slice(0, 10);
      document.getElementById('review-link').href = `review.html?site=${encodeURIComponent(siteId)}`;
      // The state at midnight comes from the last event before it, so read from a day earlier.
      const [current, events] = await Promise.all([
        getJson(`/api/sites/${encodeURIComponent(siteId)}/windows`),
        getJson(`/api/events?site=${encodeURIComponent(siteId)}&from=${encodeURIComponent(new Date(dayStart - 24 * 3600 * 1000).toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 60000).toISOString())}&limit=5000`),
      ]);
      windows.clear();
      current.forEach((w) => windows.set(w.windowId, w));
      await window.seats.init({ siteId, admin: user.role === 'Admin', stateOf: (id) => windows.get(id)?.state ?? 'Unknown', render: renderCameras });
      timeline.clear();
      for (const e of events) {
        const state = stateOf[e.type];
        if (!state || !e.windowId) continue;
        const at = e.type === 'WindowUnstaffed' && e.event.awaySince ? Date.parse(e.event.awaySince) : Date.parse(e.occurredAt);
        addStep(e.windowId, state, at);
      }
      renderAll();
    });
    setInterval(() => { document.getElementById('clock').textContent = fmtInZone(new Date().toISOString(), zone); renderWindows(); }, 1000);
  }

  document.addEventListener('langchange', renderAll);
  start();
})();
