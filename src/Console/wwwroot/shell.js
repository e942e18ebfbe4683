// What every signed-in page shares: the header (its navigation drawn from one list), the session, the monitor hub
// connection and its state in the header, JSON requests, and the directory of sites. A page's HTML holds only its
// own part of the header: <header class="bar"> with its <h1> and its own controls, and `data-monitor` if it watches
// the monitor hub; the shell adds the rest when the page's script imports it.
import { t, switchLabel } from './i18n.js';
import { el } from './dom.js';

/** The navigation, in order: each page's address and the i18n key of its label. */
const pages = [
  { href: '/', label: 'navWall' },
  { href: 'alerts.html', label: 'navAlerts' },
  { href: 'attendance.html', label: 'navAttendance' },
  { href: 'review.html', label: 'navReview' },
  { href: 'patrol.html', label: 'navPatrol' },
  { href: 'verify.html', label: 'navVerify' },
  { href: 'audit.html', label: 'navAudit', role: 'Admin' },
];

function navigation() {
  const here = location.pathname.replace(/\/index\.html$/, '/');
  const nav = el('nav');
  pages.forEach(({ href, label, role }, i) => {
    const a = el('a', null, t(label));
    a.setAttribute('href', href);
    a.dataset.i18n = label;
    // Shown once the signed-in user turns out to have the role; the API refuses the others anyway.
    if (role) { a.dataset.role = role; a.hidden = true; }
    if (new URL(href, location.href).pathname === here) a.setAttribute('aria-current', 'page');
    // Inline links: the space between them is part of the look.
    if (i > 0) nav.append(' ');
    nav.append(a);
  });
  return nav;
}

/** Title, [monitor link,] navigation, spacer, the page's own controls, language, user, sign-out. */
function drawHeader(header) {
  const title = header.querySelector('h1');
  const link = 'monitor' in header.dataset ? [el('span', 'pill pill-off')] : [];
  if (link.length) link[0].id = 'connection';
  title.after(...link, navigation(), el('span', 'spacer'));
  const language = el('button', null, switchLabel());
  language.id = 'lang';
  language.type = 'button';
  const user = el('span');
  user.id = 'user';
  const logout = el('button', null, t('logout'));
  logout.id = 'logout';
  logout.type = 'button';
  logout.dataset.i18n = 'logout';
  logout.addEventListener('click', async () => {
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin', headers: requestHeaders });
    location.href = '/login.html';
  });
  header.append(language, user, logout);
  showLink(linkState);
}

/** A link of the navigation, for a page that points it somewhere more precise (the site page: its own review). */
export const navLink = (href) => document.querySelector(`header.bar nav a[href="${CSS.escape(href)}"]`);

/** The signed-in user (named in the header), or null after sending a visitor to the sign-in page. */
export async function signedInUser() {
  const me = await fetch('/api/auth/me', { credentials: 'same-origin' });
  if (!me.ok) { location.href = '/login.html'; return null; }
  const user = await me.json();
  if (user.mustChangePassword) { location.href = '/login.html'; return null; }
  const name = document.getElementById('user');
  if (name) name.textContent = user.displayName || user.user;
  document.querySelectorAll('header.bar nav a[data-role]').forEach((a) => { a.hidden = a.dataset.role !== user.role; });
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
export async function connectMonitor(handlers, subscribe) {
  const hub = new signalR.HubConnectionBuilder()
    // One WebSocket, no negotiate request: behind a proxy in front of several nodes any node can take it.
    .withUrl('/hubs/monitor', { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(30000, 1000 * 2 ** ctx.previousRetryCount) })
    .build();
  for (const [name, handler] of Object.entries(handlers)) hub.on(name, handler);
  const resubscribe = async () => { await subscribe(hub); showLink('live'); };
  hub.onreconnecting(() => showLink('disconnected'));
  // Sites may have been added while the link was down: the directory is read again.
  hub.onreconnected(() => { directory = null; return resubscribe(); });
  hub.onclose(() => setTimeout(() => location.reload(), 5000));
  for (;;) {
    try { await hub.start(); break; } catch { await new Promise((r) => setTimeout(r, 2000)); }
  }
  await resubscribe();
  return hub;
}

/** A request the Console refused: its status and its body (a problem details object, or {} when it has none). */
export class RequestFailed extends Error {
  constructor(url, response, problem) {
    super(`${url}: ${response.status}`);
    this.status = response.status;
    this.statusText = response.statusText;
    this.problem = problem;
  }

  /** What the refusal says: its validation messages, its detail or its error ('' when it says nothing). */
  get reason() {
    return Object.values(this.problem.errors ?? {}).flat().join('; ') || this.problem.detail || this.problem.error || '';
  }
}

/**
 * Sent with every request: the Console refuses a state-changing request without it, and a page of another site cannot
 * add it (a custom header needs a CORS preflight the Console never allows).
 */
export const requestHeaders = { 'X-ServiceHall-Request': '1' };

/** Fetches with the session cookie; a refusal throws RequestFailed, a network failure throws as fetch does. */
async function request(url, init = {}) {
  const response = await fetch(url, { credentials: 'same-origin', ...init, headers: { ...requestHeaders, ...init.headers } });
  if (!response.ok) throw new RequestFailed(url, response, await response.json().catch(() => ({})));
  return response;
}

export async function getJson(url) {
  return (await request(url)).json();
}

async function sendJson(method, url, body) {
  const response = await request(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return response.json().catch(() => ({}));
}

/** POSTs `body` as JSON and answers the response's JSON ({} when it has none); a refusal throws RequestFailed. */
export const postJson = (url, body = {}) => sendJson('POST', url, body);

/** PUTs `body` as JSON, as postJson. */
export const putJson = (url, body) => sendJson('PUT', url, body);

/** DELETEs, as postJson but without a body. */
export async function deleteJson(url) {
  return (await request(url, { method: 'DELETE' })).json().catch(() => ({}));
}

/** The sites this user may see: id, name, district and time zone. */
export class SiteDirectory {
  constructor(list) {
    this.list = list;
    this.byId = new Map(list.map((s) => [s.siteId, s]));
  }

  get(siteId) { return this.byId.get(siteId); }

  /** The site's name, or its id while it is unknown. */
  name(siteId) { return this.get(siteId)?.name ?? siteId; }

  /** The site's time zone, or undefined while it is unknown (zone.js then uses the default). */
  zone(siteId) { return this.get(siteId)?.timeZone; }
}

let directory = null;

/** The directory of sites, fetched once for the page (and again after the monitor link reconnects). */
export function siteDirectory() {
  if (!directory) {
    directory = getJson('/api/wall/sites').then((list) => new SiteDirectory(list));
    directory.catch(() => { directory = null; });
  }
  return directory;
}

const header = document.querySelector('header.bar');
if (header) drawHeader(header);
