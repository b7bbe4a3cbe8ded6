// pushfabric client SDK: keeps the cursor, resumes on every drop, drops duplicates, refreshes the token.
// The protocol it implements is docs/protocol.md §4; every rule below names the clause it follows.
// No dependencies: the platform WebSocket (browsers, Node >= 22) or one passed in as `WebSocket`.

const MAX_FRAME_CHARS = 4096;
/** Channel names the server accepts (docs/protocol.md, channels): 1-200 of these, not starting with '#'. */
const CHANNEL_NAME = /^(?!#)[A-Za-z0-9_\-.:@#,/+!~]{1,200}$/;
/** Subscribe frames sent per second at most: every frame counts against PUSH_CLIENT_FRAMES_PER_SECOND (20). */
const SUBSCRIBES_PER_SECOND = 10;
const OPEN = 1;

/** Close codes (docs/protocol.md, "Close codes") after which the next attempt keeps backing off. */
const BACK_OFF_CODES = new Set([1008, 1009, 1011]);

/** What a close code means, for the `disconnected` event. */
export const CLOSE_REASONS = Object.freeze({
  1000: 'normal',
  1001: 'node shutting down',
  1006: 'connection lost or upgrade refused',
  1008: 'sent frames too fast',
  1009: 'sent a frame over the size limit',
  1011: 'server error',
  1012: 'node draining or restarting',
  4000: 'too slow: send queue full',
  4001: 'node lost its lease',
  4002: 'disconnected by an operator',
  4003: 'connection reached its maximum lifetime',
  4004: 'idle: sent nothing for the idle timeout',
  4005: 'token expired',
});

/**
 * A cursor string (`<topic>,<partition>:<offset>,…`) as `{topic, positions}`, or null when it does not
 * parse. The server's welcome is the authority; this only reads what the client stored.
 */
export function parseCursor(text) {
  if (typeof text !== 'string') return null;
  const [topic, ...parts] = text.split(',');
  if (!topic || parts.length === 0) return null;
  const positions = {};
  for (const part of parts) {
    const m = /^(\d+):(\d+)$/.exec(part);
    if (!m) return null;
    positions[m[1]] = Number(m[2]);
  }
  return { topic, positions };
}

/** `{topic, positions}` as the cursor string the server takes, partitions in ascending order. */
export function formatCursor(topic, positions) {
  const parts = Object.keys(positions).map(Number).sort((a, b) => a - b).map((p) => `${p}:${positions[p]}`);
  return [topic, ...parts].join(',');
}

/** Seconds-since-epoch `exp` of a JWT, in millis; null when the token is not a readable JWT. */
export function tokenExpiry(token) {
  try {
    const b64 = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = typeof atob === 'function' ? atob(b64) : Buffer.from(b64, 'base64').toString('binary');
    const exp = JSON.parse(json).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The ids seen lately, oldest forgotten first. */
class SeenIds {
  constructor(limit) {
    this.limit = limit;
    this.ids = new Set();
  }

  /** True the first time an id is offered, false for a duplicate. */
  add(id) {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value);
    return true;
  }

  clear() {
    this.ids.clear();
  }
}

function positive(name, value) {
  if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`${name} must be a positive number, was ${value}`);
  return value;
}

export class PushClient {
  /** @param {import('./pushfabric').PushClientOptions} options */
  constructor(options) {
    const o = options || {};
    if (typeof o.url !== 'string' && typeof o.url !== 'function') {
      throw new TypeError('url is required: the /ws address, or a function returning it');
    }
    if (typeof o.token !== 'function') throw new TypeError('token is required: a function returning a JWT (or a promise of one)');
    this._url = o.url;
    this._token = o.token;
    this._WebSocket = o.WebSocket || globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') {
      throw new TypeError('no WebSocket: pass one as the WebSocket option (Node < 22: the "ws" package)');
    }
    this._baseMs = positive('backoff.baseMs', o.backoff?.baseMs ?? 500);
    this._capMs = positive('backoff.capMs', o.backoff?.capMs ?? 30_000);
    this._refreshAt = o.refreshAt ?? 0.75;
    if (!(this._refreshAt >= 0 && this._refreshAt < 1)) throw new TypeError(`refreshAt must be 0 (off) or between 0 and 1, was ${o.refreshAt}`);
    this._welcomeTimeoutMs = positive('welcomeTimeoutMs', o.welcomeTimeoutMs ?? 20_000);
    this._pingIntervalMs = o.pingIntervalMs ?? 0;
    this._storage = o.storage || null;
    this._storageKey = o.storageKey ?? 'pushfabric.cursor';
    this._seen = new SeenIds(positive('dedupeIds', o.dedupeIds ?? 10_000));
    this._setTimeout = o.timers?.setTimeout ?? globalThis.setTimeout.bind(globalThis);
    this._clearTimeout = o.timers?.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
    this._now = o.now ?? Date.now;
    this._random = o.random ?? Math.random;

    this._listeners = new Map();
    this._state = 'idle';
    this._socket = null;
    this._attempt = 0;
    this._epoch = 0; // every attempt and close() starts a new one; a token that comes back late is for an old one
    this._timers = {};
    this._welcome = null;
    this._reconnectAt = null;
    this._replaying = 0;
    this._topic = null;
    this._positions = {};
    this._rawCursor = null;
    this._channels = new Map();
    this._subscribeQueue = [];
    this._subscribesSent = 0;
    const stored = o.cursor ?? (this._storage ? this._storage.getItem(this._storageKey) : null);
    if (stored) this._adoptCursor(stored);
  }

  /** 'idle' (not started), 'connecting', 'open' (welcomed), 'waiting' (backing off), 'closed'. */
  get state() {
    return this._state;
  }

  /** The cursor to resume from, `<topic>,<partition>:<offset>,…`; null before the first welcome. */
  get cursor() {
    if (this._topic) return formatCursor(this._topic, this._positions);
    return this._rawCursor;
  }

  /** The node of the open session, or null. */
  get node() {
    return this._state === 'open' ? this._welcome.node : null;
  }

  /** Listens to an event; returns a function that stops listening. */
  on(event, listener) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    this._listeners.get(event)?.delete(listener);
  }

  /** Opens the connection and keeps it open until close(). Calling it again does nothing. */
  connect() {
    if (this._state !== 'idle' && this._state !== 'closed') return this;
    this._state = 'connecting';
    this._attempt = 0;
    this._open();
    return this;
  }

  /** Closes for good (code 1000); the cursor stays, so a later connect() resumes. */
  close() {
    if (this._state === 'idle' || this._state === 'closed') return;
    this._clearAll();
    this._epoch++;
    const socket = this._socket;
    this._state = 'closed';
    if (socket) {
      this._detach(socket);
      socket.close(1000, 'client closed');
      this._emit('disconnected', { code: 1000, reason: 'client closed', willReconnect: false });
    }
  }

  /** Tells the server the application has handled a push (fire-and-forget). False when not connected. */
  ack(id) {
    if (typeof id !== 'string' || !/^\d+-\d+$/.test(id)) throw new TypeError(`ack needs a push id like "3-120", was ${id}`);
    return this._send({ type: 'ack', id });
  }

  /** Forgets the cursor (memory and storage): the next connection starts fresh, as after a resync. */
  resetCursor() {
    this._topic = null;
    this._positions = {};
    this._rawCursor = null;
    this._seen.clear();
    if (this._storage) this._storage.removeItem(this._storageKey);
  }

  /**
   * Subscribes to a channel, now if connected and again after every reconnect, from the channel's own
   * position, so the channel resumes like the user's stream. Options: `position` (a position from
   * positionOf(), e.g. kept across a reload), `token` (a subscription JWT, or a function giving one).
   */
  subscribe(channel, options = {}) {
    if (typeof channel !== 'string' || !CHANNEL_NAME.test(channel)) {
      throw new TypeError(`channel name must be 1-200 of A-Z a-z 0-9 _ - . : @ # , / + ! ~, not starting with #, was ${channel}`);
    }
    if (this._channels.has(channel)) return;
    const sub = { token: options.token, position: null, replaying: 0, attempt: 0, byServer: false };
    if (options.position) {
      const parsed = parseCursor(options.position);
      const partition = parsed && Object.keys(parsed.positions);
      sub.position = parsed && partition.length === 1
        ? { topic: parsed.topic, partition: Number(partition[0]), offset: parsed.positions[partition[0]] }
        : { raw: options.position }; // sent as is: the server answers recovered:false, reason bad_position
    }
    this._channels.set(channel, sub);
    if (this._state === 'open') this._queueSubscribe(channel);
  }

  /** Stops a channel; returns false when it was not subscribed. Its pushes stop at once. */
  unsubscribe(channel) {
    if (!this._channels.delete(channel)) return false;
    this._cancel(`subscribe ${channel}`);
    this._send({ type: 'unsubscribe', channel });
    return true;
  }

  /** The channels subscribed (or being subscribed). */
  get channels() {
    return [...this._channels.keys()];
  }

  /** A channel's position, `<topic>,<partition>:<offset>`, to resume it from; null before its first `subscribed`. */
  positionOf(channel) {
    const position = this._channels.get(channel)?.position;
    if (!position) return null;
    return position.raw ?? `${position.topic},${position.partition}:${position.offset}`;
  }

  // --- connection lifecycle -------------------------------------------------------------------------

  async _open() {
    this._state = 'connecting';
    const epoch = ++this._epoch;
    let token;
    try {
      token = await this._token({ reason: 'connect' });
      if (typeof token !== 'string' || token === '') throw new Error('the token callback gave no token');
    } catch (e) {
      if (epoch !== this._epoch) return;
      this._emit('error', { code: 'token_failed', message: `no token: ${e && e.message ? e.message : e}` });
      this._retry(null, true);
      return;
    }
    if (epoch !== this._epoch) return;
    let socket;
    try {
      const base = typeof this._url === 'function' ? this._url() : this._url;
      let url = `${base}${base.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
      const cursor = this.cursor;
      if (cursor) url += `&cursor=${encodeURIComponent(cursor)}`;
      const claimed = this._serverChannelPositions();
      if (claimed) url += `&channels=${encodeURIComponent(JSON.stringify(claimed))}`;
      socket = new this._WebSocket(url);
    } catch (e) {
      this._emit('error', { code: 'connect_failed', message: String(e && e.message ? e.message : e) });
      this._retry(null, true);
      return;
    }
    this._socket = socket;
    this._welcome = null;
    this._reconnectAt = null;
    this._scheduleTokenRefresh(token);
    socket.onmessage = (ev) => this._onMessage(ev.data);
    socket.onclose = (ev) => this._onClose(socket, ev.code, ev.reason);
    socket.onerror = () => {}; // the close event that follows carries what happened
    this._timer('welcome', this._welcomeTimeoutMs, () => this._drop(socket, 'no welcome in time'));
  }

  _onClose(socket, code, reason) {
    if (socket !== this._socket) return;
    this._detach(socket);
    this._afterClose(code, reason || CLOSE_REASONS[code] || '');
  }

  /** Closes a socket that is no longer wanted and carries on as if the server had closed it with 1000. */
  _drop(socket, why) {
    if (socket !== this._socket) return;
    this._detach(socket);
    socket.close(1000, why);
    this._afterClose(1000, why);
  }

  _afterClose(code, reason) {
    const welcomed = this._welcome !== null;
    this._clearSessionTimers();
    this._socket = null;
    this._welcome = null;
    if (code === 1009) {
      this._emit('error', { code: 'message_too_big', message: 'the server refused a frame as too large (1009)' });
    }
    this._retry({ code, reason }, !welcomed || BACK_OFF_CODES.has(code));
  }

  /**
   * Schedules the next attempt: after a `reconnect` frame at the time it asked for, otherwise with full
   * jitter, `random(0, min(cap, base * 2^n))`, where n grows while attempts fail (or end in 1008, 1009,
   * 1011) and starts again at 0 after a session that was welcomed.
   */
  _retry(closed, backOff) {
    if (this._state === 'closed') return;
    if (!backOff) this._attempt = 0;
    let delayMs;
    if (this._reconnectAt !== null) {
      delayMs = Math.max(0, this._reconnectAt - this._now());
      this._reconnectAt = null;
      this._attempt = 0;
    } else {
      delayMs = Math.floor(this._random() * Math.min(this._capMs, this._baseMs * 2 ** this._attempt));
      this._attempt = Math.min(this._attempt + 1, 30);
    }
    this._state = 'waiting';
    if (closed) this._emit('disconnected', { ...closed, willReconnect: true, delayMs });
    this._timer('retry', delayMs, () => this._open());
  }

  _detach(socket) {
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  // --- frames ---------------------------------------------------------------------------------------

  _onMessage(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      this._emit('error', { code: 'bad_frame', message: `the server sent a frame that is not JSON: ${String(data).slice(0, 80)}` });
      return;
    }
    switch (frame.type) {
      case 'welcome': return this._onWelcome(frame);
      case 'push': return this._onPush(frame);
      case 'reconnect': return this._onReconnect(frame);
      case 'refreshed':
        this._scheduleRefreshAt(frame.validUntil);
        return this._emit('refreshed', { validUntil: frame.validUntil });
      case 'subscribed': return this._onSubscribed(frame);
      case 'unsubscribed': return this._onUnsubscribed(frame);
      case 'error': return this._onError(frame);
      default: return undefined; // pong, and frames of later protocol versions
    }
  }

  _onWelcome(frame) {
    this._cancel('welcome');
    this._welcome = frame;
    this._state = 'open';
    if (!frame.recovered) this._seen.clear();
    this._topic = frame.topic;
    this._positions = { ...frame.positions };
    this._rawCursor = null;
    this._replaying = frame.replayed || 0;
    this._persist();
    if (this._pingIntervalMs > 0) this._schedulePing();
    this._emit('connected', {
      node: frame.node, recovered: frame.recovered, replayed: frame.replayed || 0,
      session: frame.session, user: frame.user, cursor: this.cursor,
    });
    if (!frame.recovered) this._emit('resync', { reason: frame.reason, node: frame.node });
    this._subscribeQueue = [];
    this._subscribesSent = 0;
    for (const [channel, sub] of this._channels) {
      // The server subscribes its own again (token claim, recovered through the channels parameter), or not
      // (a backend command lasts one session): either way a subscribed frame says so.
      if (sub.byServer) this._channels.delete(channel);
      else this._queueSubscribe(channel);
    }
  }

  _onPush(frame) {
    let replayed;
    if (frame.channel !== undefined) {
      // A channel's push moves that channel's position, never the connect cursor.
      const sub = this._channels.get(frame.channel);
      if (!sub) return; // unsubscribed meanwhile
      replayed = sub.replaying > 0;
      if (replayed) sub.replaying--;
      const at = sub.position;
      if (at && at.partition === frame.partition && at.offset < frame.offset + 1) at.offset = frame.offset + 1;
    } else {
      replayed = this._replaying > 0;
      if (replayed) this._replaying--;
      const p = String(frame.partition);
      if (!(this._positions[p] >= frame.offset + 1)) this._positions[p] = frame.offset + 1;
      this._persist();
    }
    if (!this._seen.add(frame.id)) return;
    const push = {
      id: frame.id, partition: frame.partition, offset: frame.offset, payload: frame.payload,
      node: frame.node, replayed,
    };
    if (frame.channel !== undefined) push.channel = frame.channel;
    else if (frame.broadcast) push.broadcast = true;
    else push.user = frame.user;
    if (frame.messageId !== undefined) push.messageId = frame.messageId;
    if (frame.createdAt !== undefined) push.createdAt = frame.createdAt;
    if (frame.receipt === true) push.receipt = true; // the producer asked for a read receipt: ack(id) once handled
    this._emit('push', push);
  }

  _onSubscribed(frame) {
    let sub = this._channels.get(frame.channel);
    if (!sub) { // subscribed by the server (token claim, backend command)
      sub = { position: null, replaying: 0, attempt: 0, byServer: true };
      this._channels.set(frame.channel, sub);
    }
    sub.attempt = 0;
    sub.replaying = frame.replayed || 0;
    sub.position = { topic: frame.topic, partition: frame.partition, offset: frame.offset };
    this._emit('subscribed', {
      channel: frame.channel, recovered: frame.recovered, replayed: frame.replayed || 0,
      position: this.positionOf(frame.channel), byServer: sub.byServer,
    });
    if (!frame.recovered) this._emit('resync', { channel: frame.channel, reason: frame.reason, node: this.node });
  }

  _onUnsubscribed(frame) {
    const sub = this._channels.get(frame.channel);
    if (sub) this._channels.delete(frame.channel);
    if (frame.reason || sub) this._emit('unsubscribed', { channel: frame.channel, reason: frame.reason || 'client' });
  }

  _onError(frame) {
    const error = { code: frame.code, message: frame.message };
    if (frame.channel !== undefined) {
      error.channel = frame.channel;
      error.reason = frame.reason;
      const sub = this._channels.get(frame.channel);
      if (frame.code === 'subscribe_refused' && sub && frame.reason === 'unavailable') {
        // the server could not reach Redis or Kafka: try again with full jitter
        const delay = Math.floor(this._random() * Math.min(this._capMs, this._baseMs * 2 ** sub.attempt));
        sub.attempt = Math.min(sub.attempt + 1, 30);
        const socket = this._socket;
        this._timer(`subscribe ${frame.channel}`, delay, () => {
          if (socket === this._socket && this._channels.get(frame.channel) === sub) this._queueSubscribe(frame.channel);
        });
      } else if (frame.code === 'subscribe_refused' && sub && frame.reason !== 'already_subscribed') {
        this._channels.delete(frame.channel);
      }
    }
    this._emit('error', error);
  }

  /** Channels the server subscribed, with their positions, for the `channels` connect parameter; null for none. */
  _serverChannelPositions() {
    const positions = {};
    for (const [channel, sub] of this._channels) {
      if (sub.byServer && sub.position) positions[channel] = this.positionOf(channel);
    }
    return Object.keys(positions).length ? positions : null;
  }

  _queueSubscribe(channel) {
    if (!this._subscribeQueue.includes(channel)) this._subscribeQueue.push(channel);
    this._pumpSubscribes();
  }

  /** Sends queued subscribes, SUBSCRIBES_PER_SECOND a second at most, so many channels never trip the frame rate (1008). */
  _pumpSubscribes() {
    while (this._subscribeQueue.length && this._subscribesSent < SUBSCRIBES_PER_SECOND) {
      const channel = this._subscribeQueue.shift();
      const sub = this._channels.get(channel);
      if (sub && this._state === 'open') {
        this._sendSubscribe(channel, sub);
        this._subscribesSent++;
      }
    }
    if (this._subscribesSent > 0 && this._timers.subscribes === undefined) {
      this._timer('subscribes', 1000, () => {
        this._subscribesSent = 0;
        this._pumpSubscribes();
      });
    }
  }

  async _sendSubscribe(channel, sub) {
    const frame = { type: 'subscribe', channel };
    const position = this.positionOf(channel);
    if (position) frame.position = position;
    if (sub.token !== undefined) {
      const socket = this._socket;
      try {
        frame.token = typeof sub.token === 'function' ? await sub.token(channel) : sub.token;
      } catch (e) {
        this._emit('error', { code: 'token_failed', channel, message: `no subscription token: ${e && e.message ? e.message : e}` });
        return;
      }
      if (socket !== this._socket || this._channels.get(channel) !== sub) return;
    }
    try {
      this._send(frame);
    } catch (e) {
      this._emit('error', { code: 'subscribe_failed', channel, message: e.message });
    }
  }

  _onReconnect(frame) {
    const afterMs = Math.max(0, Number(frame.afterMs) || 0);
    this._reconnectAt = this._now() + afterMs;
    const socket = this._socket;
    this._timer('drain', afterMs, () => this._drop(socket, `reconnect: ${frame.reason || 'asked by the server'}`));
  }

  _send(frame) {
    const text = JSON.stringify(frame);
    if (text.length > MAX_FRAME_CHARS) {
      throw new RangeError(`frame of ${text.length} characters is over the server's limit of ${MAX_FRAME_CHARS}`);
    }
    if (!this._socket || this._socket.readyState !== OPEN || this._state !== 'open') return false;
    this._socket.send(text);
    return true;
  }

  // --- token refresh and pings ----------------------------------------------------------------------

  _scheduleTokenRefresh(token) {
    this._scheduleRefreshAt(tokenExpiry(token));
  }

  /** Refreshes at `refreshAt` (default 75 %) of the time left until `validUntil` (epoch millis). */
  _scheduleRefreshAt(validUntil) {
    if (typeof validUntil !== 'number' || this._refreshAt === 0) return;
    const now = this._now();
    const delay = Math.max(0, Math.floor((validUntil - now) * this._refreshAt));
    if (validUntil <= now) return;
    this._timer('refresh', delay, () => this._refreshToken());
  }

  /** Gets a fresh token from the token callback and sends it in a refresh frame now (done by itself ahead of expiry). */
  refreshToken() {
    return this._refreshToken();
  }

  async _refreshToken() {
    const socket = this._socket;
    let token;
    try {
      token = await this._token({ reason: 'refresh' });
    } catch (e) {
      this._emit('error', { code: 'token_failed', message: `no token to refresh with: ${e && e.message ? e.message : e}` });
      return;
    }
    if (socket !== this._socket) return;
    try {
      this._send({ type: 'refresh', token });
    } catch (e) {
      this._emit('error', { code: 'token_failed', message: `cannot refresh: ${e.message}` });
    }
  }

  _schedulePing() {
    this._timer('ping', this._pingIntervalMs, () => {
      this._send({ type: 'ping' });
      this._schedulePing();
    });
  }

  // --- plumbing -------------------------------------------------------------------------------------

  _adoptCursor(text) {
    const parsed = parseCursor(text);
    if (parsed) {
      this._topic = parsed.topic;
      this._positions = parsed.positions;
    } else {
      this._rawCursor = text; // sent as is: the server answers recovered:false, reason bad_cursor
    }
  }

  _persist() {
    if (this._storage && this._topic) this._storage.setItem(this._storageKey, this.cursor);
  }

  _timer(name, ms, fn) {
    this._cancel(name);
    this._timers[name] = this._setTimeout(() => {
      delete this._timers[name];
      fn();
    }, ms);
  }

  _cancel(name) {
    if (this._timers[name] !== undefined) {
      this._clearTimeout(this._timers[name]);
      delete this._timers[name];
    }
  }

  _clearSessionTimers() {
    for (const name of Object.keys(this._timers)) if (name !== 'retry') this._cancel(name);
  }

  _clearAll() {
    for (const name of Object.keys(this._timers)) this._cancel(name);
  }

  _emit(event, detail) {
    for (const listener of [...(this._listeners.get(event) || [])]) {
      try {
        listener(detail);
      } catch (e) {
        if (event !== 'error') this._emit('error', { code: 'listener_failed', message: `a ${event} listener threw: ${e && e.message ? e.message : e}` });
      }
    }
  }
}
