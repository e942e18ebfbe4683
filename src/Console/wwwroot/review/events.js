// The chosen day's events of the chosen camera (and window), each with its snapshot when it has one.
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { absenceText, eventAbsence } from '../absence.js';
import { $, loaded, cameraId, windowId, inZone } from './choice.js';

/** An event type's label, or the type itself when the UI has none. */
const typeLabel = (type) => (t(`type.${type}`) === `type.${type}` ? type : t(`type.${type}`));

function row(e) {
  const tr = el('tr', 'event');
  tr.dataset.type = e.type;
  const detail = e.type === 'RecordingGap'
    ? `${inZone(Date.parse(e.event.from))} – ${inZone(Date.parse(e.event.to))} ${e.event.cause}`
    : absenceText(eventAbsence(e), loaded.zone);
  const pick = el('td');
  if (e.hasSnapshot) {
    const a = el('a', null, '📷');
    a.href = `/api/events/${encodeURIComponent(e.siteId)}/${e.sequence}/snapshot.jpg`;
    a.target = '_blank';
    pick.append(a);
  }
  tr.append(el('td', 'time', inZone(Date.parse(e.occurredAt))), el('td', null, typeLabel(e.type)), el('td', null, e.windowId ?? ''), el('td', null, detail), pick);
  return tr;
}

export function renderEvents() {
  const shown = loaded.events.filter((e) => Date.parse(e.occurredAt) >= loaded.dayStart && e.cameraId === cameraId() && (!windowId() || !e.windowId || e.windowId === windowId()));
  $('events').replaceChildren(...(shown.length ? shown.map(row) : [el('tr', null, t('noEvents'))]));
}
