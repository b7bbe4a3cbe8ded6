package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.measure.ChannelBook;

/** One kind of run: what to do with the clients and the publisher, and what to conclude. */
public interface Scenario {
    String name();

    /** Connectors this scenario needs in a fabric of its own, given how many were asked for. */
    default int connectors(int asked) {
        return asked;
    }

    /** The URL (index) client {@code i} of {@code urls} starts on; by default spread round robin. */
    default int firstUrl(int client, int urls) {
        return client % urls;
    }

    /**
     * Client I/O threads when none were asked for. More threads mean smaller selectors, which matters when
     * thousands of connections close at once: XNIO runs a selectNow() per closed channel, so a mass close
     * costs O(connections per selector) per connection.
     */
    default int defaultIoThreads() {
        return 2;
    }

    /**
     * Whether the run asks Kafka once a second for the dispatchers' backlog and the node-topic appends (the
     * progress line's {@code disp} and {@code lag}). Those requests cost the broker a little CPU of their own.
     */
    default boolean probesKafka() {
        return true;
    }

    /** Ledger capacity: targeted messages and broadcasts this run may publish at most. */
    int maxTargeted();

    int maxBroadcasts();

    /** The channels the clients join at connect and the capacity for channel messages; none by default. */
    default ChannelBook channels(int clients) {
        return ChannelBook.NONE;
    }

    /**
     * Runs the scenario, recording phases, findings and notes in {@code run}. @return whether it passed its
     * own rule (zero loss for smoke and storm)
     */
    boolean run(RunContext run) throws Exception;
}
