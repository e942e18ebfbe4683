// The audit log for admins: newest first, a page at a time, and the check of its hash chain.
import { t } from './i18n.js';
import { el } from './dom.js';
import { fmtInZone } from './zone.js';
import { signedInUser, getJson, RequestFailed } from './shell.js';

const PAGE = 100;
const body = document.getElementById('entries');
const older = document.getElementById('older');
const pageLabel = document.getElementById('page');
const error = document.getElementById('error');
const chain = document.getElementById('chain');
// The smallest id shown; the next page is the one before it.
let oldest = null;
let report = null;

function row(e) {
  const tr = el('tr');
  tr.dataset.entry = e.id;
  tr.append(
    el('td', 'time', String(e.id)),
    el('td', 'time', fmtInZone(e.at)),
    el('td', null, e.actor),
    el('td', null, e.action),
    el('td', null, e.target),
    el('td', null, e.detail ?? ''),
  );
  const hash = el('td', 'muted', `${e.hash.slice(0, 12)}…`);
  hash.title = `${t('auditHash')} ${e.hash}\n${t('auditPrevious')} ${e.previousHash}`;
  tr.append(hash);
  return tr;
}

async function load(before) {
  error.textContent = '';
  let entries;
  try {
    entries = await getJson(`/api/admin/audit?limit=${PAGE}${before ? `&before=${before}` : ''}`);
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    error.textContent = err.status === 403 ? t('auditAdminOnly') : err.reason || err.statusText;
    return;
  }
  body.replaceChildren(...entries.map(row));
  if (entries.length) oldest = entries[entries.length - 1].id;
  older.disabled = entries.length < PAGE;
  pageLabel.textContent = entries.length ? `#${entries[0].id} – #${oldest}` : t('auditEnd');
}

function showReport() {
  if (!report) return;
  chain.className = `verdict ${report.intact ? 'ok' : 'bad'}`;
  chain.textContent = report.intact
    ? `${t('auditIntact')} (${report.checked})`
    : `${t('auditBroken')} #${report.firstBrokenId}: ${report.problem}`;
  chain.title = `head #${report.headId} ${report.headHash}`;
}

document.getElementById('verify-chain').addEventListener('click', async () => {
  chain.textContent = t('auditChecking');
  try {
    report = await getJson('/api/admin/audit/verify');
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    chain.textContent = err.reason || err.statusText;
    return;
  }
  showReport();
});
document.getElementById('newest').addEventListener('click', () => load(null));
older.addEventListener('click', () => load(oldest));
document.addEventListener('langchange', showReport);

if (await signedInUser()) await load(null);
