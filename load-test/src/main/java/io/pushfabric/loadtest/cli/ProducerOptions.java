package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.publish.ProducerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How the load generator's publisher produces: one producer with {@code PushPublisher}'s settings by default;
 * many producers and {@code linger.ms=0} publish like many default-settings clients, one record per request.
 */
final class ProducerOptions {
    @Option(names = "--producers", defaultValue = "1", description = "Producer instances the messages are spread over,"
            + " by key (a user, a channel), each with its own connection (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--producer-linger-ms", description = "linger.ms of every producer (default: PushPublisher's).")
    Integer lingerMs;

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE", description = "A Kafka producer property"
            + " on top of PushPublisher's defaults, e.g. -P batch.size=16384 -P compression.type=lz4 (kcat's -X; -X"
            + " itself would swallow JVM options such as --connector-jvm -Xmx2g). Repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    ProducerSpec spec() {
        return ProducerSpec.of(producers, lingerMs, properties);
    }
}
