// REST calls of the dashboard: the session cookie rides along; a 401 means "log in again".

/** An answer that was not 2xx; status 401 means the session is gone. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const LOGGED_IN = 'cellwatch.loggedIn';

async function call(method, url, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    if (response.status === 401) {
      localStorage.removeItem(LOGGED_IN);
    }
    let message = (json && json.error) || response.statusText || 'request failed';
    if (response.status === 429) {
      message = 'Too many attempts; try again in ' + (response.headers.get('Retry-After') || 'a few') + ' s.';
    }
    throw new ApiError(response.status, message);
  }
  return json;
}

const q = encodeURIComponent;

/** Whether this browser logged in before (the cookie itself is HttpOnly); spares a 401 on a first visit. */
export function maybeLoggedIn() {
  return localStorage.getItem(LOGGED_IN) === '1';
}

export async function login(user, password) {
  const answer = await call('POST', '/api/v1/login', { user, password });
  localStorage.setItem(LOGGED_IN, '1');
  return answer;
}

export async function logout() {
  localStorage.removeItem(LOGGED_IN);
  await call('POST', '/api/v1/logout');
}

export const me = () => call('GET', '/api/v1/me');
export const tree = (path) => call('GET', '/api/v1/tree?path=' + q(path));
export const snapshot = (path) => call('GET', '/api/v1/snapshot?path=' + q(path));
export const plants = (path) => call('GET', '/api/v1/plants?path=' + q(path));

/** History of several series, at most {@code points} points each, over [from, to) in epoch ms. */
export function history(series, from, to, points) {
  const params = series.map((s) => 'series=' + q(s));
  params.push('from=' + Math.floor(from), 'to=' + Math.floor(to), 'points=' + Math.max(1, Math.floor(points)));
  return call('GET', '/api/v1/history?' + params.join('&'));
}

export const gateways = () => call('GET', '/api/v1/gateways');

/** Acknowledges a raised alert as the logged-in user; the answer is the alert as the server recorded it. */
export const acknowledge = (tenant, id) =>
  call('POST', '/api/v1/alerts/acknowledge?id=' + q(id) + '&tenant=' + q(tenant));

/** Stored alert changes in [from, to) (epoch ms), newest first, optionally under one node. */
export function alertHistory(from, to, node, limit = 500) {
  const params = ['from=' + Math.floor(from), 'to=' + Math.floor(to), 'limit=' + limit];
  if (node) params.push('node=' + q(node));
  return call('GET', '/api/v1/alerts/history?' + params.join('&'));
}

/** A pack's battery analytics (cell resistance, capacity, cycles, imbalance); 404 while it has none. */
export const analytics = (path) => call('GET', '/api/v1/analytics?path=' + q(path));

/** How the tenant at {@code path} shows numbers and names: units, decimals, labels, level names. */
export const metricsMeta = (path) => call('GET', '/api/v1/metrics/meta?path=' + q(path || ''));

/** The link that downloads the raw samples under {@code path} in [from, to) (epoch ms) as CSV. */
export function exportHref(path, from, to) {
  return '/api/v1/export?path=' + q(path) + '&from=' + Math.floor(from) + '&to=' + Math.floor(to) + '&format=csv';
}
