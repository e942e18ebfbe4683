// The alert feed: live through the monitor hub, with history, filters, a sound, and acknowledge with a note.
(function () {
  const { t } = window.i18n;
  const { el, getJson } = window.session;
  const alerts = new Map(); // alertId -> AlertView
  const labels = new Map(); // siteId -> { name, district, timeZone }
  const body = document.getElementById('alerts');
  const typeFilter = document.getElementById('type-filter');
  const siteFilter = document.getElementById('site-filter');
  const stateFilter = document.getElementById('state-filter');
  const dialog = document.getElementById('ack-dialog');
  const form = document.getElementById('ack-form');
  const note = document.getElementById('ack-note');
  let acknowledging = null;
  let mayAct = false;

  const siteName = (id) => labels.get(id)?.name ?? id;
  const inZone = (iso, siteId) => (iso ? window.session.fmtInZone(iso, labels.get(siteId)?.timeZone) : '');

  function matches(a) {
    if (typeFilter.value && a.type !== typeFilter.value) return false;
    if (stateFilter.value === 'unresolved' ? a.state === 'Resolved' : stateFilter.value && a.state !== stateFilter.value) return false;
    const q = siteFilter.value.trim().toLowerCase();
    return !q || a.siteId.includes(q) || siteName(a.siteId).toLowerCase().includes(q);
  }

  function row(a) {
    const tr = el('tr', `alert ${a.state.toLowerCase()}`);
    tr.dataset.alert = a.alertId;
    tr.dataset.state = a.state;
    tr.dataset.type = a.type;
    const handling = a.state === 'Open'
      ? (a.escalationLevel > 0 ? `${t('escalated')} ${a.escalationLevel}` : '')
      : [a.acknowledgedBy && `${t('state.Acknowledged')} ${a.acknowledgedBy} ${inZone(a.acknowledgedAt, a.siteId)}`,
        a.note && `「${a.note}」`,
        a.resolvedAt && `${t('state.Resolved')} ${a.resolvedBy === 'system' ? t('bySystem') : a.resolvedBy ?? ''} ${inZone(a.resolvedAt, a.siteId)}`]
        .filter(Boolean).join(' · ');
    tr.append(
      el('td', 'time', inZone(a.openedAt, a.siteId)),
      el('td', null, siteName(a.siteId)),
      el('td', null, t(`type.${a.type}`)),
      el('td', null, a.subject || '—'),
      el('td', 'message', a.message),
      el('td', 'state', t(`state.${a.state}`)),
      el('td', 'handling', handling),
    );
    const actions = el('td');
    if (mayAct && a.state === 'Open') {
      const button = el('button', 'ack', t('acknowledge'));
      button.addEventListener('click', () => openAck(a));
      actions.append(button);
    }
    tr.append(actions);
    return tr;
  }

  function render() {
    const shown = [...alerts.values()].filter(matches).sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    body.replaceChildren(...shown.slice(0, 1000).map(row));
    if (shown.length === 0) {
      const empty = el('tr');
      empty.append(el('td', 'empty', t('noAlerts')));
      empty.firstChild.colSpan = 8;
      body.append(empty);
    }
    document.getElementById('count').textContent = `${shown.length} ${t('alertsShown')}`;
  }

  function openAck(a) {
    acknowledging = a.alertId;
    document.getElementById('ack-subject').textContent = `${siteName(a.siteId)} · ${t(`type.${a.type}`)} · ${a.subject || ''}`;
    document.getElementById('ack-error').textContent = '';
    note.value = '';
    dialog.showModal();
    note.focus();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = note.value.trim();
    if (!text) { document.getElementById('ack-error').textContent = t('noteRequired'); return; }
    const res = await fetch(`/api/alerts/${encodeURIComponent(acknowledging)}/acknowledge`, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: text }),
    });
    if (!res.ok) {
      document.getElementById('ack-error').textContent = res.status === 409 ? t('alreadyHandled') : `${t('failed')} (${res.status})`;
      return;
    }
    onAlert(await res.json(), false);
    dialog.close();
  });
  document.getElementById('ack-cancel').addEventListener('click', () => dialog.close());

  let pending = false;
  function onAlert(a, isNew) {
    const known = alerts.get(a.alertId);
    // Pushes and the history read may cross: never let an older view of an alert replace a newer one.
    if (known && rank(known) > rank(a)) return;
    alerts.set(a.alertId, a);
    if (isNew && !known) window.alertSound.beep();
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }
  const rank = (a) => ({ Open: 0, Acknowledged: 1, Resolved: 2 }[a.state] ?? 0) * 100 + a.escalationLevel;

  async function start() {
    const user = await window.session.signedInUser();
    if (!user) return;
    mayAct = user.role === 'Admin' || user.role === 'Supervisor';
    await window.session.connectMonitor({
      AlertRaised: (m) => onAlert(m.alert, true),
      AlertChanged: (m) => onAlert(m.alert, false),
    }, async (hub) => {
      await hub.invoke('WatchAll');
      const [sites, history] = await Promise.all([getJson('/api/wall/sites'), getJson('/api/alerts?all=true&limit=2000')]);
      sites.forEach((s) => labels.set(s.siteId, s));
      history.forEach((a) => onAlert(a, false));
      render();
    });
  }

  [typeFilter, stateFilter].forEach((s) => s.addEventListener('change', render));
  siteFilter.addEventListener('input', render);
  document.addEventListener('langchange', render);
  start();
})();
