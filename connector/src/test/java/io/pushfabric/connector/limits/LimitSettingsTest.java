package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LimitSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(LimitSettings.fromEnv(new Env(Map.of())))
                .isEqualTo(new LimitSettings(16_384, 50_000, 16, 30, 600, Set.of(), 20, 90));
    }

    @Test
    void trustedProxiesAreIpAddresses() {
        assertThat(LimitSettings.fromEnv(new Env(Map.of("PUSH_TRUSTED_PROXIES", "10.0.0.1, ::1, 172.16.0.0/12")))
                .trustedProxies()).extracting(AddressRange::toString)
                .containsExactlyInAnyOrder("10.0.0.1/32", "0:0:0:0:0:0:0:1/128", "172.16.0.0/12");
        assertThatThrownBy(() -> LimitSettings.fromEnv(new Env(Map.of("PUSH_TRUSTED_PROXIES", "10.0.0.0/33"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> LimitSettings.fromEnv(new Env(Map.of("PUSH_TRUSTED_PROXIES", "lb.example.com"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("PUSH_TRUSTED_PROXIES")
                .hasMessageContaining("lb.example.com");
    }

    @Test
    void badValuesNameTheirVariable() {
        for (String variable : new String[]{"PUSH_MAX_CONNECTIONS", "PUSH_MAX_SESSIONS_PER_USER",
                "PUSH_CONNECTS_PER_USER_PER_MINUTE", "PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE",
                "PUSH_CLIENT_FRAMES_PER_SECOND", "PUSH_MEMORY_SHED_PERCENT", "PUSH_MAX_CLIENT_FRAME_BYTES"}) {
            assertThatThrownBy(() -> LimitSettings.fromEnv(new Env(Map.of(variable, "0"))))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(variable + "=0");
        }
        assertThatThrownBy(() -> LimitSettings.fromEnv(new Env(Map.of("PUSH_MEMORY_SHED_PERCENT", "101"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("PUSH_MEMORY_SHED_PERCENT=101");
    }
}
