// The wall: every site grouped by district, live through the monitor hub.
(function () {
  const { t } = window.i18n;
  const sites = new Map();
  const wall = document.getElementById('wall');
  const summary = document.getElementById('summary');
  const connection = document.getElementById('connection');
  const search = document.getElementById('search');
  let linkState = 'connecting';
  const showLink = (state) => {
    linkState = state;
    connection.textContent = t(state);
    connection.className = `pill ${state === 'live' ? 'pill-on' : 'pill-off'}`;
  };

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fmtTime = (iso) => (iso ? new Date(iso).toLocaleTimeString(window.i18n.lang()) : t('never'));
  const fmtBytes = (n) => (n == null ? '–' : `${(n / 1024 ** 3).toFixed(1)} GB`);
  const snapshotUrl = (siteId, cameraId, at) =>
    `/api/sites/${encodeURIComponent(siteId)}/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg?t=${encodeURIComponent(at ?? '')}`;

  function tile(site) {
    const card = el('article', `tile ${site.online ? 'ok' : 'down'}`);
    card.dataset.site = site.siteId;
    const head = el('header');
    head.append(el('h3', null, site.name), el('span', `pill ${site.online ? 'pill-on' : 'pill-off'}`, site.online ? t('online') : t('offline')));
    card.append(head);
    const meta = el('p', 'meta');
    meta.textContent = `${t('lastHeartbeat')} ${fmtTime(site.lastHeartbeatAt)} · ${t('freeDisk')} ${fmtBytes(site.freeDiskBytes)}`
      + (site.clockSkewSeconds != null && Math.abs(site.clockSkewSeconds) > 5 ? ` · ${t('clockSkew')} ${site.clockSkewSeconds.toFixed(0)} s` : '');
    card.append(meta);
    const cams = el('div', 'cameras');
    for (const cam of site.cameras) {
      const fig = el('figure', `camera ${cam.online ? 'ok' : 'down'}`);
      fig.dataset.camera = cam.cameraId;
      if (cam.snapshotAt) {
        const img = el('img');
        img.alt = cam.name || cam.cameraId;
        img.src = snapshotUrl(site.siteId, cam.cameraId, cam.snapshotAt);
        if (cam.width && cam.height) img.style.aspectRatio = `${cam.width} / ${cam.height}`;
        fig.append(img);
      } else {
        fig.append(el('div', 'placeholder', t('noSnapshot')));
      }
      const caption = el('figcaption', null, `${cam.name || cam.cameraId}${cam.online ? '' : ` · ${t('cameraDown')}`}`);
      if (!cam.online && cam.error) caption.title = cam.error;
      fig.append(caption);
      cams.append(fig);
    }
    card.append(cams);
    return card;
  }

  function render() {
    const q = search.value.trim().toLowerCase();
    const visible = [...sites.values()].filter((s) => !q || s.name.toLowerCase().includes(q) || s.siteId.includes(q) || (s.district || '').toLowerCase().includes(q));
    const byDistrict = new Map();
    for (const s of visible.sort((a, b) => a.siteId.localeCompare(b.siteId))) {
      const d = s.district || '—';
      if (!byDistrict.has(d)) byDistrict.set(d, []);
      byDistrict.get(d).push(s);
    }
    wall.replaceChildren();
    if (sites.size === 0) wall.append(el('p', 'empty', t('noSites')));
    for (const [district, list] of [...byDistrict].sort((a, b) => a[0].localeCompare(b[0]))) {
      const section = el('section', 'district');
      section.append(el('h2', null, `${district} (${list.filter((s) => s.online).length}/${list.length})`));
      const grid = el('div', 'grid');
      list.forEach((s) => grid.append(tile(s)));
      section.append(grid);
      wall.append(section);
    }
    const all = [...sites.values()];
    const cams = all.flatMap((s) => s.cameras);
    summary.replaceChildren(
      el('span', null, `${t('sites')} ${all.length}`),
      el('span', null, `${t('sitesOnline')} ${all.filter((s) => s.online).length}`),
      el('span', null, `${t('camerasUp')} ${cams.filter((c) => c.online).length}/${cams.length}`),
    );
  }

  let pending = false;
  const scheduleRender = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  };

  function onSnapshot(snap) {
    const site = sites.get(snap.siteId);
    if (!site) return;
    const cam = site.cameras.find((c) => c.cameraId === snap.cameraId);
    if (cam) cam.snapshotAt = snap.takenAt;
    const img = wall.querySelector(`[data-site="${CSS.escape(snap.siteId)}"] [data-camera="${CSS.escape(snap.cameraId)}"] img`);
    if (img) img.src = snapshotUrl(snap.siteId, snap.cameraId, snap.takenAt);
    else scheduleRender();
  }

  async function start() {
    const me = await fetch('/api/auth/me', { credentials: 'same-origin' });
    if (!me.ok) { location.href = '/login.html'; return; }
    const user = await me.json();
    if (user.mustChangePassword) { location.href = '/login.html'; return; }
    document.getElementById('user').textContent = user.displayName || user.user;

    const hub = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/monitor')
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(30000, 1000 * 2 ** ctx.previousRetryCount) })
      .build();
    hub.on('SiteStatusChanged', (s) => { sites.set(s.siteId, s); scheduleRender(); });
    hub.on('SnapshotUpdated', onSnapshot);
    const subscribe = async () => {
      const all = await hub.invoke('WatchAll');
      sites.clear();
      all.forEach((s) => sites.set(s.siteId, s));
      showLink('live');
      render();
    };
    hub.onreconnecting(() => showLink('disconnected'));
    hub.onreconnected(subscribe);
    hub.onclose(() => setTimeout(() => location.reload(), 5000));
    for (;;) {
      try { await hub.start(); break; } catch { await new Promise((r) => setTimeout(r, 2000)); }
    }
    await subscribe();
  }

  search.addEventListener('input', scheduleRender);
  document.addEventListener('langchange', () => { showLink(linkState); render(); });
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
    location.href = '/login.html';
  });
  start();
})();
