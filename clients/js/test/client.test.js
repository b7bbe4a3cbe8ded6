// The SDK's state machine against a scripted fake server: frames, drops, close codes, timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushClient, parseCursor, formatCursor } from '../src/pushfabric.js';
import { FakeServer, FakeClock, settle, jwt } from '../testing/fake-server.js';

/** A client on a fake server and clock; random() is 0.5 unless given, so full jitter is half the ceiling. */
function setup(options = {}) {
  const server = new FakeServer();
  const clock = new FakeClock();
  const tokens = [];
  const events = [];
  const client = new PushClient({
    url: 'wss://push.example/ws',
    token: ({ reason }) => {
      const t = jwt(clock.now() + 3_600_000) + `#${tokens.length}`;
      tokens.push({ reason, token: t });
      return Promise.resolve(t);
    },
    WebSocket: server.WebSocket,
    timers: clock,
    now: clock.now,
    random: () => 0.5,
    ...options,
  });
  for (const e of ['connected', 'push', 'resync', 'disconnected', 'error']) client.on(e, (d) => events.push([e, d]));
  const of = (name) => events.filter(([e]) => e === name).map(([, d]) => d);
  return { server, clock, client, tokens, events, of };
}

async function connected(options) {
  const s = setup(options);
  s.client.connect();
  await settle();
  return s;
}

test('first connect: the token from the callback, no cursor; welcome gives connected and the cursor', async () => {
  const { server, client, of } = await connected();
  assert.equal(server.sockets.length, 1);
  assert.match(server.last.url, /^wss:\/\/push\.example\/ws\?access_token=/);
  assert.equal(FakeServer.cursorOf(server.last), null);
  server.welcome({ node: 'node-b' });
  assert.deepEqual(of('connected').map((c) => [c.node, c.recovered]), [['node-b', true]]);
  assert.equal(client.cursor, 'T,0:10,3:20');
  assert.equal(client.state, 'open');
  assert.equal(client.node, 'node-b');
});

test('each push moves its partition to offset + 1, never back; a repeated id is dropped', async () => {
  const { server, client, of } = await connected();
  const ws = server.welcome();
  server.push(ws, 3, 20);
  server.push(ws, 3, 21, { broadcast: true, user: undefined });
  server.push(ws, 3, 20); // again
  server.push(ws, 0, 5); // behind the welcome position: delivered once, cursor stays
  assert.deepEqual(of('push').map((p) => p.id), ['3-20', '3-21', '0-5']);
  assert.equal(of('push')[1].broadcast, true);
  assert.equal(of('push')[0].user, 'alice');
  assert.deepEqual(of('push')[0].payload, { n: 20 });
  assert.equal(client.cursor, 'T,0:10,3:22');
});

test('a drop reconnects after a full-jitter delay with the cursor, and the duplicates of the resume are dropped', async () => {
  const { server, clock, of } = await connected();
  const ws = server.welcome();
  server.push(ws, 3, 20);
  server.close(ws, 1006);
  assert.deepEqual(of('disconnected')[0], { code: 1006, reason: 'connection lost or upgrade refused', willReconnect: true, delayMs: 250 });
  await clock.advance(249);
  assert.equal(server.sockets.length, 1);
  await clock.advance(1);
  assert.equal(server.sockets.length, 2);
  assert.equal(FakeServer.cursorOf(server.last), 'T,0:10,3:21');
  const again = server.welcome({ positions: { 0: 10, 3: 20 }, replayed: 2 });
  server.push(again, 3, 20);
  server.push(again, 3, 21);
  assert.deepEqual(of('push').map((p) => [p.id, p.replayed]), [['3-20', false], ['3-21', true]]);
});

test('backoff doubles while attempts fail, stops at the cap, and starts again after a welcome', async () => {
  const { server, clock, of } = await connected({ backoff: { baseMs: 100, capMs: 1000 }, random: () => 0.999 });
  for (let i = 0; i < 6; i++) {
    server.close(server.last, 1006);
    await clock.advance(clock.nextDelay());
  }
  assert.deepEqual(of('disconnected').map((d) => d.delayMs), [99, 199, 399, 799, 999, 999]);
  server.welcome();
  server.close(server.last, 1001);
  assert.equal(of('disconnected').at(-1).delayMs, 99);
});

test('full jitter: the delay is random(0, ceiling)', async () => {
  const draws = [0, 0.25];
  const { server, clock, of } = await connected({ backoff: { baseMs: 1000, capMs: 8000 }, random: () => draws.shift() ?? 0.5 });
  server.close(server.last, 1006);
  await clock.advance(clock.nextDelay());
  server.close(server.last, 1006);
  assert.deepEqual(of('disconnected').map((d) => d.delayMs), [0, 500]);
});

for (const code of [1000, 1001, 1011, 1012, 4000, 4001, 4002, 4003, 4004, 4005, 4999]) {
  test(`close ${code} after a welcome: reconnect with the cursor and a fresh token`, async () => {
    const { server, clock, tokens, of } = await connected();
    const ws = server.welcome();
    server.push(ws, 0, 10);
    server.close(ws, code);
    assert.equal(of('disconnected')[0].code, code);
    assert.equal(of('disconnected')[0].willReconnect, true);
    await clock.advance(clock.nextDelay());
    assert.equal(server.sockets.length, 2);
    assert.equal(FakeServer.cursorOf(server.last), 'T,0:11,3:20');
    assert.equal(tokens.length, 2);
    assert.equal(FakeServer.tokenOf(server.last), tokens[1].token);
  });
}

for (const code of [1008, 1009, 1011]) {
  test(`close ${code}: the backoff keeps growing even though each session was welcomed`, async () => {
    const { server, clock, of } = await connected({ backoff: { baseMs: 100, capMs: 10_000 }, random: () => 0.999 });
    for (let i = 0; i < 3; i++) {
      server.welcome();
      server.close(server.last, code);
      await clock.advance(clock.nextDelay());
    }
    assert.deepEqual(of('disconnected').map((d) => d.delayMs), [99, 199, 399]);
    if (code === 1009) assert.equal(of('error')[0].code, 'message_too_big');
  });
}

test('a reconnect frame: at afterMs the client leaves and resumes with its cursor, without backoff', async () => {
  const { server, clock, of } = await connected({ random: () => 0.999 });
  const ws = server.welcome();
  server.send(ws, { type: 'reconnect', afterMs: 1834, reason: 'draining' });
  server.push(ws, 3, 20); // live messages still arrive until then
  await clock.advance(1833);
  assert.equal(server.sockets.length, 1);
  await clock.advance(1);
  assert.deepEqual(ws.closedWith, { code: 1000, reason: 'reconnect: draining' });
  assert.equal(of('disconnected')[0].delayMs, 0);
  await clock.advance(0);
  assert.equal(server.sockets.length, 2);
  assert.equal(FakeServer.cursorOf(server.last), 'T,0:10,3:21');
});

test('a 1012 that comes before afterMs: the client still waits until afterMs', async () => {
  const { server, clock, of } = await connected();
  const ws = server.welcome();
  server.send(ws, { type: 'reconnect', afterMs: 5000, reason: 'draining' });
  await clock.advance(1000);
  server.close(ws, 1012);
  assert.equal(of('disconnected')[0].delayMs, 4000);
  await clock.advance(3999);
  assert.equal(server.sockets.length, 1);
  await clock.advance(1);
  assert.equal(server.sockets.length, 2);
});

test('recovered:false gives resync with the reason, the welcome positions, and forgets the ids seen', async () => {
  const { server, clock, client, of } = await connected();
  let ws = server.welcome();
  server.push(ws, 3, 20);
  server.close(ws, 1006);
  await clock.advance(clock.nextDelay());
  ws = server.welcome({ recovered: false, reason: 'replay_limit', topic: 'T', positions: { 0: 900, 3: 20 } });
  assert.deepEqual(of('resync'), [{ reason: 'replay_limit', node: 'node-a' }]);
  assert.equal(of('connected')[1].recovered, false);
  assert.equal(client.cursor, 'T,0:900,3:20');
  server.push(ws, 3, 20); // a new topic could reuse ids: nothing remembered across a resync
  assert.equal(of('push').length, 2);
});

test('the token is refreshed at 75 % of its life with a refresh frame, and again after refreshed', async () => {
  const { server, clock, tokens } = await connected();
  const ws = server.welcome();
  await clock.advance(2_699_999);
  assert.deepEqual(ws.sent, []);
  await clock.advance(1);
  assert.equal(tokens.at(-1).reason, 'refresh');
  assert.deepEqual(ws.sent, [{ type: 'refresh', token: tokens.at(-1).token }]);
  server.send(ws, { type: 'refreshed', validUntil: clock.now() + 400_000 });
  await clock.advance(300_000);
  assert.equal(ws.sent.length, 2);
  assert.equal(ws.sent[1].type, 'refresh');
});

test('a refused refresh is reported; the 4005 that follows reconnects with a fresh token', async () => {
  const { server, clock, tokens, of } = await connected();
  const ws = server.welcome();
  server.send(ws, { type: 'error', code: 'refresh_refused', message: 'expired; the session still ends when its current token expires' });
  assert.equal(of('error')[0].code, 'refresh_refused');
  server.close(ws, 4005);
  await clock.advance(clock.nextDelay());
  assert.equal(FakeServer.tokenOf(server.last), tokens.at(-1).token);
  assert.equal(tokens.at(-1).reason, 'connect');
});

test('a token callback that fails is reported and retried with backoff', async () => {
  let calls = 0;
  const { server, clock, of } = await connected({
    token: () => (++calls === 1 ? Promise.reject(new Error('auth down')) : Promise.resolve('t')),
  });
  assert.equal(server.sockets.length, 0);
  assert.match(of('error')[0].message, /auth down/);
  await clock.advance(clock.nextDelay());
  assert.equal(server.sockets.length, 1);
});

test('no welcome within welcomeTimeoutMs: the socket is dropped and the client backs off', async () => {
  const { server, clock, of } = await connected({ welcomeTimeoutMs: 5000 });
  const ws = server.last;
  await clock.advance(5000);
  assert.equal(ws.closedWith.code, 1000);
  assert.equal(of('disconnected')[0].reason, 'no welcome in time');
  await clock.advance(clock.nextDelay());
  assert.equal(server.sockets.length, 2);
});

test('close() ends it: no reconnect, one disconnected with willReconnect false', async () => {
  const { server, clock, client, of } = await connected();
  const ws = server.welcome();
  client.close();
  assert.deepEqual(ws.closedWith, { code: 1000, reason: 'client closed' });
  assert.deepEqual(of('disconnected'), [{ code: 1000, reason: 'client closed', willReconnect: false }]);
  await clock.advance(3_600_000);
  assert.equal(server.sockets.length, 1);
  assert.equal(clock.nextDelay(), null);
});

test('events of a socket the client has left are ignored', async () => {
  const { server, clock, of } = await connected();
  const old = server.welcome();
  server.send(old, { type: 'reconnect', afterMs: 0, reason: 'draining' });
  await clock.advance(0);
  server.push(old, 3, 99);
  server.close(old, 1012);
  assert.equal(of('push').length, 0);
  assert.equal(of('disconnected').length, 1);
});

test('a push with receipt:true says so, for the application to ack it', async () => {
  const { server, client, of } = await connected();
  const ws = server.welcome();
  server.push(ws, 3, 20, { receipt: true });
  server.push(ws, 3, 21);
  assert.deepEqual(of('push').map((p) => p.receipt), [true, undefined]);
  client.ack(of('push')[0].id);
  assert.deepEqual(ws.sent, [{ type: 'ack', id: '3-20' }]);
});

test('ack sends {"type":"ack","id"} on an open session, false otherwise, and refuses a malformed id', async () => {
  const { server, client } = await connected();
  assert.equal(client.ack('3-120'), false);
  const ws = server.welcome();
  assert.equal(client.ack('3-120'), true);
  assert.deepEqual(ws.sent, [{ type: 'ack', id: '3-120' }]);
  assert.throws(() => client.ack('abc'), /push id/);
});

test('pings are off by default; pingIntervalMs sends {"type":"ping"}', async () => {
  const quiet = await connected();
  const ws1 = quiet.server.welcome();
  await quiet.clock.advance(100_000);
  assert.deepEqual(ws1.sent, []);
  const chatty = await connected({ pingIntervalMs: 10_000 });
  const ws2 = chatty.server.welcome();
  await chatty.clock.advance(25_000);
  assert.deepEqual(ws2.sent, [{ type: 'ping' }, { type: 'ping' }]);
});

test('the cursor is not stored by default, not even in the browser storages', async () => {
  const trap = { getItem: () => assert.fail('read'), setItem: () => assert.fail('written'), removeItem: () => assert.fail('removed') };
  globalThis.sessionStorage = trap;
  globalThis.localStorage = trap;
  try {
    const { server, client } = await connected();
    server.push(server.welcome(), 3, 20);
    client.resetCursor();
  } finally {
    delete globalThis.sessionStorage;
    delete globalThis.localStorage;
  }
});

test('with a storage adapter the cursor survives a reload', async () => {
  const map = new Map();
  const storage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
  const first = await connected({ storage });
  first.server.push(first.server.welcome(), 3, 20);
  assert.equal(map.get('pushfabric.cursor'), 'T,0:10,3:21');
  const reloaded = await connected({ storage });
  assert.equal(FakeServer.cursorOf(reloaded.server.last), 'T,0:10,3:21');
  reloaded.client.resetCursor();
  assert.equal(map.size, 0);
});

test('a stored cursor that does not parse is sent as is, so the server answers bad_cursor', async () => {
  const { server } = await connected({ cursor: 'garbage!!' });
  assert.equal(FakeServer.cursorOf(server.last), 'garbage!!');
});

test('a frame over 4096 characters is refused before it is sent', async () => {
  const { server, clock, client, of } = await connected({ token: () => Promise.resolve(jwt(new FakeClock().now() + 100_000) + 'x'.repeat(5000)) });
  const ws = server.welcome();
  assert.throws(() => client.ack(`1-${'1'.repeat(5000)}`), RangeError);
  await clock.advance(75_000);
  assert.match(of('error')[0].message, /over the server's limit of 4096/);
  assert.deepEqual(ws.sent, []);
});

test('a frame that is not JSON is reported, the session stays', async () => {
  const { server, client, of } = await connected();
  const ws = server.welcome();
  server.send(ws, 'garbage');
  assert.equal(of('error')[0].code, 'bad_frame');
  assert.equal(client.state, 'open');
});

test('cursor strings round-trip; partitions sorted', () => {
  assert.deepEqual(parseCursor('T,3:121,0:58'), { topic: 'T', positions: { 3: 121, 0: 58 } });
  assert.equal(formatCursor('T', { 3: 121, 0: 58 }), 'T,0:58,3:121');
  assert.equal(parseCursor('T,3:twelve'), null);
  assert.equal(parseCursor('T'), null);
});

test('options are checked when the client is made', () => {
  const WebSocket = new FakeServer().WebSocket;
  assert.throws(() => new PushClient({ token: () => 't', WebSocket }), /url is required/);
  assert.throws(() => new PushClient({ url: 'ws://x', WebSocket }), /token is required/);
  assert.throws(() => new PushClient({ url: 'ws://x', token: () => 't', WebSocket, backoff: { baseMs: 0 } }), /backoff.baseMs/);
  assert.throws(() => new PushClient({ url: 'ws://x', token: () => 't', WebSocket, refreshAt: 1 }), /refreshAt/);
});

test('refreshAt 0 turns automatic refresh off; refreshToken() refreshes now; refreshed is an event', async () => {
  const { server, clock, client, tokens } = await connected({ refreshAt: 0 });
  const ws = server.welcome();
  await clock.advance(3_000_000);
  assert.deepEqual(ws.sent, []);
  await client.refreshToken();
  assert.deepEqual(ws.sent, [{ type: 'refresh', token: tokens.at(-1).token }]);
  const seen = [];
  client.on('refreshed', (r) => seen.push(r));
  server.send(ws, { type: 'refreshed', validUntil: 43 });
  assert.deepEqual(seen, [{ validUntil: 43 }]);
});

test('close() then connect() while a token is on its way: one socket, for the second connect', async () => {
  const server = new FakeServer();
  const clock = new FakeClock();
  const waiting = [];
  const client = new PushClient({
    url: 'ws://x/ws', WebSocket: server.WebSocket, timers: clock, now: clock.now,
    token: () => new Promise((resolve) => waiting.push(resolve)),
  });
  client.connect();
  client.close();
  client.connect();
  waiting[0]('first');
  waiting[1]('second');
  await settle();
  assert.deepEqual(server.sockets.map((s) => FakeServer.tokenOf(s)), ['second']);
});

test('a url function that throws is an error and a retry, not an unhandled rejection', async () => {
  let calls = 0;
  const { server, clock, of } = await connected({ url: () => { if (++calls === 1) throw new Error('no address'); return 'ws://x/ws'; } });
  assert.match(of('error')[0].message, /no address/);
  await clock.advance(clock.nextDelay());
  assert.equal(server.sockets.length, 1);
});
