package io.pushfabric.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionDrainTest {

    @Test
    void lifetimesAreJitteredWithinTheLastFifthOfTheMaximum() {
        Duration max = Duration.ofMinutes(10);
        Set<Long> lifetimes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ClientSession s = new ClientSession(UUID.randomUUID().toString(), UserId.of("u"), new RecordingSink(10), 10,
                    null, 0);
            long lifetime = SessionDrain.lifetimeOf(s, max);
            assertThat(lifetime).isBetween((long) (max.toMillis() * 0.8), max.toMillis());
            lifetimes.add(lifetime);
        }
        assertThat(lifetimes).as("sessions opened together do not expire together").hasSizeGreaterThan(100);
    }
}
