package io.pushfabric.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {

    @Test
    void defaultsAreTenThousandPendingAndFifteenSeconds() {
        assertThat(SessionSettings.fromEnv(new Env(Map.of())))
                .isEqualTo(new SessionSettings(10_000, Duration.ofSeconds(15)));
    }

    @Test
    void valuesComeFromTheirVariables() {
        assertThat(SessionSettings.fromEnv(new Env(Map.of(
                "PUSH_SESSION_PENDING_LIMIT", "50", "PUSH_RESUME_TIMEOUT_MS", "2500"))))
                .isEqualTo(new SessionSettings(50, Duration.ofMillis(2500)));
    }

    @Test
    void pendingLimitBelowOneIsNamed() {
        assertThatThrownBy(() -> SessionSettings.fromEnv(new Env(Map.of("PUSH_SESSION_PENDING_LIMIT", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PUSH_SESSION_PENDING_LIMIT=0");
    }

    @Test
    void resumeTimeoutBelowAHundredMillisIsNamed() {
        assertThatThrownBy(() -> SessionSettings.fromEnv(new Env(Map.of("PUSH_RESUME_TIMEOUT_MS", "10"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PUSH_RESUME_TIMEOUT_MS=10");
    }
}
