// Verify: a supervisor drops a downloaded case package; the Console checks every file against SHA256SUMS, the clip
// against its manifest and the signature against its published keys, and the page says whether the package is intact,
// who signed it and when, and, if not intact, what is wrong.
import { t } from './i18n.js';
import { el } from './dom.js';
import { signedInUser, requestHeaders } from './shell.js';

const $ = (id) => document.getElementById(id);
let last = null;

function show(result) {
  last = result;
  const verdict = $('verdict');
  verdict.textContent = result.intact ? t('intact') : t('notIntact');
  verdict.className = `verdict ${result.intact ? 'ok' : 'bad'}`;
  verdict.dataset.intact = String(result.intact);
  $('problems').replaceChildren(...result.problems.map((p) => el('li', 'problem', p)));
  const signed = $('signed-by');
  const by = result.signature;
  signed.textContent = by
    ? t('signedBy').replace('{signer}', by.signer).replace('{at}', new Date(by.signedAt).toLocaleString()).replace('{key}', by.keyId)
      + (by.keyRetiredAt ? ` ${t('keyRetired').replace('{at}', new Date(by.keyRetiredAt).toLocaleString())}` : '')
    : t('notSigned');
}

// Refusals the page can explain: not a supervisor, too large, the Console busy with other checks.
const refusals = { 403: 'verifyForbidden', 413: 'verifyTooLarge', 503: 'verifyBusy' };

async function check(file) {
  if (!file) return;
  $('file-name').textContent = `${file.name} (${(file.size / 1048576).toFixed(1)} MB)`;
  const verdict = $('verdict');
  verdict.textContent = t('verifying');
  verdict.className = 'verdict';
  delete verdict.dataset.intact;
  $('problems').replaceChildren();
  $('signed-by').textContent = '';
  const response = await fetch('/api/cases/verify', {
    method: 'POST', credentials: 'same-origin', headers: { ...requestHeaders, 'Content-Type': 'application/zip' }, body: file,
  });
  if (!response.ok) {
    verdict.textContent = refusals[response.status] ? t(refusals[response.status]) : `${t('failed')} (${response.status})`;
    verdict.className = 'verdict bad';
    return;
  }
  show(await response.json());
}

async function start() {
  if (!await signedInUser()) return;
  const drop = $('drop');
  $('package').addEventListener('change', (e) => check(e.target.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); check(e.dataTransfer.files[0]); });
}

document.addEventListener('langchange', () => { if (last) show(last); });
start();
