package io.pushfabric.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketSettingsTest {

    @Test
    void defaultsLeaveTheIdleTimeoutWellAbovePings() {
        WebSocketSettings settings = WebSocketSettings.fromEnv(new Env(Map.of()));

        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void idleTimeoutUnderTwoPingIntervalsFailsStartNamingBothVariables() {
        Env env = new Env(Map.of("PUSH_IDLE_TIMEOUT_MS", "30000", "PUSH_PING_INTERVAL_MS", "20000"));

        assertThatThrownBy(() -> WebSocketSettings.fromEnv(env))
                .hasMessageContaining("PUSH_IDLE_TIMEOUT_MS").hasMessageContaining("PUSH_PING_INTERVAL_MS");
    }
}
