// Sign-in, and the password change a first sign-in must make.
import { t } from './i18n.js';
import { postJson, RequestFailed } from './shell.js';

let currentPassword = '';
// The buttons stay disabled until these handlers exist, so a fast user never triggers a native form submission.
document.querySelectorAll('form button[type=submit]').forEach((b) => { b.disabled = false; });
document.getElementById('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  currentPassword = form.get('password');
  let me;
  try {
    me = await postJson('/api/auth/login', { user: form.get('user'), password: currentPassword });
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    document.getElementById('error').textContent = err.status === 429 ? t('tooMany') : t('wrongLogin');
    return;
  }
  if (me.mustChangePassword) {
    e.target.hidden = true;
    document.getElementById('change').hidden = false;
    return;
  }
  location.href = '/';
});
document.getElementById('change').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  try {
    await postJson('/api/auth/password', { currentPassword, newPassword: form.get('newPassword') });
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    document.getElementById('change-error').textContent = err.problem.detail ?? err.problem.title ?? err.statusText;
    return;
  }
  location.href = '/';
});
