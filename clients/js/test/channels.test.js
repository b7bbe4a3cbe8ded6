// Channels in the SDK against the wire contract of branch `channels` (subscribe, subscribed with a
// per-channel position, per-channel resync, unsubscribe, refusals), on the scripted fake server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushClient } from '../src/pushfabric.js';
import { FakeServer, FakeClock, settle } from '../testing/fake-server.js';

async function connected(options = {}) {
  const server = new FakeServer();
  const clock = new FakeClock();
  const events = [];
  const client = new PushClient({
    url: 'ws://x/ws', token: () => 't', WebSocket: server.WebSocket, timers: clock, now: clock.now, random: () => 0.5, ...options,
  });
  for (const e of ['connected', 'push', 'resync', 'subscribed', 'unsubscribed', 'error']) client.on(e, (d) => events.push([e, d]));
  client.connect();
  await settle();
  return { server, clock, client, of: (name) => events.filter(([e]) => e === name).map(([, d]) => d) };
}

const subscribed = (fields = {}) => ({
  type: 'subscribed', channel: 'chat:lobby', recovered: true, replayed: 0, topic: 'T', partition: 7, offset: 1234,
  position: 'T,7:1234', ...fields,
});

test('subscribe sends the frame once connected; subscribed gives the channel position', async () => {
  const { server, client, of } = await connected();
  client.subscribe('chat:lobby');
  const ws = server.welcome();
  assert.deepEqual(ws.sent, [{ type: 'subscribe', channel: 'chat:lobby' }]);
  server.send(ws, subscribed());
  assert.deepEqual(of('subscribed'), [{ channel: 'chat:lobby', recovered: true, replayed: 0, position: 'T,7:1234', byServer: false }]);
  assert.equal(client.positionOf('chat:lobby'), 'T,7:1234');
  assert.deepEqual(client.channels, ['chat:lobby']);
});

test('a channel push moves the channel position and never the connect cursor', async () => {
  const { server, client, of } = await connected();
  client.subscribe('chat:lobby');
  const ws = server.welcome({ positions: { 7: 50 } });
  server.send(ws, subscribed({ replayed: 1 }));
  server.push(ws, 7, 1234, { channel: 'chat:lobby', user: undefined });
  server.push(ws, 7, 1240, { channel: 'chat:lobby', user: undefined });
  server.push(ws, 7, 1240, { channel: 'chat:lobby', user: undefined });
  assert.deepEqual(of('push').map((p) => [p.id, p.channel, p.replayed]), [['7-1234', 'chat:lobby', true], ['7-1240', 'chat:lobby', false]]);
  assert.equal(client.positionOf('chat:lobby'), 'T,7:1241');
  assert.equal(client.cursor, 'T,7:50');
});

test('after a reconnect each channel is subscribed again from its own position', async () => {
  const { server, clock, client } = await connected();
  client.subscribe('chat:lobby');
  client.subscribe('news', { token: async (channel) => `sub-token-for-${channel}` });
  let ws = server.welcome();
  await settle();
  server.send(ws, subscribed());
  server.push(ws, 7, 1300, { channel: 'chat:lobby', user: undefined });
  server.close(ws, 1006);
  await clock.advance(clock.nextDelay());
  ws = server.welcome();
  await settle();
  assert.deepEqual(ws.sent, [
    { type: 'subscribe', channel: 'chat:lobby', position: 'T,7:1301' },
    { type: 'subscribe', channel: 'news', token: 'sub-token-for-news' },
  ]);
});

test('recovered:false on a channel gives a resync of that channel only', async () => {
  const { server, client, of } = await connected();
  client.subscribe('chat:lobby', { position: 'T,7:10' });
  const ws = server.welcome();
  assert.deepEqual(ws.sent, [{ type: 'subscribe', channel: 'chat:lobby', position: 'T,7:10' }]);
  server.send(ws, subscribed({ recovered: false, reason: 'retention', offset: 5000 }));
  assert.deepEqual(of('resync'), [{ channel: 'chat:lobby', reason: 'retention', node: 'node-a' }]);
  assert.equal(of('connected')[0].recovered, true);
  assert.equal(client.positionOf('chat:lobby'), 'T,7:5000');
});

test('a position that does not parse is sent as is, so the server answers bad_position', async () => {
  const { server, client } = await connected();
  client.subscribe('chat:lobby', { position: 'T,3:1,4:2' });
  assert.deepEqual(server.welcome().sent, [{ type: 'subscribe', channel: 'chat:lobby', position: 'T,3:1,4:2' }]);
});

test('unsubscribe sends the frame and stops the channel pushes at once', async () => {
  const { server, client, of } = await connected();
  client.subscribe('chat:lobby');
  const ws = server.welcome();
  server.send(ws, subscribed());
  assert.equal(client.unsubscribe('chat:lobby'), true);
  assert.equal(client.unsubscribe('chat:lobby'), false);
  server.push(ws, 7, 1234, { channel: 'chat:lobby', user: undefined });
  server.send(ws, { type: 'unsubscribed', channel: 'chat:lobby' });
  assert.deepEqual(ws.sent.at(-1), { type: 'unsubscribe', channel: 'chat:lobby' });
  assert.equal(of('push').length, 0);
  assert.deepEqual(client.channels, []);
});

test('the server unsubscribing is reported with its reason, and the channel is not subscribed again', async () => {
  const { server, clock, client, of } = await connected();
  client.subscribe('chat:lobby');
  let ws = server.welcome();
  server.send(ws, subscribed());
  server.send(ws, { type: 'unsubscribed', channel: 'chat:lobby', reason: 'server' });
  assert.deepEqual(of('unsubscribed'), [{ channel: 'chat:lobby', reason: 'server' }]);
  server.close(ws, 1006);
  await clock.advance(clock.nextDelay());
  ws = server.welcome();
  assert.deepEqual(ws.sent, []);
  assert.deepEqual(client.channels, []);
});

test('a refused subscribe is reported; unavailable is retried with backoff, not_allowed is given up', async () => {
  const { server, clock, client, of } = await connected();
  client.subscribe('chat:lobby');
  client.subscribe('secret');
  const ws = server.welcome();
  server.send(ws, { type: 'error', code: 'subscribe_refused', channel: 'chat:lobby', reason: 'unavailable', message: 'redis down' });
  server.send(ws, { type: 'error', code: 'subscribe_refused', channel: 'secret', reason: 'not_allowed', message: 'no rule' });
  assert.deepEqual(of('error').map((e) => [e.channel, e.reason]), [['chat:lobby', 'unavailable'], ['secret', 'not_allowed']]);
  assert.deepEqual(client.channels, ['chat:lobby']);
  await clock.advance(250);
  assert.deepEqual(ws.sent.at(-1), { type: 'subscribe', channel: 'chat:lobby' });
});

test('a channel the server subscribed (token claim) delivers, and is recovered through the channels connect parameter', async () => {
  const { server, clock, client, of } = await connected();
  let ws = server.welcome();
  server.send(ws, subscribed({ channel: 'team:7' }));
  server.push(ws, 7, 1234, { channel: 'team:7', user: undefined });
  assert.equal(of('subscribed')[0].byServer, true);
  assert.equal(of('push')[0].channel, 'team:7');
  server.close(ws, 1006);
  await clock.advance(clock.nextDelay());
  assert.deepEqual(JSON.parse(new URL(server.last.url).searchParams.get('channels')), { 'team:7': 'T,7:1235' });
  ws = server.welcome();
  assert.deepEqual(ws.sent, []); // no subscribe frame: the server subscribes its own
  assert.deepEqual(client.channels, []);
  server.send(ws, subscribed({ channel: 'team:7', replayed: 0, offset: 1235 }));
  assert.deepEqual(client.channels, ['team:7']);
});

test('no channels parameter when the server subscribed nothing', async () => {
  const { server } = await connected();
  assert.equal(new URL(server.last.url).searchParams.get('channels'), null);
});

test('many channels are subscribed 10 frames a second, under the server frame rate', async () => {
  const { server, clock, client } = await connected();
  for (let i = 0; i < 25; i++) client.subscribe(`chat:room-${i}`);
  const ws = server.welcome();
  await settle();
  assert.equal(ws.sent.length, 10);
  await clock.advance(999);
  assert.equal(ws.sent.length, 10);
  await clock.advance(1);
  assert.equal(ws.sent.length, 20);
  await clock.advance(1000);
  assert.deepEqual(ws.sent.map((f) => f.channel), Array.from({ length: 25 }, (_, i) => `chat:room-${i}`));
});

test('a bad channel name is refused before anything is sent', async () => {
  const { client } = await connected();
  for (const bad of ['', '#x', 'has space', 'a*b', 'x'.repeat(201), 'q"']) {
    assert.throws(() => client.subscribe(bad), /channel name/);
  }
});
