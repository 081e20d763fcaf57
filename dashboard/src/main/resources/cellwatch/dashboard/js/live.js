// The live WebSocket: subscriptions survive reconnects (a server restart, a network blip); every reopen
// resubscribes, and the server answers each subscribe with a fresh snapshot.

import { me, ApiError } from './api.js';
import { timed } from './perf.js';

/**
 * A frame as the rest of the page reads it: a delta's compact samples, [key relative to the frame's path, value, ts,
 * seq?], become snapshot-shaped {series, value, ts, seq} objects with full keys.
 */
export function readFrame(text) {
  const frame = JSON.parse(text);
  if (frame.type === 'delta') {
    const prefix = frame.path === '' ? '' : frame.path + '/';
    frame.samples = frame.samples.map((s) => {
      const series = s[0] === '' ? frame.path : prefix + s[0];
      return s.length > 3 ? { series, value: s[1], ts: s[2], seq: s[3] } : { series, value: s[1], ts: s[2] };
    });
  }
  return frame;
}

/** One connection to /api/v1/live with its subscriptions. */
export class Live {
  /**
   * @param handlers onFrame(frame), onState(state: 'connecting'|'live'|'reconnecting'|'login'), needLogin()
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.paths = new Set();
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
    };
    socket.onmessage = (event) => this.handlers.onFrame(timed('parse', () => readFrame(event.data)));
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
