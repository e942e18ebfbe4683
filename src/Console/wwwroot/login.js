(function () {
  const { t } = window.i18n;
  async function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  }
  let currentPassword = '';
  // The buttons stay disabled until these handlers exist, so a fast user never triggers a native form submission.
  document.querySelectorAll('form button[type=submit]').forEach((b) => { b.disabled = false; });
  document.getElementById('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    currentPassword = form.get('password');
    const res = await post('/api/auth/login', { user: form.get('user'), password: currentPassword });
    if (!res.ok) {
      document.getElementById('error').textContent = res.status === 429 ? t('tooMany') : t('wrongLogin');
      return;
    }
    const me = await res.json();
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
    const res = await post('/api/auth/password', { currentPassword, newPassword: form.get('newPassword') });
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      document.getElementById('change-error').textContent = problem.detail ?? problem.title ?? res.statusText;
      return;
    }
    location.href = '/';
  });
})();
