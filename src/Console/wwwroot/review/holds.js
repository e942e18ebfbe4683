// Evidence holds of the site: the Recorder keeps a held range through retention until it is released.
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { getJson, deleteJson, RequestFailed } from '../shell.js';
import { $, siteId, siteApi, cameraName, inZone, postRange, refusalText } from './choice.js';

function row(h) {
  const tr = el('tr', 'hold');
  tr.dataset.hold = h.holdId;
  tr.dataset.status = h.status;
  const actions = el('td');
  if (h.status === 'Requested' || h.status === 'Held') {
    const release = el('button', 'release', t('holdRelease'));
    release.type = 'button';
    release.addEventListener('click', () => changeHold(() => deleteJson(siteApi(`holds/${h.holdId}`)))
      .catch((err) => { $('hold-error').textContent = `${t('failed')}: ${err.message}`; }));
    actions.append(release);
  }
  tr.append(el('td', null, cameraName(h.cameraId)),
    el('td', 'time', `${inZone(Date.parse(h.from))} – ${inZone(Date.parse(h.to)).slice(-8)}`), el('td', null, h.reason), el('td', null, h.placedBy),
    el('td', 'hold-status', t(`hold.${h.status}`) + (h.releasedBy ? ` (${h.releasedBy})` : '')), actions);
  return tr;
}

export async function loadHolds() {
  if (!siteId()) return;
  const holds = await getJson(siteApi('holds'));
  $('holds').replaceChildren(...(holds.length ? holds.map(row) : [el('tr', null, t('noHolds'))]));
}

/** Sends a change of holds, says if it was refused, and lists the holds again. */
async function changeHold(send) {
  $('hold-error').textContent = '';
  try {
    await send();
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    $('hold-error').textContent = refusalText(err);
  }
  await loadHolds();
}

/** Holds the chosen camera's chosen range, for the reason given for the clip. */
export function holdRange() {
  const reason = $('reason').value.trim();
  if (!reason) { $('hold-error').textContent = t('reasonRequired'); return Promise.resolve(); }
  return changeHold(() => postRange('holds', reason));
}
