package io.pushfabric.loadtest.client;

import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.Phases;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated app: one user, one connection at a time. It keeps its cursor the way the protocol tells
 * clients to (from the welcome, then {@code positions[partition] = offset + 1} per push), and when the
 * connection drops it comes back, after the fleet's backoff, to the next URL with that cursor.
 */
public final class VirtualClient implements WsListener {
    enum State {
        IDLE, CONNECTING, UPGRADED, LIVE, CLOSED
    }

    private final int index;
    private final UserId user;
    private final InetAddress source;
    private final ClientFleet fleet;
    private String token;
    private int urlIndex;
    private WsConnection connection;
    private WsTransport.Pending pending;
    private State state = State.IDLE;
    private boolean stopped;
    private boolean everWelcomed;
    private boolean holdsSlot;
    private long attemptStartedNanos;
    private int attempt;
    private int failuresInARow;
    private String topicId;
    private long[] positions = new long[0];
    private int replayPending;
    private int welcomes;
    private long lastDropNanos;
    private long lastWelcomeNanos;
    private long lastRecoveredNanos;
    private boolean lastRecovered;
    private long[] drops = new long[0];
    private long firstAttemptAfterDropNanos;
    private int dropCount;
    /** The next close is a {@link #bounce}: come back to the same URL. */
    private boolean bouncing;

    VirtualClient(int index, UserId user, InetAddress source, int firstUrl, ClientFleet fleet) {
        this.index = index;
        this.user = user;
        this.source = source;
        this.urlIndex = firstUrl;
        this.fleet = fleet;
    }

    public int index() {
        return index;
    }

    public UserId user() {
        return user;
    }

    /**
     * When this client's connection last dropped, its latest welcome, when that resume was complete, and the
     * drops it noticed (System.nanoTime()).
     */
    public record Times(long dropNanos, long welcomeNanos, long recoveredNanos, boolean recovered, int welcomes,
                        long[] drops, long firstAttemptAfterDropNanos) {
        /** The first drop noticed after {@code nanos}, or 0. */
        public long firstDropAfter(long nanos) {
            for (long d : drops) {
                if (d > nanos) {
                    return d;
                }
            }
            return 0;
        }
    }

    public synchronized Times times() {
        return new Times(lastDropNanos, lastWelcomeNanos, lastRecoveredNanos, lastRecovered, welcomes,
                Arrays.copyOf(drops, dropCount), firstAttemptAfterDropNanos);
    }

    public synchronized boolean isLive() {
        return state == State.LIVE;
    }

    /** Starts a connect unless one is under way or the client stopped. @return whether it started one */
    boolean connect() {
        java.net.URI uri;
        int thisAttempt;
        synchronized (this) {
            if (stopped || state == State.CONNECTING || state == State.UPGRADED || state == State.LIVE) {
                return false;
            }
            if (token == null) {
                token = fleet.token(index, user);
            }
            state = State.CONNECTING;
            attemptStartedNanos = System.nanoTime();
            if (lastDropNanos > 0 && firstAttemptAfterDropNanos < lastDropNanos) {
                firstAttemptAfterDropNanos = attemptStartedNanos;
            }
            thisAttempt = ++attempt;
            uri = fleet.uri(urlIndex, token, cursorText());
        }
        fleet.watch(this, thisAttempt);
        try {
            WsTransport.Pending p = fleet.transport().connect(uri, source, this);
            synchronized (this) {
                if (thisAttempt == attempt && state == State.CONNECTING) {
                    pending = p;
                }
            }
        } catch (RuntimeException e) {
            onConnectFailed(e);
        }
        return true;
    }

    /** Called by the fleet's watchdog: a connection that has not been welcomed in time is dropped. */
    void abortIfStuck(int watchedAttempt) {
        WsConnection c;
        WsTransport.Pending p;
        synchronized (this) {
            if (watchedAttempt != attempt || (state != State.CONNECTING && state != State.UPGRADED)) {
                return;
            }
            c = connection;
            p = pending;
        }
        fleet.stuck();
        if (c != null) {
            c.abort();
        } else if (p != null) {
            p.cancel();
        }
    }

    @Override
    public void onOpen(WsConnection opened) {
        boolean close;
        long took;
        synchronized (this) {
            connection = opened;
            pending = null;
            state = State.UPGRADED;
            took = System.nanoTime() - attemptStartedNanos;
            close = stopped;
        }
        fleet.upgraded(took);
        if (close) {
            opened.close();
        }
    }

    @Override
    public void onConnectFailed(Throwable error) {
        boolean neverWelcomed;
        synchronized (this) {
            state = State.CLOSED;
            connection = null;
            pending = null;
            failuresInARow++;
            urlIndex++;
            neverWelcomed = !everWelcomed;
        }
        fleet.connectFailed(this, error, neverWelcomed);
    }

    @Override
    public void onText(String text) {
        long receivedMicros = fleet.clock().nowMicros();
        FrameReader.Frame frame = fleet.frames().read(text);
        if (frame instanceof FrameReader.Push push) {
            onPush(push, receivedMicros);
        } else if (frame instanceof FrameReader.Welcome welcome) {
            onWelcome(welcome.frame());
        } else if (frame instanceof FrameReader.Subscribed) {
            fleet.subscribed();
        }
    }

    private void onPush(FrameReader.Push push, long receivedMicros) {
        synchronized (this) {
            // a channel push's offset is a position in the channel's stream, not the user's (protocol §6)
            if (!push.channel() && push.partition() >= 0 && push.offset() >= 0) {
                if (push.partition() >= positions.length) {
                    int old = positions.length;
                    positions = Arrays.copyOf(positions, push.partition() + 1);
                    Arrays.fill(positions, old, positions.length, -1);
                }
                positions[push.partition()] = Math.max(positions[push.partition()], push.offset() + 1);
            }
            if (!push.channel() && replayPending > 0 && --replayPending == 0) {
                lastRecoveredNanos = System.nanoTime();
            }
        }
        DeliveryLedger ledger = fleet.ledger();
        DeliveryLedger.Receipt receipt;
        if (push.g() >= 0) {
            receipt = ledger.receivedTargeted(index, push.g());
        } else if (push.b() >= 0) {
            receipt = ledger.receivedBroadcast(index, push.b(), receivedMicros);
        } else if (push.c() >= 0) {
            receipt = ledger.receivedChannel(index, push.c(), receivedMicros);
        } else {
            receipt = DeliveryLedger.Receipt.UNKNOWN;
        }
        if (receipt == DeliveryLedger.Receipt.FIRST && push.createdMicros() > 0) {
            int phase = push.phase() >= 0 && push.phase() < Phases.MAX ? push.phase() : 0;
            fleet.recordLatency(index, phase, receivedMicros - push.createdMicros());
        }
    }

    private void onWelcome(ServerFrame.Welcome w) {
        long took;
        boolean first;
        synchronized (this) {
            topicId = w.cursor().topicId();
            int size = w.cursor().positions().keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            positions = new long[Math.max(size, positions.length)];
            Arrays.fill(positions, -1);
            w.cursor().positions().forEach((p, o) -> positions[p] = o);
            state = State.LIVE;
            welcomes++;
            lastWelcomeNanos = System.nanoTime();
            lastRecovered = w.recovered();
            replayPending = w.replayed();
            if (replayPending == 0) {
                lastRecoveredNanos = lastWelcomeNanos;
            }
            failuresInARow = 0;
            took = lastWelcomeNanos - attemptStartedNanos;
            first = !everWelcomed;
            everWelcomed = true;
        }
        fleet.welcomed(this, took, w, first);
    }

    @Override
    public void onClosed(int code) {
        boolean wasLive;
        boolean neverWelcomed;
        synchronized (this) {
            wasLive = state == State.LIVE;
            state = State.CLOSED;
            connection = null;
            lastDropNanos = System.nanoTime();
            if (wasLive) {
                if (dropCount == drops.length) {
                    drops = Arrays.copyOf(drops, Math.max(2, drops.length * 2));
                }
                drops[dropCount++] = lastDropNanos;
            }
            if (!bouncing) {
                urlIndex++;
            }
            bouncing = false;
            if (!wasLive) {
                failuresInARow++;
            }
            neverWelcomed = !everWelcomed;
        }
        fleet.closed(this, wasLive, code, neverWelcomed);
    }

    synchronized int failuresInARow() {
        return failuresInARow;
    }

    /** The fleet's connect gate: a client holds one slot from its first attempt until welcomed or failed. */
    synchronized void takeSlot() {
        holdsSlot = true;
    }

    /** @return whether the client held a slot (so the fleet frees exactly one per client) */
    synchronized boolean releaseSlot() {
        boolean held = holdsSlot;
        holdsSlot = false;
        return held;
    }

    /**
     * Closes a live connection normally, as an app going into a tunnel does, and comes back (after the fleet's
     * backoff, with its cursor) to the same URL. @return whether the connection was live
     */
    boolean bounce() {
        WsConnection c;
        synchronized (this) {
            if (stopped || state != State.LIVE) {
                return false;
            }
            bouncing = true;
            c = connection;
        }
        c.close();
        return true;
    }

    /** Stops reconnecting and closes the connection normally. @return whether a connection was open */
    boolean stop() {
        WsConnection c;
        synchronized (this) {
            stopped = true;
            c = connection;
        }
        if (c != null) {
            c.close();
            return true;
        }
        return false;
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    private String cursorText() {
        if (topicId == null) {
            return null;
        }
        Map<Integer, Long> map = new TreeMap<>();
        for (int p = 0; p < positions.length; p++) {
            if (positions[p] >= 0) {
                map.put(p, positions[p]);
            }
        }
        return new Cursor(topicId, map).format();
    }
}
