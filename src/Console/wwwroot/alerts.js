// The alert feed: live through the monitor hub, with history, filters, a sound, and acknowledge with a note.
import { t } from './i18n.js';
import { el } from './dom.js';
import { fmtInZone } from './zone.js';
import { absenceText } from './absence.js';
import { beep } from './alertsound.js';
import { signedInUser, connectMonitor, getJson, postJson, RequestFailed, siteDirectory, SiteDirectory } from './shell.js';

const alerts = new Map(); // alertId -> AlertView
let sites = new SiteDirectory([]);
const body = document.getElementById('alerts');
const typeFilter = document.getElementById('type-filter');
const siteFilter = document.getElementById('site-filter');
const stateFilter = document.getElementById('state-filter');
const dialog = document.getElementById('ack-dialog');
const form = document.getElementById('ack-form');
const note = document.getElementById('ack-note');
let acknowledging = null;
let mayAct = false;

const siteName = (id) => sites.name(id);
const inZone = (iso, siteId) => (iso ? fmtInZone(iso, sites.zone(siteId)) : '');

function matches(a) {
  if (typeFilter.value && a.type !== typeFilter.value) return false;
  if (stateFilter.value === 'unresolved' ? a.state === 'Resolved' : stateFilter.value && a.state !== stateFilter.value) return false;
  const q = siteFilter.value.trim().toLowerCase();
  return !q || a.siteId.includes(q) || siteName(a.siteId).toLowerCase().includes(q);
}

// The message cell: an unstaffed window's absence moments in the hall's zone, as every other page shows them; an alert
// raised by an event with a snapshot (a window unstaffed, a clerk inactive) links it as the proof.
function message(a) {
  const td = el('td', 'message', a.absence ? absenceText(a.absence, sites.zone(a.siteId)) : a.message);
  if (a.snapshotSequence != null) {
    const link = el('a', 'snapshot-link', t('snapshot'));
    link.href = `/api/events/${encodeURIComponent(a.siteId)}/${a.snapshotSequence}/snapshot.jpg`;
    link.target = '_blank';
    link.rel = 'noopener';
    td.append(' ', link);
  }
  return td;
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
    message(a),
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
  let acknowledged;
  try {
    acknowledged = await postJson(`/api/alerts/${encodeURIComponent(acknowledging)}/acknowledge`, { note: text });
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    document.getElementById('ack-error').textContent = err.status === 409 ? t('alreadyHandled') : `${t('failed')} (${err.status})`;
    return;
  }
  onAlert(acknowledged, false);
  dialog.close();
});
document.getElementById('ack-cancel').addEventListener('click', () => dialog.close());

let pending = false;
function onAlert(a, isNew) {
  const known = alerts.get(a.alertId);
  // Pushes and the history read may cross: never let an older view of an alert replace a newer one.
  if (known && rank(known) > rank(a)) return;
  alerts.set(a.alertId, a);
  if (isNew && !known) beep();
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}
const rank = (a) => ({ Open: 0, Acknowledged: 1, Resolved: 2 }[a.state] ?? 0) * 100 + a.escalationLevel;

async function start() {
  const user = await signedInUser();
  if (!user) return;
  mayAct = user.role === 'Admin' || user.role === 'Supervisor';
  await connectMonitor({
    AlertRaised: (m) => onAlert(m.alert, true),
    AlertChanged: (m) => onAlert(m.alert, false),
  }, async (hub) => {
    await hub.invoke('WatchAll');
    let history;
    [sites, history] = await Promise.all([siteDirectory(), getJson('/api/alerts?all=true&limit=2000')]);
    history.forEach((a) => onAlert(a, false));
    render();
  });
}

[typeFilter, stateFilter].forEach((s) => s.addEventListener('change', render));
siteFilter.addEventListener('input', render);
document.addEventListener('langchange', render);
start();
