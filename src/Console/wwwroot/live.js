// Live video of one camera: tell the Console we watch it (the Recorder then pushes short segments), play its HLS playlist.
import { t } from './i18n.js';
import { signedInUser, connectMonitor } from './shell.js';

const query = new URLSearchParams(location.search);
const siteId = query.get('site') ?? '';
const cameraId = query.get('camera') ?? '';
const base = `/api/sites/${encodeURIComponent(siteId)}/cameras/${encodeURIComponent(cameraId)}`;
const video = document.getElementById('live-player');
const status = document.getElementById('live-status');
const openedAt = performance.now();
let hls = null;
let hub = null;
let stopped = false;

function show(state) {
  status.dataset.state = state;
  status.dataset.i18n = { waiting: 'liveWaiting', playing: 'livePlaying', stopped: 'liveStopped' }[state];
  status.textContent = t(status.dataset.i18n);
}

// The playlist appears once the Recorder's first segments arrive; until then it answers 404.
async function waitForPlaylist() {
  while (!stopped) {
    const response = await fetch(`${base}/live.m3u8`, { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

async function play() {
  if (!await waitForPlaylist()) return;
  hls?.destroy();
  hls = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 5, manifestLoadingMaxRetry: 10 });
  window.liveHls = hls;
  hls.on(Hls.Events.ERROR, (_, data) => {
    if (data.fatal && !stopped) { show('waiting'); setTimeout(play, 2000); }
  });
  hls.loadSource(`${base}/live.m3u8`);
  hls.attachMedia(video);
}

video.addEventListener('playing', () => {
  if (status.dataset.startedMs === undefined) status.dataset.startedMs = String(Math.round(performance.now() - openedAt));
  show('playing');
});
setInterval(() => {
  const latency = hls?.latency;
  document.getElementById('live-latency').textContent = Number.isFinite(latency) && latency > 0 ? `${t('liveLatency')} ${latency.toFixed(1)} s` : '';
}, 1000);

document.getElementById('live-stop').addEventListener('click', async () => {
  stopped = true;
  hls?.destroy();
  hls = null;
  show('stopped');
  await hub?.invoke('StopLive');
});

async function start() {
  if (!await signedInUser()) return;
  if (!window.Hls || !Hls.isSupported()) { status.textContent = t('liveUnsupported'); return; }
  hub = await connectMonitor({}, async (h) => {
    const [site] = await h.invoke('WatchCamera', siteId, cameraId);
    const camera = site.cameras.find((c) => c.cameraId === cameraId);
    document.getElementById('site-link').textContent = site.name;
    document.getElementById('site-link').href = `site.html?site=${encodeURIComponent(siteId)}`;
    document.getElementById('camera-name').textContent = camera?.name || cameraId;
    if (!stopped) await h.invoke('WatchLive', siteId, cameraId);
  });
  play();
}

document.addEventListener('langchange', () => show(status.dataset.state));
start();
