package io.pushfabric.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceSettingsTest {
    @Test
    void offByDefaultWithAFiveSecondGraceOnPushPresence() {
        PresenceSettings settings = PresenceSettings.fromEnv(new Env(Map.of()));

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.topic()).isEqualTo("push-presence");
        assertThat(settings.maxInFlight()).isEqualTo(10_000);
    }

    @Test
    void readsEveryVariable() {
        PresenceSettings settings = PresenceSettings.fromEnv(new Env(Map.of("PUSH_PRESENCE_ENABLED", "true",
                "PUSH_PRESENCE_GRACE_MS", "0", "PUSH_PRESENCE_TOPIC", "tenant-a.presence",
                "PUSH_PRESENCE_MAX_IN_FLIGHT", "7")));

        assertThat(settings).isEqualTo(new PresenceSettings(true, Duration.ZERO, "tenant-a.presence", 7));
    }

    @Test
    void badValuesFailNamingTheVariable() {
        assertThatThrownBy(() -> PresenceSettings.fromEnv(new Env(Map.of("PUSH_PRESENCE_GRACE_MS", "-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_PRESENCE_GRACE_MS");
        assertThatThrownBy(() -> PresenceSettings.fromEnv(new Env(Map.of("PUSH_PRESENCE_ENABLED", "maybe"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_PRESENCE_ENABLED");
        assertThatThrownBy(() -> PresenceSettings.fromEnv(new Env(Map.of("PUSH_PRESENCE_MAX_IN_FLIGHT", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_PRESENCE_MAX_IN_FLIGHT");
        assertThatThrownBy(() -> new PresenceSettings(true, Duration.ZERO, " ", 1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PUSH_PRESENCE_TOPIC");
    }
}
