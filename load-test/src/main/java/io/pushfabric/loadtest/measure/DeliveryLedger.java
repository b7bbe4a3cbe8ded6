package io.pushfabric.loadtest.measure;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What was sent and what arrived. Every published message gets a number: targeted messages {@code g} (one
 * recipient, the client of the target user), broadcasts {@code b} (every client of the audience). A message
 * is <em>lost</em> when Kafka acknowledged its publish and a recipient never received it; a receipt of a
 * number the client already had is a <em>duplicate</em>; a first receipt of a targeted number below the
 * client's highest so far is <em>out of order</em>. Channel messages {@code k} go to every subscriber of their
 * channel; who that is, and the per-channel order, is kept by the {@link ChannelBook}.
 *
 * <p>Thread-safe: the publisher thread numbers messages, Kafka's producer thread acknowledges them, the
 * clients' I/O threads record receipts.
 */
public final class DeliveryLedger {
    /** What a receipt was. */
    public enum Receipt {
        FIRST, DUPLICATE, MISROUTED, UNKNOWN
    }

    private static final int ACKED = 1;
    private static final int FAILED = 2;
    private static final int RECEIVED = 4;

    private final int clients;
    private final int[] targetOf;
    private final byte[] targetedPhase;
    private final AtomicIntegerArray targeted;
    private final AtomicInteger nextTargeted = new AtomicInteger();
    private final byte[] broadcastPhase;
    private final AtomicIntegerArray broadcast;
    private final AtomicInteger nextBroadcast = new AtomicInteger();
    private final BitSet[] broadcastsOf;
    private final CopyTimes broadcastCopies;
    private final ChannelBook channels;
    private final byte[] channelPhase;
    private final AtomicIntegerArray channelState;
    private final int[] highestTargeted;
    private final PhaseCounts[] phases = new PhaseCounts[Phases.MAX];
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder misrouted = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private volatile BitSet audience = new BitSet();
    private volatile int audienceSize;

    /** Counters of one phase. */
    private static final class PhaseCounts {
        final LongAdder sent = new LongAdder();
        final LongAdder acked = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder expected = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder duplicates = new LongAdder();
    }

    /** Counts of one phase at one moment. */
    public record PhaseSnapshot(long sent, long acked, long failed, long expected, long delivered, long duplicates) {
        /** Every publish answered and every expected delivery made. */
        public boolean settled() {
            return sent == acked + failed && delivered >= expected;
        }
    }

    /**
     * @param clients       the number of clients, indexed 0..clients-1
     * @param maxTargeted   capacity for targeted messages in this run
     * @param maxBroadcasts capacity for broadcasts in this run
     */
    public DeliveryLedger(int clients, int maxTargeted, int maxBroadcasts) {
        this(clients, maxTargeted, maxBroadcasts, ChannelBook.NONE);
    }

    /** @param channels the channel memberships of the clients, and the capacity for channel messages */
    public DeliveryLedger(int clients, int maxTargeted, int maxBroadcasts, ChannelBook channels) {
        this.clients = clients;
        this.channels = channels;
        this.channelPhase = new byte[channels.capacity()];
        this.channelState = new AtomicIntegerArray(channels.capacity());
        this.targetOf = new int[maxTargeted];
        this.targetedPhase = new byte[maxTargeted];
        this.targeted = new AtomicIntegerArray(maxTargeted);
        this.broadcastPhase = new byte[maxBroadcasts];
        this.broadcast = new AtomicIntegerArray(maxBroadcasts);
        this.broadcastsOf = new BitSet[clients];
        this.broadcastCopies = new CopyTimes(maxBroadcasts);
        this.highestTargeted = new int[clients];
        for (int i = 0; i < clients; i++) {
            highestTargeted[i] = -1;
            broadcastsOf[i] = new BitSet(maxBroadcasts == 0 ? 1 : maxBroadcasts);
        }
        for (int i = 0; i < phases.length; i++) {
            phases[i] = new PhaseCounts();
        }
    }

    /** The clients that must get every broadcast from now on: those connected when publishing starts. */
    public void setAudience(BitSet clientsConnected) {
        BitSet copy = (BitSet) clientsConnected.clone();
        this.audience = copy;
        this.audienceSize = copy.cardinality();
        channels.setAudience(copy);
    }

    public ChannelBook channels() {
        return channels;
    }

    /** Numbers a targeted message for {@code client}, published in {@code phase}. */
    public int newTargeted(int client, int phase) {
        int g = nextTargeted.getAndIncrement();
        if (g >= targetOf.length) {
            throw new IllegalStateException("more than " + targetOf.length + " targeted messages; raise the ledger capacity");
        }
        targetOf[g] = client;
        targetedPhase[g] = (byte) phase;
        phases[phase].sent.increment();
        return g;
    }

    /** Numbers a broadcast published in {@code phase}. */
    public int newBroadcast(int phase) {
        int b = nextBroadcast.getAndIncrement();
        if (b >= broadcastPhase.length) {
            throw new IllegalStateException("more than " + broadcastPhase.length + " broadcasts; raise the ledger capacity");
        }
        broadcastPhase[b] = (byte) phase;
        phases[phase].sent.increment();
        return b;
    }

    /** Numbers a message to {@code channel}, published in {@code phase}. */
    public int newChannelMessage(int channel, int phase) {
        int k = channels.newMessage(channel);
        channelPhase[k] = (byte) phase;
        phases[phase].sent.increment();
        return k;
    }

    public void channelAcked(int k) {
        setBits(channelState, k, ACKED);
        PhaseCounts p = phases[channelPhase[k]];
        p.acked.increment();
        p.expected.add(channels.subscribersOf(k));
    }

    public void channelFailed(int k) {
        setBits(channelState, k, FAILED);
        phases[channelPhase[k]].failed.increment();
    }

    public void targetedAcked(int g) {
        setBits(targeted, g, ACKED);
        PhaseCounts p = phases[targetedPhase[g]];
        p.acked.increment();
        p.expected.increment();
    }

    public void targetedFailed(int g) {
        setBits(targeted, g, FAILED);
        phases[targetedPhase[g]].failed.increment();
    }

    public void broadcastAcked(int b) {
        setBits(broadcast, b, ACKED);
        PhaseCounts p = phases[broadcastPhase[b]];
        p.acked.increment();
        p.expected.add(audienceSize);
    }

    public void broadcastFailed(int b) {
        setBits(broadcast, b, FAILED);
        phases[broadcastPhase[b]].failed.increment();
    }

    /** {@code client} received targeted message {@code g}. */
    public Receipt receivedTargeted(int client, int g) {
        if (g < 0 || g >= nextTargeted.get()) {
            unknown.increment();
            return Receipt.UNKNOWN;
        }
        if (targetOf[g] != client) {
            misrouted.increment();
            return Receipt.MISROUTED;
        }
        int before = setBits(targeted, g, RECEIVED);
        PhaseCounts p = phases[targetedPhase[g]];
        if ((before & RECEIVED) != 0) {
            duplicates.increment();
            p.duplicates.increment();
            return Receipt.DUPLICATE;
        }
        if (g < highestTargeted[client]) {
            outOfOrder.increment();
        } else {
            highestTargeted[client] = g;
        }
        p.delivered.increment();
        delivered.increment();
        return Receipt.FIRST;
    }

    /** {@code client} received broadcast {@code b} at {@code micros}. */
    public Receipt receivedBroadcast(int client, int b, long micros) {
        if (b < 0 || b >= nextBroadcast.get() || client < 0 || client >= clients) {
            unknown.increment();
            return Receipt.UNKNOWN;
        }
        BitSet got = broadcastsOf[client];
        PhaseCounts p = phases[broadcastPhase[b]];
        synchronized (got) {
            if (got.get(b)) {
                duplicates.increment();
                p.duplicates.increment();
                return Receipt.DUPLICATE;
            }
            got.set(b);
        }
        if (audience.get(client)) {
            p.delivered.increment();
            broadcastCopies.copy(b, micros);
        }
        delivered.increment();
        return Receipt.FIRST;
    }

    /** {@code client} received channel message {@code k} at {@code micros}. */
    public Receipt receivedChannel(int client, int k, long micros) {
        Receipt receipt = channels.received(client, k, micros);
        switch (receipt) {
            case FIRST -> {
                phases[channelPhase[k]].delivered.increment();
                delivered.increment();
            }
            case DUPLICATE -> {
                duplicates.increment();
                phases[channelPhase[k]].duplicates.increment();
            }
            case MISROUTED -> misrouted.increment();
            case UNKNOWN -> unknown.increment();
        }
        return receipt;
    }

    /** First-to-last copy spread (µs) of the channel messages of {@code phase} (-1: all) that reached everyone. */
    public Histogram channelSpread(int phase) {
        return channels.spread(k -> phase < 0 || channelPhase[k] == phase);
    }

    /**
     * First-to-last copy spread (µs) of the broadcasts of {@code phase} (-1: all) that reached every client of the
     * audience (copies to clients outside it are not timed).
     */
    public Histogram broadcastSpread(int phase) {
        return broadcastCopies.spread(nextBroadcast.get(),
                b -> (broadcast.get(b) & ACKED) != 0 && (phase < 0 || broadcastPhase[b] == phase), b -> audienceSize);
    }

    public PhaseSnapshot phase(int phase) {
        PhaseCounts p = phases[phase];
        return new PhaseSnapshot(p.sent.sum(), p.acked.sum(), p.failed.sum(), p.expected.sum(), p.delivered.sum(),
                p.duplicates.sum());
    }

    /** Messages published so far (targeted and broadcast). */
    public long published() {
        return nextTargeted.get() + (long) nextBroadcast.get() + channels.published();
    }

    /** First receipts so far (a broadcast counts once per client). */
    public long delivered() {
        return delivered.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long misrouted() {
        return misrouted.sum();
    }

    public long outOfOrder() {
        return outOfOrder.sum() + channels.outOfOrder();
    }

    public long unknown() {
        return unknown.sum();
    }

    /** Acknowledged deliveries that never arrived, in {@code phase}, or in every phase when phase is -1. */
    public long lost(int phase) {
        long lost = 0;
        int n = Math.min(nextTargeted.get(), targetOf.length);
        for (int g = 0; g < n; g++) {
            int s = targeted.get(g);
            if ((s & ACKED) != 0 && (s & RECEIVED) == 0 && (phase < 0 || targetedPhase[g] == phase)) {
                lost++;
            }
        }
        int nb = Math.min(nextBroadcast.get(), broadcastPhase.length);
        BitSet members = audience;
        for (int b = 0; b < nb; b++) {
            if ((broadcast.get(b) & ACKED) == 0 || (phase >= 0 && broadcastPhase[b] != phase)) {
                continue;
            }
            for (int c = members.nextSetBit(0); c >= 0; c = members.nextSetBit(c + 1)) {
                if (!hasBroadcast(c, b)) {
                    lost++;
                }
            }
        }
        return lost + channels.lost(k -> (channelState.get(k) & ACKED) != 0 && (phase < 0 || channelPhase[k] == phase));
    }

    /** Publishes Kafka refused (they are not deliveries anyone could expect). */
    public long publishFailures() {
        long failed = 0;
        for (PhaseCounts p : phases) {
            failed += p.failed.sum();
        }
        return failed;
    }

    private boolean hasBroadcast(int client, int b) {
        BitSet got = broadcastsOf[client];
        synchronized (got) {
            return got.get(b);
        }
    }

    private static int setBits(AtomicIntegerArray array, int index, int bits) {
        while (true) {
            int before = array.get(index);
            if (array.compareAndSet(index, before, before | bits)) {
                return before;
            }
        }
    }
}
