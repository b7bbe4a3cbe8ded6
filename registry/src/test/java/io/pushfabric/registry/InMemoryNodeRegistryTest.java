package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class InMemoryNodeRegistryTest extends NodeRegistryContract {
    private final MutableClock clock = new MutableClock();

    @Override
    protected NodeRegistry newRegistry() {
        return new InMemoryNodeRegistry(clock);
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void lapse(Duration ttl, BooleanSupplier condition) {
        clock.advance(ttl);
        assertThat(condition.getAsBoolean()).as("condition after %s", ttl).isTrue();
    }

    @Test
    void leaseIsLiveUntilTheLastMillisecondOfItsTtl() {
        NodeId node = NodeId.of("edge");
        beat(info(node, 0, 1), Duration.ofMillis(1_000));

        clock.advance(Duration.ofMillis(999));
        assertThat(registry.liveNodes()).containsExactly(node);

        clock.advance(Duration.ofMillis(1));
        assertThat(registry.liveNodes()).isEmpty();
    }
}
