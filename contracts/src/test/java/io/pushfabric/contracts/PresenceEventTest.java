package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.PresenceEvent.State;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PresenceEventTest {
    @Test
    void encodesTheDocumentedFormatKeyedByUser() {
        PresenceEvent online = new PresenceEvent(UserId.of("alice"), State.ONLINE, 2, 1795803385456L, 1795803385450L);

        assertThat(new String(online.encode(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"v\":1,\"user\":\"alice\",\"state\":\"online\",\"sessions\":2,\"version\":1795803385456,\"at\":1795803385450}");
        assertThat(online.key()).isEqualTo("alice");
        assertThat(PresenceEvent.decode(online.encode())).isEqualTo(online);
    }

    @Test
    void sessionCountMatchesTheState() {
        assertThatThrownBy(() -> new PresenceEvent(UserId.of("a"), State.OFFLINE, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PresenceEvent(UserId.of("a"), State.ONLINE, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableEventsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> PresenceEvent.decode("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unsupported version");
        assertThatThrownBy(() -> PresenceEvent.decode(
                "{\"v\":1,\"user\":\"a\",\"state\":\"away\",\"sessions\":0,\"version\":1,\"at\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown presence state 'away'");
    }
}
