package io.pushfabric.connector.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** What the connector counts about replay reads: how many records came from Kafka, how many from the window. */
public final class ReplayMetrics {
    private final Counter fromKafka;
    private final Counter fromWindow;

    public ReplayMetrics(MeterRegistry registry, ReplayWindow window) {
        fromKafka = Counter.builder("pushfabric.connector.replay.records.read").tag("source", "kafka")
                .description("Records of push-requests that replay read, by where it read them").register(registry);
        fromWindow = Counter.builder("pushfabric.connector.replay.records.read").tag("source", "window")
                .description("Records of push-requests that replay read, by where it read them").register(registry);
        Gauge.builder("pushfabric.connector.replay.window.bytes", window::bytes)
                .description("Estimated bytes of push-requests records kept in the replay window").register(registry);
    }

    void readFromKafka(long records) {
        fromKafka.increment(records);
    }

    void readFromWindow(long records) {
        fromWindow.increment(records);
    }
}
