// A requested clip: its upload followed live, played when complete, and kept as a case.
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { getJson, postJson, RequestFailed } from '../shell.js';
import { $, postRange, refusalText } from './choice.js';
import { downloadLink, loadCases } from './cases.js';

let clip = null; // the clip shown (ClipView)

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
    player.src = `/api/clips/${view.clipId}/view`; // an HEVC clip plays from its H.264 viewing copy
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

/** A pushed ClipProgressed. */
export function clipProgressed(view) {
  if (clip?.clipId === view.clipId) advance(view);
}

/** After a (re)connect: what was missed while the link was down. */
export async function catchUp() {
  if (clip) advance(await getJson(`/api/clips/${clip.clipId}`));
}

/** Shows the clip again in the current language. */
export function relabel() {
  if (clip) showClip(clip);
}

export async function requestClip(e) {
  e.preventDefault();
  $('request-error').textContent = '';
  const reason = $('reason').value.trim();
  if (!reason) { $('request-error').textContent = t('reasonRequired'); return; }
  let requested;
  try {
    requested = await postRange('clips', reason);
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    $('request-error').textContent = refusalText(err);
    return;
  }

  $('player').hidden = true;
  $('player').removeAttribute('src');
  $('keep').hidden = true;
  $('keep-result').replaceChildren();
  $('case-reason').value = reason;
  clip = { clipId: requested.clipId, status: 'Requested' };
  advance(await getJson(`/api/clips/${requested.clipId}`));
}

export async function keepCase(e) {
  e.preventDefault();
  const reason = $('case-reason').value.trim();
  if (!reason) { $('keep-result').textContent = t('reasonRequired'); return; }
  let kept;
  try {
    kept = await postJson(`/api/clips/${clip.clipId}/case`, { reason });
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    $('keep-result').textContent = `${t('failed')} (${err.status})`;
    return;
  }
  $('keep-result').replaceChildren(el('span', 'muted', `${t('caseKept')} `), downloadLink(kept.caseId));
  await loadCases();
}
