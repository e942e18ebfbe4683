// Seat polygons drawn over camera snapshots in their window's state colour, and the admin's seat editor:
// drag a vertex (or redraw the polygon point by point) on the snapshot, save, and follow the Recorder's answer.
import { t } from './i18n.js';
import { el } from './dom.js';
import { getJson, putJson, RequestFailed } from './shell.js';

const SVG = 'http://www.w3.org/2000/svg';
let siteId = '';
let admin = false;
let stateOf = () => 'Unknown';
let rerender = () => {};
let seats = { windows: [], changes: [] };
let editing = null; // { cameraId, windowId, points: [[x, y]], drawing, error }
let dragging = null; // index of the vertex being dragged
const picked = new Map(); // cameraId -> windowId chosen in its picker (pictures are rebuilt on every snapshot)

const camWindows = (cameraId) => seats.windows.filter((w) => w.cameraId === cameraId);
const pointsAttr = (points) => points.map(([x, y]) => `${x},${y}`).join(' ');
const frameOf = (cameraId) => document.querySelector(`[data-camera="${CSS.escape(cameraId)}"] .seat-frame`);
const clamp = (v) => Math.min(1, Math.max(0, v));

/** Normalised 0..1 position of a pointer event within the camera's picture. */
function toSeat(cameraId, event) {
  const box = frameOf(cameraId).getBoundingClientRect();
  return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)].map((v) => Math.round(v * 10000) / 10000);
}

function overlay(cameraId) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'seat-overlay');
  svg.setAttribute('viewBox', '0 0 1 1');
  svg.setAttribute('preserveAspectRatio', 'none');
  for (const w of camWindows(cameraId)) {
    const mine = editing && editing.cameraId === cameraId && editing.windowId === w.windowId;
    const polygon = document.createElementNS(SVG, mine && editing.drawing ? 'polyline' : 'polygon');
    polygon.setAttribute('class', `seat-poly ${stateOf(w.windowId).toLowerCase()}${mine ? ' editing' : ''}`);
    polygon.setAttribute('points', pointsAttr(mine ? editing.points : w.seat));
    polygon.setAttribute('vector-effect', 'non-scaling-stroke');
    polygon.dataset.window = w.windowId;
    svg.append(polygon);
  }
  return svg;
}

function labels(cameraId) {
  return camWindows(cameraId).map((w) => {
    const [x, y] = w.seat[0] ?? [0, 0];
    const label = el('span', `seat-label ${stateOf(w.windowId).toLowerCase()}`, `${w.name || w.windowId} · ${t(`ws.${stateOf(w.windowId)}`)}`);
    label.style.left = `${x * 100}%`;
    label.style.top = `${y * 100}%`;
    return label;
  });
}

function handles(cameraId) {
  if (!editing || editing.cameraId !== cameraId) return [];
  return editing.points.map(([x, y], i) => {
    const handle = el('span', 'seat-handle');
    handle.dataset.index = String(i);
    handle.style.left = `${x * 100}%`;
    handle.style.top = `${y * 100}%`;
    handle.addEventListener('pointerdown', (e) => { e.preventDefault(); e.stopPropagation(); dragging = i; });
    handle.addEventListener('click', (e) => e.stopPropagation());
    return handle;
  });
}

/** Redraws one camera's overlay in place (a drag must not lose its element to a full re-render). */
function redraw(cameraId, frame = frameOf(cameraId)) {
  if (!frame) return;
  frame.querySelectorAll('.seat-overlay, .seat-label, .seat-handle').forEach((n) => n.remove());
  frame.append(overlay(cameraId), ...labels(cameraId), ...handles(cameraId));
}

function changeText(change) {
  if (!change) return '';
  if (change.state === 'Refused') return `${t('seat.Refused')}: ${change.reason ?? ''}`;
  return t(`seat.${change.state}`);
}

function toolbar(cameraId) {
  const bar = el('div', 'seat-tools');
  const windows = camWindows(cameraId);
  if (!admin || windows.length === 0) return bar;
  if (!editing || editing.cameraId !== cameraId) {
    const pick = el('select', 'seat-window');
    windows.forEach((w) => { const o = el('option', null, w.name || w.windowId); o.value = w.windowId; pick.append(o); });
    if (windows.some((w) => w.windowId === picked.get(cameraId))) pick.value = picked.get(cameraId);
    pick.addEventListener('change', () => picked.set(cameraId, pick.value));
    const edit = el('button', 'seat-edit', t('seatEdit'));
    edit.type = 'button';
    edit.addEventListener('click', () => {
      const w = windows.find((x) => x.windowId === pick.value);
      editing = { cameraId, windowId: w.windowId, points: w.seat.map((p) => [...p]), drawing: false, error: '' };
      rerender();
    });
    const status = windows.map((w) => [w, seats.changes.find((c) => c.cameraId === cameraId && c.windowId === w.windowId)])
      .filter(([, c]) => c).map(([w, c]) => { const s = el('span', `seat-status ${c.state.toLowerCase()}`, `${w.name || w.windowId}: ${changeText(c)}`); s.dataset.window = w.windowId; return s; });
    bar.append(pick, edit, ...status);
    return bar;
  }
  const button = (cls, key, onClick) => { const b = el('button', cls, t(key)); b.type = 'button'; b.addEventListener('click', onClick); return b; };
  bar.append(
    el('span', 'seat-editing', `${t('seatEditing')} ${editing.windowId}${editing.drawing ? ` · ${t('seatDrawHint')}` : ''}`),
    button('seat-save', 'save', save),
    button('seat-redraw', 'seatRedraw', () => { editing.points = []; editing.drawing = true; editing.error = ''; rerender(); }),
    button('seat-cancel', 'cancel', () => { editing = null; rerender(); }),
    el('span', 'seat-error error', editing.error),
  );
  return bar;
}

async function save() {
  const { cameraId, windowId, points } = editing;
  try {
    await putJson(`/api/sites/${encodeURIComponent(siteId)}/cameras/${encodeURIComponent(cameraId)}/windows/${encodeURIComponent(windowId)}/seat`, { seat: points });
    editing = null;
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    editing.error = err.problem.detail ?? `${t('failed')} (${err.status})`;
  }
  rerender();
}

/** Puts the seats over one camera's picture: call with the figure once its <img> is in it. */
export function decorate(fig, cameraId) {
  const img = fig.querySelector('img');
  if (!img) return;
  const frame = el('div', 'seat-frame');
  img.replaceWith(frame);
  frame.append(img);
  frame.addEventListener('click', (e) => {
    if (!editing || editing.cameraId !== cameraId || !editing.drawing) return;
    editing.points.push(toSeat(cameraId, e));
    redraw(cameraId);
  });
  redraw(cameraId, frame);
  fig.append(toolbar(cameraId));
}

document.addEventListener('pointermove', (e) => {
  if (dragging === null || !editing) return;
  editing.points[dragging] = toSeat(editing.cameraId, e);
  redraw(editing.cameraId);
});
document.addEventListener('pointerup', () => { dragging = null; });

/** Starts the seat layer of the site page; `stateOf(windowId)` gives a window's state, `render()` redraws the cameras. */
export async function init(options) {
  ({ siteId, admin, stateOf, render: rerender } = options);
  seats = await getJson(`/api/sites/${encodeURIComponent(siteId)}/seats`);
}

/** A pushed SiteSeatsChanged. */
export function update(next) {
  if (next.siteId !== siteId) return;
  seats = next;
  rerender();
}

/** Recolours the polygons after a window state change without rebuilding the pictures. */
export function recolour() {
  document.querySelectorAll('.seat-frame').forEach((frame) => redraw(frame.closest('[data-camera]').dataset.camera));
}
