package io.pushfabric.loadtest.measure;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * Who is in which channel, and which channel message reached which subscriber: the channel part of the
 * {@link DeliveryLedger}. Client {@code c} is in the {@code perClient} channels {@code (c·perClient + j) mod
 * channels}, so every channel gets the same number of subscribers. Channel messages are numbered {@code k}
 * in publish order; within its channel, message {@code k} is the {@code seq}-th. A subscriber must get every
 * message of its channels once, in channel order; the first and the last copy of each message are timed.
 *
 * <p>Thread-safe: one publisher thread numbers messages, the clients' I/O threads record receipts.
 */
public final class ChannelBook {
    /** No channels: for scenarios that publish none. */
    public static final ChannelBook NONE = new ChannelBook(0, 1, 1, 0);

    private final int clients;
    private final int channels;
    private final int perClient;
    private final int[] channelOf;
    private final int[] seqOf;
    private final int[] nextSeq;
    private final AtomicInteger next = new AtomicInteger();
    private final BitSet[] received;
    private final int[] highest;
    private final CopyTimes copies;
    private final LongAdder outOfOrder = new LongAdder();
    private volatile int[][] subscribers;

    /**
     * @param clients     clients, indexed 0..clients-1
     * @param channels    channels, named {@link #name(int)}
     * @param perClient   channels each client is in (at most {@code channels})
     * @param maxMessages capacity for channel messages in this run
     */
    public ChannelBook(int clients, int channels, int perClient, int maxMessages) {
        if (channels < 1 || perClient < 1 || perClient > channels) {
            throw new IllegalArgumentException("need 1 <= channels per client (" + perClient + ") <= channels ("
                    + channels + ")");
        }
        this.clients = clients;
        this.channels = channels;
        this.perClient = perClient;
        this.channelOf = new int[maxMessages];
        this.seqOf = new int[maxMessages];
        this.nextSeq = new int[channels];
        this.copies = new CopyTimes(maxMessages);
        this.received = new BitSet[clients * perClient];
        this.highest = new int[clients * perClient];
        for (int s = 0; s < received.length; s++) {
            received[s] = new BitSet();
            highest[s] = -1;
        }
        BitSet everyone = new BitSet();
        everyone.set(0, clients);
        setAudience(everyone);
    }

    /** The name of channel {@code i}. */
    public static String name(int i) {
        return "lt:" + i;
    }

    public int channels() {
        return channels;
    }

    public int capacity() {
        return channelOf.length;
    }

    /** The channels client {@code c} is in. */
    public List<String> channelsOf(int client) {
        if (client >= clients) {
            return List.of();
        }
        List<String> names = new ArrayList<>(perClient);
        for (int j = 0; j < perClient; j++) {
            names.add(name((client * perClient + j) % channels));
        }
        return names;
    }

    /** From now on only these clients count as subscribers (those connected when publishing starts). */
    void setAudience(BitSet members) {
        int[][] lists = new int[channels][];
        int[] counts = new int[channels];
        for (int pass = 0; pass < 2; pass++) {
            for (int c = members.nextSetBit(0); c >= 0 && c < clients; c = members.nextSetBit(c + 1)) {
                for (int j = 0; j < perClient; j++) {
                    int ch = (c * perClient + j) % channels;
                    if (pass == 0) {
                        counts[ch]++;
                    } else {
                        lists[ch][--counts[ch]] = c;
                    }
                }
            }
            if (pass == 0) {
                for (int ch = 0; ch < channels; ch++) {
                    lists[ch] = new int[counts[ch]];
                }
            }
        }
        this.subscribers = lists;
    }

    /** Numbers the next message to {@code channel}; called by one publisher thread. */
    int newMessage(int channel) {
        int k = next.getAndIncrement();
        if (k >= channelOf.length) {
            throw new IllegalStateException("more than " + channelOf.length + " channel messages; raise the ledger capacity");
        }
        channelOf[k] = channel;
        seqOf[k] = nextSeq[channel]++;
        return k;
    }

    int published() {
        return next.get();
    }

    int channelOf(int k) {
        return channelOf[k];
    }

    /** Subscribers among the audience of the channel of message {@code k}. */
    int subscribersOf(int k) {
        return subscribers[channelOf[k]].length;
    }

    /** {@code client} received message {@code k} at {@code micros}. */
    DeliveryLedger.Receipt received(int client, int k, long micros) {
        if (k < 0 || k >= next.get() || client < 0 || client >= clients) {
            return DeliveryLedger.Receipt.UNKNOWN;
        }
        int slot = Math.floorMod(channelOf[k] - client * perClient, channels);
        if (slot >= perClient) {
            return DeliveryLedger.Receipt.MISROUTED;
        }
        int subscription = client * perClient + slot;
        BitSet got = received[subscription];
        synchronized (got) {
            int seq = seqOf[k];
            if (got.get(seq)) {
                return DeliveryLedger.Receipt.DUPLICATE;
            }
            got.set(seq);
            if (seq < highest[subscription]) {
                outOfOrder.increment();
            } else {
                highest[subscription] = seq;
            }
        }
        copies.copy(k, micros);
        return DeliveryLedger.Receipt.FIRST;
    }

    long outOfOrder() {
        return outOfOrder.sum();
    }

    /** Subscriber copies never received, of the messages {@code counted} selects. */
    long lost(IntPredicate counted) {
        long lost = 0;
        int[][] lists = subscribers;
        int n = Math.min(next.get(), channelOf.length);
        for (int k = 0; k < n; k++) {
            if (!counted.test(k)) {
                continue;
            }
            int ch = channelOf[k];
            for (int c : lists[ch]) {
                BitSet got = received[c * perClient + Math.floorMod(ch - c * perClient, channels)];
                synchronized (got) {
                    if (!got.get(seqOf[k])) {
                        lost++;
                    }
                }
            }
        }
        return lost;
    }

    /**
     * First-to-last copy spread (µs) of every message {@code counted} selects that reached all of its
     * subscribers, two or more.
     */
    public Histogram spread(IntPredicate counted) {
        return copies.spread(next.get(), counted, this::subscribersOf);
    }
}
