// The live WebSocket: subscriptions survive reconnects (a server restart, a network blip); every reopen
// resubscribes, and the server answers each subscribe with a fresh snapshot.

import { me, ApiError } from './api.js';
import { timed } from './perf.js';

/**
 * A frame as the rest of the page reads it: a delta's compact samples, [alias or relative key, value, ts − t, seq?],
 * become snapshot-shaped {series, value, ts, seq} objects with full keys and ts. `aliases` maps a tenant path to its
 * alias → key table, filled from snapshots (each sample's `n`) and from what deltas announce (`series`).
 */
export function readFrame(text, aliases) {
  const frame = JSON.parse(text);
  if (frame.type === 'snapshot' || frame.type === 'snapshot-page') {
    for (const s of frame.samples) {
      if (s.n !== undefined) tableOf(aliases, s.series).set(s.n, s.series);
    }
  } else if (frame.type === 'delta') {
    const path = frame.path;
    const table = tableOf(aliases, path);
    if (frame.series) {
      for (const [alias, key] of Object.entries(frame.series)) table.set(Number(alias), under(path, key));
    }
    const t = frame.t;
    frame.samples = frame.samples.map((s) => {
      const series = typeof s[0] === 'number' ? table.get(s[0]) : under(path, s[0]);
      return s.length > 3 ? { series, value: s[1], ts: t + s[2], seq: s[3] } : { series, value: s[1], ts: t + s[2] };
    });
    delete frame.series;
    delete frame.t;
  }
  return frame;
}

function under(path, relative) {
  return path === '' ? relative : relative === '' ? path : path + '/' + relative;
}

// Aliases are numbered per tenant: tenants/<tenant> of a path or key names the table.
function tableOf(aliases, path) {
  const tenant = path.split('/', 2).join('/');
  let table = aliases.get(tenant);
  if (!table) {
    table = new Map();
    aliases.set(tenant, table);
  }
  return table;
}

/** One connection to /api/v1/live with its subscriptions. */
export class Live {
  /**
   * @param handlers onFrame(frame), onState(state: 'connecting'|'live'|'reconnecting'|'login'), needLogin()
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.paths = new Set();
    this.ops = new Set();
    this.aliases = new Map();
    this.socket = null;
    this.retry = 0;
    this.timer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
      this.socket = null;
    }
  }

  subscribe(path) {
    this.paths.add(path);
    this.send({ op: 'subscribe', path });
  }

  /** Asks for a feed that is not a subtree ('alerts', 'gateways'): a snapshot, then every change, on every reopen. */
  watch(op) {
    this.ops.add(op);
    this.send({ op });
  }

  unsubscribe(path) {
    if (this.paths.delete(path)) {
      this.send({ op: 'unsubscribe', path });
    }
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  open() {
    this.handlers.onState(this.retry === 0 ? 'connecting' : 'reconnecting');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/live';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.handlers.onState('live');
      for (const path of this.paths) {
        socket.send(JSON.stringify({ op: 'subscribe', path }));
      }
      for (const op of this.ops) {
        socket.send(JSON.stringify({ op }));
      }
    };
    // A new connection may be to a restarted server, whose aliases are new: its snapshots fill the tables again.
    this.aliases = new Map();
    socket.onmessage = (event) => this.handlers.onFrame(timed('parse', () => readFrame(event.data, this.aliases)));
    socket.onclose = () => {
      this.socket = null;
      if (!this.stopped) {
        this.handlers.onState('reconnecting');
        this.reconnectLater();
      }
    };
  }

  reconnectLater() {
    const delay = Math.min(5000, 250 * 2 ** Math.min(this.retry, 5));
    this.retry++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.checkThenOpen(), delay);
  }

  // A browser hides why an upgrade failed; ask the REST API whether the session is still good.
  async checkThenOpen() {
    if (this.stopped) {
      return;
    }
    try {
      await me();
      this.open();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.stopped = true;
        this.handlers.onState('login');
        this.handlers.needLogin();
      } else {
        this.reconnectLater();
      }
    }
  }
}
