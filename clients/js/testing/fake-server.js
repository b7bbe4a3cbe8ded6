// A scripted fake of the server side of docs/protocol.md §4 for the SDK's unit tests: sockets the test
// opens, feeds frames to and closes with any code, and a clock whose timers run only when the test
// advances it. Nothing here sleeps.

/** The WebSocket the client gets; every instance is recorded by its FakeServer. */
export class FakeServer {
  constructor() {
    this.sockets = [];
    const server = this;
    this.WebSocket = class FakeWebSocket {
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        this.sent = [];
        this.closedWith = null;
        server.sockets.push(this);
      }

      send(text) {
        if (this.readyState !== 1) throw new Error('send on a socket that is not open');
        this.sent.push(JSON.parse(text));
      }

      close(code, reason) {
        this.closedWith = { code, reason };
        this.readyState = 3;
      }
    };
  }

  /** The socket the client opened last. */
  get last() {
    return this.sockets[this.sockets.length - 1];
  }

  /** Accepts the last socket and sends the welcome; returns the socket. */
  welcome(fields = {}) {
    const socket = this.last;
    socket.readyState = 1;
    socket.onopen?.({});
    this.send(socket, {
      type: 'welcome', session: `s${this.sockets.length}`, node: 'node-a', user: 'alice', recovered: true, replayed: 0,
      topic: 'T', positions: { 0: 10, 3: 20 }, ...fields,
    });
    return socket;
  }

  send(socket, frame) {
    socket.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  push(socket, partition, offset, fields = {}) {
    this.send(socket, {
      type: 'push', id: `${partition}-${offset}`, partition, offset, node: 'node-a', user: 'alice',
      payload: { n: offset }, ...fields,
    });
  }

  /** The server (or the network) closes the socket. */
  close(socket, code, reason = '') {
    socket.readyState = 3;
    socket.onclose?.({ code, reason });
  }

  /** `cursor` query parameter of a socket's URL, decoded; null when absent. */
  static cursorOf(socket) {
    return new URL(socket.url).searchParams.get('cursor');
  }

  static tokenOf(socket) {
    return new URL(socket.url).searchParams.get('access_token');
  }
}

/** setTimeout/clearTimeout on a clock that moves only with advance(). */
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.time = start;
    this.timers = new Map();
    this.nextId = 1;
    this.now = () => this.time;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
      return id;
    };
    this.clearTimeout = (id) => this.timers.delete(id);
  }

  /** Moves the clock, running every timer that falls due, in time order, letting promises settle between. */
  async advance(ms) {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
    await settle();
  }

  /** Millis until the next timer, or null. */
  nextDelay() {
    const ats = [...this.timers.values()].map((t) => t.at);
    return ats.length ? Math.min(...ats) - this.time : null;
  }
}

/** Lets pending promise callbacks (the token callback) run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** An unsigned JWT whose payload has `exp` (seconds) — enough for the client, which only reads exp. */
export function jwt(expMillis, sub = 'alice') {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub, exp: Math.floor(expMillis / 1000) })}.sig`;
}
