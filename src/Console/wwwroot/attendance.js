// Attendance reports: by site or district, over a day, week or month; ranked, with a bar per staffed rate and CSV export.
import { t, lang } from './i18n.js';
import { el, option } from './dom.js';
import { defaultZone, fmtInZone, todayIn } from './zone.js';
import { signedInUser, getJson, RequestFailed, siteDirectory } from './shell.js';

const scope = document.getElementById('scope');
const target = document.getElementById('target');
const period = document.getElementById('period');
const date = document.getElementById('date');
const csv = document.getElementById('csv');
let sites = [];
let departments = [];
let last = null;
let episodes = null; // the drill-down: { siteId, windowId, timeZone, episodes }

function fillTargets() {
  const chosen = target.value;
  const options = scope.value === 'site' ? sites.map((s) => [s.siteId, `${s.name} (${s.siteId})`])
    : scope.value === 'department' ? departments.map((d) => [d, d])
      : [...new Set(sites.map((s) => s.district))].sort().map((d) => [d, d]);
  target.replaceChildren(...options.map(([value, label]) => option(value, label)));
  if (options.some(([v]) => v === chosen)) target.value = chosen;
}

const query = () => new URLSearchParams({ scope: scope.value, id: target.value, period: period.value, date: date.value });

function updateCsvLink() {
  csv.href = `/api/attendance/report.csv?${query()}&lang=${lang() === 'en' ? 'en' : 'zh'}`;
}

function render() {
  if (!last) return;
  document.getElementById('range').textContent = `${last.from} – ${last.to}`;
  const rows = last.rows.map((r) => {
    const tr = el('tr');
    tr.dataset.window = `${r.siteId}/${r.windowId}`;
    const rate = el('td', 'rate');
    const bar = el('span', 'rate-bar');
    bar.style.width = `${(r.staffedRate * 100).toFixed(1)}%`;
    rate.append(el('span', 'rate-value', `${(r.staffedRate * 100).toFixed(1)}%`), el('span', 'rate-track'));
    rate.lastChild.append(bar);
    // Days the Recorder has not closed yet are counted from events over the whole day, without the schedule.
    if (r.provisionalDays > 0) rate.append(el('span', 'provisional muted', `${r.provisionalDays} ${t('provisionalDays')}`));
    tr.append(
      el('td', null, String(r.rank)), el('td', null, r.siteName), el('td', null, r.district), el('td', null, r.windowId),
      el('td', null, r.scheduledMinutes.toFixed(0)), rate,
      drillCell('absences', String(r.absences), r), drillCell('absence-minutes', r.absenceMinutes.toFixed(1), r),
      el('td', null, r.awayMinutes.toFixed(1)), el('td', null, r.unknownMinutes.toFixed(1)),
      // Staffed minutes the clerk sat motionless (睡岗); absent from a Console older than the measure.
      el('td', 'inactive-minutes', (r.inactiveMinutes ?? 0).toFixed(1)),
    );
    return tr;
  });
  if (rows.length === 0) { const tr = el('tr'); tr.append(el('td', 'empty', t('noData'))); tr.firstChild.colSpan = 11; rows.push(tr); }
  document.getElementById('rows').replaceChildren(...rows);
}

// Drill-down: a report's absence figures open the window's absence episodes with their snapshots.
function drillCell(cls, text, row) {
  const td = el('td', cls);
  const button = el('button', 'drill', text);
  button.type = 'button';
  button.addEventListener('click', () => showEpisodes(row.siteId, row.windowId));
  td.append(button);
  return td;
}

async function showEpisodes(siteId, windowId) {
  const q = new URLSearchParams({ site: siteId, window: windowId, period: period.value, date: date.value });
  episodes = await getJson(`/api/attendance/episodes?${q}`);
  renderEpisodes();
}

function renderEpisodes() {
  const panel = document.getElementById('episodes');
  panel.hidden = !episodes;
  if (!episodes) return;
  const zone = episodes.timeZone;
  document.getElementById('episodes-of').textContent = `${episodes.siteId} / ${episodes.windowId} · ${episodes.from} – ${episodes.to}`;
  const rows = episodes.episodes.map((e) => {
    const tr = el('tr', 'episode');
    const shots = el('td', 'snapshots');
    e.snapshots.forEach((s) => {
      const link = el('a');
      link.href = `/api/events/${encodeURIComponent(episodes.siteId)}/${s.sequence}/snapshot.jpg`;
      link.target = '_blank';
      const img = el('img', 'thumb');
      img.src = link.href;
      img.alt = img.title = `${t(`type.${s.type}`)} ${fmtInZone(s.occurredAt, zone)}`;
      link.append(img);
      shots.append(link);
    });
    tr.append(
      el('td', 'last-seen', e.lastSeenAt ? fmtInZone(e.lastSeenAt, zone) : '—'), el('td', 'vacated-at', e.vacatedAt ? fmtInZone(e.vacatedAt, zone) : '—'),
      el('td', 'unstaffed-at', fmtInZone(e.unstaffedAt, zone)),
      el('td', 'ended-at', e.endedAt ? fmtInZone(e.endedAt, zone) : t('stillAbsent')), el('td', 'minutes', e.unstaffedMinutes.toFixed(1)), shots,
    );
    return tr;
  });
  if (rows.length === 0) { const tr = el('tr'); tr.append(el('td', 'empty', t('noEpisodes'))); tr.firstChild.colSpan = 6; rows.push(tr); }
  document.getElementById('episode-rows').replaceChildren(...rows);
}

async function run() {
  episodes = null;
  renderEpisodes();
  document.getElementById('error').textContent = '';
  updateCsvLink();
  try {
    last = await getJson(`/api/attendance/report?${query()}`);
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    document.getElementById('error').textContent = err.problem.detail ?? `${t('failed')} (${err.status})`;
    return;
  }
  render();
}

async function start() {
  if (!await signedInUser()) return;
  let directory;
  [directory, departments] = await Promise.all([siteDirectory(), getJson('/api/attendance/departments')]);
  sites = directory.list;
  if (!date.value) date.value = todayIn(sites[0]?.timeZone ?? defaultZone);
  fillTargets();
  updateCsvLink();
}

document.getElementById('query').addEventListener('submit', (e) => { e.preventDefault(); run(); });
scope.addEventListener('change', () => { fillTargets(); updateCsvLink(); });
[target, period, date].forEach((c) => c.addEventListener('change', updateCsvLink));
document.getElementById('episodes-close').addEventListener('click', () => { episodes = null; renderEpisodes(); });
document.addEventListener('langchange', () => { updateCsvLink(); render(); renderEpisodes(); });
start();
