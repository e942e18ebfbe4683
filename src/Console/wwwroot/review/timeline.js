// The chosen day's timeline: a line per window shown (its occupancy states) and the camera's recording coverage, with
// the chosen clip range marked; a click on a line picks a minute around that moment.
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { bar, dayMs, stateBars, windowStep } from '../timeline.js';
import { $, loaded, cameraId, windowId, inZone, timeOfDay, chosenRange } from './choice.js';

function line(label, cls, bars) {
  const { dayStart } = loaded;
  const row = el('div', `line ${cls}`);
  const track = el('div', 'track');
  track.append(...bars);
  track.addEventListener('click', (e) => {
    const at = dayStart + ((e.clientX - track.getBoundingClientRect().left) / track.clientWidth) * dayMs;
    $('from').value = timeOfDay(at - 30000);
    $('to').value = timeOfDay(at + 30000);
    renderTimeline();
  });
  const range = chosenRange();
  if (range) track.append(bar('pick', range[0], range[1], dayStart, `${timeOfDay(range[0])} – ${timeOfDay(range[1])}`));
  row.append(el('span', 'label', label), track);
  return row;
}

/** The windows of the chosen window or camera: those configured on it and those its events name. */
function shownWindows() {
  const shown = loaded.windows.filter((w) => (windowId() ? w.windowId === windowId() : w.cameraId === cameraId())).map((w) => w.windowId);
  for (const e of loaded.events) {
    if (windowStep(e) && !shown.includes(e.windowId) && (!windowId() || e.windowId === windowId()) && e.cameraId === cameraId()) shown.push(e.windowId);
  }
  return shown.sort();
}

export function renderTimeline() {
  const { dayStart, events, zone } = loaded;
  const end = Math.min(Date.now(), dayStart + dayMs);
  const rows = shownWindows().map((id) => {
    const steps = events.filter((e) => e.windowId === id).map(windowStep).filter(Boolean).sort((a, b) => a.at - b.at);
    const row = line(id, 'window', stateBars(steps, dayStart, end, zone));
    row.dataset.window = id;
    return row;
  });
  // Coverage: recorded unless the Recorder reported a gap for this camera.
  const gaps = events.filter((e) => e.type === 'RecordingGap' && e.cameraId === cameraId())
    .map((e) => [Math.max(dayStart, Date.parse(e.event.from)), Math.min(end, Date.parse(e.event.to))]).filter(([a, b]) => b > a);
  const coverage = [
    bar('recorded', dayStart, end, dayStart, t('recordingTrack')),
    ...gaps.map(([a, b]) => bar('gap', a, b, dayStart, `${t('gap')} ${inZone(a)} – ${inZone(b)}`)),
  ];
  const recording = line(t('recordingTrack'), 'recording', end > dayStart ? coverage : []);
  recording.dataset.camera = cameraId();
  $('timeline').replaceChildren(...rows, recording);
}
