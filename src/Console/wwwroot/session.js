// What every signed-in page shares: the user, sign-out, and a monitor hub connection that retries forever.
(function () {
  const { t } = window.i18n;

  async function signedInUser() {
    const me = await fetch('/api/auth/me', { credentials: 'same-origin' });
    if (!me.ok) { location.href = '/login.html'; return null; }
    const user = await me.json();
    if (user.mustChangePassword) { location.href = '/login.html'; return null; }
    const name = document.getElementById('user');
    if (name) name.textContent = user.displayName || user.user;
    document.getElementById('logout')?.addEventListener('click', async () => {
      await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
      location.href = '/login.html';
    });
    return user;
  }

  // The link pill keeps its state so a language switch re-labels it instead of resetting it.
  let linkState = 'connecting';
  function showLink(state) {
    linkState = state;
    const pill = document.getElementById('connection');
    if (!pill) return;
    pill.textContent = t(state);
    pill.className = `pill ${state === 'live' ? 'pill-on' : 'pill-off'}`;
  }
  document.addEventListener('langchange', () => showLink(linkState));

  /** Starts the monitor hub with `handlers` (method name to function); `subscribe` runs after every (re)connect. */
  async function connectMonitor(handlers, subscribe) {
    const hub = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/monitor')
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(30000, 1000 * 2 ** ctx.previousRetryCount) })
      .build();
    for (const [name, handler] of Object.entries(handlers)) hub.on(name, handler);
    const resubscribe = async () => { await subscribe(hub); showLink('live'); };
    hub.onreconnecting(() => showLink('disconnected'));
    hub.onreconnected(resubscribe);
    hub.onclose(() => setTimeout(() => location.reload(), 5000));
    for (;;) {
      try { await hub.start(); break; } catch { await new Promise((r) => setTimeout(r, 2000)); }
    }
    await resubscribe();
    return hub;
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // Times are shown in the site's own zone (a hall's clock), whatever the browser's zone is.
  const formats = new Map();
  function fmtInZone(iso, timeZone) {
    const zone = timeZone || 'Asia/Shanghai';
    const key = `${window.i18n.lang()}|${zone}`;
    if (!formats.has(key)) {
      formats.set(key, new Intl.DateTimeFormat(window.i18n.lang(), {
        timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
      }));
    }
    return formats.get(key).format(new Date(iso));
  }

  /** Milliseconds the zone is ahead of UTC at `date`. */
  function offsetMs(date, timeZone) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    }).formatToParts(date).map((p) => [p.type, Number(p.value)]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(date.getTime() / 1000) * 1000;
  }

  /** UTC milliseconds of a wall-clock time in the zone (month 1-12). */
  function zonedToUtc(timeZone, year, month, day, hour = 0, minute = 0, second = 0) {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    const first = asUtc - offsetMs(new Date(asUtc), timeZone);
    return asUtc - offsetMs(new Date(first), timeZone);
  }

  /** UTC milliseconds of the zone's last local midnight before `now`. */
  function localMidnight(now, timeZone) {
    const local = new Date(now.getTime() + offsetMs(now, timeZone));
    return zonedToUtc(timeZone, local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
  }

  window.session = { signedInUser, connectMonitor, getJson, el, showLink, fmtInZone, offsetMs, zonedToUtc, localMidnight };
})();
