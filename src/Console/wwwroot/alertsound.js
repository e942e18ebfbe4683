// The alert sound: a short WebAudio beep on every new alert, muted by the page's #mute switch kept in localStorage.
import { t } from './i18n.js';

// Read by the UI tests: how many beeps sounded.
const stats = { beeps: 0 };
window.alertSound = stats;
let audio = null;
const muted = () => localStorage.getItem('alertsMuted') === '1';

function label() {
  const button = document.getElementById('mute');
  if (!button) return;
  button.textContent = muted() ? t('soundOff') : t('soundOn');
  button.setAttribute('aria-pressed', String(muted()));
}

export function beep() {
  if (muted()) return;
  stats.beeps++;
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.4);
  } catch { /* no audio device: the feed still shows the alert */ }
}

document.addEventListener('DOMContentLoaded', () => {
  label();
  document.getElementById('mute')?.addEventListener('click', () => {
    localStorage.setItem('alertsMuted', muted() ? '0' : '1');
    label();
  });
});
document.addEventListener('langchange', label);
