// Targeted messages through a running pushfabric, measured with a WebSocket client we did not write in Java.
//
//   ./pushfabric dev                       # front on 8080, connectors 8081/8082, HTTP API on 8091
//   node --experimental-websocket load-test/node/targeted.mjs --clients 1000 --rate 500 --duration-s 20
//
// N clients (one user each, HS256 tokens signed with the dev secret) connect over WebSocket; the publisher
// POSTs batches to the dispatcher's HTTP API (POST /v1/publish/batch), open loop: message n is due at
// start + n/rate, and that due time travels in its payload, so a publisher that falls behind shows as latency.
// Latency is receipt minus due time on this process's monotonic clock. At the end: connect time, p50/p90/p99/max,
// and lost (answered 200 by the API, never received) — exit code 1 when anything was lost.
// No npm dependencies: Node 20's WebSocket (--experimental-websocket), fetch and crypto.

import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const DEFAULTS = {
  ws: 'ws://127.0.0.1:8080/ws',
  api: 'http://127.0.0.1:8091',
  key: 'pf-dev-only-api-key-not-for-production',
  secret: 'pushfabric-DEV-ONLY-jwt-secret-public-in-source-code',
  clients: 1000,
  rate: 500,
  'duration-s': 20,
  'batch-max': 100,
  'max-in-flight': 64,
  'connect-concurrency': 200,
  'connect-timeout-s': 60,
  'settle-s': 10,
  'payload-bytes': 100,
};

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log('options (default):');
      for (const [k, v] of Object.entries(DEFAULTS)) console.log(`  --${k} ${v}`);
      console.log('  --ws takes a comma-separated list: clients are spread over the URLs round robin');
      process.exit(0);
    }
    if (!arg.startsWith('--') || !(arg.slice(2) in DEFAULTS) || i + 1 >= argv.length) {
      console.error(`unknown option or missing value: ${arg} (try --help)`);
      process.exit(2);
    }
    const name = arg.slice(2);
    const value = argv[++i];
    opts[name] = typeof DEFAULTS[name] === 'number' ? Number(value) : value;
    if (typeof DEFAULTS[name] === 'number' && !(opts[name] > 0)) {
      console.error(`--${name} must be a positive number, was ${value}`);
      process.exit(2);
    }
  }
  return opts;
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function token(secret, user, seconds) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: user, iat: now, exp: now + seconds }));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const opts = parseArgs(process.argv.slice(2));
const urls = opts.ws.split(',');
const prefix = `node-${randomBytes(3).toString('hex')}-u`;
const users = Array.from({ length: opts.clients }, (_, i) => `${prefix}${i}`);
const pad = 'x'.repeat(Math.max(0, opts['payload-bytes'] - 30));

// ---- clients ----
let welcomed = 0;
let closedEarly = 0;
let unexpectedFrames = 0;
const targetOf = [];          // message n -> client index
const receivedAt = new Map(); // message n -> latency ms
let duplicates = 0;
let misrouted = 0;
const sockets = [];

function connect(i) {
  return new Promise((resolve) => {
    const url = `${urls[i % urls.length]}?access_token=${token(opts.secret, users[i], 3600)}`;
    const ws = new WebSocket(url);
    sockets[i] = ws;
    let done = false;
    const finish = (ok) => { if (!done) { done = true; resolve(ok); } };
    ws.onmessage = (event) => {
      const now = performance.now();
      let frame;
      try { frame = JSON.parse(event.data); } catch { unexpectedFrames++; return; }
      if (frame.type === 'welcome') {
        welcomed++;
        finish(true);
      } else if (frame.type === 'push' && frame.payload && typeof frame.payload.n === 'number') {
        const n = frame.payload.n;
        if (targetOf[n] !== i) { misrouted++; return; }
        if (receivedAt.has(n)) { duplicates++; return; }
        receivedAt.set(n, now - frame.payload.t);
      } else if (frame.type !== 'ping' && frame.type !== 'pong') {
        unexpectedFrames++;
      }
    };
    ws.onerror = () => finish(false);
    ws.onclose = () => { if (done) closedEarly++; finish(false); };
  });
}

async function connectAll() {
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < opts.clients) {
      const i = next++;
      if (!(await connect(i))) failed++;
    }
  };
  const workers = Array.from({ length: Math.min(opts['connect-concurrency'], opts.clients) }, worker);
  const timeout = new Promise((r) => setTimeout(r, opts['connect-timeout-s'] * 1000));
  await Promise.race([Promise.all(workers), timeout]);
  return { seconds: (performance.now() - t0) / 1000, failed };
}

// ---- publisher ----
let acked = 0;
let rejected = 0;
let firstError = null;
let inFlight = 0;
const ackedIds = new Set();

async function post(batch) {
  inFlight++;
  try {
    const res = await fetch(`${opts.api}/v1/publish/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key}` },
      body: JSON.stringify({ requests: batch.map((m) => m.request) }),
    });
    const text = await res.text();
    if (res.status === 200) {
      acked += batch.length;
      batch.forEach((m) => ackedIds.add(m.n));
    } else {
      rejected += batch.length;
      firstError ??= `HTTP ${res.status} ${text.slice(0, 200)}`;
    }
  } catch (e) {
    rejected += batch.length;
    firstError ??= String(e);
  } finally {
    inFlight--;
  }
}

async function publish(live) {
  const total = Math.round(opts.rate * opts['duration-s']);
  const start = performance.now();
  let n = 0;
  while (n < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * opts.rate));
    const batch = [];
    while (n < due && batch.length < opts['batch-max']) {
      const client = live[Math.floor(Math.random() * live.length)];
      targetOf[n] = client;
      const t = start + (n * 1000) / opts.rate;
      batch.push({ n, request: { user: users[client], payload: { n, t, pad } } });
      n++;
    }
    if (batch.length > 0) {
      post(batch);
      // Like any HTTP client's connection pool: at most this many calls (and connections) at once. Latency still
      // counts from each message's due time, so time spent waiting here is measured, not hidden.
      while (inFlight >= opts['max-in-flight']) {
        await new Promise((r) => setTimeout(r, 1));
      }
    } else {
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  return (performance.now() - start) / 1000;
}

// ---- run ----
console.log(`connecting ${opts.clients} clients to ${urls.join(', ')} ...`);
const connected = await connectAll();
const live = sockets.map((ws, i) => (ws && ws.readyState === WebSocket.OPEN ? i : -1)).filter((i) => i >= 0);
console.log(`CONNECT: ${welcomed} of ${opts.clients} clients welcomed in ${connected.seconds.toFixed(1)} s`
  + ` (${(welcomed / connected.seconds).toFixed(0)}/s), ${connected.failed} failed`);
if (live.length === 0) {
  console.error('no client connected');
  process.exit(1);
}
console.log(`publishing ${opts.rate} msg/s for ${opts['duration-s']} s via ${opts.api}/v1/publish/batch ...`);
const publishSeconds = await publish(live);
const settleUntil = performance.now() + opts['settle-s'] * 1000;
while ((inFlight > 0 || receivedAt.size < acked) && performance.now() < settleUntil) {
  await new Promise((r) => setTimeout(r, 20));
}
let lost = 0;
for (const n of ackedIds) if (!receivedAt.has(n)) lost++;
const latencies = [...receivedAt.values()].sort((a, b) => a - b);
const result = {
  clients: opts.clients,
  welcomed,
  connectSeconds: Number(connected.seconds.toFixed(2)),
  rate: opts.rate,
  publishedPerSec: Number((acked / publishSeconds).toFixed(0)),
  acked,
  rejected,
  received: receivedAt.size,
  lost,
  duplicates,
  misrouted,
  closedEarly,
  unexpectedFrames,
  p50Ms: Number(percentile(latencies, 50).toFixed(2)),
  p90Ms: Number(percentile(latencies, 90).toFixed(2)),
  p99Ms: Number(percentile(latencies, 99).toFixed(2)),
  maxMs: Number(percentile(latencies, 100).toFixed(2)),
  firstError,
};
console.log(`RESULT: sent ${acked} (${result.publishedPerSec}/s), rejected ${rejected}, received ${receivedAt.size},`
  + ` lost ${lost}, duplicates ${duplicates}, misrouted ${misrouted}; latency p50 ${result.p50Ms} p90 ${result.p90Ms}`
  + ` p99 ${result.p99Ms} max ${result.maxMs} ms${firstError ? `; first error: ${firstError}` : ''}`);
console.log(JSON.stringify(result));
sockets.forEach((ws) => ws && ws.close());
process.exit(lost === 0 && rejected === 0 ? 0 : 1);
