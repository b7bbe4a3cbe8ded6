package io.pushfabric.loadtest;

import io.pushfabric.loadtest.client.ReconnectPolicy;
import io.pushfabric.loadtest.fabric.OwnFabricSpec;
import io.pushfabric.loadtest.fabric.ServiceImage;
import io.pushfabric.loadtest.scenario.ClientSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric and clients of the scenario tests that CI runs: Kafka in this JVM, redis-server, a dispatcher
 * and a connector each in a small JVM of its own from this module's classpath; Undertow clients.
 */
final class TinyFabric {
    private static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private TinyFabric() {
    }

    static OwnFabricSpec fabric() {
        return new OwnFabricSpec(1, true, 6, ServiceImage.Launch.CLASSPATH, Optional.empty(), Optional.empty(),
                SMALL_JVM, SMALL_JVM, List.of(), Map.of());
    }

    static ClientSpec clients(int count) {
        return new ClientSpec(count, "undertow", 1, List.of(), count, 100,
                new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(2)), Duration.ofSeconds(30));
    }
}
