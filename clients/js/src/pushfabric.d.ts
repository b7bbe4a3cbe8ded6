// Types of the pushfabric client SDK (pushfabric.js). Protocol: docs/protocol.md §4.

/** The Web Storage shape: `sessionStorage` and `localStorage` fit as they are. */
export interface CursorStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PushClientOptions {
  /** The /ws address (`wss://push.example.com/ws`), or a function called before every attempt. */
  url: string | (() => string);
  /** Gives a JWT for the connection; called before every attempt and before every refresh. */
  token: (context: { reason: 'connect' | 'refresh' }) => string | Promise<string>;
  /** A WebSocket constructor; default `globalThis.WebSocket` (browsers, Node >= 22). */
  WebSocket?: new (url: string) => WebSocket;
  /** Full-jitter backoff: `random(0, min(capMs, baseMs * 2^n))`. Defaults 500 and 30000. */
  backoff?: { baseMs?: number; capMs?: number };
  /** Refresh the token at this fraction of its remaining life (default 0.75); 0 turns it off. */
  refreshAt?: number;
  /** No welcome this long after opening: drop the socket and try again. Default 20000. */
  welcomeTimeoutMs?: number;
  /** Send `{"type":"ping"}` this often, for clients that cannot answer WebSocket pings. Default 0 (off). */
  pingIntervalMs?: number;
  /** Where to keep the cursor across reloads (e.g. `sessionStorage`). Default: nowhere. */
  storage?: CursorStorage | null;
  /** The storage key. Default `pushfabric.cursor`. */
  storageKey?: string;
  /** A cursor to start from (e.g. kept by the application), instead of the stored one. */
  cursor?: string;
  /** How many recent message ids are remembered to drop duplicates. Default 10000. */
  dedupeIds?: number;
  /** For tests: timers, clock and randomness. */
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (id: unknown) => void };
  now?: () => number;
  random?: () => number;
}

export interface ConnectedEvent {
  node: string;
  /** True for a fresh connect or when every missed message follows; false comes with a `resync` event. */
  recovered: boolean;
  /** Replayed pushes that follow, before any live one. */
  replayed: number;
  session: string;
  user: string;
  cursor: string;
}

export interface PushEvent {
  /** `<partition>-<offset>`: the message's identity on every node; give it to `ack`. */
  id: string;
  partition: number;
  offset: number;
  payload: unknown;
  /** The connector that wrote it. */
  node: string;
  /** It came in the replay after a resume. */
  replayed: boolean;
  user?: string;
  broadcast?: true;
  channel?: string;
  messageId?: string;
  createdAt?: number;
  /** The producer asked for a read receipt: call `ack(id)` once the application has handled it. */
  receipt?: true;
}

export interface ResyncEvent {
  /** retention, replay_limit, topic_changed, cursor_incomplete, bad_cursor, replay_timeout, replay_failed; for a channel also bad_position. */
  reason: string;
  node: string | null;
  /** Set when only this channel must be resynced; absent for the user's stream. */
  channel?: string;
}

export interface DisconnectedEvent {
  /** The close code (1006 when the connection failed or the upgrade was refused). */
  code: number;
  reason: string;
  willReconnect: boolean;
  /** When `willReconnect`: the wait before the next attempt. */
  delayMs?: number;
}

export interface ErrorEvent {
  /** A server error code (bad_frame, refresh_refused, subscribe_refused, …) or a local one (token_failed, message_too_big, …). */
  code: string;
  message: string;
  channel?: string;
  reason?: string;
}

export interface SubscribedEvent {
  channel: string;
  recovered: boolean;
  replayed: number;
  /** The channel's position, `<topic>,<partition>:<offset>`. */
  position: string;
  /** Subscribed by the server (a token claim or a backend command), not by `subscribe`. */
  byServer: boolean;
}

export interface PushClientEvents {
  connected: ConnectedEvent;
  push: PushEvent;
  resync: ResyncEvent;
  disconnected: DisconnectedEvent;
  error: ErrorEvent;
  refreshed: { validUntil: number };
  subscribed: SubscribedEvent;
  unsubscribed: { channel: string; reason: string };
}

export interface SubscribeOptions {
  /** Where to resume the channel from, as given by `positionOf`. */
  position?: string;
  /** A subscription JWT (`channel` claim), or a function giving one; called at every (re)subscribe. */
  token?: string | ((channel: string) => string | Promise<string>);
}

export class PushClient {
  constructor(options: PushClientOptions);
  readonly state: 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';
  /** `<topic>,<partition>:<offset>,…`; null before the first welcome (unless given or stored). */
  readonly cursor: string | null;
  readonly node: string | null;
  readonly channels: string[];
  on<E extends keyof PushClientEvents>(event: E, listener: (event: PushClientEvents[E]) => void): () => void;
  off<E extends keyof PushClientEvents>(event: E, listener: (event: PushClientEvents[E]) => void): void;
  connect(): this;
  close(): void;
  /** Fire-and-forget `{"type":"ack","id"}`; false when not connected. */
  ack(id: string): boolean;
  refreshToken(): Promise<void>;
  resetCursor(): void;
  subscribe(channel: string, options?: SubscribeOptions): void;
  unsubscribe(channel: string): boolean;
  positionOf(channel: string): string | null;
}

export const CLOSE_REASONS: Readonly<Record<number, string>>;
export function parseCursor(text: string): { topic: string; positions: Record<string, number> } | null;
export function formatCursor(topic: string, positions: Record<string, number>): string;
export function tokenExpiry(token: string): number | null;
